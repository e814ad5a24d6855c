import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { ChatCompletionOptions, ChatStreamEvent } from '../../../../src/core/models/openAiCompatibleClient';
import { listModels, ModelEndpointError, readChatCompletionBody, streamChatCompletion } from '../../../../src/core/models/openAiCompatibleClient';
import type { ReplayServer, ReplayTranscript } from '../../../harness/replayServer';
import { loadReplayTranscripts, startReplayServer } from '../../../harness/replayServer';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..');
const fixtures = path.join(repoRoot, 'test', 'fixtures');
const recordedBytes = new Uint8Array(fs.readFileSync(path.join(fixtures, 'sse', 'tool-calls-crlf.sse')));

const RECORDED_EVENTS: ChatStreamEvent[] = [
  { type: 'text', text: 'Café ' },
  { type: 'text', text: '🚀 ready — 検査' },
  { type: 'text', text: '\nDone.' },
  { type: 'tool_call', id: 'call_a', name: 'Read', argumentsJson: '{"path": "Dockerfile"}' },
  { type: 'tool_call', id: 'call_b', name: 'Grep', argumentsJson: '{"pattern": "FROM\\\\s+\\u00e9🚀"}' },
  { type: 'finish', reason: 'tool_calls' },
  { type: 'usage', promptTokens: 120, completionTokens: 34 },
];

async function collect(stream: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const events: ChatStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
}

async function* pieces(bytes: Uint8Array, cuts: readonly number[]): AsyncGenerator<Uint8Array> {
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    yield bytes.slice(start, cut);
    start = cut;
  }
}

function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

function request(server: ReplayServer, model: string, extra: Partial<ChatCompletionOptions> = {}): ChatCompletionOptions {
  return { baseUrl: server.url, model, messages: [{ role: 'user', content: 'Hello' }], ...extra };
}

