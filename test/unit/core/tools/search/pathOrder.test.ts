import * as assert from 'node:assert/strict';
import { compareUtf8, comparePathOrder } from '../../../../../src/core/tools/search/pathOrder';

describe('core/tools/search/pathOrder', () => {
  it('orders names by UTF-8 bytes, astral characters after U+E000–U+FFFF', () => {
    const names = ['b', 'a', 'B', '\uFF21', '😀', 'é', 'a\u0000', 'ab', ''];
    const byBytes = [...names].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    assert.deepEqual([...names].sort(compareUtf8), byBytes);
  });

  it('orders paths folder by folder, as a sorted walk does', () => {
    const paths = ['a.txt', 'a/b.txt', 'a-b.txt', 'Z.md', 'a/a/z.txt', '.github/x.yml', 'b'];
    assert.deepEqual([...paths].sort(comparePathOrder), ['.github/x.yml', 'Z.md', 'a/a/z.txt', 'a/b.txt', 'a-b.txt', 'a.txt', 'b']);
  });
});
