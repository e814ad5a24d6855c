import * as assert from 'node:assert/strict';
import { hostAllowed, parseAllowedHosts } from '../../../../src/core/sandbox/sandboxSettings';

describe('core/sandbox/sandboxSettings', () => {
  it('reads host names, wildcards and ports; reports anything else', () => {
    const parsed = parseAllowedHosts(['registry.npmjs.org', ' *.GitHub.com ', 'host:8080', 'https://x.com/path', '*', '', 42, 'registry.npmjs.org']);
    assert.deepEqual(parsed.hosts, ['registry.npmjs.org', '*.github.com', 'host:8080']);
    assert.equal(parsed.problems.length, 4);
    assert.match(parsed.problems[0]!, /\[3\] "https:\/\/x\.com\/path" is not a host name/);
    assert.deepEqual(parseAllowedHosts(undefined), { hosts: [], problems: [] });
    assert.match(parseAllowedHosts('registry.npmjs.org').problems[0]!, /must be a list/);
  });

  it('matches exact names, subdomains of a wildcard (not its apex) and ports', () => {
    const allowed = ['registry.npmjs.org', '*.github.com', 'host:8080'];
    assert.equal(hostAllowed('registry.npmjs.org', 443, allowed), true);
    assert.equal(hostAllowed('REGISTRY.npmjs.org.', 80, allowed), true);
    assert.equal(hostAllowed('evil-registry.npmjs.org', 443, allowed), false);
    assert.equal(hostAllowed('api.github.com', 443, allowed), true);
    assert.equal(hostAllowed('github.com', 443, allowed), false);
    assert.equal(hostAllowed('notgithub.com', 443, allowed), false);
    assert.equal(hostAllowed('host', 8080, allowed), true);
    assert.equal(hostAllowed('host', 8081, allowed), false);
    assert.equal(hostAllowed('anything', 443, []), false);
  });
});
