import { SseParser } from './sseParser';
import { errorMessage } from '../errors/errorText';

export interface OpenAiToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface OpenAiChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string | null;
  tool_calls?: OpenAiToolCall[];
  tool_call_id?: string;
  name?: string;
}

export interface OpenAiToolSpec {
  type: 'function';
  function: { name: string; description: string; parameters: object };
}

/**
 * What a chat completion stream produces. Tool calls are emitted whole, once the model has finished them;
 * `argumentsJson` is the raw text the model produced and may not be valid JSON (the caller decides).
 */
export type ChatStreamEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_call'; id: string; name: string; argumentsJson: string }
  | { type: 'usage'; promptTokens: number; completionTokens: number }
  | { type: 'finish'; reason: string };

export type ModelEndpointErrorKind =
  | 'unreachable'
  | 'auth'
  | 'not-found'
  | 'rate-limit'
  | 'server'
  | 'bad-request'
  | 'bad-response'
  | 'timeout';

/** A failure talking to the model server; the message says what to do about it. */
export class ModelEndpointError extends Error {
  override readonly name = 'ModelEndpointError';
  readonly kind: ModelEndpointErrorKind;
  readonly status?: number;

  constructor(kind: ModelEndpointErrorKind, message: string, status?: number) {
    super(message);
    this.kind = kind;
    if (status !== undefined) this.status = status;
  }
}

export interface ChatCompletionOptions {
  /** The OpenAI-compatible base URL, usually ending in /v1 (Ollama: http://127.0.0.1:11434/v1). */
  baseUrl: string;
  apiKey?: string;
  model: string;
  messages: OpenAiChatMessage[];
  tools?: OpenAiToolSpec[];
  toolChoice?: 'auto' | 'required';
  maxTokens?: number;
  temperature?: number;
  /** Aborting ends the stream promptly; the generator then throws an error named 'AbortError'. */
  signal?: AbortSignal;
  /**
   * How long the server may take to start answering, and then stay silent between two pieces of the answer, before
   * the request fails with a `timeout` error (default 120 s: a local server may first load the model).
   */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}

const CHAT_TIMEOUT_MS = 120_000;
const LIST_MODELS_TIMEOUT_MS = 15_000;

/** Aborts a request's controller when the server keeps it waiting too long; says which wait it was. */
class Watchdog {
  expired: 'answer' | 'silence' | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly ms: number, private readonly controller: AbortController) {}

  arm(wait: 'answer' | 'silence'): void {
    this.stop();
    this.timer = setTimeout(() => {
      this.expired = wait;
      this.controller.abort(new Error(`timed out waiting for the ${wait === 'answer' ? 'answer' : 'next part of the answer'}`));
    }, this.ms);
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  error(base: string): ModelEndpointError {
    const seconds = `${Number((this.ms / 1000).toFixed(1))} s`;
    return new ModelEndpointError('timeout', this.expired === 'silence'
      ? `The model server at ${base} sent nothing for ${seconds} in the middle of its answer. It may be overloaded or stuck; try again.`
      : `The model server at ${base} did not answer within ${seconds}. It may be overloaded, loading the model, or not an OpenAI-compatible server; try again or check it.`);
  }
}

export interface ListedModel {
  id: string;
  contextLength?: number;
}

const ERROR_BODY_LIMIT = 1_000;

/**
 * Streams one chat completion from an OpenAI-compatible server (`POST {baseUrl}/chat/completions`, SSE).
 * Servers that ignore `stream: true` and answer with one JSON document are handled too.
 */
