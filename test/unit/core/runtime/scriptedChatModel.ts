import type { ChatModelPort, LoopMessage, TextPart, ToolCallPart, ToolSpec } from '../../../../src/core/runtime/chatModel';

/** One scripted model response: its parts in order, optionally paced so a test can cancel in the middle. */
export interface ScriptedResponse {
  readonly parts: readonly (TextPart | ToolCallPart)[];
  /** Pause before each part after the first. */
  readonly delayMs?: number;
  /** How the stream reacts to cancellation: end quietly (VS Code's providers) or throw an AbortError (fetch). */
  readonly onAbort?: 'end' | 'throw';
}

/** What one `send` was given. */
export interface RecordedRequest {
  readonly messages: readonly LoopMessage[];
  readonly toolNames: readonly string[];
}

/**
 * A ChatModelPort that plays recorded responses in order (the replay approach, for the loop's unit tests), and
 * records every request so a test can check what the model was shown.
 */
export class ScriptedChatModel implements ChatModelPort {
  readonly name = 'scripted';
  readonly maxInputTokens = 8_000;
  readonly requests: RecordedRequest[] = [];
  private next = 0;

  constructor(private readonly responses: readonly ScriptedResponse[]) {}

  get remaining(): number {
    return this.responses.length - this.next;
  }

  async *send(messages: readonly LoopMessage[], tools: readonly ToolSpec[], signal: AbortSignal): AsyncIterable<TextPart | ToolCallPart> {
    // a deep copy: the loop keeps appending to its own list
    this.requests.push({ messages: JSON.parse(JSON.stringify(messages)) as LoopMessage[], toolNames: tools.map((t) => t.name) });
    const response = this.responses[this.next++];
    if (!response) throw new Error(`scripted model: no response left for request ${this.next}`);
    for (let k = 0; k < response.parts.length; k++) {
      if (k > 0 && response.delayMs) await pause(response.delayMs, signal);
      if (signal.aborted) {
        if (response.onAbort === 'throw') throw Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
        return;
      }
      yield response.parts[k] as TextPart | ToolCallPart;
    }
  }

  async countTokens(text: string): Promise<number> {
    return Math.ceil(text.length / 4);
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

export function text(value: string): TextPart {
  return { kind: 'text', text: value };
}

export function call(callId: string, name: string, input: unknown): ToolCallPart {
  return { kind: 'toolCall', callId, name, input };
}
