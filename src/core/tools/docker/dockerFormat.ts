import type Docker from 'dockerode';
import type { DockerEndpoint } from './dockerConnection';
import { dockerUnreachableMessage, isDockerUnreachable } from './dockerConnection';
import { DockerStreamText } from './dockerStreamText';
import { HeadTailBuffer } from '../shell/headTailBuffer';
import { plainTerminalText } from '../../text/terminalText';
import { ThrottledProgress } from '../framework/throttledProgress';
import type { ToolContext } from '../framework/tool';
import type { DockerInput } from './dockerInput';
import { RESULT_OVERHEAD_CHARS } from './dockerInput';

export class DockerFailure extends Error {
  override readonly name = 'DockerFailure';
}

interface EngineError {
  readonly statusCode?: number;
  readonly json?: { message?: string } | null;
  readonly reason?: string;
  readonly message?: string;
}

/** The engine's own words for a failed request ("No such container: x"), without dockerode's HTTP prefix. */
export function engineMessage(error: unknown): string {
  const e = error as EngineError;
  const fromJson = e.json && typeof e.json === 'object' ? e.json.message : undefined;
  return (fromJson ?? e.message ?? String(error)).replace(/^\(HTTP code \d+\)\s*[\w ]+-\s*/, '').trim();
}

export function statusOf(error: unknown): number | undefined {
  const code = (error as EngineError).statusCode;
  return typeof code === 'number' ? code : undefined;
}

export function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

export function budgetBuffer(ctx: ToolContext, headShare = 0.3): HeadTailBuffer {
  return new HeadTailBuffer(Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS), headShare);
}

/** A container's output as it streams: kept within the result budget (head and tail) and echoed to progress. */
export function containerOutput(ctx: ToolContext): { readonly reader: DockerStreamText; text(): string; dispose(): void } {
  const output = budgetBuffer(ctx);
  const progress = new ThrottledProgress((line) => ctx.progress(line));
  const reader = new DockerStreamText(true, (text) => {
    output.push(text);
    progress.pushOutput(text);
  });
  return { reader, text: () => plainTerminalText(output.toString()).replace(/\n$/, ''), dispose: () => progress.dispose() };
}

export function withinResultBudget(text: string, ctx: ToolContext, headShare = 0.7): string {
  const buffer = budgetBuffer(ctx, headShare);
  buffer.push(text);
  return buffer.toString();
}

export function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

export function humanBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value < 10 && unit > 0 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

export function ago(unixSeconds: number): string {
  const seconds = Math.max(0, Date.now() / 1000 - unixSeconds);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}


interface StatsFigures {
  readonly cpuPercent: number;
  readonly memoryUsed: number;
  readonly memoryLimit: number;
  readonly networkRx: number;
  readonly networkTx: number;
  readonly blockRead: number;
  readonly blockWrite: number;
  readonly pids: number | undefined;
}

/** The figures `docker stats` shows, computed the same way (memory excludes the reclaimable page cache). */
export function statsFigures(stats: Docker.ContainerStats): StatsFigures {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const cpuDelta = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const systemDelta = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  const cpus = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  const cpuPercent = systemDelta > 0 && cpuDelta > 0 ? (cpuDelta / systemDelta) * cpus * 100 : 0;
  const memory = stats.memory_stats ?? {};
  const memoryStats = (memory as { stats?: Record<string, number> }).stats ?? {};
  const cache = memoryStats.total_inactive_file ?? memoryStats.inactive_file ?? 0;
  const usage = (memory as { usage?: number }).usage ?? 0;
  const memoryUsed = cache < usage ? usage - cache : usage;
  let networkRx = 0;
  let networkTx = 0;
  for (const network of Object.values(stats.networks ?? {})) {
    networkRx += network.rx_bytes ?? 0;
    networkTx += network.tx_bytes ?? 0;
  }
  let blockRead = 0;
  let blockWrite = 0;
  for (const entry of stats.blkio_stats?.io_service_bytes_recursive ?? []) {
    if (entry.op.toLowerCase() === 'read') blockRead += entry.value;
    if (entry.op.toLowerCase() === 'write') blockWrite += entry.value;
  }
  return { cpuPercent, memoryUsed, memoryLimit: (memory as { limit?: number }).limit ?? 0, networkRx, networkTx, blockRead, blockWrite, pids: stats.pids_stats?.current };
}


export function failureText(error: unknown, input: DockerInput, endpoint: DockerEndpoint): string {
  if (isDockerUnreachable(error)) return dockerUnreachableMessage(error, endpoint);
  const status = statusOf(error);
  const message = engineMessage(error);
  if (status === 404) return `Not found: ${message}. Use the ps (all: true) or images action to see what exists.`;
  if (status === 409) return `Conflict: ${message}`;
  return `docker ${input.action} failed: ${message}`;
}
