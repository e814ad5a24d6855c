import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { resolveConfinedPath } from '../../policy/confinement';
import { sandboxAvailability, sandboxRefusalMessage } from '../../sandbox/sandboxAvailability';
import type { SandboxedCommand } from '../../sandbox/sandboxedCommand';
import { prepareSandboxedCommand } from '../../sandbox/sandboxedCommand';
import type { SandboxSettings } from '../../sandbox/sandboxSettings';
import { DEFAULT_SANDBOX_SETTINGS, SANDBOX_ENABLED_SETTING } from '../../sandbox/sandboxSettings';
import { MAX_READ_ONLY_HARD_LINKS, MAX_SCANNED_ENTRIES } from '../../sandbox/secretLocations';
import { HeadTailBuffer } from './headTailBuffer';
import { markdownFence } from '../framework/markdownFence';
import { processGroupAlive, terminateProcessGroup, waitForProcessGroupExit } from './processGroup';
import { plainTerminalText } from '../../text/terminalText';
import { ThrottledProgress } from '../framework/throttledProgress';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import type { ToolRisk } from '../../policy/permissions';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface BashInput {
  readonly command: string;
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly description?: string;
}

const BASH_MAX_TIMEOUT_MS = 600_000;
const BASH_MIN_TIMEOUT_MS = 100;
/** Room in the result for the status lines around the output. */
const RESULT_OVERHEAD_CHARS = 600;
/** How long stdout/stderr may stay open after the shell exits (a background child holding the pipe). */
const PIPE_DRAIN_MS = 300;

/**
 * The variables every command sees on top of the inherited environment: pagers off and a dumb terminal so git,
 * less or man never wait for a key, and no prompt for credentials. CI is left alone on purpose: CI=1 changes what
 * builds do (some treat warnings as errors, skip watch modes or use CI-only reporters), which is not ours to decide.
 */
const BASH_ENVIRONMENT_OVERRIDES: Readonly<Record<string, string>> = {
  PAGER: 'cat',
  GIT_PAGER: 'cat',
  TERM: 'dumb',
  NO_COLOR: '1',
  GIT_TERMINAL_PROMPT: '0',
};

