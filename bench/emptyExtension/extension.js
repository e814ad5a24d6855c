'use strict';
/* global performance, exports */
// The reference for the activation benchmark: an extension whose load and activate() do nothing.
var loadStarted = performance.now();
exports.activate = function activate() {
  return { loadAndActivationMs: performance.now() - loadStarted, activationMs: 0 };
};
exports.deactivate = function deactivate() {};
