import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AGENTS_FOLDER, agentFolderOf } from '../memory/agentFolder';
import { redactSecrets } from './redactSecrets';
import { bounded } from '../text/bounded';

export type AuditDecision = 'allow' | 'ask' | 'deny';
export type AuditApproval = 'rule' | 'user' | 'cli --yes' | 'session';
export type AuditOutcome = 'ok' | 'error' | 'refused' | 'cancelled';

/** One tool call, one line of audit.jsonl. */
export interface AuditEntry {
  /** ISO time the call started. */
  readonly time: string;
  readonly agent: string;
  readonly tool: string;
  /** The call's input, summarised, redacted and at most MAX_AUDIT_INPUT_CHARS long. */
  readonly input: string;
  readonly decision: AuditDecision;
  readonly approvedBy?: AuditApproval;
  readonly outcome: AuditOutcome;
  readonly durationMs: number;
  /** Size of the result text in bytes. */
  readonly bytes: number;
  /** Secrets redacted from the result. */
  readonly redactions: number;
  /** Bash only: whether the command ran in the OS sandbox ('off': the user turned it off). */
  readonly sandbox?: 'on' | 'off';
}

const AUDIT_FILE_NAME = 'audit.jsonl';
export const MAX_AUDIT_INPUT_CHARS = 500;

const DECISIONS: readonly AuditDecision[] = ['allow', 'ask', 'deny'];
const APPROVALS: readonly AuditApproval[] = ['rule', 'user', 'cli --yes', 'session'];
const OUTCOMES: readonly AuditOutcome[] = ['ok', 'error', 'refused', 'cancelled'];

/** `<root>/docs/ai/agents/<agent>/audit.jsonl` (the VS Code setting may point the log elsewhere). */
export function auditLogPath(root: string, agent: string): string {
  return path.join(agentFolderOf(root, agent), AUDIT_FILE_NAME);
}

/** Redacts and bounds an input summary; safe to call on text that was already summarised. */
export function boundAuditInput(text: string): { text: string; redactions: number } {
  const redacted = redactSecrets(text.replace(/\s+/g, ' ').trim());
  return { text: bounded(redacted.text, MAX_AUDIT_INPUT_CHARS), redactions: redacted.total };
}

/**
 * Appends one entry as one line. The line is written by a single write on a file opened with O_APPEND, which the
 * kernel applies atomically at the end of the file on a local file system, so concurrent writers (the extension
 * host, several CLI runs) never interleave or lose lines; a test runs 50 writer processes at once to check it.
 */
export async function appendAuditEntry(filePath: string, entry: AuditEntry): Promise<void> {
  const line = `${JSON.stringify(normalizedEntry(entry))}\n`;
  const data = Buffer.from(line, 'utf8');
  await fs.mkdir(path.dirname(filePath), { recursive: true });
  const handle = await fs.open(filePath, 'a', 0o600);
  try {
    let offset = 0;
    while (offset < data.length) {
      const { bytesWritten } = await handle.write(data, offset, data.length - offset);
      offset += bytesWritten;
    }
  } finally {
    await handle.close();
  }
}

function normalizedEntry(entry: AuditEntry): AuditEntry {
  const input = boundAuditInput(entry.input).text;
  const ordered: AuditEntry = {
    time: entry.time,
    agent: entry.agent,
    tool: entry.tool,
    input,
    decision: entry.decision,
    ...(entry.approvedBy !== undefined ? { approvedBy: entry.approvedBy } : {}),
    outcome: entry.outcome,
    durationMs: Math.max(0, Math.round(entry.durationMs)),
    bytes: Math.max(0, Math.round(entry.bytes)),
    redactions: Math.max(0, Math.round(entry.redactions)),
    ...(entry.sandbox !== undefined ? { sandbox: entry.sandbox } : {}),
  };
  return ordered;
}

