import * as assert from 'node:assert/strict';
import { plainTerminalText } from '../../../../src/core/text/terminalText';

describe('core/text/terminalText', () => {
  it('removes colour, cursor and title escapes', () => {
    assert.equal(plainTerminalText('\u001b[1;31merror\u001b[0m: \u001b[2Kdone\u001b]0;title\u0007!'), 'error: done!');
  });

  it('keeps the last state of a line redrawn with carriage returns, and CRLF line ends', () => {
    assert.equal(plainTerminalText('10%\r55%\r100%\nnext\r\nlast'), '100%\nnext\nlast');
  });

  it('leaves plain text alone', () => {
    assert.equal(plainTerminalText('a\n\tb\n'), 'a\n\tb\n');
  });
});
