// Bundles the extension and the CLI into dist/:
//   extension.js       the entry: registers stand-ins only (checked below: it may hold nothing else)
//   harness.js         participant, tools, views, commands; loaded on the first use of any of them
//   modelProvider.js   the OpenAI-compatible model provider and its client; loaded when models are first asked for
//   checks.js          the DevOps check diagnostics and Quick Fixes; loaded right after activation
//   checkEngine.js     the DevOps check engine (rules and parsers), shared by checks.js, the devops_check tool
//                      and Review Workspace; loaded by the first check
//   cli.js             the devops-agent CLI
//   vendor/*.js        dockerode, simple-git and ssh2, each loaded by the first call that needs it
// Why separate CommonJS bundles and not esbuild's code splitting: splitting needs ESM output, which VS Code's
// extension host does not load for extensions; required bundles also keep `require` order and timing explicit.
//   node esbuild.config.mjs [--production] [--watch]
import { context } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';
import path from 'node:path';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Packages our code loads with `await import(...)` on first use; each is its own bundle in dist/vendor/. */
const VENDOR = { dockerode: 'vendor/dockerode.js', 'simple-git': 'vendor/simple-git.js' };
/** Our own modules the entry loads with `await import(...)`: bundled apart, required on first use. */
const LAZY_PARTS = { 'src/vscode/harness.ts': 'harness.js', 'src/vscode/openAiCompatibleProvider.ts': 'modelProvider.js', 'src/vscode/checksRegistration.ts': 'checks.js', 'src/core/checks/runChecks.ts': 'checkEngine.js' };
/** All the entry bundle may contain: registration and the path test the Explorer decorations need. */
const ENTRY_ALLOWED = ['src/extension.ts', 'src/vscode/deferredContributions.ts', 'src/vscode/mcpServerProvider.ts', 'src/core/certificates/certificatePath.ts'];

/** Rewrites lazy imports (of VENDOR packages and LAZY_PARTS modules) into requires of their bundles beside this one. */
function lazyBundles(fromDir) {
  const relativeTo = (target) => `./${path.posix.relative(fromDir, target)}`;
  return {
    name: 'lazy-bundles',
    setup(build) {
      build.onResolve({ filter: /^(dockerode|simple-git)$/ }, (args) => ({ path: relativeTo(VENDOR[args.path]), external: true }));
      build.onResolve({ filter: /^\./ }, (args) => {
        const base = path.relative(process.cwd(), path.resolve(args.resolveDir, args.path)).split(path.sep).join('/');
        const target = LAZY_PARTS[`${base}.ts`] ?? LAZY_PARTS[base];
        if (target === undefined || args.kind !== 'dynamic-import') return undefined;
        return { path: relativeTo(target), external: true };
      });
    },
  };
}

/**
 * dockerode loads ssh2 (SSH transport) and gRPC/protobuf (BuildKit sessions) when it loads. ssh2 becomes its own
 * bundle, required only when a connection to an ssh:// host is made; BuildKit sessions are never used (the Docker
 * tool builds with the classic builder), so gRPC and protobuf are left out and fail clearly if ever reached.
 */
const dockerodeTrim = {
  name: 'dockerode-trim',
  setup(build) {
    build.onResolve({ filter: /^ssh2$/ }, () => ({ path: 'ssh2-on-first-connection', namespace: 'shim' }));
    build.onResolve({ filter: /^(@grpc\/grpc-js|@grpc\/proto-loader|protobufjs)$/ }, (args) => ({ path: args.path, namespace: 'absent' }));
    build.onResolve({ filter: /^\.\/ssh2\.js$/ }, () => ({ path: './ssh2.js', external: true }));
    build.onLoad({ filter: /.*/, namespace: 'shim' }, () => ({
      contents: 'exports.Client = function Client(...args) { return new (require("./ssh2.js").Client)(...args); };',
      loader: 'js',
    }));
    build.onLoad({ filter: /.*/, namespace: 'absent' }, (args) => ({
      contents: `module.exports = new Proxy({}, { get(_, key) { if (typeof key !== 'string' || key === '__esModule') return undefined; throw new Error(${JSON.stringify(`${args.path} is not bundled: Docker BuildKit sessions are not supported by this extension`)}); } });`,
      loader: 'js',
    }));
  },
};

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  // maps for development builds only: the .vsix ships without them (see .vscodeignore)
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'warning',
  // lower import() to require(): the lazy bundles are CommonJS files beside the one that loads them
  supported: { 'dynamic-import': false },
  // ssh2 optionally loads native modules; they are absent in the bundle and ssh2 falls back to pure JS
  external: ['vscode', 'cpu-features', '*.node'],
  metafile: true,
  define: { PACKAGE_VERSION: JSON.stringify(version) },
};

const builds = [
  { ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist', plugins: [lazyBundles('')],
    banner: { js: '"use strict";var DEVOPS_AGENT_LOAD_STARTED = performance.now();' } },
  { ...common, entryPoints: { harness: 'src/vscode/harness.ts', modelProvider: 'src/vscode/openAiCompatibleProvider.ts', checks: 'src/vscode/checksRegistration.ts', checkEngine: 'src/core/checks/runChecks.ts' }, outdir: 'dist', plugins: [lazyBundles('')] },
  { ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', plugins: [lazyBundles('')], banner: { js: '#!/usr/bin/env node' } },
  { ...common, entryPoints: { dockerode: 'dockerode', 'simple-git': 'simple-git' }, outdir: 'dist/vendor', plugins: [dockerodeTrim] },
  { ...common, entryPoints: { ssh2: 'ssh2' }, outdir: 'dist/vendor' },
  // the Delivery Metrics webview script with uPlot and its CSS (dist/deliveryMetricsView.css): shipped in the .vsix, no CDN
  { entryPoints: { deliveryMetricsView: 'src/webview/deliveryMetrics.ts' }, outdir: 'dist', bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: production, sourcemap: false, logLevel: 'warning', metafile: true },
];

/** Fails the build when the entry bundle holds more than registration: that cost is paid by every activation. */
function checkEntry(result) {
  const output = result.metafile.outputs['dist/extension.js'];
  const extra = Object.keys(output?.inputs ?? {}).filter((input) => !ENTRY_ALLOWED.includes(input));
  if (extra.length) {
    throw new Error(`dist/extension.js may only register (see docs/architecture.md); it also bundles:\n  ${extra.join('\n  ')}\n` +
      'Load implementation from src/vscode/harness.ts (or another lazy part) instead of importing it in src/extension.ts.');
  }
}

import { rmSync } from 'node:fs';
if (!watch) rmSync('dist', { recursive: true, force: true });
const contexts = await Promise.all(builds.map((options) => context(options)));
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching src/ …');
} else {
  try {
    for (const c of contexts) {
      const result = await c.rebuild();
      if (result.metafile.outputs['dist/extension.js']) checkEntry(result);
    }
  } finally {
    await Promise.all(contexts.map((c) => c.dispose()));
  }
  chmodSync('dist/cli.js', 0o755);
}
