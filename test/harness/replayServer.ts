import { promises as fs } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One recorded model answer, with what the request that gets it must look like. */
export interface ReplayTurn {
  expect?: {
    lastRole?: 'user' | 'tool' | 'assistant' | 'system';
    /** Text the last message must contain (every string, when a list). */
    contains?: string | string[];
    /** The tools offered must be exactly this set (order ignored). */
    toolNames?: string[];
    /** One of the tool results after the last assistant message must contain this. */
    toolResultContains?: string;
  };
  response: {
    content?: string;
    /** `arguments` as a string is sent raw (possibly malformed JSON); anything else is JSON-encoded. */
    tool_calls?: { name: string; arguments: unknown }[];
    /** An HTTP error; with `midStream` a streaming request gets status 200, the content, then an error chunk. */
    error?: { status: number; message: string; midStream?: boolean };
  };
}

export interface ReplayTranscript {
  model: string;
  turns: ReplayTurn[];
  /** Answer with one JSON document even when the request asks for a stream, as some servers do. */
  ignoreStream?: boolean;
  /** Frame the stream with CRLF line ends and `: ping` comment lines, as some proxies do. */
  crlfAndComments?: boolean;
  /** Pause between stream chunks, so a test can cancel mid-stream. */
  chunkDelayMs?: number;
}

export interface ReplayServer {
  /** http://127.0.0.1:PORT/v1 */
  readonly url: string;
  /** Every parsed chat completion request body, in arrival order. */
  readonly requests: unknown[];
  /** Every request that did not match its transcript; a passing test expects this to be empty. */
  readonly mismatches: string[];
  /** Turns not yet played, over all transcripts. */
  remaining(): number;
  close(): Promise<void>;
}

export interface ReplayServerOptions {
  port?: number;
  /** Called as each mismatch happens (the CLI prints it), besides recording it. */
  onMismatch?: (message: string) => void;
}

const MAX_REQUEST_BYTES = 64 * 1024 * 1024;

/**
 * An OpenAI-compatible endpoint on 127.0.0.1 that answers from recorded transcripts (chosen by the request's
 * `model`) and answers HTTP 409 to any request that does not match the next turn, recording why.
 * Routes: GET /v1/models, POST /v1/chat/completions (stream and not), GET /replay/status.
 */