/** Parses one line; returns the entry or a message saying what is wrong with it. */
export function parseAuditLine(line: string): AuditEntry | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const v = value as Record<string, unknown>;
  for (const key of ['time', 'agent', 'tool', 'input'] as const) {
    if (typeof v[key] !== 'string') return `"${key}" must be a string`;
  }
  if (!DECISIONS.includes(v.decision as AuditDecision)) return `"decision" must be one of ${DECISIONS.join(', ')}`;
  if (!OUTCOMES.includes(v.outcome as AuditOutcome)) return `"outcome" must be one of ${OUTCOMES.join(', ')}`;
  if (v.approvedBy !== undefined && !APPROVALS.includes(v.approvedBy as AuditApproval)) {
    return `"approvedBy" must be one of ${APPROVALS.join(', ')}`;
  }
  for (const key of ['durationMs', 'bytes', 'redactions'] as const) {
    if (typeof v[key] !== 'number' || !Number.isFinite(v[key]) || (v[key] as number) < 0) return `"${key}" must be a non-negative number`;
  }
  if (v.sandbox !== undefined && v.sandbox !== 'on' && v.sandbox !== 'off') return '"sandbox" must be "on" or "off"';
  return v as unknown as AuditEntry;
}

export interface AuditCounts {
  calls: number;
  readonly decisions: Record<AuditDecision, number>;
  readonly outcomes: Record<AuditOutcome, number>;
  readonly approvals: Record<AuditApproval, number>;
  totalDurationMs: number;
  bytes: number;
  redactions: number;
}

export interface AuditRefusal {
  readonly line: number;
  readonly time: string;
  readonly agent: string;
  readonly tool: string;
  readonly input: string;
}

export interface AuditSummary extends AuditCounts {
  readonly byTool: Record<string, AuditCounts>;
  /** Refused calls, oldest first, at most MAX_LISTED_REFUSALS (the count is in outcomes.refused). */
  readonly refused: AuditRefusal[];
  /** Lines that are not audit entries, with their 1-based line numbers. */
  readonly problems: { line: number; message: string }[];
  firstTime?: string;
  lastTime?: string;
}

const MAX_LISTED_REFUSALS = 50;

function emptyCounts(): AuditCounts {
  return {
    calls: 0,
    decisions: { allow: 0, ask: 0, deny: 0 },
    outcomes: { ok: 0, error: 0, refused: 0, cancelled: 0 },
    approvals: { rule: 0, user: 0, 'cli --yes': 0, session: 0 },
    totalDurationMs: 0,
    bytes: 0,
    redactions: 0,
  };
}

function add(counts: AuditCounts, entry: AuditEntry): void {
  counts.calls += 1;
  counts.decisions[entry.decision] += 1;
  counts.outcomes[entry.outcome] += 1;
  if (entry.approvedBy !== undefined) counts.approvals[entry.approvedBy] += 1;
  counts.totalDurationMs += entry.durationMs;
  counts.bytes += entry.bytes;
  counts.redactions += entry.redactions;
}

/** Counts an audit log (its text, or its lines) per tool, decision and outcome; bad lines become problems. */
export function summarizeAudit(lines: string | readonly string[]): AuditSummary {
  const list = typeof lines === 'string' ? lines.split('\n') : lines;
  const summary: AuditSummary = { ...emptyCounts(), byTool: {}, refused: [], problems: [] };
  list.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const entry = parseAuditLine(line);
    if (typeof entry === 'string') {
      summary.problems.push({ line: index + 1, message: entry });
      return;
    }
    add(summary, entry);
    add((summary.byTool[entry.tool] ??= emptyCounts()), entry);
    if (entry.outcome === 'refused' && summary.refused.length < MAX_LISTED_REFUSALS) {
      summary.refused.push({ line: index + 1, time: entry.time, agent: entry.agent, tool: entry.tool, input: entry.input });
    }
    if (summary.firstTime === undefined || entry.time < summary.firstTime) summary.firstTime = entry.time;
    if (summary.lastTime === undefined || entry.time > summary.lastTime) summary.lastTime = entry.time;
  });
  return summary;
}

/** Every `docs/ai/agents/<agent>/audit.jsonl` under a workspace folder, sorted by agent name. */
export async function findAuditLogs(root: string): Promise<{ agent: string; file: string }[]> {
  const folder = path.join(root, ...AGENTS_FOLDER.split('/'));
  let names: string[];
  try {
    names = await fs.readdir(folder);
  } catch {
    return [];
  }
  const found: { agent: string; file: string }[] = [];
  for (const agent of names.sort()) {
    const file = path.join(folder, agent, AUDIT_FILE_NAME);
    try {
      if ((await fs.stat(file)).isFile()) found.push({ agent, file });
    } catch {
      continue;
    }
  }
  return found;
}