export async function* streamChatCompletion(options: ChatCompletionOptions): AsyncGenerator<ChatStreamEvent> {
  const base = normalizeBaseUrl(options.baseUrl);
  const body = {
    model: options.model,
    messages: options.messages,
    stream: true,
    stream_options: { include_usage: true },
    ...(options.tools && options.tools.length > 0 ? { tools: options.tools } : {}),
    ...(options.tools && options.tools.length > 0 && options.toolChoice ? { tool_choice: options.toolChoice } : {}),
    ...(options.maxTokens !== undefined ? { max_tokens: options.maxTokens } : {}),
    ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
  };
  const outer = options.signal;
  if (outer?.aborted) throw abortErrorOf(outer);
  // Our own controller also releases the connection when the consumer stops iterating early.
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const watchdog = new Watchdog(options.timeoutMs ?? CHAT_TIMEOUT_MS, controller);
  watchdog.arm('answer');
  try {
    const response = await send(options.fetchImpl ?? fetch, `${base}/chat/completions`, base, {
      method: 'POST',
      headers: requestHeaders(options.apiKey, { 'content-type': 'application/json', accept: 'text/event-stream, application/json' }),
      body: JSON.stringify(body),
      signal: controller.signal,
    });
    if (!response.ok) throw await httpError(response, base, options.model);
    if (!response.body) throw new ModelEndpointError('bad-response', `The model server at ${base} answered with an empty body.`);
    watchdog.stop();
    yield* readChatCompletionBody(responseChunks(response.body, base, watchdog), base);
  } catch (error) {
    if (outer?.aborted) throw abortErrorOf(outer);
    if (watchdog.expired !== undefined) throw watchdog.error(base);
    throw error;
  } finally {
    watchdog.stop();
    outer?.removeEventListener('abort', onAbort);
    controller.abort();
  }
}

/** `GET {baseUrl}/models`: the model ids the server offers, with their context length when it says. */
export async function listModels(options: {
  baseUrl: string;
  apiKey?: string;
  signal?: AbortSignal;
  /** The whole request, answer included, must be done within this (default 15 s). */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
}): Promise<ListedModel[]> {
  const base = normalizeBaseUrl(options.baseUrl);
  const outer = options.signal;
  if (outer?.aborted) throw abortErrorOf(outer);
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(outer?.reason);
  outer?.addEventListener('abort', onAbort, { once: true });
  const watchdog = new Watchdog(options.timeoutMs ?? LIST_MODELS_TIMEOUT_MS, controller);
  watchdog.arm('answer');
  let text: string;
  try {
    const response = await send(options.fetchImpl ?? fetch, `${base}/models`, base, {
      method: 'GET',
      headers: requestHeaders(options.apiKey, { accept: 'application/json' }),
      signal: controller.signal,
    });
    if (!response.ok) throw await httpError(response, base, undefined);
    text = await response.text();
  } catch (error) {
    if (outer?.aborted) throw abortErrorOf(outer);
    if (watchdog.expired !== undefined) throw watchdog.error(base);
    throw error;
  } finally {
    watchdog.stop();
    outer?.removeEventListener('abort', onAbort);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelEndpointError('bad-response', `${base}/models did not return JSON (got ${JSON.stringify(text.slice(0, 200))}). Is ${base} an OpenAI-compatible base URL?`);
  }
  const record = asRecord(parsed);
  const list = Array.isArray(parsed) ? parsed : Array.isArray(record?.data) ? record.data : Array.isArray(record?.models) ? record.models : undefined;
  if (!list) {
    throw new ModelEndpointError('bad-response', `${base}/models did not return a model list (expected {"data": [...]}, got ${JSON.stringify(text.slice(0, 200))}).`);
  }
  const seen = new Set<string>();
  const models: ListedModel[] = [];
  for (const entry of list) {
    const item = asRecord(entry);
    const id = asString(item?.id) ?? asString(item?.name) ?? asString(item?.model);
    if (!item || !id || seen.has(id)) continue;
    seen.add(id);
    const contextLength = firstPositiveInteger(item.context_length, item.max_model_len, item.context_window, item.max_context_length, asRecord(item.meta)?.n_ctx_train);
    models.push(contextLength !== undefined ? { id, contextLength } : { id });
  }
  return models;
}

/**
 * Turns a response body (bytes, cut anywhere) into chat stream events. Exported so the parsing can be
 * exercised on recorded bytes split at every boundary.
 */
export async function* readChatCompletionBody(chunks: AsyncIterable<Uint8Array>, endpoint: string): AsyncGenerator<ChatStreamEvent> {
  const decoder = new TextDecoder();
  const parser = new SseParser();
  const state = new CompletionStreamState(endpoint);
  let format: 'unknown' | 'sse' | 'json' = 'unknown';
  let held = '';
  for await (const chunk of chunks) {
    let text = decoder.decode(chunk, { stream: true });
    if (format === 'unknown') {
      held += text;
      const start = held.trimStart();
      if (start === '') continue;
      format = start.startsWith('{') ? 'json' : 'sse';
      state.noteFirstText(start);
      text = held;
      held = '';
    }
    if (format === 'json') {
      held += text;
      continue;
    }
    for (const event of parser.push(text)) {
      yield* state.accept(event.data);
      if (state.done) return;
    }
  }
  const tail = decoder.decode();
  if (format === 'json') {
    yield* eventsFromCompletionDocument(held + tail, endpoint);
    return;
  }
  for (const event of [...parser.push(tail), ...parser.end()]) {
    yield* state.accept(event.data);
    if (state.done) return;
  }
  yield* state.end();
}

