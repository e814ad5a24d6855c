import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { resolveConfinedPath } from '../../policy/confinement';
import { packDockerBuildContext } from './dockerBuildContext';
import { dockerOutputText } from './dockerStreamText';
import { plainTerminalText } from '../../text/terminalText';
import { ThrottledProgress } from '../framework/throttledProgress';
import type { ToolContext, ToolResult } from '../framework/tool';
import { DockerFailure, ago, withinResultBudget, budgetBuffer, containerOutput, engineMessage, humanBytes, isAbort, shortId, statsFigures, statusOf, table } from './dockerFormat';
import type { DockerInput } from './dockerInput';
import { DOCKER_CREATED_BY_LABEL, MAX_STATS_CONTAINERS } from './dockerInput';

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

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ------------------------------------------------------------------ read actions

export async function listContainers(docker: Docker, input: { all: boolean }, ctx: ToolContext): Promise<ToolResult> {
  const containers = await docker.listContainers({ all: input.all, abortSignal: ctx.signal });
  if (containers.length === 0) return { ok: true, text: input.all ? 'No containers.' : 'No running containers (pass all: true to include stopped ones).' };
  const rows = [['CONTAINER ID', 'NAME', 'IMAGE', 'STATE', 'STATUS', 'PORTS']];
  for (const c of containers) {
    const ports = (c.Ports ?? [])
      .map((p) => (p.PublicPort ? `${p.IP ? `${p.IP}:` : ''}${p.PublicPort}->${p.PrivatePort}/${p.Type}` : `${p.PrivatePort}/${p.Type}`))
      .join(', ');
    rows.push([shortId(c.Id), (c.Names[0] ?? '').replace(/^\//, ''), c.Image, c.State, c.Status, ports]);
  }
  return { ok: true, text: withinResultBudget(`${containers.length} ${input.all ? '' : 'running '}container(s):\n${table(rows)}`, ctx) };
}

export async function listImages(docker: Docker, ctx: ToolContext): Promise<ToolResult> {
  const images = await docker.listImages({ abortSignal: ctx.signal });
  if (images.length === 0) return { ok: true, text: 'No images.' };
  const rows = [['REPOSITORY:TAG', 'IMAGE ID', 'CREATED', 'SIZE']];
  for (const image of images.sort((a, b) => b.Created - a.Created)) {
    const tags = image.RepoTags && image.RepoTags.length > 0 ? image.RepoTags : ['<none>:<none>'];
    for (const tag of tags) rows.push([tag, shortId(image.Id), ago(image.Created), humanBytes(image.Size)]);
  }
  return { ok: true, text: withinResultBudget(`${images.length} image(s):\n${table(rows)}`, ctx) };
}

export async function inspectTarget(docker: Docker, target: string, ctx: ToolContext): Promise<ToolResult> {
  try {
    const info = await docker.getContainer(target).inspect({ abortSignal: ctx.signal });
    return { ok: true, text: withinResultBudget(`Container ${target}:\n${JSON.stringify(info, null, 2)}`, ctx) };
  } catch (error) {
    if (statusOf(error) !== 404) throw error;
  }
  try {
    const info = await docker.getImage(target).inspect();
    return { ok: true, text: withinResultBudget(`Image ${target}:\n${JSON.stringify(info, null, 2)}`, ctx) };
  } catch (error) {
    if (statusOf(error) === 404) return { ok: false, text: `No container or image named ${target}. Use the ps (all: true) or images action to list them.` };
    throw error;
  }
}

export async function containerLogs(docker: Docker, input: { container: string; tail: number; timestamps: boolean }, ctx: ToolContext): Promise<ToolResult> {
  const container = docker.getContainer(input.container);
  const info = await container.inspect({ abortSignal: ctx.signal });
  const raw = await container.logs({ stdout: true, stderr: true, follow: false, tail: input.tail, timestamps: input.timestamps, abortSignal: ctx.signal });
  const text = plainTerminalText(dockerOutputText(Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw)), !info.Config.Tty));
  const state = info.State.Running ? 'running' : `${info.State.Status}, exit code ${info.State.ExitCode}`;
  const header = `Last ${input.tail} log line(s) of ${info.Name.replace(/^\//, '')} (${shortId(info.Id)}, ${state}); stderr lines are marked [stderr]:`;
  return { ok: true, text: `${header}\n${withinResultBudget(text.length === 0 ? '(no output)' : text.replace(/\n$/, ''), ctx, 0.2)}` };
}


export async function containerStats(docker: Docker, input: { container?: string }, ctx: ToolContext): Promise<ToolResult> {
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
  return { ok: true, text: withinResultBudget(table(rows), ctx) };
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

export async function buildImage(docker: Docker, input: Extract<DockerInput, { action: 'build' }>, ctx: ToolContext): Promise<ToolResult> {
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

export async function runContainer(docker: Docker, input: Extract<DockerInput, { action: 'run' }>, ctx: ToolContext): Promise<ToolResult> {
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
      text: `Container ${label} from ${input.image} already exited with code ${info.State.ExitCode}${info.State.Error ? ` (${info.State.Error})` : ''}.\nOutput:\n${withinResultBudget(logs.replace(/\n$/, '') || '(no output)', ctx, 0.3)}`,
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

export async function stopContainer(docker: Docker, input: { container: string; timeoutSeconds: number }, ctx: ToolContext): Promise<ToolResult> {
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

export async function removeContainer(docker: Docker, input: { container: string; force: boolean }, ctx: ToolContext): Promise<ToolResult> {
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

export async function execInContainer(docker: Docker, input: Extract<DockerInput, { action: 'exec' }>, ctx: ToolContext): Promise<ToolResult> {
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

