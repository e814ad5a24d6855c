import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { resolveConfinedPath } from '../../policy/confinement';
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

export const BASH_MAX_TIMEOUT_MS = 600_000;
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
export const BASH_ENVIRONMENT_OVERRIDES: Readonly<Record<string, string>> = {
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

/** Runs `bash -c command` in its own process group and ends the whole group on timeout, cancellation or exit. */
async function runInProcessGroup(
  command: string,
  cwd: string,
  timeoutMs: number,
  signal: AbortSignal,
  onOutput: (chunk: Buffer) => void,
): Promise<CommandOutcome> {
  const started = Date.now();
  const child = spawn('bash', ['-c', command], {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...BASH_ENVIRONMENT_OVERRIDES },
    windowsHide: true,
  });
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

  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
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
    if (termination === undefined && processGroupAlive(pgid)) {
      leftoversStopped = true;
      termination = terminateProcessGroup(pgid);
    }
    if (termination !== undefined) await termination;
    else await waitForProcessGroupExit(pgid, 1_000);
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, PIPE_DRAIN_MS))]);
    return { exitCode: exit.code, signal: exit.signal, ended, leftoversStopped, durationMs: Date.now() - started };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
    child.stdout.destroy();
    child.stderr.destroy();
  }
}

function statusLine(outcome: CommandOutcome, timeoutMs: number): string {
  const took = formatDuration(outcome.durationMs);
  if (outcome.ended === 'timeout') {
    return `Timed out after ${formatDuration(timeoutMs)}: the command and every process it started were stopped (SIGTERM, then SIGKILL). Raise timeout_ms (at most ${BASH_MAX_TIMEOUT_MS / 60_000} minutes) or run less at once.`;
  }
  if (outcome.ended === 'cancelled') return `Cancelled after ${took}: the command and every process it started were stopped.`;
  if (outcome.signal !== null) return `Killed by signal ${outcome.signal} after ${took}.`;
  return `Exit code ${outcome.exitCode ?? 'unknown'} after ${took}.`;
}

const bashInputProperties = {
  command: { type: 'string', description: 'The shell command line, run as `bash -c COMMAND`.' },
  cwd: { type: 'string', description: 'Working folder, relative to the first workspace folder or absolute inside a workspace folder. Default: the first workspace folder.' },
  timeout_ms: { type: 'number', description: `Milliseconds before the command is stopped (default 120000, at most ${BASH_MAX_TIMEOUT_MS}).` },
  description: { type: 'string', description: 'Five to ten words saying what the command does, shown when asking to run it.' },
};

export const bashTool: Tool<BashInput> = {
  name: 'Bash',
  id: 'devops_bash',
  description:
    'Runs a shell command with `bash -c` in a workspace folder and returns its combined stdout and stderr (long output keeps the ' +
    'beginning and the end), the exit code and how long it took. stdin is closed and there is no terminal, so interactive ' +
    'prompts fail instead of waiting: pass flags such as `-y` or `--no-pager`. The command runs in its own process group; on ' +
    'timeout or cancellation, and when it ends, every process it started is stopped (start a service with docker, or ' +
    '`setsid CMD &` if it must outlive the command). Environment: inherited, plus PAGER=cat GIT_PAGER=cat TERM=dumb NO_COLOR=1.',
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
      detail: `${markdownFence(`# cwd: ${cwd}\n${input.command}`, 'bash')}\n\nStopped after ${seconds} s if still running.`,
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
    const timeoutMs = effectiveTimeout(input, ctx);
    const output = new HeadTailBuffer(Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS));
    const progress = new ThrottledProgress((line) => ctx.progress(line));
    const decoder = new StringDecoder('utf8');
    const outcome = await runInProcessGroup(input.command, cwd, timeoutMs, ctx.signal, (chunk) => {
      output.push(chunk);
      progress.pushOutput(decoder.write(chunk));
    });
    progress.dispose();
    if (outcome.spawnError !== undefined) {
      return { ok: false, text: `Could not start bash in ${cwd}: ${outcome.spawnError}. Is bash installed and on PATH?` };
    }
    const lines: string[] = [statusLine(outcome, timeoutMs), `Working folder: ${cwd}`];
    if (outcome.leftoversStopped) {
      lines.push('Processes the command left running in the background were stopped (use `setsid CMD &` or docker for a service that must keep running).');
    }
    const text = plainTerminalText(output.toString());
    if (output.totalBytes === 0) {
      lines.push('(no output)');
    } else {
      lines.push(`Output (stdout and stderr, ${output.totalLines.toLocaleString('en-US')} lines):`, text.endsWith('\n') ? text.slice(0, -1) : text);
    }
    const ok = outcome.ended === 'exited' && outcome.signal === null && outcome.exitCode === 0;
    return { ok, text: lines.join('\n') };
  },
};