interface PartialToolCall {
  id: string;
  name: string;
  argumentsJson: string;
}

/** Accumulates one SSE completion: text passes straight through, tool-call deltas are joined per index. */
class CompletionStreamState {
  done = false;
  private readonly calls = new Map<number, PartialToolCall>();
  private lastCallIndex = -1;
  private finished = false;
  private sawEvent = false;
  private firstText = '';
  private usage: ChatStreamEvent | undefined;

  constructor(private readonly endpoint: string) {}

  noteFirstText(text: string): void {
    this.firstText = text.slice(0, 200);
  }

  accept(data: string): ChatStreamEvent[] {
    this.sawEvent = true;
    const trimmed = data.trim();
    if (trimmed === '') return [];
    if (trimmed === '[DONE]') return this.complete();
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      throw new ModelEndpointError('bad-response', `The model server at ${this.endpoint} sent a stream chunk that is not JSON: ${JSON.stringify(data.slice(0, 200))}.`);
    }
    const chunk = asRecord(parsed);
    if (!chunk) return [];
    if (chunk.error !== undefined && chunk.error !== null) throw streamError(chunk.error, this.endpoint);
    const usage = usageEvent(chunk.usage);
    if (usage) this.usage = usage;
    const events: ChatStreamEvent[] = [];
    const choices = Array.isArray(chunk.choices) ? chunk.choices.map(asRecord) : [];
    const choice = choices.find((c) => c !== undefined && (c.index === undefined || c.index === 0));
    if (!choice) return events;
    const delta = asRecord(choice.delta) ?? asRecord(choice.message);
    const content = asString(delta?.content);
    if (content) events.push({ type: 'text', text: content });
    if (Array.isArray(delta?.tool_calls) && !this.finished) {
      for (const raw of delta.tool_calls) this.addToolCallDelta(asRecord(raw));
    }
    const reason = asString(choice.finish_reason);
    if (reason && !this.finished) {
      this.finished = true;
      events.push(...this.flushToolCalls(), { type: 'finish', reason });
    }
    return events;
  }

  end(): ChatStreamEvent[] {
    if (this.finished) return this.complete();
    if (!this.sawEvent) {
      throw new ModelEndpointError('bad-response', `The response from ${this.endpoint} is not a chat completion stream (it starts with ${JSON.stringify(this.firstText)}). Is this an OpenAI-compatible base URL?`);
    }
    throw new ModelEndpointError('bad-response', `The stream from ${this.endpoint} ended before the model finished (no finish_reason and no [DONE]); the connection may have dropped. Try again.`);
  }

  private complete(): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [];
    if (!this.finished) {
      const reason = this.calls.size > 0 ? 'tool_calls' : 'stop';
      this.finished = true;
      events.push(...this.flushToolCalls(), { type: 'finish', reason });
    }
    if (this.usage) events.push(this.usage);
    this.usage = undefined;
    this.done = true;
    return events;
  }

  private addToolCallDelta(delta: Record<string, unknown> | undefined): void {
    if (!delta) return;
    const fn = asRecord(delta.function);
    const id = asString(delta.id);
    let index = typeof delta.index === 'number' ? delta.index : undefined;
    if (index === undefined) {
      // Servers that omit `index` either repeat the id or send it only in the first delta of a call.
      const known = id ? [...this.calls.entries()].find(([, call]) => call.id === id)?.[0] : undefined;
      index = known ?? (id || this.lastCallIndex < 0 ? Math.max(-1, ...this.calls.keys()) + 1 : this.lastCallIndex);
    }
    this.lastCallIndex = index;
    let call = this.calls.get(index);
    if (!call) {
      call = { id: '', name: '', argumentsJson: '' };
      this.calls.set(index, call);
    }
    if (id) call.id = id;
    const name = asString(fn?.name);
    // Some servers repeat the full name in every delta instead of sending it once.
    if (name && call.name !== name) call.name += name;
    const args = fn?.arguments;
    if (typeof args === 'string') call.argumentsJson += args;
    else if (args !== undefined && args !== null) call.argumentsJson += JSON.stringify(args);
  }

  private flushToolCalls(): ChatStreamEvent[] {
    const events: ChatStreamEvent[] = [...this.calls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, call]) => ({ type: 'tool_call', id: call.id || `call_${index}`, name: call.name, argumentsJson: call.argumentsJson }));
    this.calls.clear();
    return events;
  }
}