async function drain(events: AsyncIterable<unknown>): Promise<unknown[]> {
  const all: unknown[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** A plain 127.0.0.1 HTTP server for server behaviours the replay server does not produce. */
async function startRawServer(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function freePort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('core/models/openAiCompatibleClient', () => {
  describe('reading a response body', () => {
    it('turns a recorded stream (CRLF, comments, multi-line data, split tool calls) into events', async () => {
      assert.deepEqual(await collect(readChatCompletionBody(pieces(recordedBytes, []), 'http://x/v1')), RECORDED_EVENTS);
    });

    it('gives the same events when the bytes are cut at every boundary, including inside UTF-8 characters', async () => {
      for (let cut = 0; cut <= recordedBytes.length; cut++) {
        assert.deepEqual(await collect(readChatCompletionBody(pieces(recordedBytes, [cut]), 'http://x/v1')), RECORDED_EVENTS, `cut at byte ${cut}`);
      }
      const everyByte = Array.from({ length: recordedBytes.length - 1 }, (_, i) => i + 1);
      assert.deepEqual(await collect(readChatCompletionBody(pieces(recordedBytes, everyByte), 'http://x/v1')), RECORDED_EVENTS, 'one byte at a time');
    });

    it('gives the same events for pseudo-random three-way cuts', async () => {
      let seed = 12345;
      const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % recordedBytes.length;
      for (let i = 0; i < 300; i++) {
        const cuts = [next(), next()].sort((a, b) => a - b);
        assert.deepEqual(await collect(readChatCompletionBody(pieces(recordedBytes, cuts), 'http://x/v1')), RECORDED_EVENTS, `cuts at ${cuts.join(',')}`);
      }
    });

    it('accepts a stream that ends after finish_reason without [DONE]', async () => {
      const body = 'data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}\n\n';
      assert.deepEqual(await collect(readChatCompletionBody(pieces(bytesOf(body), []), 'http://x/v1')), [
        { type: 'text', text: 'hi' },
        { type: 'finish', reason: 'stop' },
      ]);
    });

    it('fails with bad-response when the stream stops before the model finished', async () => {
      const body = 'data: {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":null}]}\n\n';
      const error = await rejection(collect(readChatCompletionBody(pieces(bytesOf(body), []), 'http://x/v1')));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'bad-response');
      assert.match(error.message, /ended before the model finished/);
    });

    it('fails with bad-response on a chunk that is not JSON, quoting it', async () => {
      const error = await rejection(collect(readChatCompletionBody(pieces(bytesOf('data: {oops\n\n'), []), 'http://x/v1')));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'bad-response');
      assert.match(error.message, /not JSON: "\{oops"/);
    });

    it('handles tool-call deltas without index, names repeated in every delta and object arguments', async () => {
      const body = [
        '{"choices":[{"delta":{"tool_calls":[{"id":"c1","function":{"name":"Read","arguments":"{\\"pa"}}]}}]}',
        '{"choices":[{"delta":{"tool_calls":[{"function":{"name":"Read","arguments":"th\\":1}"}}]}}]}',
        '{"choices":[{"delta":{"tool_calls":[{"id":"c2","function":{"name":"Glob","arguments":{"pattern":"*"}}}]}}]}',
        '[DONE]',
      ]
        .map((d) => `data: ${d}\n\n`)
        .join('');
      assert.deepEqual(await collect(readChatCompletionBody(pieces(bytesOf(body), []), 'http://x/v1')), [
        { type: 'tool_call', id: 'c1', name: 'Read', argumentsJson: '{"path":1}' },
        { type: 'tool_call', id: 'c2', name: 'Glob', argumentsJson: '{"pattern":"*"}' },
        { type: 'finish', reason: 'tool_calls' },
      ]);
    });

    it('says when a body is neither a stream nor a completion', async () => {
      const error = await rejection(collect(readChatCompletionBody(pieces(bytesOf('<html><body>Login</body></html>'), []), 'http://x/v1')));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'bad-response');
      assert.match(error.message, /not a chat completion stream \(it starts with "<html>/);
    });
  });

  describe('against the replay server', () => {
    let server: ReplayServer;
    const transcripts: ReplayTranscript[] = [
      { model: 'text', turns: [{ response: { content: 'Hello there, this reply streams word by word.' } }] },
      { model: 'split-args', turns: [{ response: { tool_calls: [{ name: 'Read', arguments: { path: 'docs/ai/agents/devops-engineer/memory.md', limit: 200 } }] } }] },
      { model: 'malformed', turns: [{ response: { content: 'Running tests.', tool_calls: [{ name: 'Bash', arguments: '{"command": "npm test"' }] } }] },
      { model: 'mid-error', turns: [{ response: { content: 'Partial answer', error: { status: 503, message: 'model runner crashed', midStream: true } } }] },
      {
        model: 'http-errors',
        turns: [401, 403, 404, 429, 500, 503, 400].map((status) => ({
          response: { error: { status, message: status === 404 ? 'model "http-errors" not found, try pulling it first' : status === 400 ? 'this model does not support tools' : `status ${status}` } },
        })),
      },
      { model: 'slow', chunkDelayMs: 40, turns: [{ response: { content: Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ') } }] },
      { model: 'non-stream', ignoreStream: true, turns: [{ response: { content: 'Whole answer.', tool_calls: [{ name: 'Glob', arguments: { pattern: '**/Dockerfile' } }] } }] },
      { model: 'crlf', crlfAndComments: true, turns: [{ response: { content: 'Framed with CRLF.', tool_calls: [{ name: 'Read', arguments: { path: 'a' } }] } }] },
      { model: 'options', turns: [{ response: { content: 'ok' } }] },
      { model: 'early-stop', turns: [{ response: { content: 'one two three four' } }, { response: { content: 'again' } }] },
    ];
    const fixtureFile = path.join(fixtures, 'transcripts', 'tool-call-shapes.json');

    before(async () => {
      server = await startReplayServer([...transcripts, ...(await loadReplayTranscripts(fixtureFile))]);
    });
    after(async () => {
      await server.close();
    });

    it('streams text in several pieces and reports usage', async () => {
      const events = await collect(streamChatCompletion(request(server, 'text')));
      const texts = events.filter((e) => e.type === 'text');
      assert.ok(texts.length > 3, `expected several text events, got ${texts.length}`);
      assert.equal(texts.map((e) => e.text).join(''), 'Hello there, this reply streams word by word.');
      assert.deepEqual(events.filter((e) => e.type === 'finish'), [{ type: 'finish', reason: 'stop' }]);
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage && usage.promptTokens > 0 && usage.completionTokens > 0);
    });

    it('joins tool-call arguments that arrive split across deltas', async () => {
      const events = await collect(streamChatCompletion(request(server, 'split-args')));
      const calls = events.filter((e) => e.type === 'tool_call');
      assert.equal(calls.length, 1);
      assert.equal(calls[0]?.name, 'Read');
      assert.deepEqual(JSON.parse(calls[0]?.argumentsJson ?? ''), { path: 'docs/ai/agents/devops-engineer/memory.md', limit: 200 });
      assert.deepEqual(events[events.length - 2], { type: 'finish', reason: 'tool_calls' });
    });

    it('reports parallel tool calls in order with distinct ids, non-ASCII arguments intact', async () => {
      const events = await collect(
        streamChatCompletion(request(server, 'replay-parallel', { messages: [{ role: 'user', content: 'Check the Dockerfile and the CI workflow' }] })),
      );
      const calls = events.filter((e) => e.type === 'tool_call');
      assert.deepEqual(
        calls.map((c) => [c.name, JSON.parse(c.argumentsJson)]),
        [
          ['Read', { path: 'Dockerfile' }],
          ['Glob', { pattern: '.github/workflows/*.yml', note: 'naïve ✓ 🚀' }],
        ],
      );
      assert.notEqual(calls[0]?.id, calls[1]?.id);
      const finishAt = events.findIndex((e) => e.type === 'finish');
      assert.ok(finishAt > events.lastIndexOf(calls[1] as ChatStreamEvent), 'finish comes after the tool calls');
    });

    it('still reports a tool call whose arguments are not valid JSON, with the raw text', async () => {
      const events = await collect(streamChatCompletion(request(server, 'malformed')));
      assert.deepEqual(events.filter((e) => e.type === 'tool_call').map((e) => [e.name, e.argumentsJson]), [['Bash', '{"command": "npm test"']]);
      assert.throws(() => JSON.parse((events.find((e) => e.type === 'tool_call') as { argumentsJson: string }).argumentsJson));
    });

    it('throws the server error from an error chunk after the text that came before it', async () => {
      const seen: ChatStreamEvent[] = [];
      const error = await rejection(
        (async () => {
          for await (const event of streamChatCompletion(request(server, 'mid-error'))) seen.push(event);
        })(),
      );
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'server');
      assert.equal(error.status, 503);
      assert.match(error.message, /model runner crashed/);
      assert.equal(seen.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), 'Partial answer');
    });

    it('maps HTTP errors to kinds with actionable messages', async () => {
      const expected: [string, number, RegExp][] = [
        ['auth', 401, /Set API Key.*devopsAgent\.setApiKey/],
        ['auth', 403, /refused the request \(HTTP 403: status 403\)/],
        ['not-found', 404, /Model 'http-errors' was not found.*ollama pull http-errors/],
        ['rate-limit', 429, /rate-limiting/],
        ['server', 500, /failed \(HTTP 500: status 500\)/],
        ['server', 503, /Check the server's log/],
        ['bad-request', 400, /may not support tool calling/],
      ];
      for (const [kind, status, message] of expected) {
        const error = await rejection(collect(streamChatCompletion(request(server, 'http-errors'))));
        assert.ok(error instanceof ModelEndpointError, `HTTP ${status}`);
        assert.equal(error.kind, kind, `HTTP ${status}`);
        assert.equal(error.status, status);
        assert.match(error.message, message);
        assert.ok(error.message.includes(server.url), 'the message names the endpoint');
      }
    });

    it('says the base URL probably lacks /v1 when the endpoint does not exist', async () => {
      const before = server.mismatches.length;
      const error = await rejection(collect(streamChatCompletion({ ...request(server, 'text'), baseUrl: server.url.replace(/\/v1$/, '') })));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'not-found');
      assert.match(error.message, /usually ends in \/v1/);
      assert.equal(server.mismatches.length, before + 1);
      server.mismatches.splice(before);
    });

    it('answers "unreachable" with the URL and the setting when nothing listens', async () => {
      const baseUrl = `http://127.0.0.1:${await freePort()}/v1`;
      const error = await rejection(collect(streamChatCompletion({ baseUrl, model: 'm', messages: [{ role: 'user', content: 'hi' }] })));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'unreachable');
      assert.equal(error.message, `Could not reach ${baseUrl} (connection refused) — is the model server running? Set devopsAgent.openai.baseUrl to the server's address.`);
      const listError = await rejection(listModels({ baseUrl }));
      assert.ok(listError instanceof ModelEndpointError && listError.kind === 'unreachable');
    });

    it('rejects a base URL that is not an http(s) URL before sending anything', async () => {
      const error = await rejection(collect(streamChatCompletion({ baseUrl: 'localhost:11434', model: 'm', messages: [] })));
      assert.ok(error instanceof ModelEndpointError);
      assert.match(error.message, /must start with http:\/\/ or https:\/\//);
    });

    it('ends promptly with an AbortError when cancelled mid-stream', async () => {
      const controller = new AbortController();
      let texts = 0;
      const started = Date.now();
      const error = await rejection(
        (async () => {
          for await (const event of streamChatCompletion(request(server, 'slow', { signal: controller.signal }))) {
            if (event.type === 'text' && ++texts === 3) controller.abort();
          }
        })(),
      );
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'AbortError');
      assert.equal(texts, 3, 'no events after the abort');
      assert.ok(Date.now() - started < 3_000, 'a 200-word stream at 40 ms a word was cut short');
    });

    it('throws AbortError at once when the signal is already aborted', async () => {
      const error = await rejection(collect(streamChatCompletion(request(server, 'text', { signal: AbortSignal.abort() }))));
      assert.ok(error instanceof Error && error.name === 'AbortError');
    });

    it('falls back to the JSON document when the server ignores stream: true', async () => {
      const events = await collect(streamChatCompletion(request(server, 'non-stream')));
      assert.deepEqual(events, [
        { type: 'text', text: 'Whole answer.' },
        { type: 'tool_call', id: 'call_0_0', name: 'Glob', argumentsJson: '{"pattern":"**/Dockerfile"}' },
        { type: 'finish', reason: 'tool_calls' },
        events[3],
      ]);
      assert.equal(events[3]?.type, 'usage');
    });

    it('reads a live stream framed with CRLF and comment lines', async () => {
      const events = await collect(streamChatCompletion(request(server, 'crlf')));
      assert.equal(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), 'Framed with CRLF.');
      assert.deepEqual(events.find((e) => e.type === 'tool_call'), { type: 'tool_call', id: 'call_0_0', name: 'Read', argumentsJson: '{"path":"a"}' });
    });

    it('sends tools, tool_choice, max_tokens, temperature and asks for usage', async () => {
      const tools = [{ type: 'function' as const, function: { name: 'Read', description: 'Reads a file', parameters: { type: 'object', properties: { path: { type: 'string' } } } } }];
      await collect(streamChatCompletion(request(server, 'options', { tools, toolChoice: 'required', maxTokens: 256, temperature: 0.2 })));
      const body = server.requests[server.requests.length - 1] as Record<string, unknown>;
      assert.equal(body.model, 'options');
      assert.equal(body.stream, true);
      assert.deepEqual(body.stream_options, { include_usage: true });
      assert.deepEqual(body.tools, tools);
      assert.equal(body.tool_choice, 'required');
      assert.equal(body.max_tokens, 256);
      assert.equal(body.temperature, 0.2);
    });

    it('releases the connection when the consumer stops early, and the next request works', async () => {
      for await (const event of streamChatCompletion(request(server, 'early-stop'))) {
        if (event.type === 'text') break;
      }
      const events = await collect(streamChatCompletion(request(server, 'early-stop')));
      assert.equal(events.filter((e) => e.type === 'text').map((e) => (e as { text: string }).text).join(''), 'again');
    });

    it('lists the models the server offers', async () => {
      const models = await listModels({ baseUrl: `${server.url}/` });
      assert.deepEqual(
        models.map((m) => m.id),
        [...transcripts.map((t) => t.model), 'replay-parallel', 'replay-malformed'],
      );
    });

    it('played every turn it was given without a mismatch', () => {
      const unplayed = server.remaining();
      assert.deepEqual(server.mismatches, []);
      assert.equal(unplayed, 3, 'left: the second replay-parallel turn and both replay-malformed turns');
    });
  });

  describe('against other server behaviours', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0)) await cleanup();
    });

    it('sends the API key as a bearer token', async () => {
      const server = await startRawServer((req, res) => {
        if (req.headers.authorization !== 'Bearer sk-test') {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"error":{"message":"Incorrect API key provided"}}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"data":[{"id":"m1","context_length":8192},{"id":"m2","max_model_len":32768},{"id":"m1"}]}');
      });
      cleanups.push(server.close);
      assert.deepEqual(await listModels({ baseUrl: server.url, apiKey: 'sk-test' }), [
        { id: 'm1', contextLength: 8192 },
        { id: 'm2', contextLength: 32768 },
      ]);
      const error = await rejection(listModels({ baseUrl: server.url, apiKey: 'wrong' }));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'auth');
      assert.match(error.message, /Incorrect API key provided/);
    });

    it('times out a server that accepts the request but never answers, with a message saying so', async () => {
      const server = await startRawServer(() => { /* never answers */ });
      cleanups.push(server.close);
      const started = Date.now();
      const error = await rejection(drain(streamChatCompletion({ baseUrl: server.url, model: 'm', messages: [{ role: 'user', content: 'hi' }], timeoutMs: 300 })));
      assert.ok(error instanceof ModelEndpointError, String(error));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within 0\.3 s/);
      assert.ok(Date.now() - started < 5_000, 'ended promptly');
      const listed = await rejection(listModels({ baseUrl: server.url, timeoutMs: 300 }));
      assert.ok(listed instanceof ModelEndpointError);
      assert.equal(listed.kind, 'timeout');
    });

    it('times out a stream that goes silent mid-answer', async () => {
      const server = await startRawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"delta":{"content":"Partial"}}]}\n\n');
      });
      cleanups.push(server.close);
      const events: unknown[] = [];
      const error = await rejection((async () => {
        for await (const event of streamChatCompletion({ baseUrl: server.url, model: 'm', messages: [{ role: 'user', content: 'hi' }], timeoutMs: 300 })) events.push(event);
      })());
      assert.deepEqual(events, [{ type: 'text', text: 'Partial' }]);
      assert.ok(error instanceof ModelEndpointError, String(error));
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /sent nothing for 0\.3 s/);
    });

    it('stops listing models when cancelled, while the server is still silent', async () => {
      const server = await startRawServer(() => { /* never answers */ });
      cleanups.push(server.close);
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      const started = Date.now();
      const error = await rejection(listModels({ baseUrl: server.url, signal: controller.signal }));
      assert.equal((error as Error).name, 'AbortError');
      assert.ok(Date.now() - started < 5_000);
    });

    it('reports a connection that breaks mid-stream as a server error', async () => {
      const server = await startRawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: {"choices":[{"index":0,"delta":{"content":"par"},"finish_reason":null}]}\n\n', () => setTimeout(() => res.destroy(), 20));
      });
      cleanups.push(server.close);
      const seen: ChatStreamEvent[] = [];
      const error = await rejection(
        (async () => {
          for await (const event of streamChatCompletion({ baseUrl: server.url, model: 'm', messages: [{ role: 'user', content: 'hi' }] })) seen.push(event);
        })(),
      );
      assert.deepEqual(seen, [{ type: 'text', text: 'par' }]);
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'server');
      assert.match(error.message, /broke mid-response/);
    });

    it('puts Retry-After into the rate-limit message', async () => {
      const server = await startRawServer((_req, res) => {
        res.writeHead(429, { 'retry-after': '17', 'content-type': 'text/plain' }).end('slow down');
      });
      cleanups.push(server.close);
      const error = await rejection(collect(streamChatCompletion({ baseUrl: server.url, model: 'm', messages: [] })));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'rate-limit');
      assert.match(error.message, /HTTP 429: slow down.*Retry after 17 s/);
    });

    it('says /models did not return a list when it answers something else', async () => {
      const server = await startRawServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<html>router login</html>');
      });
      cleanups.push(server.close);
      const error = await rejection(listModels({ baseUrl: server.url }));
      assert.ok(error instanceof ModelEndpointError);
      assert.equal(error.kind, 'bad-response');
      assert.match(error.message, /did not return JSON/);
    });
  });
});
