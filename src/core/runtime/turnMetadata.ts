import type { ToolCallPart, ToolResultPart } from './chatModel';
import type { ToolRound } from './toolLoop';
import type { ReadSetEntry } from '../tools/readSet';

/** What a turn keeps in ChatResult.metadata (JSON) so the next turn can rebuild its history and read set. */
export interface TurnMetadata {
  readonly agent: string;
  readonly rounds: readonly ToolRound[];
  readonly readSet: readonly ReadSetEntry[];
  readonly citations?: { readonly total: number; readonly verified: number; readonly problems: number };
  readonly certificate?: { readonly required: boolean; readonly written: boolean; readonly file?: string };
  readonly command?: string;
  readonly error?: string;
}

/** Reads metadata written by an earlier turn, tolerating anything malformed (it is stored JSON). */
export function readTurnMetadata(value: unknown): TurnMetadata | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const meta = value as Partial<TurnMetadata>;
  if (typeof meta.agent !== 'string' || !Array.isArray(meta.rounds)) return undefined;
  const rounds: ToolRound[] = [];
  for (const raw of meta.rounds as unknown[]) {
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Partial<ToolRound>;
    const toolCalls = (Array.isArray(r.toolCalls) ? r.toolCalls : []).filter((c): c is ToolCallPart =>
      typeof c === 'object' && c !== null && typeof c.callId === 'string' && typeof c.name === 'string').map((c) => ({ kind: 'toolCall' as const, callId: c.callId, name: c.name, input: c.input }));
    const results = (Array.isArray(r.results) ? r.results : []).filter((c): c is ToolResultPart =>
      typeof c === 'object' && c !== null && typeof c.callId === 'string' && typeof c.text === 'string').map((c) => ({ kind: 'toolResult' as const, callId: c.callId, text: c.text, isError: c.isError === true }));
    // a call without its result would make the model's history invalid
    const answered = new Set(results.map((x) => x.callId));
    rounds.push({ text: typeof r.text === 'string' ? r.text : '', toolCalls: toolCalls.filter((c) => answered.has(c.callId)), results });
  }
  return { ...meta, agent: meta.agent, rounds, readSet: Array.isArray(meta.readSet) ? meta.readSet : [] } as TurnMetadata;
}
