import * as assert from 'node:assert/strict';
import { bounded, boundedLine } from '../../../../src/core/text/bounded';

describe('core/text/bounded', () => {
  it('keeps text that fits and cuts longer text to the limit, ending in an ellipsis', () => {
    assert.equal(bounded('abc', 3), 'abc');
    assert.equal(bounded('abcd', 3), 'ab…');
    assert.equal(bounded('abcd', 3).length, 3);
    assert.equal(bounded('abc', 0), '…');
  });

  it('puts text on one line before cutting it', () => {
    assert.equal(boundedLine('  a\n\tb   c  ', 10), 'a b c');
    assert.equal(boundedLine('one two three', 7), 'one tw…');
  });
});
