import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { PathRefusedError, resolveConfinedPath } from '../../policy/confinement';
import type { DockerEndpoint } from './dockerConnection';
import { connectDocker, dockerUnreachableMessage, isDockerUnreachable } from './dockerConnection';
import { packDockerBuildContext } from './dockerBuildContext';
import { DockerStreamText, dockerOutputText } from './dockerStreamText';
import { HeadTailBuffer } from '../shell/headTailBuffer';
import { markdownFence } from '../framework/markdownFence';
import { plainTerminalText } from '../../text/terminalText';
import { ThrottledProgress } from '../framework/throttledProgress';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import type { ToolRisk } from '../../policy/permissions';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export const DOCKER_READ_ACTIONS = ['ps', 'images', 'inspect', 'logs', 'stats'] as const;
export const DOCKER_EXECUTE_ACTIONS = ['build', 'run', 'stop', 'rm', 'exec'] as const;
export type DockerAction = (typeof DOCKER_READ_ACTIONS)[number] | (typeof DOCKER_EXECUTE_ACTIONS)[number];

/** A command as argv, and as the model wrote it (a string runs through /bin/sh -c). */
export interface DockerCommand {
  readonly argv: readonly string[];
  readonly shown: string;
}

export type DockerInput =
  | { readonly action: 'ps'; readonly all: boolean }
  | { readonly action: 'images' }
  | { readonly action: 'inspect'; readonly target: string }
  | { readonly action: 'logs'; readonly container: string; readonly tail: number; readonly timestamps: boolean }
  | { readonly action: 'stats'; readonly container?: string }
  | { readonly action: 'build'; readonly context: string; readonly dockerfile?: string; readonly tag: string; readonly buildArgs?: Readonly<Record<string, string>> }
  | {
      readonly action: 'run';
      readonly image: string;
      readonly command?: DockerCommand;
      readonly env?: Readonly<Record<string, string>>;
      readonly name?: string;
      readonly detach: boolean;
      readonly rm: boolean;
      readonly timeoutMs?: number;
    }
  | { readonly action: 'stop'; readonly container: string; readonly timeoutSeconds: number }
  | { readonly action: 'rm'; readonly container: string; readonly force: boolean }
  | { readonly action: 'exec'; readonly container: string; readonly command: DockerCommand; readonly timeoutMs?: number };

const DEFAULT_LOG_TAIL = 200;
const MAX_TIMEOUT_MS = 600_000;
const RESULT_OVERHEAD_CHARS = 800;
const MAX_STATS_CONTAINERS = 20;
/** Label on everything this tool creates, so a user can find (and clean up) what the agent started. */
export const DOCKER_CREATED_BY_LABEL = 'devops-agent.created-by';

const CONTAINER_REF = /^\/?[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const CONTAINER_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]+$/;
// repository[:tag][@digest] with an optional registry host:port; the engine enforces the full grammar
const IMAGE_REF = /^[A-Za-z0-9][A-Za-z0-9._/:@-]*$/;

function checked(value: string, pattern: RegExp, key: string, what: string): string {
  const trimmed = value.trim();
  if (trimmed.length > 512 || !pattern.test(trimmed)) throw new ToolInputError(`Docker: "${key}" must be ${what}; got ${JSON.stringify(value)}.`);
  return trimmed;
}

