import * as assert from 'node:assert/strict';
import { closesFence, fenceOpener, stripIndent } from '../../../../src/core/citations/citationFences';

describe('core/citations/citationFences', () => {
  it('opens on three or more backticks or tildes, indented or not, with an info string', () => {
    assert.deepEqual(fenceOpener('```ts'), { marker: '`', size: 3, indent: 0 });
    assert.deepEqual(fenceOpener('  ~~~~'), { marker: '~', size: 4, indent: 2 });
    assert.equal(fenceOpener('``not a fence'), undefined);
    assert.equal(fenceOpener('text ```'), undefined);
  });

  it('does not open a backtick fence whose info string holds a backtick (CommonMark: that is inline code)', () => {
    assert.equal(fenceOpener('``` `x` ```'), undefined);
    assert.deepEqual(fenceOpener('~~~ `x`'), { marker: '~', size: 3, indent: 0 });
  });

  it('closes only on the same marker, at least as long, with nothing after it', () => {
    const opening = { marker: '`', size: 4, indent: 0 };
    assert.equal(closesFence('````', opening), true);
    assert.equal(closesFence('  `````  ', opening), true);
    assert.equal(closesFence('```', opening), false);
    assert.equal(closesFence('~~~~', opening), false);
    assert.equal(closesFence('```` js', opening), false);
  });

  it('strips at most the opening fence\'s indent from a quoted line', () => {
    assert.equal(stripIndent('    x = 1', 2), '  x = 1');
    assert.equal(stripIndent(' x', 3), 'x');
  });
});
