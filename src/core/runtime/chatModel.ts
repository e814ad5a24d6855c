/** Model-neutral conversation shapes: the VS Code glue maps LanguageModelChat parts to and from these. */
export interface TextPart {
  readonly kind: 'text';
  readonly text: string;
}

export interface ToolCallPart {
  readonly kind: 'toolCall';
  readonly callId: string;
  readonly name: string;
  readonly input: unknown;
}

export interface ToolResultPart {
  readonly kind: 'toolResult';
  readonly callId: string;
  readonly text: string;
  readonly isError: boolean;
}

export type LoopMessage =
  | { readonly role: 'user'; readonly parts: readonly (TextPart | ToolResultPart)[] }
  | { readonly role: 'assistant'; readonly parts: readonly (TextPart | ToolCallPart)[] };

/** A tool as offered to the model. */
export interface ToolSpec {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: object;
}

/** The little the loop needs from a language model. */
export interface ChatModelPort {
  readonly name: string;
  readonly maxInputTokens: number;
  send(messages: readonly LoopMessage[], tools: readonly ToolSpec[], signal: AbortSignal): AsyncIterable<TextPart | ToolCallPart>;
  countTokens(text: string, signal: AbortSignal): Promise<number>;
}

export function userText(text: string): LoopMessage {
  return { role: 'user', parts: [{ kind: 'text', text }] };
}
