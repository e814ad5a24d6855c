import type { OpenAiChatMessage, OpenAiToolCall, OpenAiToolSpec } from './openAiCompatibleClient';

/** A message part as VS Code's language model API has it, in plain objects (no vscode classes). */
export type PlainPart =
  | { kind: 'text'; text: string }
  | { kind: 'toolCall'; callId: string; name: string; input: object }
  | { kind: 'toolResult'; callId: string; text: string }
  | { kind: 'data'; mimeType: string; data: Uint8Array }
  | { kind: 'other'; description: string };

export interface PlainChatMessage {
  role: 'system' | 'user' | 'assistant';
  parts: PlainPart[];
  name?: string;
}

export interface PlainTool {
  name: string;
  description: string;
  inputSchema?: object;
}

/**
 * Tool-call input that stands for arguments the model produced but that are not a JSON object. The call is
 * still reported (not thrown), so the loop can answer with a tool error and the model can correct itself.
 */
export const MALFORMED_ARGUMENTS_KEY = '__malformedArguments';

const CHARS_PER_TOKEN = 4;
const OPENAI_NAME = /^[A-Za-z0-9_-]{1,64}$/;
// Copilot marks prompt-caching boundaries with data parts of these types; they carry nothing for the model.
const SILENT_DATA_TYPES = new Set(['cache_control', 'stateful_marker']);
const UNANSWERED_CALL_TEXT = '(no result: this tool call was not run)';

/** Maps a vscode part (LanguageModelTextPart, ToolCallPart, ToolResultPart, DataPart) by its shape. */
export function plainPartFromUnknown(part: unknown): PlainPart {
  const record = asRecord(part);
  if (!record) return typeof part === 'string' ? { kind: 'text', text: part } : { kind: 'other', description: typeof part };
  if (typeof record.callId === 'string' && typeof record.name === 'string' && 'input' in record) {
    return { kind: 'toolCall', callId: record.callId, name: record.name, input: asRecord(record.input) ?? {} };
  }
  if (typeof record.callId === 'string' && Array.isArray(record.content)) {
    return { kind: 'toolResult', callId: record.callId, text: record.content.map(resultContentText).join('') };
  }
  if (typeof record.value === 'string') return { kind: 'text', text: record.value };
  if (typeof record.mimeType === 'string' && record.data instanceof Uint8Array) return { kind: 'data', mimeType: record.mimeType, data: record.data };
  return { kind: 'other', description: describe(part) };
}

/**
 * Converts to OpenAI chat messages. Tool results become `role: 'tool'` messages right after the assistant
 * message that asked for them (OpenAI servers reject any other order); the user text of the same message follows.
 * `notes` says what could not be passed on (images, unknown parts, results without a call).
 */
