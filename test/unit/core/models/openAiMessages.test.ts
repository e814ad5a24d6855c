import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ChatStreamEvent, OpenAiChatMessage } from '../../../../src/core/models/openAiCompatibleClient';
import { streamChatCompletion } from '../../../../src/core/models/openAiCompatibleClient';
import type { PlainChatMessage, PlainPart } from '../../../../src/core/models/openAiMessages';
import {
  estimateTokenCount,
  fromOpenAiMessages,
  MALFORMED_ARGUMENTS_KEY,
  malformedArgumentsMessage,
  malformedArgumentsOf,
  plainPartFromUnknown,
  readSamplingOptions,
  toOpenAiMessages,
  toOpenAiTools,
  toolCallInput,
} from '../../../../src/core/models/openAiMessages';
import { loadReplayTranscripts, startReplayServer } from '../../../harness/replayServer';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const transcriptsDir = path.join(repoRoot, 'test', 'fixtures', 'transcripts');

// Same shapes as vscode's part classes: the conversion recognises parts by their fields, not by class identity.
class LanguageModelTextPart {
  constructor(readonly value: string) {}
}
class LanguageModelToolCallPart {
  constructor(
    readonly callId: string,
    readonly name: string,
    readonly input: object,
  ) {}
}
class LanguageModelToolResultPart {
  constructor(
    readonly callId: string,
    readonly content: unknown[],
  ) {}
}
class LanguageModelDataPart {
  constructor(
    readonly data: Uint8Array,
    readonly mimeType: string,
  ) {}
}
class LanguageModelPromptTsxPart {
  constructor(readonly value: unknown) {}
}

const text = (t: string): PlainPart => ({ kind: 'text', text: t });