function parseBashInput(input: unknown): BashInput {
  rejectUnknownFields('Bash', input, [...Object.keys(bashInputProperties), 'timeoutMs']);
  const fields = new ToolInputFields('Bash', input, '{"command": "npm test"}');
  const command = fields.requiredString('command', 'the shell command to run');
  const cwd = fields.optionalString('cwd');
  const description = fields.optionalString('description');
  const rawTimeout = fields.raw('timeout_ms') ?? fields.raw('timeoutMs');
  let timeoutMs: number | undefined;
  if (rawTimeout !== undefined) {
    if (typeof rawTimeout !== 'number' || !Number.isFinite(rawTimeout) || rawTimeout < BASH_MIN_TIMEOUT_MS || rawTimeout > BASH_MAX_TIMEOUT_MS) {
      throw new ToolInputError(`Bash: "timeout_ms" must be a number of milliseconds from ${BASH_MIN_TIMEOUT_MS} to ${BASH_MAX_TIMEOUT_MS} (10 minutes).`);
    }
    timeoutMs = Math.round(rawTimeout);
  }
  return {
    command,
    ...(cwd !== undefined ? { cwd } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(description !== undefined ? { description: description.trim() } : {}),
  };
}

async function resolveWorkingFolder(input: BashInput, ctx: ToolContext): Promise<string> {
  if (ctx.roots.length === 0) throw new ToolInputError('Bash: no workspace folder is open, so there is no folder to run the command in.');
  if (input.cwd === undefined) return ctx.roots[0]!;
  const confined = await resolveConfinedPath(ctx.roots, input.cwd);
  const stat = await fs.stat(confined.absolute).catch(() => undefined);
  if (stat === undefined) throw new ToolInputError(`Bash: the working folder "${input.cwd}" does not exist.`);
  if (!stat.isDirectory()) throw new ToolInputError(`Bash: the working folder "${input.cwd}" is a file, not a folder.`);
  return confined.absolute;
}

function effectiveTimeout(input: BashInput, ctx: ToolContext): number {
  return Math.min(input.timeoutMs ?? ctx.limits.bashTimeoutMs, BASH_MAX_TIMEOUT_MS);
}

function formatDuration(ms: number): string {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

interface CommandOutcome {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ended: 'exited' | 'timeout' | 'cancelled';
  readonly leftoversStopped: boolean;
  readonly durationMs: number;
  readonly spawnError?: string;
}

/** A process to start: `bash -c COMMAND`, or bubblewrap around it. */
interface ProcessSpec {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** True for the sandbox script, which says on fd 3 whether the command left processes behind. */
  readonly reportsLeftovers?: boolean;
}

/**
 * Runs a process in its own process group and ends the whole group on timeout, cancellation or exit. fd 3 is a pipe
 * the sandbox script reports on ("leftovers"): in the sandbox, processes the command left behind die with its PID
 * namespace, so only the script inside can tell they existed.
 */
async function runInProcessGroup(
  spec: ProcessSpec,
  timeoutMs: number,
  signal: AbortSignal,
  onOutput: (chunk: Buffer) => void,
): Promise<CommandOutcome> {
  const started = Date.now();
  const child = spawn(spec.file, [...spec.args], {
    cwd: spec.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    env: spec.env,
    windowsHide: true,
  });
  const stdout = child.stdout as Readable;
  const stderr = child.stderr as Readable;
  let report = '';
  const reportPipe = child.stdio[3] as Readable | null;
  reportPipe?.on('data', (chunk: Buffer) => { report += chunk.toString('utf8'); });
  reportPipe?.on('error', () => undefined);
  let ended: CommandOutcome['ended'] = 'exited';
  let termination: Promise<boolean> | undefined;
  const stopGroup = (why: 'timeout' | 'cancelled'): void => {
    if (termination !== undefined || child.pid === undefined) return;
    ended = why;
    termination = terminateProcessGroup(child.pid);
  };
  const timer = setTimeout(() => stopGroup('timeout'), timeoutMs);
  const onAbort = (): void => stopGroup('cancelled');
  signal.addEventListener('abort', onAbort, { once: true });

  stdout.on('data', onOutput);
  stderr.on('data', onOutput);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: string }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error: error.message }));
      child.once('exit', (code, exitSignal) => resolve({ code, signal: exitSignal }));
    });
    if (exit.error !== undefined) {
      return { exitCode: null, signal: null, ended, leftoversStopped: false, durationMs: Date.now() - started, spawnError: exit.error };
    }
    // give the pipes a moment to deliver what the shell wrote last; a background child may keep them open
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_MS))]);
    let leftoversStopped = false;
    const pgid = child.pid!;
    // bubblewrap's outer process exits as soon as it has the status; the namespace's processes die a moment later
    if (termination === undefined && spec.reportsLeftovers) await waitForProcessGroupExit(pgid, 250, 2);
    if (termination === undefined && processGroupAlive(pgid)) {
      // in the sandbox, members still listed are the namespace being torn down; the script's report tells instead
      leftoversStopped = !spec.reportsLeftovers;
      termination = terminateProcessGroup(pgid);
    }
    if (termination !== undefined) await termination;
    else await waitForProcessGroupExit(pgid, 1_000);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_MS))]);
    if (spec.reportsLeftovers) leftoversStopped = report.includes('leftovers');
    return { exitCode: exit.code, signal: exit.signal, ended, leftoversStopped, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    stdout.destroy();
    stderr.destroy();
    reportPipe?.destroy();
  }
}

/** The signal behind a shell-style exit code 128+N (bubblewrap reports a command killed by a signal that way). */
function signalOfExitCode(code: number | null): NodeJS.Signals | undefined {
  if (code === null || code <= 128 || code > 128 + 64) return undefined;
  const found = Object.entries(os.constants.signals).find(([, number]) => number === code - 128);
  return found?.[0] as NodeJS.Signals | undefined;
}

function statusLine(outcome: CommandOutcome, timeoutMs: number, sandboxed: boolean): string {
  const took = formatDuration(outcome.durationMs);
  if (outcome.ended === 'timeout') {
    return `Timed out after ${formatDuration(timeoutMs)}: the command and every process it started were stopped (SIGTERM, then SIGKILL). Raise timeout_ms (at most ${BASH_MAX_TIMEOUT_MS / 60_000} minutes) or run less at once.`;
  }
  if (outcome.ended === 'cancelled') return `Cancelled after ${took}: the command and every process it started were stopped.`;
  if (outcome.signal !== null) return `Killed by signal ${outcome.signal} after ${took}.`;
  const signalled = sandboxed ? signalOfExitCode(outcome.exitCode) : undefined;
  if (signalled !== undefined) return `Killed by signal ${signalled} after ${took} (exit code ${outcome.exitCode}).`;
  return `Exit code ${outcome.exitCode ?? 'unknown'} after ${took}.`;
}