/** A server that ignored `stream: true` answered with one chat.completion document. */
function eventsFromCompletionDocument(text: string, endpoint: string): ChatStreamEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ModelEndpointError('bad-response', `The model server at ${endpoint} answered with broken JSON: ${JSON.stringify(text.slice(0, 200))}.`);
  }
  const document = asRecord(parsed);
  if (document?.error !== undefined && document.error !== null) throw streamError(document.error, endpoint);
  const choices = Array.isArray(document?.choices) ? document.choices.map(asRecord) : [];
  const choice = choices.find((c) => c !== undefined && (c.index === undefined || c.index === 0));
  const message = asRecord(choice?.message);
  if (!choice || !message) {
    throw new ModelEndpointError('bad-response', `The model server at ${endpoint} answered without a message (expected choices[0].message): ${JSON.stringify(text.slice(0, 200))}.`);
  }
  const events: ChatStreamEvent[] = [];
  const content = asString(message.content);
  if (content) events.push({ type: 'text', text: content });
  const calls = Array.isArray(message.tool_calls) ? message.tool_calls.map(asRecord) : [];
  calls.forEach((call, index) => {
    const fn = asRecord(call?.function);
    if (!call || !fn) return;
    const args = fn.arguments;
    events.push({
      type: 'tool_call',
      id: asString(call.id) || `call_${index}`,
      name: asString(fn.name) ?? '',
      argumentsJson: typeof args === 'string' ? args : args === undefined || args === null ? '' : JSON.stringify(args),
    });
  });
  events.push({ type: 'finish', reason: asString(choice.finish_reason) ?? (calls.length > 0 ? 'tool_calls' : 'stop') });
  const usage = usageEvent(document?.usage);
  if (usage) events.push(usage);
  return events;
}

function usageEvent(value: unknown): ChatStreamEvent | undefined {
  const usage = asRecord(value);
  if (!usage || typeof usage.prompt_tokens !== 'number' || typeof usage.completion_tokens !== 'number') return undefined;
  return { type: 'usage', promptTokens: usage.prompt_tokens, completionTokens: usage.completion_tokens };
}

function streamError(error: unknown, endpoint: string): ModelEndpointError {
  const record = asRecord(error);
  const message = asString(record?.message) ?? (typeof error === 'string' ? error : JSON.stringify(error));
  const status = firstPositiveInteger(record?.status, record?.code, Number(record?.code));
  const kind = status !== undefined ? kindForStatus(status) : 'server';
  return new ModelEndpointError(kind, `The model server at ${endpoint} reported an error: ${message}`, status);
}

function normalizeBaseUrl(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ModelEndpointError('unreachable', `The model base URL ${JSON.stringify(baseUrl)} is not a valid URL. Set devopsAgent.openai.baseUrl, e.g. http://127.0.0.1:11434/v1 for Ollama.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ModelEndpointError('unreachable', `The model base URL ${JSON.stringify(baseUrl)} must start with http:// or https://. Set devopsAgent.openai.baseUrl, e.g. http://127.0.0.1:11434/v1 for Ollama.`);
  }
  return trimmed;
}

function requestHeaders(apiKey: string | undefined, headers: Record<string, string>): Record<string, string> {
  return apiKey ? { ...headers, authorization: `Bearer ${apiKey}` } : headers;
}

async function send(fetchImpl: typeof fetch, url: string, base: string, init: RequestInit): Promise<Response> {
  try {
    return await fetchImpl(url, init);
  } catch (error) {
    if (init.signal?.aborted) throw error;
    throw unreachableError(error, base);
  }
}

