import * as assert from 'node:assert/strict';
import { messagesFromRounds } from '../../../../src/core/runtime/toolLoop';
import type { TurnMetadata } from '../../../../src/core/runtime/turnMetadata';
import { readTurnMetadata } from '../../../../src/core/runtime/turnMetadata';

const GOOD: TurnMetadata = {
  agent: 'devops-engineer',
  rounds: [
    { text: 'Reading.', toolCalls: [{ kind: 'toolCall', callId: 'c1', name: 'Read', input: { path: 'Dockerfile' } }], results: [{ kind: 'toolResult', callId: 'c1', text: '1\tFROM node:20', isError: false }] },
    { text: 'It uses node:20: `Dockerfile:1`.', toolCalls: [], results: [] },
  ],
  readSet: [{ path: '/ws/Dockerfile', ranges: [{ startLine: 1, endLine: 3 }] }],
  citations: { total: 1, verified: 1, problems: 0 },
  certificate: { required: true, written: true, file: '/ws/docs/ai/agents/devops-engineer/certificates/x.md' },
  command: 'review',
};

describe('core/runtime/turnMetadata', () => {
  it('reads back what a turn stored, through JSON', () => {
    assert.deepEqual(readTurnMetadata(JSON.parse(JSON.stringify(GOOD))), GOOD);
    const failed = { agent: 'devops-engineer', rounds: [], readSet: [], error: 'cancelled' };
    assert.deepEqual(readTurnMetadata(failed), failed);
  });

  it('is undefined for values that are not turn metadata', () => {
    for (const value of [undefined, null, 42, 'text', [], [GOOD], {}, { agent: 7, rounds: [] }, { agent: 'a' }, { agent: 'a', rounds: 'x' }]) {
      assert.equal(readTurnMetadata(value), undefined, JSON.stringify(value));
    }
  });

  it('tolerates malformed rounds, parts and fields', () => {
    const meta = readTurnMetadata({
      agent: 'a',
      rounds: [
        null, 'round', 3,
        { text: 5, toolCalls: 'x', results: {} },
        {
          text: 'ok',
          toolCalls: [null, { callId: 1, name: 'Read' }, { callId: 'k', name: 'Glob', input: { pattern: '*' } }, { callId: 'nope', name: 'Bash' }],
          results: [{ callId: 'k', text: 'a.txt', isError: 'yes' }, { callId: 'k2', text: 5 }, { callId: 'orphan', text: 'no call' }],
        },
      ],
      readSet: 'not a list',
      citations: { total: 'one', verified: 1, problems: 0 },
      certificate: { required: 'yes' },
      command: 42,
      error: { message: 'x' },
    });
    assert.deepEqual(meta, {
      agent: 'a',
      rounds: [
        { text: '', toolCalls: [], results: [] },
        {
          text: 'ok',
          toolCalls: [{ kind: 'toolCall', callId: 'k', name: 'Glob', input: { pattern: '*' } }],
          results: [{ kind: 'toolResult', callId: 'k', text: 'a.txt', isError: false }],
        },
      ],
      readSet: [],
    });
  });

  it('drops calls without results, so the rebuilt history is valid for the model', () => {
    const meta = readTurnMetadata({
      agent: 'a',
      rounds: [{ text: 'Last round at the limit.', toolCalls: [{ kind: 'toolCall', callId: 'late', name: 'Read', input: { path: 'x' } }], results: [] }],
      readSet: [],
    });
    assert.deepEqual(meta?.rounds, [{ text: 'Last round at the limit.', toolCalls: [], results: [] }]);
    assert.deepEqual(messagesFromRounds('q', meta?.rounds ?? []), [
      { role: 'user', parts: [{ kind: 'text', text: 'q' }] },
      { role: 'assistant', parts: [{ kind: 'text', text: 'Last round at the limit.' }] },
    ]);
  });
});