const bashInputProperties = {
  command: { type: 'string', description: 'The shell command line, run as `bash -c COMMAND`.' },
  cwd: { type: 'string', description: 'Working folder, relative to the first workspace folder or absolute inside a workspace folder. Default: the first workspace folder.' },
  timeout_ms: { type: 'number', description: `Milliseconds before the command is stopped (default 120000, at most ${BASH_MAX_TIMEOUT_MS}).` },
  description: { type: 'string', description: 'Five to ten words saying what the command does, shown when asking to run it.' },
};

/** The sandbox settings in force: the context's, else sandboxed with no host allowed. */
function sandboxSettingsOf(ctx: ToolContext): SandboxSettings {
  return ctx.environment.sandbox ?? DEFAULT_SANDBOX_SETTINGS;
}

/** The refusal when the sandbox is on but cannot run here: why, how to fix it, and the explicit way around it. */
async function sandboxRefusal(ctx: ToolContext): Promise<string | undefined> {
  const settings = sandboxSettingsOf(ctx);
  if (!settings.enabled) return undefined;
  const availability = await sandboxAvailability(settings.allowedHosts.length > 0);
  if (availability.ok) return undefined;
  return sandboxRefusalMessage(availability);
}

/** One line for the confirmation and the result: what the command can and cannot reach. */
function sandboxSummary(ctx: ToolContext): string {
  const settings = sandboxSettingsOf(ctx);
  if (!settings.enabled) {
    return `**⚠ Runs WITHOUT the sandbox** (${SANDBOX_ENABLED_SETTING} is false): the command can read and write anything your user can and reach the network.`;
  }
  const network = settings.allowedHosts.length === 0 ? 'no network' : `network only to ${settings.allowedHosts.join(', ')}`;
  return `Sandboxed: writes only in the workspace folder${ctx.roots.length > 1 ? 's' : ''} and a private /tmp; secrets (~/.ssh, ~/.aws, .env, …) hidden; ${network}; no Docker socket.`;
}

/** The process to start: bubblewrap around the command, or the command alone when the user turned the sandbox off. */
async function processSpecFor(input: BashInput, cwd: string, ctx: ToolContext): Promise<{ spec: ProcessSpec; sandboxed?: SandboxedCommand } | { refusal: string }> {
  const settings = sandboxSettingsOf(ctx);
  const homeDir = ctx.environment.homeDir ?? os.homedir();
  const env: NodeJS.ProcessEnv = { ...process.env, ...BASH_ENVIRONMENT_OVERRIDES, ...(ctx.environment.homeDir !== undefined ? { HOME: homeDir } : {}) };
  if (!settings.enabled) return { spec: { file: 'bash', args: ['-c', input.command], env, cwd } };
  const availability = await sandboxAvailability(settings.allowedHosts.length > 0);
  if (!availability.ok) return { refusal: (await sandboxRefusal(ctx)) ?? `Bash is refused: ${availability.why}.` };
  const sandboxed = await prepareSandboxedCommand({ command: input.command, cwd, roots: ctx.roots, homeDir, allowedHosts: settings.allowedHosts, env }, availability);
  return { spec: { file: sandboxed.file, args: sandboxed.args, env: sandboxed.env, cwd, reportsLeftovers: true }, sandboxed };
}