export async function startReplayServer(transcript: ReplayTranscript | ReplayTranscript[], options: ReplayServerOptions = {}): Promise<ReplayServer> {
  const transcripts = parseReplayTranscripts(transcript);
  const cursors = new Map<string, number>(transcripts.map((t) => [t.model, 0]));
  const requests: unknown[] = [];
  const mismatches: string[] = [];
  const remaining = (): number => transcripts.reduce((sum, t) => sum + t.turns.length - (cursors.get(t.model) ?? 0), 0);

  const refuse = (res: http.ServerResponse, status: number, message: string, details: Record<string, unknown> = {}): void => {
    mismatches.push(message);
    options.onMismatch?.(message);
    sendJson(res, status, { error: { message, type: 'replay_mismatch', code: 'replay_mismatch', ...details } });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const raw = await readBody(req);
    const route = `${req.method ?? ''} ${(req.url ?? '').split('?')[0]}`;
    if (route === 'GET /v1/models') {
      sendJson(res, 200, { object: 'list', data: transcripts.map((t) => ({ id: t.model, object: 'model', created: 0, owned_by: 'replay' })) });
      return;
    }
    if (route === 'GET /replay/status') {
      sendJson(res, 200, { remaining: remaining(), mismatches });
      return;
    }
    if (route !== 'POST /v1/chat/completions') {
      refuse(res, 404, `replay: unexpected request ${route}; this server answers GET /v1/models and POST /v1/chat/completions`);
      return;
    }
    if (raw === undefined) {
      refuse(res, 409, `replay: request body larger than ${MAX_REQUEST_BYTES} bytes`);
      return;
    }
    let body: Record<string, unknown> | undefined;
    try {
      body = asRecord(JSON.parse(raw));
    } catch {
      body = undefined;
    }
    if (!body) {
      refuse(res, 409, `replay: request body is not a JSON object: ${JSON.stringify(raw.slice(0, 200))}`);
      return;
    }
    requests.push(body);
    const model = typeof body.model === 'string' ? body.model : '';
    const script = transcripts.find((t) => t.model === model);
    if (!script) {
      refuse(res, 409, `replay: request for model ${JSON.stringify(model)}, but the transcripts serve ${transcripts.map((t) => JSON.stringify(t.model)).join(', ')}`);
      return;
    }
    const position = cursors.get(model) ?? 0;
    const turn = script.turns[position];
    const got = describeRequest(body);
    if (!turn) {
      refuse(res, 409, `replay (model ${model}): transcript exhausted after ${script.turns.length} turns, but another request came (last message ${got.lastRole}: ${JSON.stringify(got.lastText.slice(0, 200))})`, { got });
      return;
    }
    const problems = [...conversationProblems(body.messages), ...expectationProblems(turn, got)];
    if (problems.length > 0) {
      refuse(res, 409, `replay (model ${model}, turn ${position}): ${problems.join('; ')}`, { expected: turn.expect ?? {}, got });
      return;
    }
    cursors.set(model, position + 1);
    const error = turn.response.error;
    const streaming = body.stream === true && !script.ignoreStream;
    if (error && !(error.midStream && streaming)) {
      sendJson(res, error.status, { error: { message: error.message, type: 'replay_error', code: error.status } });
      return;
    }
    const calls = (turn.response.tool_calls ?? []).map((call, k) => ({
      id: `call_${position}_${k}`,
      name: call.name,
      argumentsJson: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
    }));
    const content = turn.response.content ?? '';
    const usage = {
      prompt_tokens: Math.ceil(JSON.stringify(body.messages ?? []).length / 4),
      completion_tokens: Math.max(1, Math.ceil((content.length + calls.reduce((n, c) => n + c.name.length + c.argumentsJson.length, 0)) / 4)),
    };
    const finishReason = calls.length > 0 ? 'tool_calls' : 'stop';
    const base = { id: `replay-${model}-${position}`, created: 0, model };
    if (!streaming) {
      sendJson(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [
          {
            index: 0,
            finish_reason: finishReason,
            message: {
              role: 'assistant',
              content: turn.response.content ?? null,
              ...(calls.length > 0 ? { tool_calls: calls.map((c) => ({ id: c.id, type: 'function', function: { name: c.name, arguments: c.argumentsJson } })) } : {}),
            },
          },
        ],
        usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
      });
      return;
    }
    const includeUsage = asRecord(body.stream_options)?.include_usage === true;
    await streamAnswer(res, script, base, content, calls, finishReason, includeUsage ? usage : undefined, error?.midStream ? error : undefined);
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const message = `replay: internal error: ${error instanceof Error ? error.message : String(error)}`;
      mismatches.push(message);
      if (!res.headersSent) sendJson(res, 500, { error: { message } });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    mismatches,
    remaining,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

interface RequestSummary {
  lastRole: string;
  lastText: string;
  toolNames: string[];
  toolResults: string[];
}

async function streamAnswer(
  res: http.ServerResponse,
  script: ReplayTranscript,
  base: Record<string, unknown>,
  content: string,
  calls: { id: string; name: string; argumentsJson: string }[],
  finishReason: string,
  usage: { prompt_tokens: number; completion_tokens: number } | undefined,
  midStreamError: { status: number; message: string } | undefined,
): Promise<void> {
  const eol = script.crlfAndComments ? '\r\n' : '\n';
  let gone = false;
  res.once('close', () => (gone = true));
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  const frames: string[] = [];
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): void => {
    frames.push(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}`);
  };
  chunk({ role: 'assistant', content: '' });
  for (const word of content.match(/\s*\S+\s*|\s+/g) ?? []) chunk({ content: word });
  if (midStreamError) {
    frames.push(`data: ${JSON.stringify({ error: { message: midStreamError.message, code: midStreamError.status } })}`);
  } else {
    calls.forEach((call, index) => {
      // Arguments arrive in pieces across deltas, as real servers send them.
      const pieces = splitInPieces(call.argumentsJson, 3);
      pieces.forEach((piece, p) =>
        chunk({ tool_calls: [p === 0 ? { index, id: call.id, type: 'function', function: { name: call.name, arguments: piece } } : { index, function: { arguments: piece } }] }),
      );
    });
    chunk({}, finishReason);
    if (usage) frames.push(`data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } })}`);
    frames.push('data: [DONE]');
  }
  for (const frame of frames) {
    if (gone) return;
    if (script.crlfAndComments) res.write(`: ping${eol}`);
    res.write(`${frame}${eol}${eol}`);
    if (script.chunkDelayMs) await new Promise((resolve) => setTimeout(resolve, script.chunkDelayMs));
  }
  res.end();
}

function splitInPieces(text: string, count: number): string[] {
  const chars = Array.from(text);
  if (chars.length === 0) return [''];
  const size = Math.max(1, Math.ceil(chars.length / count));
  const pieces: string[] = [];
  for (let i = 0; i < chars.length; i += size) pieces.push(chars.slice(i, i + size).join(''));
  return pieces;
}

function describeRequest(body: Record<string, unknown>): RequestSummary {
  const messages = Array.isArray(body.messages) ? body.messages.map(asRecord) : [];
  const last = messages[messages.length - 1];
  const tools = Array.isArray(body.tools) ? body.tools.map(asRecord) : [];
  const lastAssistant = messages.map((m) => m?.role).lastIndexOf('assistant');
  return {
    lastRole: typeof last?.role === 'string' ? last.role : '(none)',
    lastText: textOf(last?.content),
    toolNames: tools.map((t) => asRecord(t?.function)?.name).filter((n): n is string => typeof n === 'string'),
    toolResults: messages.slice(lastAssistant + 1).filter((m) => m?.role === 'tool').map((m) => textOf(m?.content)),
  };
}

function expectationProblems(turn: ReplayTurn, got: RequestSummary): string[] {
  const expect = turn.expect;
  if (!expect) return [];
  const problems: string[] = [];
  if (expect.lastRole !== undefined && expect.lastRole !== got.lastRole) problems.push(`expected the last message's role to be ${expect.lastRole}, got ${got.lastRole}`);
  const needles = expect.contains === undefined ? [] : Array.isArray(expect.contains) ? expect.contains : [expect.contains];
  for (const needle of needles) {
    if (!got.lastText.includes(needle)) problems.push(`expected the last message to contain ${JSON.stringify(needle)}, got ${JSON.stringify(got.lastText.slice(0, 300))}`);
  }
  if (expect.toolNames !== undefined) {
    const wanted = new Set(expect.toolNames);
    const offered = new Set(got.toolNames);
    const missing = [...wanted].filter((n) => !offered.has(n));
    const extra = [...offered].filter((n) => !wanted.has(n));
    if (missing.length > 0 || extra.length > 0) {
      problems.push(`expected tools [${[...wanted].sort().join(', ')}], got [${[...offered].sort().join(', ')}]${missing.length ? ` (missing: ${missing.join(', ')})` : ''}${extra.length ? ` (unexpected: ${extra.join(', ')})` : ''}`);
    }
  }
  if (expect.toolResultContains !== undefined && !got.toolResults.some((r) => r.includes(expect.toolResultContains ?? ''))) {
    problems.push(
      got.toolResults.length === 0
        ? `expected a tool result containing ${JSON.stringify(expect.toolResultContains)}, but no tool results follow the last assistant message`
        : `expected a tool result containing ${JSON.stringify(expect.toolResultContains)}, got ${JSON.stringify(got.toolResults.map((r) => r.slice(0, 200)))}`,
    );
  }
  return problems;
}