function containerRef(fields: ToolInputFields, key = 'container'): string {
  return checked(fields.requiredString(key, 'a container name or id'), CONTAINER_REF, key, 'a container name or id (see the ps action)').replace(/^\//, '');
}

function imageRef(value: string, key: string): string {
  return checked(value, IMAGE_REF, key, 'an image reference such as local/busybox:latest or myapp:1.2');
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function parseCommand(fields: ToolInputFields, required: boolean): DockerCommand | undefined {
  const raw = fields.raw('command');
  if (raw === undefined) {
    if (required) throw new ToolInputError('Docker: "command" is required: a shell command string, or an argv list like ["ls", "-la", "/app"].');
    return undefined;
  }
  if (typeof raw === 'string') {
    if (raw.trim().length === 0) throw new ToolInputError('Docker: "command" must not be empty.');
    return { argv: ['/bin/sh', '-c', raw], shown: raw };
  }
  const list = fields.optionalStringList('command');
  if (list === undefined || !Array.isArray(raw) || raw.length !== list.length) {
    throw new ToolInputError('Docker: "command" must be a string (run with /bin/sh -c) or a list of non-empty strings (argv).');
  }
  return { argv: list, shown: list.map(shellQuote).join(' ') };
}

function parseTimeout(fields: ToolInputFields): number | undefined {
  return fields.optionalInteger('timeout_ms', 100, MAX_TIMEOUT_MS);
}

function parseDockerInput(input: unknown): DockerInput {
  rejectUnknownFields('Docker', input, [...Object.keys(dockerInputProperties), 'buildArgs']);
  const fields = new ToolInputFields('Docker', input, '{"action": "ps"}');
  const action = fields.requiredChoice<DockerAction>('action', [...DOCKER_READ_ACTIONS, ...DOCKER_EXECUTE_ACTIONS]);
  switch (action) {
    case 'ps':
      return { action, all: fields.optionalBoolean('all') ?? false };
    case 'images':
      return { action };
    case 'inspect': {
      const target = fields.optionalString('target') ?? fields.optionalString('container') ?? fields.optionalString('image');
      if (target === undefined) throw new ToolInputError('Docker: inspect needs "target": a container or image name or id.');
      return { action, target: imageRef(target, 'target').replace(/^\//, '') };
    }
    case 'logs':
      return { action, container: containerRef(fields), tail: fields.optionalInteger('tail', 1, 100_000) ?? DEFAULT_LOG_TAIL, timestamps: fields.optionalBoolean('timestamps') ?? false };
    case 'stats': {
      const container = fields.optionalString('container');
      return container === undefined ? { action } : { action, container: containerRef(fields) };
    }
    case 'build': {
      const dockerfile = fields.optionalString('dockerfile');
      const buildArgs = fields.optionalStringMap('build_args') ?? fields.optionalStringMap('buildArgs');
      if (dockerfile !== undefined && dockerfile.startsWith('-')) throw new ToolInputError('Docker: "dockerfile" must be a path.');
      return {
        action,
        context: fields.requiredString('context', 'the build context folder, e.g. "." or "services/api"'),
        tag: imageRef(fields.requiredString('tag', 'the image name to build, e.g. myapp:dev'), 'tag'),
        ...(dockerfile !== undefined ? { dockerfile } : {}),
        ...(buildArgs !== undefined ? { buildArgs } : {}),
      };
    }
    case 'run': {
      const detach = fields.optionalBoolean('detach') ?? false;
      const rm = fields.optionalBoolean('rm') ?? !detach;
      const name = fields.optionalString('name');
      const command = parseCommand(fields, false);
      const env = fields.optionalStringMap('env');
      const timeoutMs = parseTimeout(fields);
      return {
        action,
        image: imageRef(fields.requiredString('image', 'the image to run, e.g. local/busybox:latest'), 'image'),
        detach,
        rm,
        ...(command !== undefined ? { command } : {}),
        ...(env !== undefined ? { env } : {}),
        ...(name !== undefined ? { name: checked(name, CONTAINER_NAME, 'name', 'a container name of at least 2 characters: letters, digits, _ . -') } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
      };
    }
    case 'stop':
      return { action, container: containerRef(fields), timeoutSeconds: fields.optionalInteger('timeout_s', 0, 600) ?? 10 };
    case 'rm':
      return { action, container: containerRef(fields), force: fields.optionalBoolean('force') ?? false };
    case 'exec': {
      const timeoutMs = parseTimeout(fields);
      return { action, container: containerRef(fields), command: parseCommand(fields, true)!, ...(timeoutMs !== undefined ? { timeoutMs } : {}) };
    }
  }
}

class DockerFailure extends Error {
  override readonly name = 'DockerFailure';
}

interface EngineError {
  readonly statusCode?: number;
  readonly json?: { message?: string } | null;
  readonly reason?: string;
  readonly message?: string;
}

/** The engine's own words for a failed request ("No such container: x"), without dockerode's HTTP prefix. */
function engineMessage(error: unknown): string {
  const e = error as EngineError;
  const fromJson = e.json && typeof e.json === 'object' ? e.json.message : undefined;
  return (fromJson ?? e.message ?? String(error)).replace(/^\(HTTP code \d+\)\s*[\w ]+-\s*/, '').trim();
}

function statusOf(error: unknown): number | undefined {
  const code = (error as EngineError).statusCode;
  return typeof code === 'number' ? code : undefined;
}

function isAbort(error: unknown): boolean {
  const e = error as { name?: string; code?: string };
  return e?.name === 'AbortError' || e?.code === 'ABORT_ERR';
}

function budgetBuffer(ctx: ToolContext, headShare = 0.3): HeadTailBuffer {
  return new HeadTailBuffer(Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS), headShare);
}

/** A container's output as it streams: kept within the result budget (head and tail) and echoed to progress. */
function containerOutput(ctx: ToolContext): { readonly reader: DockerStreamText; text(): string; dispose(): void } {
  const output = budgetBuffer(ctx);
  const progress = new ThrottledProgress((line) => ctx.progress(line));
  const reader = new DockerStreamText(true, (text) => {
    output.push(text);
    progress.pushOutput(text);
  });
  return { reader, text: () => plainTerminalText(output.toString()).replace(/\n$/, ''), dispose: () => progress.dispose() };
}

function bounded(text: string, ctx: ToolContext, headShare = 0.7): string {
  const buffer = budgetBuffer(ctx, headShare);
  buffer.push(text);
  return buffer.toString();
}

function shortId(id: string): string {
  return id.replace(/^sha256:/, '').slice(0, 12);
}

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column]!))).join('  ')).join('\n');
}