export const bashTool: Tool<BashInput> = {
  name: 'Bash',
  id: 'devops_bash',
  description:
    'Runs a shell command with `bash -c` in a workspace folder and returns its combined stdout and stderr (long output keeps the ' +
    'beginning and the end), the exit code and how long it took. stdin is closed and there is no terminal, so interactive ' +
    'prompts fail instead of waiting: pass flags such as `-y` or `--no-pager`. The command runs in an OS sandbox: it can write ' +
    'only in the workspace folders and a private /tmp (discarded afterwards), cannot read secrets (~/.ssh, ~/.aws, .env, …), ' +
    'has no network except the hosts the user allowed (through an HTTP proxy) and no Docker socket (use the Docker tool). ' +
    'A line "blocked by the sandbox: …" in the result means the sandbox refused it: do not retry it another way; ask the user. ' +
    'On timeout or cancellation, and when it ends, every process it started is stopped (start a service with the Docker tool). ' +
    'Environment: inherited, plus PAGER=cat GIT_PAGER=cat TERM=dumb NO_COLOR=1, TMPDIR=/tmp.',
  inputSchema: {
    type: 'object',
    properties: bashInputProperties,
    required: ['command'],
    additionalProperties: false,
  },
  risk: 'execute',

  parse: parseBashInput,

  riskOf(): ToolRisk {
    return 'execute';
  },

  subjectOf(input: BashInput): string {
    return input.command;
  },

  pathsOf(input: BashInput): readonly string[] {
    return input.cwd === undefined ? [] : [input.cwd];
  },

  unavailableReason(_input: BashInput, ctx: ToolContext): Promise<string | undefined> {
    return sandboxRefusal(ctx);
  },

  async preview(input: BashInput, ctx: ToolContext): Promise<ToolPreview> {
    let cwd: string;
    try {
      cwd = await resolveWorkingFolder(input, ctx);
    } catch (error) {
      cwd = `${input.cwd ?? '(no workspace folder)'} (not usable: ${(error as Error).message})`;
    }
    const seconds = Math.round(effectiveTimeout(input, ctx) / 1000);
    return {
      title: input.description ?? 'Run a shell command',
      detail: `${markdownFence(`# cwd: ${cwd}\n${input.command}`, 'bash')}\n\n${sandboxSummary(ctx)}\n\nStopped after ${seconds} s if still running.`,
    };
  },

  async run(input: BashInput, ctx: ToolContext): Promise<ToolResult> {
    let cwd: string;
    try {
      cwd = await resolveWorkingFolder(input, ctx);
    } catch (error) {
      return { ok: false, text: (error as Error).message };
    }
    if (ctx.signal.aborted) return { ok: false, text: 'Cancelled before the command started.' };
    const prepared = await processSpecFor(input, cwd, ctx);
    if ('refusal' in prepared) return { ok: false, text: prepared.refusal, sandboxed: false };
    const sandboxed = prepared.sandboxed !== undefined;
    const timeoutMs = effectiveTimeout(input, ctx);
    const output = new HeadTailBuffer(Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS));
    const progress = new ThrottledProgress((line) => ctx.progress(line));
    const decoder = new StringDecoder('utf8');
    let outcome: CommandOutcome;
    let denials: string[] = [];
    try {
      outcome = await runInProcessGroup(prepared.spec, timeoutMs, ctx.signal, (chunk) => {
        output.push(chunk);
        progress.pushOutput(decoder.write(chunk));
      });
      denials = prepared.sandboxed?.explain(plainTerminalText(output.toString())) ?? [];
    } finally {
      progress.dispose();
      await prepared.sandboxed?.dispose();
    }
    if (outcome.spawnError !== undefined) {
      return { ok: false, text: `Could not start ${sandboxed ? 'bubblewrap' : 'bash'} in ${cwd}: ${outcome.spawnError}. Is it installed and on PATH?`, sandboxed };
    }
    const lines: string[] = [statusLine(outcome, timeoutMs, sandboxed), `Working folder: ${cwd}`];
    if (!sandboxed) lines.push(`Ran WITHOUT the sandbox (${SANDBOX_ENABLED_SETTING} is false).`);
    lines.push(...denials);
    if (prepared.sandboxed?.secrets.truncated) {
      lines.push(`Note: the workspace has more than ${MAX_SCANNED_ENTRIES.toLocaleString('en-US')} entries; secret files beyond the first ones scanned are not hidden.`);
    }
    if (prepared.sandboxed?.secrets.hardLinksTruncated) {
      lines.push(`Note: more than ${MAX_READ_ONLY_HARD_LINKS.toLocaleString('en-US')} workspace files are hard-linked to files outside it; only the first ones are read-only, writing the others changes the outside file too.`);
    }
    if (outcome.leftoversStopped) {
      lines.push('Processes the command left running in the background were stopped (start a service that must keep running with the Docker tool).');
    }
    const text = plainTerminalText(output.toString());
    if (output.totalBytes === 0) {
      lines.push('(no output)');
    } else {
      lines.push(`Output (stdout and stderr, ${output.totalLines.toLocaleString('en-US')} lines):`, text.endsWith('\n') ? text.slice(0, -1) : text);
    }
    const ok = outcome.ended === 'exited' && outcome.signal === null && outcome.exitCode === 0;
    return { ok, text: lines.join('\n'), sandboxed };
  },
};
