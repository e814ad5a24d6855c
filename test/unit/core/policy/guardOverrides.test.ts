import * as assert from 'node:assert/strict';
import { canonicalJson, GuardOverrides } from '../../../../src/core/policy/guardOverrides';

describe('core/policy/guardOverrides', () => {
  it('keys a call by tool and canonical input, whatever the key order', () => {
    const a = GuardOverrides.keyOf('Write', { path: 'src/a.ts', content: 'x', options: { b: 1, a: [1, { d: 2, c: 3 }] } });
    const b = GuardOverrides.keyOf('Write', { options: { a: [1, { c: 3, d: 2 }], b: 1 }, content: 'x', path: 'src/a.ts' });
    assert.equal(a, b);
    assert.match(a, /^Write:[0-9a-f]{64}$/);
    assert.notEqual(a, GuardOverrides.keyOf('Edit', { path: 'src/a.ts', content: 'x', options: { b: 1, a: [1, { d: 2, c: 3 }] } }));
    assert.notEqual(a, GuardOverrides.keyOf('Write', { path: 'src/a.ts', content: 'y', options: { b: 1, a: [1, { d: 2, c: 3 }] } }));
  });

  it('writes canonical JSON', () => {
    assert.equal(canonicalJson({ b: [2, undefined], a: 'x', u: undefined, n: null }), '{"a":"x","b":[2,null],"n":null}');
    assert.equal(canonicalJson(undefined), 'null');
  });

  it('uses a grant once', () => {
    const overrides = new GuardOverrides();
    const key = GuardOverrides.keyOf('Write', { path: 'a' });
    assert.equal(overrides.consume(key), false);
    overrides.grant(key);
    assert.equal(overrides.has(key), true);
    assert.equal(overrides.consume(key), true);
    assert.equal(overrides.consume(key), false);
    assert.equal(overrides.size, 0);
  });

  it('counts repeated grants and keeps keys apart', () => {
    const overrides = new GuardOverrides();
    overrides.grant('k1');
    overrides.grant('k1');
    overrides.grant('k2');
    assert.equal(overrides.size, 2);
    assert.equal(overrides.consume('k1'), true);
    assert.equal(overrides.consume('k1'), true);
    assert.equal(overrides.consume('k1'), false);
    assert.equal(overrides.consume('k2'), true);
  });
});