export function toOpenAiMessages(messages: readonly PlainChatMessage[]): { messages: OpenAiChatMessage[]; notes: string[] } {
  const out: OpenAiChatMessage[] = [];
  const notes: string[] = [];
  let pending: string[] = [];
  const closePending = (): void => {
    for (const id of pending) {
      out.push({ role: 'tool', tool_call_id: id, content: UNANSWERED_CALL_TEXT });
      notes.push(`tool call ${id} had no result; sent "${UNANSWERED_CALL_TEXT}"`);
    }
    pending = [];
  };
  for (const message of messages) {
    const texts: string[] = [];
    const calls: OpenAiToolCall[] = [];
    for (const part of message.parts) {
      switch (part.kind) {
        case 'text':
          texts.push(part.text);
          break;
        case 'toolCall':
          if (message.role === 'assistant') calls.push({ id: part.callId, type: 'function', function: { name: part.name, arguments: argumentsJsonOf(part.input) } });
          else notes.push(`a ${message.role} message carried a tool call (${part.name}); only assistant messages can, so it was left out`);
          break;
        case 'toolResult':
          if (pending.includes(part.callId)) {
            out.push({ role: 'tool', tool_call_id: part.callId, content: part.text });
            pending = pending.filter((id) => id !== part.callId);
          } else {
            texts.push(`[Result of tool call ${part.callId}]\n${part.text}`);
            notes.push(`tool result ${part.callId} follows no matching tool call; sent as ${message.role} text`);
          }
          break;
        case 'data': {
          const text = dataText(part.mimeType, part.data);
          if (text !== undefined) texts.push(text);
          else if (!SILENT_DATA_TYPES.has(part.mimeType)) {
            texts.push(`[${part.mimeType} content omitted: this model endpoint receives text only]`);
            notes.push(`${part.mimeType} data was left out (text-only endpoint)`);
          }
          break;
        }
        case 'other':
          notes.push(`a ${part.description} part was left out (not supported by this provider)`);
          break;
      }
    }
    closePending();
    const text = texts.join('');
    if (message.role === 'assistant') {
      if (text === '' && calls.length === 0) continue;
      out.push({ role: 'assistant', content: text === '' ? null : text, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
      pending = calls.map((c) => c.id);
    } else if (text !== '') {
      out.push({ role: message.role, content: text, ...(message.role === 'user' && message.name && OPENAI_NAME.test(message.name) ? { name: message.name } : {}) });
    }
  }
  closePending();
  return { messages: out, notes };
}

/** The inverse of toOpenAiMessages: tool messages and the user text after them become one user message. */
export function fromOpenAiMessages(messages: readonly OpenAiChatMessage[]): PlainChatMessage[] {
  const out: PlainChatMessage[] = [];
  let resultGroup: PlainChatMessage | undefined;
  for (const message of messages) {
    const text = message.content ?? '';
    if (message.role === 'tool') {
      if (!resultGroup) {
        resultGroup = { role: 'user', parts: [] };
        out.push(resultGroup);
      }
      resultGroup.parts.push({ kind: 'toolResult', callId: message.tool_call_id ?? '', text });
      continue;
    }
    if (message.role === 'user' && resultGroup) {
      if (text !== '') resultGroup.parts.push({ kind: 'text', text });
      resultGroup = undefined;
      continue;
    }
    resultGroup = undefined;
    const parts: PlainPart[] = text === '' ? [] : [{ kind: 'text', text }];
    for (const call of message.tool_calls ?? []) {
      parts.push({ kind: 'toolCall', callId: call.id, name: call.function.name, input: toolCallInput(call.function.arguments) });
    }
    out.push({ role: message.role, parts, ...(message.name !== undefined ? { name: message.name } : {}) });
  }
  return out;
}

/** Tools as OpenAI function specs; a tool without a schema takes an empty object. */
export function toOpenAiTools(tools: readonly PlainTool[]): OpenAiToolSpec[] {
  return tools.map((tool) => ({
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.inputSchema ?? { type: 'object', properties: {} } },
  }));
}

/**
 * Parses tool-call arguments. Empty arguments mean `{}` (models often send "" for tools without parameters);
 * anything that is not a JSON object becomes `{ [MALFORMED_ARGUMENTS_KEY]: raw }`.
 */
export function toolCallInput(argumentsJson: string): object {
  if (argumentsJson.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(argumentsJson);
    const record = asRecord(parsed);
    if (record) return record;
  } catch {
    // Falls through to the malformed marker below.
  }
  return { [MALFORMED_ARGUMENTS_KEY]: argumentsJson };
}

/** The raw arguments when a tool-call input is the malformed marker, otherwise undefined. */
export function malformedArgumentsOf(input: unknown): string | undefined {
  const record = asRecord(input);
  const raw = record?.[MALFORMED_ARGUMENTS_KEY];
  return typeof raw === 'string' && Object.keys(record ?? {}).length === 1 ? raw : undefined;
}

/** The text a tool result sends back to the model when the arguments were malformed. */
export function malformedArgumentsMessage(toolName: string, raw: string): string {
  return `The arguments for ${toolName} were not a valid JSON object: ${JSON.stringify(raw.slice(0, 500))}. Call ${toolName} again with arguments that are one JSON object matching its schema.`;
}

/**
 * Token estimate: characters / 4, rounded up. OpenAI-compatible servers expose no tokenizer endpoint, and
 * ~4 characters per token holds for English and code with the common BPE vocabularies.
 */
export function estimateTokenCount(value: string | PlainChatMessage): number {
  if (typeof value === 'string') return Math.ceil(value.length / CHARS_PER_TOKEN);
  let chars = 0;
  for (const part of value.parts) {
    if (part.kind === 'text') chars += part.text.length;
    else if (part.kind === 'toolCall') chars += part.name.length + argumentsJsonOf(part.input).length;
    else if (part.kind === 'toolResult') chars += part.text.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/** Sampling options from a request's `modelOptions` (maxTokens/max_tokens, temperature); others are ignored. */
export function readSamplingOptions(modelOptions: Readonly<Record<string, unknown>> | undefined): { maxTokens?: number; temperature?: number } {
  const options: { maxTokens?: number; temperature?: number } = {};
  const maxTokens = modelOptions?.maxTokens ?? modelOptions?.max_tokens;
  if (typeof maxTokens === 'number' && Number.isInteger(maxTokens) && maxTokens > 0) options.maxTokens = maxTokens;
  const temperature = modelOptions?.temperature;
  if (typeof temperature === 'number' && temperature >= 0 && temperature <= 2) options.temperature = temperature;
  return options;
}

function argumentsJsonOf(input: object): string {
  return malformedArgumentsOf(input) ?? JSON.stringify(input);
}

function resultContentText(item: unknown): string {
  const part = plainPartFromUnknown(item);
  if (part.kind === 'text') return part.text;
  if (part.kind === 'data') return dataText(part.mimeType, part.data) ?? (SILENT_DATA_TYPES.has(part.mimeType) ? '' : `[${part.mimeType} content omitted]`);
  // prompt-tsx parts hold a tree of elements; their text nodes are what the model would have read.
  const texts = collectTexts(asRecord(item)?.value, 0);
  return texts.length > 0 ? texts.join('') : `[${describe(item)} content omitted]`;
}

function collectTexts(value: unknown, depth: number): string[] {
  if (depth > 50 || typeof value !== 'object' || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((v) => collectTexts(v, depth + 1));
  const record = value as Record<string, unknown>;
  if (typeof record.text === 'string') return [record.text];
  return Object.values(record).flatMap((v) => collectTexts(v, depth + 1));
}

function dataText(mimeType: string, data: Uint8Array): string | undefined {
  if (!/^text\/|^application\/(json|xml|yaml|x-yaml)\b|\+json$|\+xml$/.test(mimeType)) return undefined;
  return new TextDecoder().decode(data);
}

function describe(value: unknown): string {
  const name = (asRecord(value)?.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name !== 'Object' ? name : typeof value;
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
