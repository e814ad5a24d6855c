import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root (tests run from out/test/unit/cli). */
export const REPO_ROOT = path.resolve(__dirname, '../../../..');
export const BUILT_CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

let built = false;

function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/cli.js when it is missing or older than src/, so the tests always run the CLI users get. */
export function ensureBuiltCli(): void {
  if (built) return;
  const stale = !fs.existsSync(BUILT_CLI) || fs.statSync(BUILT_CLI).mtimeMs < newestSourceMs(path.join(REPO_ROOT, 'src'));
  if (stale) {
    const result = spawnSync(process.execPath, ['esbuild.config.mjs'], { cwd: REPO_ROOT, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`building dist/cli.js failed:\n${result.stderr}`);
  }
  built = true;
}

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a real process with `input` on stdin. */
export function runBuiltCli(args: readonly string[], input: string | Buffer, options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  ensureBuiltCli();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILT_CLI, ...args], { cwd: options.cwd ?? REPO_ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    // the hook may stop reading early (oversized input); a broken pipe then is expected
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.end(input);
  });
}
