import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { AuditCounts, AuditSummary } from '../../core/policy/auditLog';
import { auditLogPath, findAuditLogs, summarizeAudit } from '../../core/policy/auditLog';
import { AgentNameError } from '../../core/memory/agentFolder';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';
import { errorMessage } from '../../core/errors/errorText';

const HELP = `Usage: devops-agent audit [--root DIR] [--agent NAME] [--file PATH] [--json]

Summarises the tool-call audit log (docs/ai/agents/<agent>/audit.jsonl): calls per tool, decisions, outcomes,
refused calls and time spent.

  --root DIR     workspace folder (default: current folder)
  --agent NAME   only this agent's log (default: every agent's log under the root)
  --file PATH    summarise this audit.jsonl instead (the VS Code setting can keep the log elsewhere)
  --json         print machine-readable JSON

Exit codes: 0 ok, 1 the log has lines that are not audit entries, 2 usage error or missing log.`;

interface AgentAudit {
  readonly agent: string;
  readonly file: string;
  readonly summary: AuditSummary;
}

export async function runAuditCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      root: { type: 'string' },
      agent: { type: 'string' },
      file: { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const root = path.resolve(io.cwd, values.root ?? '.');
  const logs = await logsToSummarise(root, values.agent, values.file === undefined ? undefined : path.resolve(io.cwd, values.file));

  const audits: AgentAudit[] = [];
  for (const log of logs) {
    let text: string;
    try {
      text = await fs.readFile(log.file, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${log.file}: ${errorMessage(error)}`);
    }
    audits.push({ ...log, summary: summarizeAudit(text) });
  }
  const problems = audits.reduce((n, a) => n + a.summary.problems.length, 0);

  if (values.json) {
    io.out(JSON.stringify({ root, logs: audits }, null, 2));
  } else if (audits.length === 0) {
    io.out(`No audit logs under ${root} (docs/ai/agents/*/audit.jsonl): no tool calls have been audited yet.`);
  } else {
    io.out(audits.map(formatAgentAudit).join('\n\n'));
  }
  return problems > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

async function logsToSummarise(root: string, agent: string | undefined, file: string | undefined): Promise<{ agent: string; file: string }[]> {
  if (file !== undefined) {
    if (!(await isFile(file))) throw new UsageError(`--file ${file} does not exist`);
    return [{ agent: agent ?? path.basename(path.dirname(file)), file }];
  }
  if (agent !== undefined) {
    let logFile: string;
    try {
      logFile = auditLogPath(root, agent);
    } catch (error) {
      if (error instanceof AgentNameError) throw new UsageError(error.message);
      throw error;
    }
    if (!(await isFile(logFile))) throw new UsageError(`no audit log for agent '${agent}': ${logFile} does not exist`);
    return [{ agent, file: logFile }];
  }
  if (!(await isDirectory(root))) throw new UsageError(`--root ${root} is not a folder`);
  return findAuditLogs(root);
}

async function isFile(file: string): Promise<boolean> {
  return fs.stat(file).then((s) => s.isFile(), () => false);
}

async function isDirectory(dir: string): Promise<boolean> {
  return fs.stat(dir).then((s) => s.isDirectory(), () => false);
}

function formatAgentAudit(audit: AgentAudit): string {
  const s = audit.summary;
  const span = s.firstTime && s.lastTime ? ` from ${s.firstTime} to ${s.lastTime}` : '';
  const lines = [`${audit.agent}: ${s.calls} tool call${s.calls === 1 ? '' : 's'}${span} (${audit.file})`];
  if (s.calls > 0) {
    lines.push(`  decisions: ${formatCounts(s.decisions)}; outcomes: ${formatCounts(s.outcomes)}; approved by: ${formatCounts(s.approvals)}`);
    lines.push(`  time: ${formatDuration(s.totalDurationMs)}; result bytes: ${s.bytes}; secrets redacted: ${s.redactions}`);
    lines.push('', formatToolTable(s.byTool));
  }
  if (s.outcomes.refused > 0) {
    const shown = s.refused.length < s.outcomes.refused ? ` (first ${s.refused.length})` : '';
    lines.push('', `  refused calls: ${s.outcomes.refused}${shown}`);
    for (const r of s.refused) lines.push(`    line ${r.line}  ${r.time}  ${r.tool}  ${r.input}`);
  }
  if (s.problems.length > 0) {
    lines.push('', `  malformed lines: ${s.problems.length}`);
    for (const p of s.problems.slice(0, 20)) lines.push(`    line ${p.line}: ${p.message}`);
    if (s.problems.length > 20) lines.push(`    … and ${s.problems.length - 20} more`);
  }
  return lines.join('\n');
}

function formatCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

function formatToolTable(byTool: Readonly<Record<string, AuditCounts>>): string {
  const header = ['tool', 'calls', 'allow', 'ask', 'deny', 'ok', 'error', 'refused', 'cancelled', 'time'];
  const rows = Object.entries(byTool)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([tool, c]) => [
      tool, c.calls, c.decisions.allow, c.decisions.ask, c.decisions.deny,
      c.outcomes.ok, c.outcomes.error, c.outcomes.refused, c.outcomes.cancelled, formatDuration(c.totalDurationMs),
    ].map(String));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const render = (cells: readonly string[]): string =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] as number) : cell.padStart(widths[i] as number))).join('  ')}`;
  return [render(header), ...rows.map(render)].join('\n');
}

function formatDuration(ms: number): string {
  if (ms < 1_000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1_000)} s`;
}