async function* responseChunks(body: ReadableStream<Uint8Array>, base: string, watchdog: Watchdog): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (;;) {
      // only the server's silence counts: the time the consumer spends on a chunk does not
      watchdog.arm('silence');
      const result = await reader.read().catch((error: unknown) => {
        if (watchdog.expired !== undefined) throw watchdog.error(base);
        throw new ModelEndpointError('server', `The connection to the model server at ${base} broke mid-response (${errorReason(error)}). Try again.`);
      }).finally(() => watchdog.stop());
      if (result.done) return;
      yield result.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

async function httpError(response: Response, base: string, model: string | undefined): Promise<ModelEndpointError> {
  let bodyText = '';
  try {
    bodyText = (await response.text()).slice(0, ERROR_BODY_LIMIT);
  } catch {
    bodyText = '';
  }
  let serverMessage = bodyText.trim();
  try {
    const parsed = asRecord(JSON.parse(bodyText));
    const error = parsed?.error;
    serverMessage = asString(asRecord(error)?.message) ?? asString(error) ?? asString(parsed?.message) ?? asString(parsed?.detail) ?? serverMessage;
  } catch {
    // Not JSON: the raw text is the best description the server gave.
  }
  const status = response.status;
  const kind = kindForStatus(status);
  const detail = `HTTP ${status}${serverMessage ? `: ${serverMessage}` : response.statusText ? ` ${response.statusText}` : ''}`;
  switch (kind) {
    case 'auth':
      return new ModelEndpointError(kind, `The model server at ${base} refused the request (${detail}). Check the API key: run "DevOps Agent: Set API Key" (devopsAgent.setApiKey).`, status);
    case 'not-found':
      return new ModelEndpointError(
        kind,
        model !== undefined && /\bmodel\b.*\b(not found|does not exist|unknown|not available)/i.test(serverMessage)
          ? `Model '${model}' was not found at ${base} (${detail}). Pick a model the server lists at ${base}/models, or fetch it first (Ollama: ollama pull ${model}).`
          : `${base} has no such endpoint (${detail}). The base URL usually ends in /v1 (Ollama: http://127.0.0.1:11434/v1); set devopsAgent.openai.baseUrl.`,
        status,
      );
    case 'rate-limit': {
      const retryAfter = response.headers.get('retry-after');
      return new ModelEndpointError(kind, `The model server at ${base} is rate-limiting requests (${detail}). ${retryAfter ? `Retry after ${retryAfter} s.` : 'Wait a moment and try again.'}`, status);
    }
    case 'server':
      return new ModelEndpointError(kind, `The model server at ${base} failed (${detail}). Check the server's log and try again.`, status);
    case 'bad-request':
      return new ModelEndpointError(
        kind,
        `The model server at ${base} rejected the request (${detail}).${/tool/i.test(serverMessage) ? ' The model may not support tool calling; pick one that does.' : ''}`,
        status,
      );
    default:
      return new ModelEndpointError(kind, `The model server at ${base} answered unexpectedly (${detail}).`, status);
  }
}

function kindForStatus(status: number): ModelEndpointErrorKind {
  if (status === 401 || status === 403) return 'auth';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limit';
  if (status >= 500) return 'server';
  if (status >= 400) return 'bad-request';
  return 'bad-response';
}

function unreachableError(error: unknown, base: string): ModelEndpointError {
  return new ModelEndpointError('unreachable', `Could not reach ${base} (${errorReason(error)}) — is ${serverGuess(base)} running? Set devopsAgent.openai.baseUrl to the server's address.`);
}

const REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ECONNRESET: 'connection reset',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
};

function errorReason(error: unknown): string {
  const cause = asRecord(asRecord(error)?.cause);
  const code = asString(cause?.code) ?? asString(asRecord(error)?.code);
  if (code) return REASONS[code] ?? code;
  return asString(cause?.message) ?? (errorMessage(error));
}

const DEFAULT_PORTS: Record<string, string> = { '11434': 'Ollama', '1234': 'LM Studio', '8000': 'vLLM', '4000': 'LiteLLM', '8080': 'llama.cpp server' };

function serverGuess(base: string): string {
  return DEFAULT_PORTS[new URL(base).port] ?? 'the model server';
}

function abortErrorOf(signal: AbortSignal): Error {
  if (signal.reason instanceof Error && signal.reason.name === 'AbortError') return signal.reason;
  const error = new Error('The model request was cancelled.');
  error.name = 'AbortError';
  return error;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function firstPositiveInteger(...values: unknown[]): number | undefined {
  for (const value of values) if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return undefined;
}
