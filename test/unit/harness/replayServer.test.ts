import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ReplayServer, ReplayTranscript } from '../../harness/replayServer';
import { loadReplayTranscripts, parseReplayTranscripts, startReplayServer } from '../../harness/replayServer';

const repoRoot = path.resolve(__dirname, '..', '..', '..', '..');
const transcriptsDir = path.join(repoRoot, 'test', 'fixtures', 'transcripts');
const replayScript = path.join(repoRoot, 'out', 'test', 'harness', 'replayServer.js');

type Json = Record<string, unknown>;

async function post(server: ReplayServer, body: Json): Promise<{ status: number; text: string }> {
  const response = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

function sseData(text: string): Json[] {
  return text
    .split('\n\n')
    .map((frame) => frame.replace(/^data: /, ''))
    .filter((data) => data !== '' && data !== '[DONE]')
    .map((data) => JSON.parse(data) as Json);
}

function deltas(chunks: Json[]): Json[] {
  return chunks.flatMap((c) => (c.choices as Json[]).map((choice) => choice.delta as Json));
}

const user = (content: string): Json => ({ role: 'user', content });

describe('harness/replayServer', () => {
  const servers: ReplayServer[] = [];
  const start = async (transcripts: ReplayTranscript | ReplayTranscript[]): Promise<ReplayServer> => {
    const server = await startReplayServer(transcripts);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('lists the transcripts\' models at GET /v1/models', async () => {
    const server = await start([
      { model: 'a', turns: [] },
      { model: 'b', turns: [] },
    ]);
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const response = await fetch(`${server.url}/models`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as { object: string; data: { id: string }[] };
    assert.equal(body.object, 'list');
    assert.deepEqual(body.data.map((m) => m.id), ['a', 'b']);
  });

  it('streams content word by word, tool-call arguments in pieces, usage on request, then [DONE]', async () => {
    const server = await start({
      model: 'm',
      turns: [{ response: { content: 'Three short words', tool_calls: [{ name: 'Read', arguments: { path: 'README.md' } }] } }],
    });
    const { status, text } = await post(server, { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [user('hi')] });
    assert.equal(status, 200);
    assert.ok(text.trimEnd().endsWith('data: [DONE]'));
    const chunks = sseData(text);
    const all = deltas(chunks);
    assert.deepEqual(all.filter((d) => typeof d.content === 'string' && d.content !== '').map((d) => d.content), ['Three ', 'short ', 'words']);
    const toolDeltas = all.filter((d) => Array.isArray(d.tool_calls)).map((d) => (d.tool_calls as Json[])[0] as Json);
    assert.equal(toolDeltas.length, 3, 'arguments split over three deltas');
    const first = toolDeltas[0] as Json;
    assert.deepEqual([first.index, first.id, first.type, (first.function as Json).name], [0, 'call_0_0', 'function', 'Read']);
    assert.ok(toolDeltas.slice(1).every((d) => d.index === 0 && d.id === undefined), 'later deltas carry only the index and more arguments');
    assert.equal(toolDeltas.map((d) => (d.function as Json).arguments).join(''), '{"path":"README.md"}');
    assert.equal(((chunks[chunks.length - 2]?.choices as Json[])[0] as Json).finish_reason, 'tool_calls');
    assert.ok(chunks[chunks.length - 1]?.usage, 'the last chunk carries usage');
    assert.deepEqual(server.mismatches, []);
    assert.equal(server.remaining(), 0);
  });

  it('leaves usage out unless stream_options.include_usage is set', async () => {
    const server = await start({ model: 'm', turns: [{ response: { content: 'x' } }] });
    const { text } = await post(server, { model: 'm', stream: true, messages: [user('hi')] });
    assert.equal(sseData(text).some((c) => c.usage !== undefined), false);
  });

  it('answers a non-stream request with one chat.completion document', async () => {
    const server = await start({ model: 'm', turns: [{ response: { content: 'Hi.', tool_calls: [{ name: 'Glob', arguments: '{"pattern":' }] } }] });
    const { status, text } = await post(server, { model: 'm', messages: [user('hi')] });
    assert.equal(status, 200);
    const body = JSON.parse(text) as Json;
    assert.equal(body.object, 'chat.completion');
    assert.deepEqual((body.choices as Json[])[0], {
      index: 0,
      finish_reason: 'tool_calls',
      message: { role: 'assistant', content: 'Hi.', tool_calls: [{ id: 'call_0_0', type: 'function', function: { name: 'Glob', arguments: '{"pattern":' } }] },
    });
  });

  it('picks the transcript by model and keeps a separate position in each', async () => {
    const server = await start([
      { model: 'alpha', turns: [{ response: { content: 'alpha one' } }, { response: { content: 'alpha two' } }] },
      { model: 'beta', turns: [{ response: { content: 'beta one' } }] },
    ]);
    const contentOf = async (model: string): Promise<unknown> => ((JSON.parse((await post(server, { model, messages: [user('x')] })).text) as { choices: { message: { content: unknown } }[] }).choices[0]?.message.content);
    assert.equal(await contentOf('alpha'), 'alpha one');
    assert.equal(await contentOf('beta'), 'beta one');
    assert.equal(await contentOf('alpha'), 'alpha two');
    assert.equal(server.remaining(), 0);
    assert.deepEqual(server.mismatches, []);
    assert.equal(server.requests.length, 3);
  });

  it('answers 409 with expected and got on a mismatch, records it, and does not advance', async () => {
    const server = await start({ model: 'm', turns: [{ expect: { lastRole: 'user', contains: ['README', 'Dockerfile'] }, response: { content: 'ok' } }] });
    const { status, text } = await post(server, { model: 'm', stream: true, messages: [user('Explain the README')] });
    assert.equal(status, 409);
    const error = (JSON.parse(text) as { error: Json }).error;
    assert.equal(error.type, 'replay_mismatch');
    assert.match(error.message as string, /\(model m, turn 0\): expected the last message to contain "Dockerfile", got "Explain the README"/);
    assert.deepEqual(error.expected, { lastRole: 'user', contains: ['README', 'Dockerfile'] });
    assert.equal((error.got as Json).lastText, 'Explain the README');
    assert.equal(server.mismatches.length, 1);
    assert.equal(server.mismatches[0], error.message);
    assert.equal(server.remaining(), 1, 'the turn is still waiting');
    assert.equal((await post(server, { model: 'm', messages: [user('README and Dockerfile')] })).status, 200);
    assert.equal(server.remaining(), 0);
  });

  it('checks the last role, the offered tool set and the tool results', async () => {
    const server = await start({
      model: 'm',
      turns: [{ expect: { lastRole: 'tool', toolNames: ['Read', 'Grep'], toolResultContains: 'FROM node:20' }, response: { content: 'ok' } }],
    });
    const tools = ['Read', 'Bash'].map((name) => ({ type: 'function', function: { name, description: name, parameters: { type: 'object', properties: {} } } }));
    const messages = [
      user('check'),
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: 'FROM node:18' },
      user('and?'),
    ];
    const { status, text } = await post(server, { model: 'm', tools, messages });
    assert.equal(status, 409);
    const message = (JSON.parse(text) as { error: { message: string } }).error.message;
    assert.match(message, /expected the last message's role to be tool, got user/);
    assert.match(message, /expected tools \[Grep, Read\], got \[Bash, Read\] \(missing: Grep\) \(unexpected: Bash\)/);
    assert.match(message, /expected a tool result containing "FROM node:20", got \["FROM node:18"\]/);
    assert.equal(server.mismatches.length, 1);
  });

  it('refuses conversations a real server would reject: tool results without a call, calls without results', async () => {
    const server = await start({ model: 'm', turns: [{ response: { content: 'ok' } }] });
    const call = { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'Read', arguments: '{}' } }] };
    const orphan = await post(server, { model: 'm', messages: [user('x'), { role: 'tool', tool_call_id: 'zz', content: 'r' }] });
    assert.equal(orphan.status, 409);
    assert.match(orphan.text, /messages\[1\] is a tool result for \\"zz\\", which no pending assistant tool call has/);
    const unanswered = await post(server, { model: 'm', messages: [user('x'), call, user('next')] });
    assert.match(unanswered.text, /messages\[2\] \(user\) comes before tool results for c1/);
    const empty = await post(server, { model: 'm', messages: [] });
    assert.match(empty.text, /messages must be a non-empty array/);
    assert.equal(server.mismatches.length, 3);
    assert.equal((await post(server, { model: 'm', messages: [user('x'), call, { role: 'tool', tool_call_id: 'c1', content: 'r' }] })).status, 200);
  });

  it('records unknown models, exhausted transcripts, bad JSON and unknown routes as mismatches', async () => {
    const server = await start({ model: 'm', turns: [{ response: { content: 'once' } }] });
    assert.equal((await post(server, { model: 'other', messages: [user('x')] })).status, 409);
    assert.equal((await post(server, { model: 'm', messages: [user('x')] })).status, 200);
    const exhausted = await post(server, { model: 'm', messages: [user('one more')] });
    assert.equal(exhausted.status, 409);
    const badJson = await fetch(`${server.url}/chat/completions`, { method: 'POST', body: '{nope' });
    assert.equal(badJson.status, 409);
    assert.equal((await fetch(`${server.url}/embeddings`, { method: 'POST', body: '{}' })).status, 404);
    assert.deepEqual(
      server.mismatches.map((m) => m.replace(/:.*$/s, '')),
      ['replay', 'replay (model m)', 'replay', 'replay'],
    );
    assert.match(server.mismatches[0] ?? '', /model "other", but the transcripts serve "m"/);
    assert.match(server.mismatches[1] ?? '', /transcript exhausted after 1 turns.*one more/);
    assert.match(server.mismatches[3] ?? '', /unexpected request POST \/v1\/embeddings/);
  });

  it('answers recorded HTTP errors with OpenAI-style error bodies', async () => {
    const server = await start({ model: 'm', turns: [{ response: { error: { status: 429, message: 'Rate limit reached' } } }] });
    const { status, text } = await post(server, { model: 'm', stream: true, messages: [user('x')] });
    assert.equal(status, 429);
    assert.equal((JSON.parse(text) as { error: { message: string } }).error.message, 'Rate limit reached');
    assert.deepEqual(server.mismatches, []);
  });

  it('reports its state at GET /replay/status', async () => {
    const server = await start({ model: 'm', turns: [{ response: { content: 'x' } }] });
    await post(server, { model: 'nope', messages: [user('x')] });
    const status = (await (await fetch(server.url.replace(/\/v1$/, '/replay/status'))).json()) as { remaining: number; mismatches: string[] };
    assert.equal(status.remaining, 1);
    assert.equal(status.mismatches.length, 1);
  });

  it('validates transcripts with errors that point at the bad field', () => {
    assert.throws(() => parseReplayTranscripts({ turns: [] }), /transcript\.model must be a non-empty string/);
    assert.throws(() => parseReplayTranscripts([{ model: 'a', turns: [] }, { model: 'a', turns: [] }]), /transcript\[1\]\.model "a" appears twice/);
    assert.throws(() => parseReplayTranscripts({ model: 'a', turns: [{ response: {} }] }), /turns\[0\]\.response needs content, tool_calls or error/);
    assert.throws(() => parseReplayTranscripts({ model: 'a', turns: [{ response: { tool_calls: [{ arguments: {} }] } }] }), /tool_calls\[0\]\.name must be a string/);
    assert.throws(() => parseReplayTranscripts({ model: 'a', turns: [{ expect: { lastRole: 'robot' }, response: { content: 'x' } }] }), /lastRole must be/);
    assert.throws(() => parseReplayTranscripts({ model: 'a', turns: [{ response: { error: { status: 42, message: 'x' } } }] }), /error must be/);
    assert.throws(() => parseReplayTranscripts([]), /no transcripts/);
  });

  it('loads every fixture transcript', async () => {
    const files = fs.readdirSync(transcriptsDir).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 2);
    for (const file of files) assert.ok((await loadReplayTranscripts(path.join(transcriptsDir, file))).length >= 1, file);
  });

  describe('command line', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'replay-cli-'));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    async function runCli(args: string[], use: (url: string) => Promise<void>): Promise<{ code: number | null; stderr: string }> {
      const child = spawn(process.execPath, [replayScript, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          stdout += d.toString();
          if (stdout.includes('\n')) resolve(stdout.trim());
        });
        child.on('exit', () => reject(new Error(`replay server exited early: ${stderr}`)));
      });
      try {
        await use(url);
      } finally {
        child.kill('SIGTERM');
      }
      return { code: await exited, stderr };
    }

    it('serves a transcript file, prints the URL and exits 0 when everything matched', async () => {
      const result = await runCli([path.join(transcriptsDir, 'read-readme.json')], async (url) => {
        assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
        const models = (await (await fetch(`${url}/models`)).json()) as { data: { id: string }[] };
        assert.deepEqual(models.data.map((m) => m.id), ['replay-devops']);
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stderr, /0 mismatches, 2 turns unplayed/);
    });

    it('prints each mismatch and exits 1', async () => {
      const result = await runCli([path.join(transcriptsDir, 'read-readme.json')], async (url) => {
        const response = await fetch(`${url}/chat/completions`, { method: 'POST', body: JSON.stringify({ model: 'replay-devops', messages: [user('hello')] }) });
        assert.equal(response.status, 409);
      });
      assert.equal(result.code, 1);
      assert.match(result.stderr, /expected the last message to contain "README"/);
    });

    it('refuses a malformed transcript file with a clear message', async () => {
      const file = path.join(dir, 'bad.json');
      fs.writeFileSync(file, '{"model": "x", "turns": [{"response": 5}]}');
      const child = spawn(process.execPath, [replayScript, file], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      assert.notEqual(code, 0);
      assert.match(stderr, /bad\.json\.turns\[0\]\.response must be an object/);
    });
  });
});
