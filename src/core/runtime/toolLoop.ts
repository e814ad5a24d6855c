import type { ChatModelPort, LoopMessage, TextPart, ToolCallPart, ToolResultPart, ToolSpec } from './chatModel';

/** One model response and the tool calls it made, with their results. Kept in ChatResult.metadata. */
export interface ToolRound {
  readonly text: string;
  readonly toolCalls: readonly ToolCallPart[];
  readonly results: readonly ToolResultPart[];
}

export interface ToolLoopOptions {
  readonly model: ChatModelPort;
  readonly messages: readonly LoopMessage[];
  readonly tools: readonly ToolSpec[];
  readonly maxRounds: number;
  readonly signal: AbortSignal;
  onText(text: string): void | Promise<void>;
  /** Runs one round's calls (in parallel) and returns one result per call, in the same order. */
  executeToolCalls(calls: readonly ToolCallPart[]): Promise<readonly ToolResultPart[]>;
}

export interface ToolLoopOutcome {
  readonly rounds: readonly ToolRound[];
  /** The text of the last response (the answer). */
  readonly finalText: string;
  readonly stoppedBy: 'answer' | 'max-rounds' | 'cancelled';
  /** The whole conversation including this turn's rounds, for a follow-up round (e.g. citation repair). */
  readonly messages: readonly LoopMessage[];
}

/**
 * The tool-calling loop: send, stream text out, run the tool calls the model made, feed the results back,
 * until the model answers without calling a tool, the round limit is hit, or the request is cancelled.
 */
export async function runToolLoop(options: ToolLoopOptions): Promise<ToolLoopOutcome> {
  const messages: LoopMessage[] = [...options.messages];
  const rounds: ToolRound[] = [];
  for (let round = 0; ; round++) {
    if (options.signal.aborted) return { rounds, finalText: '', stoppedBy: 'cancelled', messages };
    // the last allowed round offers no tools, so the model has to answer with what it has
    const tools = round < options.maxRounds ? options.tools : [];
    let text = '';
    const calls: ToolCallPart[] = [];
    try {
      for await (const part of options.model.send(messages, tools, options.signal)) {
        if (options.signal.aborted) break;
        if (part.kind === 'text') {
          text += part.text;
          await options.onText(part.text);
        } else {
          calls.push(part);
        }
      }
    } catch (error) {
      // a stream that throws because it was cancelled (fetch's AbortError) is a cancellation, not a failure
      if (!options.signal.aborted) throw error;
    }
    if (options.signal.aborted) {
      rounds.push({ text, toolCalls: calls, results: [] });
      return { rounds, finalText: text, stoppedBy: 'cancelled', messages };
    }
    const textParts: TextPart[] = text ? [{ kind: 'text', text }] : [];
    if (calls.length === 0) {
      rounds.push({ text, toolCalls: [], results: [] });
      if (text) messages.push({ role: 'assistant', parts: textParts });
      return { rounds, finalText: text, stoppedBy: round >= options.maxRounds ? 'max-rounds' : 'answer', messages };
    }
    if (round >= options.maxRounds) {
      // tools were not offered this round: a call now is not run, the turn ends at the limit; its text stays in the history
      rounds.push({ text, toolCalls: calls, results: [] });
      if (text) messages.push({ role: 'assistant', parts: textParts });
      return { rounds, finalText: text, stoppedBy: 'max-rounds', messages };
    }
    const results = await options.executeToolCalls(calls);
    rounds.push({ text, toolCalls: calls, results });
    messages.push({ role: 'assistant', parts: [...textParts, ...calls] }, { role: 'user', parts: results });
    if (options.signal.aborted) return { rounds, finalText: text, stoppedBy: 'cancelled', messages };
  }
}

/** Rebuilds the model messages of earlier turns from their saved rounds (ChatResult.metadata). */
export function messagesFromRounds(prompt: string, rounds: readonly ToolRound[]): LoopMessage[] {
  const messages: LoopMessage[] = [{ role: 'user', parts: [{ kind: 'text', text: prompt }] }];
  for (const round of rounds) {
    // a call without a result (the round limit, a cancel) would make the history invalid for the model
    const answered = new Set(round.results.map((r) => r.callId));
    const parts: (TextPart | ToolCallPart)[] = [
      ...(round.text ? [{ kind: 'text' as const, text: round.text }] : []),
      ...round.toolCalls.filter((c) => answered.has(c.callId)),
    ];
    if (parts.length) messages.push({ role: 'assistant', parts });
    if (round.results.length) messages.push({ role: 'user', parts: round.results });
  }
  return messages;
}