describe('core/models/openAiMessages', () => {
  describe('plainPartFromUnknown', () => {
    it('recognises text, tool-call, tool-result and data parts by shape', () => {
      assert.deepEqual(plainPartFromUnknown(new LanguageModelTextPart('hi')), text('hi'));
      assert.deepEqual(plainPartFromUnknown(new LanguageModelToolCallPart('c1', 'Read', { path: 'a' })), { kind: 'toolCall', callId: 'c1', name: 'Read', input: { path: 'a' } });
      const bytes = new TextEncoder().encode('{"ok":true}');
      assert.deepEqual(plainPartFromUnknown(new LanguageModelDataPart(bytes, 'image/png')), { kind: 'data', mimeType: 'image/png', data: bytes });
      assert.deepEqual(plainPartFromUnknown(new LanguageModelToolResultPart('c1', [new LanguageModelTextPart('line 1\n'), new LanguageModelDataPart(bytes, 'application/json')])), {
        kind: 'toolResult',
        callId: 'c1',
        text: 'line 1\n{"ok":true}',
      });
    });

    it('reads the text nodes of prompt-tsx tool results and names what it cannot read', () => {
      const tsx = new LanguageModelPromptTsxPart({ node: { type: 1, children: [{ type: 2, text: 'FROM ' }, { type: 1, children: [{ type: 2, text: 'node:20' }] }] } });
      assert.deepEqual(plainPartFromUnknown(new LanguageModelToolResultPart('c', [tsx])), { kind: 'toolResult', callId: 'c', text: 'FROM node:20' });
      assert.deepEqual(plainPartFromUnknown(new LanguageModelToolResultPart('c', [new LanguageModelPromptTsxPart(42)])), { kind: 'toolResult', callId: 'c', text: '[LanguageModelPromptTsxPart content omitted]' });
      assert.deepEqual(plainPartFromUnknown(new LanguageModelPromptTsxPart({})), { kind: 'other', description: 'LanguageModelPromptTsxPart' });
      assert.deepEqual(plainPartFromUnknown(7), { kind: 'other', description: 'number' });
      assert.deepEqual(plainPartFromUnknown(null), { kind: 'other', description: 'object' });
    });
  });

  describe('toOpenAiMessages', () => {
    it('turns tool results into tool messages right after the call, in order, before the user text', () => {
      const { messages, notes } = toOpenAiMessages([
        { role: 'system', parts: [text('You are a DevOps engineer.')] },
        { role: 'user', parts: [text('Check '), text('the build')], name: 'ana' },
        {
          role: 'assistant',
          parts: [text('Reading.'), { kind: 'toolCall', callId: 'c1', name: 'Read', input: { path: 'Dockerfile' } }, { kind: 'toolCall', callId: 'c2', name: 'Glob', input: {} }],
        },
        { role: 'user', parts: [text('Continue.'), { kind: 'toolResult', callId: 'c2', text: 'ci.yml' }, { kind: 'toolResult', callId: 'c1', text: 'FROM node:20' }] },
      ]);
      assert.deepEqual(messages, [
        { role: 'system', content: 'You are a DevOps engineer.' },
        { role: 'user', content: 'Check the build', name: 'ana' },
        {
          role: 'assistant',
          content: 'Reading.',
          tool_calls: [
            { id: 'c1', type: 'function', function: { name: 'Read', arguments: '{"path":"Dockerfile"}' } },
            { id: 'c2', type: 'function', function: { name: 'Glob', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'c2', content: 'ci.yml' },
        { role: 'tool', tool_call_id: 'c1', content: 'FROM node:20' },
        { role: 'user', content: 'Continue.' },
      ]);
      assert.deepEqual(notes, []);
    });

    it('answers calls that got no result and turns results without a call into text, saying so', () => {
      const { messages, notes } = toOpenAiMessages([
        { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c1', name: 'Bash', input: { command: 'ls' } }] },
        { role: 'user', parts: [{ kind: 'toolResult', callId: 'gone', text: 'old output' }] },
        { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c9', name: 'Read', input: {} }] },
      ]);
      assert.deepEqual(messages, [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Bash', arguments: '{"command":"ls"}' } }] },
        { role: 'tool', tool_call_id: 'c1', content: '(no result: this tool call was not run)' },
        { role: 'user', content: '[Result of tool call gone]\nold output' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'c9', type: 'function', function: { name: 'Read', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'c9', content: '(no result: this tool call was not run)' },
      ]);
      assert.equal(notes.length, 3);
      assert.match(notes.join('\n'), /tool result gone follows no matching tool call/);
    });

    it('keeps text data, drops caching markers silently and replaces images with a note', () => {
      const encode = (s: string): Uint8Array => new TextEncoder().encode(s);
      const { messages, notes } = toOpenAiMessages([
        {
          role: 'user',
          parts: [
            text('See: '),
            { kind: 'data', mimeType: 'text/plain', data: encode('log line') },
            { kind: 'data', mimeType: 'cache_control', data: encode('ephemeral') },
            { kind: 'data', mimeType: 'image/png', data: new Uint8Array([137, 80]) },
            { kind: 'other', description: 'LanguageModelPromptTsxPart' },
          ],
        },
      ]);
      assert.deepEqual(messages, [{ role: 'user', content: 'See: log line[image/png content omitted: this model endpoint receives text only]' }]);
      assert.deepEqual(notes, ['image/png data was left out (text-only endpoint)', 'a LanguageModelPromptTsxPart part was left out (not supported by this provider)']);
    });

    it('sends malformed arguments back exactly as the model wrote them, and skips empty messages', () => {
      const { messages } = toOpenAiMessages([
        { role: 'user', parts: [] },
        { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c1', name: 'Bash', input: toolCallInput('{"command": "ls"') }] },
        { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', text: 'bad arguments' }] },
        { role: 'assistant', parts: [] },
      ]);
      assert.deepEqual(messages, [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Bash', arguments: '{"command": "ls"' } }] },
        { role: 'tool', tool_call_id: 'c1', content: 'bad arguments' },
      ]);
    });

    it('drops a user name OpenAI would reject and a tool call outside an assistant message', () => {
      const { messages, notes } = toOpenAiMessages([{ role: 'user', name: 'Ana María', parts: [text('hi'), { kind: 'toolCall', callId: 'x', name: 'Read', input: {} }] }]);
      assert.deepEqual(messages, [{ role: 'user', content: 'hi' }]);
      assert.match(notes[0] ?? '', /only assistant messages can/);
    });
  });

  describe('round trips', () => {
    const conversation: OpenAiChatMessage[] = [
      { role: 'system', content: 'Rules.' },
      { role: 'user', content: 'Why does CI fail?', name: 'dev_1' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          { id: 'a', type: 'function', function: { name: 'Read', arguments: '{"path":".github/workflows/ci.yml"}' } },
          { id: 'b', type: 'function', function: { name: 'Bash', arguments: '{"command": "npm ci' } },
        ],
      },
      { role: 'tool', tool_call_id: 'a', content: 'runs-on: ubuntu-latest' },
      { role: 'tool', tool_call_id: 'b', content: 'error: arguments were not JSON' },
      { role: 'user', content: 'Go on.' },
      { role: 'assistant', content: 'The job uses Node 16 (.github/workflows/ci.yml:12).' },
      { role: 'user', content: 'Fix it.' },
    ];

    it('OpenAI → plain → OpenAI gives the same messages', () => {
      const plain = fromOpenAiMessages(conversation);
      const back = toOpenAiMessages(plain);
      assert.deepEqual(back.messages, conversation);
      assert.deepEqual(back.notes, []);
    });

    it('plain → OpenAI → plain gives the same messages for the VS Code shape (results first in the user message)', () => {
      const plain: PlainChatMessage[] = [
        { role: 'user', parts: [text('Build the image')] },
        { role: 'assistant', parts: [text('Building.'), { kind: 'toolCall', callId: 'd1', name: 'Docker', input: { action: 'build', tags: ['app:dev'] } }] },
        { role: 'user', parts: [{ kind: 'toolResult', callId: 'd1', text: 'Successfully built 3f2a' }, text('What next?')] },
        { role: 'assistant', parts: [text('Run it.')] },
      ];
      assert.deepEqual(fromOpenAiMessages(toOpenAiMessages(plain).messages), plain);
    });
  });

  describe('tools, arguments, tokens and options', () => {
    it('maps tools to function specs, with an empty object schema when there is none', () => {
      const schema = { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] };
      assert.deepEqual(toOpenAiTools([{ name: 'Read', description: 'Read a file', inputSchema: schema }, { name: 'Status', description: 'Git status' }]), [
        { type: 'function', function: { name: 'Read', description: 'Read a file', parameters: schema } },
        { type: 'function', function: { name: 'Status', description: 'Git status', parameters: { type: 'object', properties: {} } } },
      ]);
    });

    it('parses arguments, treats empty as {}, and marks everything that is not a JSON object', () => {
      assert.deepEqual(toolCallInput('{"path":"a"}'), { path: 'a' });
      assert.deepEqual(toolCallInput('  '), {});
      for (const raw of ['{"path":', '[1,2]', 'null', '"text"', 'path=a']) {
        const input = toolCallInput(raw);
        assert.deepEqual(input, { [MALFORMED_ARGUMENTS_KEY]: raw });
        assert.equal(malformedArgumentsOf(input), raw);
      }
      assert.equal(malformedArgumentsOf({ path: 'a' }), undefined);
      assert.equal(malformedArgumentsOf({ [MALFORMED_ARGUMENTS_KEY]: 'x', other: 1 }), undefined);
      assert.match(malformedArgumentsMessage('Bash', '{"command":'), /arguments for Bash were not a valid JSON object: "\{\\"command\\":"\. Call Bash again/);
    });

    it('estimates tokens as characters / 4, counting tool calls and results', () => {
      assert.equal(estimateTokenCount(''), 0);
      assert.equal(estimateTokenCount('abcde'), 2);
      const message: PlainChatMessage = {
        role: 'assistant',
        parts: [text('12345678'), { kind: 'toolCall', callId: 'c', name: 'Read', input: { p: 1 } }, { kind: 'toolResult', callId: 'c', text: 'abcd' }],
      };
      assert.equal(estimateTokenCount(message), Math.ceil((8 + 4 + '{"p":1}'.length + 4) / 4));
    });

    it('reads maxTokens and temperature from modelOptions and ignores nonsense', () => {
      assert.deepEqual(readSamplingOptions({ maxTokens: 512, temperature: 0.3, top_p: 1 }), { maxTokens: 512, temperature: 0.3 });
      assert.deepEqual(readSamplingOptions({ max_tokens: 64 }), { maxTokens: 64 });
      assert.deepEqual(readSamplingOptions({ maxTokens: -1, temperature: 9 }), {});
      assert.deepEqual(readSamplingOptions(undefined), {});
    });
  });

  describe('a provider-style conversation against the replay server', () => {
    async function answer(baseUrl: string, model: string, history: PlainChatMessage[], toolNames: string[]): Promise<PlainChatMessage> {
      const events: ChatStreamEvent[] = [];
      const tools = toOpenAiTools(toolNames.map((name) => ({ name, description: `${name} tool`, inputSchema: { type: 'object', properties: {} } })));
      for await (const event of streamChatCompletion({ baseUrl, model, messages: toOpenAiMessages(history).messages, tools })) events.push(event);
      const parts: PlainPart[] = [];
      for (const event of events) {
        if (event.type === 'text') parts.push(text(event.text));
        if (event.type === 'tool_call') parts.push({ kind: 'toolCall', callId: event.id, name: event.name, input: toolCallInput(event.argumentsJson) });
      }
      return { role: 'assistant', parts };
    }

    it('plays read-readme.json: a tool call, its result, then the final answer', async () => {
      const server = await startReplayServer(await loadReplayTranscripts(path.join(transcriptsDir, 'read-readme.json')));
      try {
        const history: PlainChatMessage[] = [{ role: 'user', parts: [text('What does the README say?')] }];
        const first = await answer(server.url, 'replay-devops', history, ['Read', 'Grep']);
        const call = first.parts.find((p) => p.kind === 'toolCall');
        assert.ok(call && call.kind === 'toolCall');
        assert.deepEqual([call.name, call.input], ['Read', { path: 'README.md' }]);
        history.push(first, { role: 'user', parts: [{ kind: 'toolResult', callId: call.callId, text: '# Demo\nA demo project for the agent.' }] });
        const second = await answer(server.url, 'replay-devops', history, ['Grep', 'Read']);
        assert.deepEqual(second.parts.map((p) => (p.kind === 'text' ? p.text : '')).join(''), 'This is a demo project (README.md:1).');
        assert.deepEqual(server.mismatches, []);
        assert.equal(server.remaining(), 0);
      } finally {
        await server.close();
      }
    });

    it('plays the malformed-arguments transcript: the error goes back as a tool result and the model retries', async () => {
      const server = await startReplayServer(await loadReplayTranscripts(path.join(transcriptsDir, 'tool-call-shapes.json')));
      try {
        const history: PlainChatMessage[] = [{ role: 'user', parts: [text('Run the tests')] }];
        const first = await answer(server.url, 'replay-malformed', history, ['Bash']);
        const call = first.parts[0];
        assert.ok(call && call.kind === 'toolCall');
        const raw = malformedArgumentsOf(call.input);
        assert.equal(raw, '{"command": "npm test"');
        history.push(first, { role: 'user', parts: [{ kind: 'toolResult', callId: call.callId, text: malformedArgumentsMessage(call.name, raw ?? '') }] });
        const second = await answer(server.url, 'replay-malformed', history, ['Bash']);
        assert.deepEqual(second.parts, [{ kind: 'toolCall', callId: 'call_1_0', name: 'Bash', input: { command: 'npm test' } }]);
        const echoed = (server.requests[1] as { messages: OpenAiChatMessage[] }).messages[1];
        assert.equal(echoed?.tool_calls?.[0]?.function.arguments, '{"command": "npm test"', 'the raw arguments were sent back unchanged');
        assert.deepEqual(server.mismatches, []);
        assert.equal(server.remaining(), 2, 'the replay-parallel turns were not played');
      } finally {
        await server.close();
      }
    });
  });
});
