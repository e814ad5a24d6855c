import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SseEvent } from '../../../../src/core/models/sseParser';
import { SseParser } from '../../../../src/core/models/sseParser';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const recorded = fs.readFileSync(path.join(repoRoot, 'test', 'fixtures', 'sse', 'tool-calls-crlf.sse'), 'utf8');

function parseInPieces(pieces: readonly string[]): SseEvent[] {
  const parser = new SseParser();
  const events = pieces.flatMap((piece) => parser.push(piece));
  return [...events, ...parser.end()];
}

describe('core/models/sseParser', () => {
  it('parses data, event and id fields and skips comment lines', () => {
    const events = parseInPieces([': hello\n\nevent: update\nid: 7\ndata: one\n\ndata:two\n\n']);
    assert.deepEqual(events, [{ event: 'update', id: '7', data: 'one' }, { id: '7', data: 'two' }]);
  });

  it('joins multi-line data with a line feed', () => {
    assert.deepEqual(parseInPieces(['data: {"a":\ndata:  1}\n\n']), [{ data: '{"a":\n 1}' }]);
  });

  it('accepts LF, CRLF and lone CR line ends', () => {
    const expected = [{ data: 'a' }, { data: 'b' }, { data: 'c' }];
    assert.deepEqual(parseInPieces(['data: a\n\ndata: b\r\n\r\ndata: c\r\r']), expected);
  });

  it('does not read a CRLF split across chunks as two line ends', () => {
    assert.deepEqual(parseInPieces(['data: a\r', '\ndata: b\r', '\n\r', '\n']), [{ data: 'a\nb' }]);
  });

  it('delivers a last event that lacks its closing blank line', () => {
    assert.deepEqual(parseInPieces(['data: [DONE]']), [{ data: '[DONE]' }]);
    assert.deepEqual(parseInPieces(['data: x\r']), [{ data: 'x' }]);
  });

  it('treats a line without a colon as a field with an empty value and ignores unknown fields', () => {
    assert.deepEqual(parseInPieces(['data\nretry: 10\nfoo: bar\n\n']), [{ data: '' }]);
  });

  it('gives the same events for a recorded stream cut at every character boundary', () => {
    const whole = parseInPieces([recorded]);
    assert.equal(whole.length, 12);
    assert.equal(whole[whole.length - 1]?.data, '[DONE]');
    for (let cut = 0; cut <= recorded.length; cut++) {
      assert.deepEqual(parseInPieces([recorded.slice(0, cut), recorded.slice(cut)]), whole, `cut at ${cut}`);
    }
    assert.deepEqual(parseInPieces(Array.from(recorded)), whole, 'one character at a time');
  });
});