function humanBytes(bytes: number): string {
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

function ago(unixSeconds: number): string {
  const seconds = Math.max(0, Date.now() / 1000 - unixSeconds);
  if (seconds < 90) return `${Math.round(seconds)} s ago`;
  if (seconds < 5400) return `${Math.round(seconds / 60)} min ago`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h ago`;
  return `${Math.round(seconds / 86_400)} days ago`;
}

/** One AbortSignal for a request: the chat's cancellation plus an optional timeout, remembering which fired. */
class RequestDeadline {
  readonly controller = new AbortController();
  timedOut = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = (): void => this.controller.abort();

  constructor(
    private readonly outer: AbortSignal,
    timeoutMs?: number,
  ) {
    if (outer.aborted) this.controller.abort();
    else outer.addEventListener('abort', this.onAbort, { once: true });
    this.timer =
      timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            this.timedOut = true;
            this.controller.abort();
          }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Resolves when the deadline fires (cancellation or timeout). */
  get fired(): Promise<void> {
    return new Promise((resolve) => {
      if (this.signal.aborted) resolve();
      else this.signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onAbort);
  }
}

function streamEnded(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ read actions

async function listContainers(docker: Docker, input: { all: boolean }, ctx: ToolContext): Promise<ToolResult> {
  const containers = await docker.listContainers({ all: input.all, abortSignal: ctx.signal });
  if (containers.length === 0) return { ok: true, text: input.all ? 'No containers.' : 'No running containers (pass all: true to include stopped ones).' };
  const rows = [['CONTAINER ID', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'PORTS']];
  for (const c of containers) {
    const ports = (c.Ports ?? [])
      .map((p) => (p.PublicPort ? `${p.IP ? `${p.IP}:` : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
      .join(', ');
    rows.push([shortId(c.Id), (c.Names[0] ?? '').replace(/^\//, ''), c.Image, c.State, c.Status, ports]);
  }
  return { ok: true, text: bounded(`${containers.length} ${input.all ? '' : 'running '}container(s):\n${table(rows)}`, ctx) };
}

async function listImages(docker: Docker, ctx: ToolContext): Promise<ToolResult> {
  const images = await docker.listImages({ abortSignal: ctx.signal });
  if (images.length === 0) return { ok: true, text: 'No images.' };
  const rows = [['REPOSITORY:TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
  for (const image of images.sort((a, b) => b.Created - a.Created)) {
    const tags = image.RepoTags && image.RepoTags.length > 0 ? image.RepoTags : ['<none>:<none>'];
    for (const tag of tags) rows.push([tag, shortId(image.Id), ago(image.Created), humanBytes(image.Size)]);
  }
  return { ok: true, text: bounded(`${images.length} image(s):\n${table(rows)}`, ctx) };
}

async function inspectTarget(docker: Docker, target: string, ctx: ToolContext): Promise<ToolResult> {
  try {
    const info = await docker.getContainer(target).inspect({ abortSignal: ctx.signal });
    return { ok: true, text: bounded(`Container ${target}:\n${JSON.stringify(info, null, 2)}`, ctx) };
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    const info = await docker.getImage(target).inspect();
    return { ok: true, text: bounded(`Image ${target}:\n${JSON.stringify(info, null, 2)}`, ctx) };
  } catch (error) {
    if (statusOf(error) === 404) return { ok: false, text: `No container or image named ${target}. Use the ps (all: true) or images action to list them.` };
    throw error;
  }
}

async function containerLogs(docker: Docker, input: { container: string; tail: number; timestamps: boolean }, ctx: ToolContext): Promise<ToolResult> {
  const container = docker.getContainer(input.container);
  const info = await container.inspect({ abortSignal: ctx.signal });
  const raw = await container.logs({ stdout: true, stderr: true, follow: false, tail: input.tail, timestamps: input.timestamps, abortSignal: ctx.signal });
  const text = plainTerminalText(dockerOutputText(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)), !info.Config.Tty));
  const state = info.State.Running ? 'running' : `${info.State.Status}, exit code ${info.State.ExitCode}`;
  const header = `Last ${input.tail} log line(s) of ${info.Name.replace(/^\//, '')} (${shortId(info.Id)}, ${state}); stderr lines are marked [stderr]:`;
  return { ok: true, text: `${header}\n${bounded(text.length === 0 ? '(no output)' : text.replace(/\n$/, ''), ctx, 0.2)}` };
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

async function containerStats(docker: Docker, input: { container?: string }, ctx: ToolContext): Promise<ToolResult> {
  let targets: { id: string; name: string }[];
  if (input.container !== undefined) {
    const info = await docker.getContainer(input.container).inspect({ abortSignal: ctx.signal });
    if (!info.State.Running) return { ok: false, text: `${input.container} is not running (${info.State.Status}); stats exist only for running containers.` };
    targets = [{ id: info.Id, name: info.Name.replace(/^\//, '') }];
  } else {
    const running = await docker.listContainers({ abortSignal: ctx.signal });
    if (running.length === 0) return { ok: true, text: 'No running containers.' };
    targets = running.slice(0, MAX_STATS_CONTAINERS).map((c) => ({ id: c.Id, name: (c.Names[0] ?? '').replace(/^\//, '') }));
  }
  const rows = [['CONTAINER', 'NAME', 'CPU %', 'MEM USAGE / LIMIT', 'MEM %', 'NET I/O', 'BLOCK I/O', 'PIDS']];
  await Promise.all(
    targets.map(async (target) => {
      // one-shot sample: the engine measures twice about a second apart so CPU % has a delta
      const stats = (await docker.getContainer(target.id).stats({ stream: false })) as Docker.ContainerStats;
      const f = statsFigures(stats);
      const memPercent = f.memoryLimit > 0 ? (f.memoryUsed / f.memoryLimit) * 100 : 0;
      rows.push([
        shortId(target.id),
        target.name,
        `${f.cpuPercent.toFixed(2)}%`,
        `${humanBytes(f.memoryUsed)} / ${humanBytes(f.memoryLimit)}`,
        `${memPercent.toFixed(2)}%`,
        `${humanBytes(f.networkRx)} / ${humanBytes(f.networkTx)}`,
        `${humanBytes(f.blockRead)} / ${humanBytes(f.blockWrite)}`,
        f.pids === undefined ? '-' : String(f.pids),
      ]);
    }),
  );
  return { ok: true, text: bounded(table(rows), ctx) };
}

// ------------------------------------------------------------------ execute actions

interface BuildEvent {
  stream?: string;
  status?: string;
  progress?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  aux?: { ID?: string };
}

/** Reads the engine's JSON-lines progress stream (build, pull); a line that is not JSON is kept as plain text. */
function followJsonLines(stream: NodeJS.ReadableStream, onEvent: (event: BuildEvent) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let pending = '';
    const handle = (line: string): void => {
      const trimmed = line.trim();
      if (trimmed.length === 0) return;
      let event: BuildEvent;
      try {
        event = JSON.parse(trimmed) as BuildEvent;
      } catch {
        event = { stream: `${trimmed}\n` };
      }
      onEvent(event);
    };
    stream.on('data', (chunk: Buffer | string) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(handle);
    });
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      handle(pending);
      resolve();
    };
    stream.on('end', finish);
    stream.on('close', finish);
    stream.on('error', (error: Error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

async function resolveBuildPaths(input: { context: string; dockerfile?: string }, ctx: ToolContext): Promise<{ context: string; dockerfile: string }> {
  const context = await resolveConfinedPath(ctx.roots, input.context);
  const stat = await fs.stat(context.absolute).catch(() => undefined);
  if (!stat?.isDirectory()) throw new DockerFailure(`The build context ${input.context} is not a folder.`);
  const requested = input.dockerfile ?? 'Dockerfile';
  // a relative dockerfile is relative to the context, as with `docker build -f` run from the context folder
  const dockerfilePath = path.isAbsolute(requested) ? requested : path.join(context.absolute, requested);
  const dockerfile = await resolveConfinedPath(ctx.roots, dockerfilePath);
  if (!dockerfile.exists) throw new DockerFailure(`No Dockerfile at ${dockerfile.absolute}; pass "dockerfile" (relative to the context) if it has another name.`);
  return { context: context.absolute, dockerfile: dockerfile.absolute };
}

async function buildImage(docker: Docker, input: Extract<DockerInput, { action: 'build' }>, ctx: ToolContext): Promise<ToolResult> {
  const started = Date.now();
  const paths = await resolveBuildPaths(input, ctx);
  const packed = await packDockerBuildContext(paths.context, paths.dockerfile);
  const output = budgetBuffer(ctx);
  const progress = new ThrottledProgress((line) => ctx.progress(line));
  let imageId: string | undefined;
  let failure: string | undefined;
  try {
    const stream = await docker.buildImage(packed.tarStream, {
      t: input.tag,
      dockerfile: packed.dockerfileName,
      rm: true,
      forcerm: true,
      labels: { [DOCKER_CREATED_BY_LABEL]: 'devops-agent' },
      ...(input.buildArgs !== undefined ? { buildargs: { ...input.buildArgs } } : {}),
      abortSignal: ctx.signal,
    });
    await followJsonLines(stream, (event) => {
      if (event.error !== undefined || event.errorDetail?.message !== undefined) {
        failure = event.errorDetail?.message ?? event.error;
        output.push(`ERROR: ${failure}\n`);
        return;
      }
      if (event.aux?.ID !== undefined) imageId = event.aux.ID;
      const text = event.stream ?? (event.status !== undefined ? `${event.id !== undefined ? `${event.id}: ` : ''}${event.status}\n` : '');
      if (text.length === 0) return;
      output.push(text);
      const step = /^Step \d+\/\d+ : .*/m.exec(text);
      if (step) progress.pushLine(step[0], true);
      else progress.pushOutput(text);
    });
    // an aborted request ends the stream like a finished one
    if (ctx.signal.aborted) throw new DockerFailure(`docker build ${input.tag} was cancelled; the engine stops the build when the request is dropped.`);
  } finally {
    progress.dispose();
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const context = `Context ${paths.context}: ${packed.entries.length} entr${packed.entries.length === 1 ? 'y' : 'ies'} sent${packed.excluded > 0 ? `, ${packed.excluded} excluded by .dockerignore` : ''}.`;
  const log = plainTerminalText(output.toString()).replace(/\n+$/, '');
  if (failure !== undefined) {
    return { ok: false, text: `Build of ${input.tag} failed after ${seconds} s: ${failure}\n${context}\nBuild output:\n${log}` };
  }
  const id = imageId ?? (await docker.getImage(input.tag).inspect().then((i) => i.Id).catch(() => undefined));
  return { ok: true, text: `Built ${input.tag}${id !== undefined ? ` (${shortId(id)})` : ''} in ${seconds} s.\n${context}\nBuild output:\n${log}` };
}

async function createContainerPullingIfMissing(docker: Docker, options: Docker.ContainerCreateOptions, image: string, ctx: ToolContext): Promise<Docker.Container> {
  try {
    return await docker.createContainer({ ...options, abortSignal: ctx.signal });
  } catch (error) {
    if (statusOf(error) !== 404 || !/no such image/i.test(engineMessage(error))) throw error;
  }
  ctx.progress(`pulling ${image}`);
  try {
    const stream = await docker.pull(image, { abortSignal: ctx.signal });
    let pullError: string | undefined;
    await followJsonLines(stream, (event) => {
      if (event.error !== undefined) pullError = event.errorDetail?.message ?? event.error;
      else if (event.status !== undefined) ctx.progress(`${event.id !== undefined ? `${event.id}: ` : ''}${event.status}`);
    });
    if (ctx.signal.aborted) throw new DockerFailure(`Pulling ${image} was cancelled.`);
    if (pullError !== undefined) throw new DockerFailure(pullError);
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new DockerFailure(`Image ${image} is not present locally and pulling it failed: ${engineMessage(error)}. Build it first (build action) or use a local image (images action).`);
  }
  return docker.createContainer({ ...options, abortSignal: ctx.signal });
}

/** Stops (and optionally removes) a container after cancellation or timeout; never throws. */
async function stopQuietly(container: Docker.Container, remove: boolean): Promise<void> {
  await container.stop({ t: 1 }).catch(() => undefined);
  if (remove) await container.remove({ force: true }).catch(() => undefined);
}

function envList(env: Readonly<Record<string, string>> | undefined): string[] | undefined {
  return env === undefined ? undefined : Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

async function runContainer(docker: Docker, input: Extract<DockerInput, { action: 'run' }>, ctx: ToolContext): Promise<ToolResult> {
  const started = Date.now();
  const options: Docker.ContainerCreateOptions = {
    Image: input.image,
    Tty: false,
    OpenStdin: false,
    AttachStdin: false,
    AttachStdout: !input.detach,
    AttachStderr: !input.detach,
    Labels: { [DOCKER_CREATED_BY_LABEL]: 'devops-agent' },
    // an init process as PID 1 forwards SIGTERM, so stop does not wait 10 s for a shell that ignores it
    HostConfig: { Init: true, AutoRemove: false },
    ...(input.command !== undefined ? { Cmd: [...input.command.argv] } : {}),
    ...(input.env !== undefined ? { Env: envList(input.env) } : {}),
    ...(input.name !== undefined ? { name: input.name } : {}),
  };
  const container = await createContainerPullingIfMissing(docker, options, input.image, ctx);
  const label = input.name ?? shortId(container.id);

  if (input.detach) {
    try {
      await container.start({ abortSignal: ctx.signal });
    } catch (error) {
      if (input.rm) await container.remove({ force: true }).catch(() => undefined);
      throw error;
    }
    await delay(300);
    const info = await container.inspect();
    if (info.State.Running) {
      return { ok: true, text: `Started container ${label} (${shortId(info.Id)}) from ${input.image} in the background. Use the logs, stats, exec, stop and rm actions with container "${label}".` };
    }
    const logs = dockerOutputText((await container.logs({ stdout: true, stderr: true, tail: 50 })) as Buffer, true);
    if (input.rm) await container.remove({ force: true }).catch(() => undefined);
    return {
      ok: info.State.ExitCode === 0,
      text: `Container ${label} from ${input.image} already exited with code ${info.State.ExitCode}${info.State.Error ? ` (${info.State.Error})` : ''}.\nOutput:\n${bounded(logs.replace(/\n$/, '') || '(no output)', ctx, 0.3)}`,
    };
  }

  const deadline = new RequestDeadline(ctx.signal, input.timeoutMs ?? ctx.limits.bashTimeoutMs);
  const output = containerOutput(ctx);
  try {
    const stream = await container.attach({ stream: true, stdout: true, stderr: true, abortSignal: deadline.signal });
    stream.on('data', (chunk: Buffer) => output.reader.push(chunk));
    const ended = streamEnded(stream);
    await container.start({ abortSignal: deadline.signal });
    const outcome = await Promise.race([container.wait({ abortSignal: deadline.signal }).then((r: { StatusCode: number }) => r), deadline.fired.then(() => undefined)]);
    if (outcome === undefined) {
      await stopQuietly(container, input.rm);
      output.reader.end();
      const why = deadline.timedOut ? `timed out after ${Math.round((input.timeoutMs ?? ctx.limits.bashTimeoutMs) / 1000)} s` : 'was cancelled';
      return { ok: false, text: `docker run ${input.image} ${why}; container ${label} was stopped${input.rm ? ' and removed' : ''}.\nOutput so far:\n${output.text() || '(no output)'}` };
    }
    await Promise.race([ended, delay(2_000)]);
    output.reader.end();
    if (input.rm) await container.remove({ force: true }).catch(() => undefined);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const text = output.text();
    return {
      ok: outcome.StatusCode === 0,
      text: `Container ${label} from ${input.image} exited with code ${outcome.StatusCode} after ${seconds} s${input.rm ? ' and was removed' : ` (kept; remove it with the rm action)`}. Stderr lines are marked [stderr].\nOutput:\n${text.length === 0 ? '(no output)' : text}`,
    };
  } catch (error) {
    if (deadline.signal.aborted) {
      await stopQuietly(container, input.rm);
      return { ok: false, text: `docker run ${input.image} ${deadline.timedOut ? 'timed out' : 'was cancelled'}; container ${label} was stopped${input.rm ? ' and removed' : ''}.` };
    }
    if (input.rm) await container.remove({ force: true }).catch(() => undefined);
    throw error;
  } finally {
    output.dispose();
    deadline.dispose();
  }
}

async function stopContainer(docker: Docker, input: { container: string; timeoutSeconds: number }, ctx: ToolContext): Promise<ToolResult> {
  const container = docker.getContainer(input.container);
  try {
    await container.stop({ t: input.timeoutSeconds, abortSignal: ctx.signal });
  } catch (error) {
    if (statusOf(error) === 304) return { ok: true, text: `${input.container} was already stopped.` };
    throw error;
  }
  const info = await container.inspect().catch(() => undefined);
  return { ok: true, text: `Stopped ${input.container}${info ? ` (exit code ${info.State.ExitCode})` : ''}.` };
}

async function removeContainer(docker: Docker, input: { container: string; force: boolean }, ctx: ToolContext): Promise<ToolResult> {
  try {
    await docker.getContainer(input.container).remove({ force: input.force, abortSignal: ctx.signal });
  } catch (error) {
    if (statusOf(error) === 409 && /running|stop/i.test(engineMessage(error))) {
      return { ok: false, text: `${input.container} is running: stop it first (stop action) or pass force: true. Engine: ${engineMessage(error)}` };
    }
    throw error;
  }
  return { ok: true, text: `Removed container ${input.container}.` };
}

async function execInContainer(docker: Docker, input: Extract<DockerInput, { action: 'exec' }>, ctx: ToolContext): Promise<ToolResult> {
  const started = Date.now();
  const container = docker.getContainer(input.container);
  const exec = await container.exec({ Cmd: [...input.command.argv], AttachStdout: true, AttachStderr: true, AttachStdin: false, Tty: false, abortSignal: ctx.signal });
  const deadline = new RequestDeadline(ctx.signal, input.timeoutMs ?? ctx.limits.bashTimeoutMs);
  const output = containerOutput(ctx);
  try {
    const stream = await exec.start({ hijack: true, stdin: false, abortSignal: deadline.signal });
    stream.on('data', (chunk: Buffer) => output.reader.push(chunk));
    const ended = streamEnded(stream);
    const finished = await Promise.race([ended.then(() => true), deadline.fired.then(() => false)]);
    if (!finished) stream.destroy();
    output.reader.end();
    const text = output.text();
    if (!finished) {
      return {
        ok: false,
        text: `exec in ${input.container} ${deadline.timedOut ? 'timed out' : 'was cancelled'}; the process may still run inside the container (stop the container to end it).\nOutput so far:\n${text || '(no output)'}`,
      };
    }
    const info = await exec.inspect();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return { ok: info.ExitCode === 0, text: `Exit code ${info.ExitCode ?? 'unknown'} after ${seconds} s in ${input.container}. Stderr lines are marked [stderr].\nOutput:\n${text.length === 0 ? '(no output)' : text}` };
  } finally {
    output.dispose();
    deadline.dispose();
  }
}

// ------------------------------------------------------------------ the tool

function isExecuteAction(action: DockerAction): boolean {
  return (DOCKER_EXECUTE_ACTIONS as readonly string[]).includes(action);
}

function failureText(error: unknown, input: DockerInput, endpoint: DockerEndpoint): string {
  if (isDockerUnreachable(error)) return dockerUnreachableMessage(error, endpoint);
  const status = statusOf(error);
  const message = engineMessage(error);
  if (status === 404) return `Not found: ${message}. Use the ps (all: true) or images action to see what exists.`;
  if (status === 409) return `Conflict: ${message}`;
  return `docker ${input.action} failed: ${message}`;
}

const dockerInputProperties = {
  action: { type: 'string', enum: [...DOCKER_READ_ACTIONS, ...DOCKER_EXECUTE_ACTIONS] },
  all: { type: 'boolean', description: 'ps: include stopped containers.' },
  target: { type: 'string', description: 'inspect: container or image name or id.' },
  container: { type: 'string', description: 'logs, stats, exec, stop, rm: container name or id.' },
  tail: { type: 'number', description: `logs: how many last lines (default ${DEFAULT_LOG_TAIL}).` },
  timestamps: { type: 'boolean', description: 'logs: prefix lines with timestamps.' },
  context: { type: 'string', description: 'build: the context folder, relative to the workspace.' },
  dockerfile: { type: 'string', description: 'build: Dockerfile path relative to the context (default Dockerfile).' },
  tag: { type: 'string', description: 'build: image name and tag, e.g. myapp:dev.' },
  build_args: { type: 'object', additionalProperties: { type: 'string' }, description: 'build: ARG values.' },
  image: { type: 'string', description: 'run: the image.' },
  command: { description: 'run, exec: a string (run with /bin/sh -c) or a list of arguments.', anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
  env: { type: 'object', additionalProperties: { type: 'string' }, description: 'run: environment variables.' },
  name: { type: 'string', description: 'run: container name.' },
  detach: { type: 'boolean', description: 'run: start in the background and return at once (default false).' },
  rm: { type: 'boolean', description: 'run: remove the container when it exits (default true unless detach).' },
  timeout_ms: { type: 'number', description: 'run (not detached), exec: stop waiting after this many milliseconds (default 120000).' },
  timeout_s: { type: 'number', description: 'stop: seconds to wait before killing (default 10).' },
  force: { type: 'boolean', description: 'rm: remove even if running.' },
};

export const dockerTool: Tool<DockerInput> = {
  name: 'Docker',
  id: 'devops_docker',
  description:
    'Talks to the Docker engine. Read actions: ps (all?), images, inspect (target: container or image), logs (container; tail, default ' +
    '200; timestamps?), stats (container?, one sample: CPU %, memory, I/O). Actions that run things, confirmed first: build (context ' +
    'folder, tag, dockerfile relative to the context, build_args; honours .dockerignore), run (image; command as a string for /bin/sh -c ' +
    'or an argv list; env; name; detach, default false = wait and return exit code and output; rm, default true when not detached), ' +
    'exec (container, command), stop (container, timeout_s), rm (container, force?). Stderr lines are marked [stderr]; output is bounded.',
  inputSchema: {
    type: 'object',
    properties: dockerInputProperties,
    required: ['action'],
    additionalProperties: false,
  },
  risk: 'execute',

  parse: parseDockerInput,

  riskOf(input: DockerInput): ToolRisk {
    return isExecuteAction(input.action) ? 'execute' : 'read';
  },

  subjectOf(input: DockerInput): string {
    switch (input.action) {
      case 'inspect':
        return `inspect ${input.target}`;
      case 'logs':
        return `logs ${input.container}`;
      case 'stats':
        return input.container !== undefined ? `stats ${input.container}` : 'stats';
      case 'build':
        return `build ${input.tag}`;
      case 'run':
        return `run ${input.image}${input.command !== undefined ? ` ${input.command.shown}` : ''}`;
      case 'exec':
        return `exec ${input.container} ${input.command.shown}`;
      case 'stop':
      case 'rm':
        return `${input.action} ${input.container}`;
      default:
        return input.action;
    }
  },

  pathsOf(input: DockerInput): readonly string[] {
    if (input.action !== 'build') return [];
    if (input.dockerfile === undefined) return [input.context];
    return [input.context, path.isAbsolute(input.dockerfile) ? input.dockerfile : path.join(input.context, input.dockerfile)];
  },

  async preview(input: DockerInput, ctx: ToolContext): Promise<ToolPreview> {
    const endpoint = connectDocker(ctx.environment);
    const engine = `Engine: \`${endpoint.address}\``;
    switch (input.action) {
      case 'build': {
        const args = input.buildArgs !== undefined ? `\n\nBuild args (values hidden): ${Object.keys(input.buildArgs).map((k) => `\`${k}\``).join(', ')}` : '';
        return {
          title: `Docker build ${input.tag}`,
          detail: `${markdownFence(`docker build -t ${input.tag} -f ${input.dockerfile ?? 'Dockerfile'} ${input.context}`, 'bash')}\n\nContext folder: \`${input.context}\` (.dockerignore honoured)${args}\n\n${engine}`,
        };
      }
      case 'run': {
        const env = input.env !== undefined ? `\n\nEnvironment (values hidden): ${Object.keys(input.env).map((k) => `\`${k}\``).join(', ')}` : '';
        const line = ['docker run', input.detach ? '--detach' : '', input.rm ? '--rm' : '', '--init', input.name !== undefined ? `--name ${input.name}` : '', input.image, input.command?.shown ?? '']
          .filter((p) => p !== '')
          .join(' ');
        return {
          title: `Docker run ${input.image}`,
          detail: `${markdownFence(line, 'bash')}\n\nImage: \`${input.image}\`\nCommand: ${input.command !== undefined ? `\`${input.command.shown}\`` : "the image's default"}\nContainer name: ${input.name !== undefined ? `\`${input.name}\`` : '(generated)'}${env}\n\n${engine}`,
        };
      }
      case 'exec':
        return { title: `Docker exec in ${input.container}`, detail: `${markdownFence(`docker exec ${input.container} ${input.command.shown}`, 'bash')}\n\n${engine}` };
      case 'stop':
        return { title: `Docker stop ${input.container}`, detail: `${markdownFence(`docker stop -t ${input.timeoutSeconds} ${input.container}`, 'bash')}\n\n${engine}` };
      case 'rm':
        return { title: `Docker rm ${input.container}`, detail: `${markdownFence(`docker rm ${input.force ? '--force ' : ''}${input.container}`, 'bash')}\n\n${engine}` };
      default:
        return { title: `Docker ${input.action}`, detail: `${markdownFence(`docker ${dockerTool.subjectOf(input)}`, 'bash')}\n\n${engine}` };
    }
  },

  async run(input: DockerInput, ctx: ToolContext): Promise<ToolResult> {
    let endpoint: DockerEndpoint;
    try {
      endpoint = connectDocker(ctx.environment);
    } catch (error) {
      return { ok: false, text: `Cannot use the Docker host: ${(error as Error).message}` };
    }
    const { docker } = endpoint;
    try {
      switch (input.action) {
        case 'ps':
          return await listContainers(docker, input, ctx);
        case 'images':
          return await listImages(docker, ctx);
        case 'inspect':
          return await inspectTarget(docker, input.target, ctx);
        case 'logs':
          return await containerLogs(docker, input, ctx);
        case 'stats':
          return await containerStats(docker, input, ctx);
        case 'build':
          return await buildImage(docker, input, ctx);
        case 'run':
          return await runContainer(docker, input, ctx);
        case 'stop':
          return await stopContainer(docker, input, ctx);
        case 'rm':
          return await removeContainer(docker, input, ctx);
        case 'exec':
          return await execInContainer(docker, input, ctx);
      }
    } catch (error) {
      if (ctx.signal.aborted || isAbort(error)) return { ok: false, text: `docker ${input.action} was cancelled.` };
      if (error instanceof DockerFailure || error instanceof PathRefusedError || error instanceof ToolInputError) return { ok: false, text: error.message };
      return { ok: false, text: failureText(error, input, endpoint) };
    }
  },
};
