import type { ToolCallPart, ToolResultPart } from './chatModel';
import type { ToolRound } from './toolLoop';
import type { ReadSetEntry } from '../session/readSet';

/** What a turn keeps in ChatResult.metadata (JSON) so the next turn can rebuild its history and read set. */
export interface TurnMetadata {
  readonly agent: string;
  readonly rounds: readonly ToolRound[];
  readonly readSet: readonly ReadSetEntry[];
  readonly citations?: { readonly total: number; readonly verified: number; readonly problems: number };
  readonly certificate?: { readonly required: boolean; readonly written: boolean; readonly file?: string };
  readonly command?: string;
  readonly error?: string;
  /** Answered without a language model (none picked, or the checks-only entry). */
  readonly noModel?: boolean;
}

/** Reads metadata written by an earlier turn, tolerating anything malformed (it is stored JSON). */
export function readTurnMetadata(value: unknown): TurnMetadata | undefined {
  const meta = recordOf(value);
  if (!meta || typeof meta.agent !== 'string' || !Array.isArray(meta.rounds)) return undefined;
  const rounds: ToolRound[] = [];
  for (const raw of meta.rounds as unknown[]) {
    const r = recordOf(raw);
    if (!r) continue;
    const toolCalls = listOf(r.toolCalls).filter((c) => typeof c.callId === 'string' && typeof c.name === 'string')
      .map((c): ToolCallPart => ({ kind: 'toolCall', callId: c.callId as string, name: c.name as string, input: c.input }));
    const results = listOf(r.results).filter((c) => typeof c.callId === 'string' && typeof c.text === 'string')
      .map((c): ToolResultPart => ({ kind: 'toolResult', callId: c.callId as string, text: c.text as string, isError: c.isError === true }));
    // a call without its result, or a result without its call, would make the model's history invalid
    const answered = new Set(results.map((x) => x.callId));
    const called = new Set(toolCalls.map((x) => x.callId));
    rounds.push({
      text: typeof r.text === 'string' ? r.text : '',
      toolCalls: toolCalls.filter((c) => answered.has(c.callId)),
      results: results.filter((x) => called.has(x.callId)),
    });
  }
  const citations = recordOf(meta.citations);
  const certificate = recordOf(meta.certificate);
  return {
    agent: meta.agent,
    rounds,
    readSet: Array.isArray(meta.readSet) ? (meta.readSet as ReadSetEntry[]) : [],
    ...(citations && [citations.total, citations.verified, citations.problems].every(isCount)
      ? { citations: { total: citations.total as number, verified: citations.verified as number, problems: citations.problems as number } }
      : {}),
    ...(certificate && typeof certificate.required === 'boolean' && typeof certificate.written === 'boolean'
      ? { certificate: { required: certificate.required, written: certificate.written, ...(typeof certificate.file === 'string' ? { file: certificate.file } : {}) } }
      : {}),
    ...(typeof meta.command === 'string' ? { command: meta.command } : {}),
    ...(typeof meta.error === 'string' ? { error: meta.error } : {}),
    ...(meta.noModel === true ? { noModel: true } : {}),
  };
}

function recordOf(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function listOf(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(recordOf).filter((v): v is Record<string, unknown> => v !== undefined) : [];
}

function isCount(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