/** The rules real servers enforce: every tool call answered by a tool message with its id, before anything else. */
function conversationProblems(value: unknown): string[] {
  if (!Array.isArray(value) || value.length === 0) return ['messages must be a non-empty array'];
  const problems: string[] = [];
  let open: Set<string> | undefined;
  value.forEach((entry, i) => {
    const message = asRecord(entry);
    const role = message?.role;
    if (!message || (role !== 'system' && role !== 'user' && role !== 'assistant' && role !== 'tool')) {
      problems.push(`messages[${i}] has no valid role (got ${JSON.stringify(role)})`);
      return;
    }
    if (role === 'tool') {
      const id = message.tool_call_id;
      if (typeof id !== 'string' || !open?.has(id)) {
        problems.push(`messages[${i}] is a tool result for ${JSON.stringify(id)}, which no pending assistant tool call has`);
      } else {
        open.delete(id);
      }
      return;
    }
    if (open && open.size > 0) problems.push(`messages[${i}] (${role}) comes before tool results for ${[...open].join(', ')}`);
    open = undefined;
    if (role === 'assistant' && Array.isArray(message.tool_calls)) {
      open = new Set();
      for (const call of message.tool_calls.map(asRecord)) {
        const id = call?.id;
        if (typeof id !== 'string' || typeof asRecord(call?.function)?.name !== 'string') problems.push(`messages[${i}] has a tool call without id or function name`);
        else open.add(id);
      }
    }
  });
  if (open && open.size > 0) problems.push(`the conversation ends with unanswered tool calls ${[...open].join(', ')}`);
  return problems;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part) => (typeof asRecord(part)?.text === 'string' ? (asRecord(part)?.text as string) : '')).join('');
  return content === undefined || content === null ? '' : JSON.stringify(content);
}

