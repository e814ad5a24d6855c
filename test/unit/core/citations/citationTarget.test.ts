import * as assert from 'node:assert/strict';
import { parseCitationTarget } from '../../../../src/core/citations/citationTarget';

describe('core/citations/citationTarget', () => {
  it('parses the colon and #L forms into a path and an inclusive range', () => {
    assert.deepEqual(parseCitationTarget('src/a.ts:3-5', 'bare'), { path: 'src/a.ts', startLine: 3, endLine: 5 });
    assert.deepEqual(parseCitationTarget('src/a.ts#L7', 'bare'), { path: 'src/a.ts', startLine: 7, endLine: 7 });
    assert.deepEqual(parseCitationTarget('.\\src\\a.ts:2:9', 'code'), { path: 'src/a.ts', startLine: 2, endLine: 2 });
  });

  it('is strict for bare words and inline code, lenient for link targets', () => {
    assert.deepEqual(parseCitationTarget('tools/run:3', 'bare'), { path: 'tools/run', startLine: 3, endLine: 3 });
    assert.equal(parseCitationTarget('org/image:3', 'bare'), undefined);
    assert.deepEqual(parseCitationTarget('org/image:3', 'link'), { path: 'org/image', startLine: 3, endLine: 3 });
    assert.equal(parseCitationTarget('example.com:443', 'code'), undefined);
    assert.equal(parseCitationTarget('https://x.io/a.ts#L3', 'link'), undefined);
  });

  it('rejects malformed paths', () => {
    for (const raw of ['a b.ts:3', 'a.ts:', ':3', '.../a.ts:3', 'C:a.ts:3', 'src/:3', `${'a'.repeat(5000)}.ts:1`, 'a.ts:1234567890']) {
      assert.equal(parseCitationTarget(raw, 'bare'), undefined, raw);
    }
  });

  it('accepts extensionless absolute paths only inside the given roots', () => {
    assert.equal(parseCitationTarget('/repo/bin/run:1', 'bare', { roots: ['/repo'] })?.path, '/repo/bin/run');
    assert.equal(parseCitationTarget('/usr/bin/env:1', 'bare', { roots: ['/repo'] }), undefined);
  });
});