/** Validates transcripts (from JSON files or code), with errors that point at the bad field. */
export function parseReplayTranscripts(value: unknown, source = 'transcript'): ReplayTranscript[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new Error(`${source}: no transcripts`);
  const models = new Set<string>();
  return list.map((entry, t) => {
    const where = Array.isArray(value) ? `${source}[${t}]` : source;
    const script = asRecord(entry);
    if (!script) throw new Error(`${where} must be an object with "model" and "turns"`);
    if (typeof script.model !== 'string' || script.model === '') throw new Error(`${where}.model must be a non-empty string`);
    if (models.has(script.model)) throw new Error(`${where}.model ${JSON.stringify(script.model)} appears twice; each transcript needs its own model id`);
    models.add(script.model);
    if (!Array.isArray(script.turns)) throw new Error(`${where}.turns must be an array`);
    script.turns.forEach((turn, i) => checkTurn(turn, `${where}.turns[${i}]`));
    if (script.chunkDelayMs !== undefined && (typeof script.chunkDelayMs !== 'number' || script.chunkDelayMs < 0)) throw new Error(`${where}.chunkDelayMs must be a non-negative number`);
    return script as unknown as ReplayTranscript;
  });
}

function checkTurn(value: unknown, where: string): void {
  const turn = asRecord(value);
  if (!turn) throw new Error(`${where} must be an object with "response"`);
  const expect = turn.expect === undefined ? undefined : asRecord(turn.expect);
  if (turn.expect !== undefined && !expect) throw new Error(`${where}.expect must be an object`);
  if (expect) {
    if (expect.lastRole !== undefined && !['user', 'tool', 'assistant', 'system'].includes(expect.lastRole as string)) throw new Error(`${where}.expect.lastRole must be user, tool, assistant or system`);
    const contains = expect.contains;
    if (contains !== undefined && typeof contains !== 'string' && !(Array.isArray(contains) && contains.every((c) => typeof c === 'string'))) throw new Error(`${where}.expect.contains must be a string or a list of strings`);
    if (expect.toolNames !== undefined && !(Array.isArray(expect.toolNames) && expect.toolNames.every((c) => typeof c === 'string'))) throw new Error(`${where}.expect.toolNames must be a list of strings`);
    if (expect.toolResultContains !== undefined && typeof expect.toolResultContains !== 'string') throw new Error(`${where}.expect.toolResultContains must be a string`);
  }
  const response = asRecord(turn.response);
  if (!response) throw new Error(`${where}.response must be an object`);
  if (response.content !== undefined && typeof response.content !== 'string') throw new Error(`${where}.response.content must be a string`);
  if (response.tool_calls !== undefined) {
    if (!Array.isArray(response.tool_calls)) throw new Error(`${where}.response.tool_calls must be an array`);
    response.tool_calls.forEach((call, k) => {
      if (typeof asRecord(call)?.name !== 'string') throw new Error(`${where}.response.tool_calls[${k}].name must be a string`);
    });
  }
  if (response.error !== undefined) {
    const error = asRecord(response.error);
    if (!error || typeof error.status !== 'number' || error.status < 100 || error.status > 599 || typeof error.message !== 'string') {
      throw new Error(`${where}.response.error must be {"status": 100..599, "message": string}`);
    }
  }
  if (response.content === undefined && response.tool_calls === undefined && response.error === undefined) {
    throw new Error(`${where}.response needs content, tool_calls or error`);
  }
}

/** Reads and validates a transcript file (one transcript or a list). */
export async function loadReplayTranscripts(file: string): Promise<ReplayTranscript[]> {
  const text = await fs.readFile(file, 'utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  return parseReplayTranscripts(parsed, file);
}

/** `node replayServer.js TRANSCRIPT.json [PORT]`: prints the URL, logs mismatches, exits 1 on SIGTERM/SIGINT if any. */
export async function runReplayServerCli(args: readonly string[]): Promise<void> {
  const [file, portText] = args;
  const port = portText === undefined ? 0 : Number(portText);
  if (!file || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: node replayServer.js TRANSCRIPT.json [PORT]\n');
    process.exitCode = 2;
    return;
  }
  let server: ReplayServer;
  try {
    server = await startReplayServer(await loadReplayTranscripts(file), { port, onMismatch: (m) => process.stderr.write(`${m}\n`) });
  } catch (error) {
    process.stderr.write(`replay: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(`${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => {
      process.stderr.write(`replay: ${server.requests.length} requests, ${server.mismatches.length} mismatches, ${server.remaining()} turns unplayed\n`);
      process.exit(server.mismatches.length > 0 ? 1 : 0);
    });
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res: http.ServerResponse, status: number, value: unknown): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

if (require.main === module) void runReplayServerCli(process.argv.slice(2));
