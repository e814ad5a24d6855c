import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { comparePathOrder } from './pathOrder';
import type { GrepFileHits, GrepLimit, GrepLine, GrepOutcome, GrepRequest } from './grepSearch';
import { entriesOf, fileLooksBinary, GrepCancelledError } from './grepSearch';

/** ripgrep could not be started (missing binary): the caller falls back to the pure-Node search. */
export class RipgrepUnavailableError extends Error {
  override readonly name = 'RipgrepUnavailableError';
}

const decoder = new TextDecoder('utf-8');

/**
 * The ripgrep command line for a request. `-a` makes ripgrep search every file as text, so binary files are judged
 * afterwards by one rule both engines share; `--no-config` keeps a user's RIPGREP_CONFIG_PATH out of it.
 */
export function ripgrepArguments(request: GrepRequest, ordered: boolean): string[] {
  const args = ['--no-config', '--no-messages', '--color', 'never', '--no-heading', '--with-filename', '--null', '--hidden', '--no-ignore-global', '-a'];
  if (request.mode === 'content') {
    args.push('--line-number');
    if (request.context > 0) args.push('--context', String(request.context));
  } else {
    args.push(request.mode === 'count' ? '--count' : '--files-with-matches');
  }
  if (request.pattern.caseInsensitive) args.push('--ignore-case');
  if (request.glob !== undefined) args.push('--glob', request.glob);
  args.push('--glob', '!.git');
  if (ordered) args.push('--sort', 'path');
  args.push('--regexp', request.pattern.ripgrep, '--', request.file ?? '.');
  return args;
}

/** Runs ripgrep in request.folder and reads its output into per-file hits. */
export async function searchWithRipgrep(ripgrepPath: string, request: GrepRequest, limit: GrepLimit): Promise<GrepOutcome> {
  if (request.signal.aborted) throw new GrepCancelledError();
  return new Promise<GrepOutcome>((resolve, reject) => {
    const child = spawn(ripgrepPath, ripgrepArguments(request, limit.ordered), { cwd: request.folder, stdio: ['ignore', 'pipe', 'pipe'] });
    const collector = new HitCollector(request, limit, () => child.kill('SIGKILL'));
    let stderr = '';
    let settled = false;
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    request.signal.addEventListener('abort', onAbort, { once: true });
    const finish = (action: () => void): void => {
      if (settled) return;
      settled = true;
      request.signal.removeEventListener('abort', onAbort);
      action();
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      finish(() => reject(error.code === 'ENOENT' || error.code === 'EACCES' ? new RipgrepUnavailableError(`ripgrep not usable at ${ripgrepPath}: ${error.code}`) : error));
    });
    child.stdout.on('data', (chunk: Buffer) => collector.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 4000) stderr += chunk.toString('utf8');
    });
    child.on('close', (code) => {
      if (request.signal.aborted) {
        finish(() => reject(new GrepCancelledError()));
        return;
      }
      if (code === 2 && !collector.stopped && /regex parse error|error parsing/i.test(stderr)) {
        finish(() => reject(new Error(`ripgrep rejected the pattern: ${stderr.trim()}`)));
        return;
      }
      collector.end().then((outcome) => finish(() => resolve(outcome)), (error: unknown) => finish(() => reject(error)));
    });
  });
}

interface PendingFile {
  readonly hits: MutableHits;
  readonly binary: Promise<boolean>;
}

interface MutableHits {
  path: string;
  count: number;
  lines: GrepLine[];
}

/** Turns ripgrep's `--null` output into hits, drops binary files, and stops ripgrep once the limit is passed. */
class HitCollector {
  stopped = false;
  private readonly pending: PendingFile[] = [];
  private current: MutableHits | undefined;
  private partial: Buffer[] = [];
  private verifiedEntries = 0;
  private orderedChain: Promise<void> = Promise.resolve();
  private keepUpTo = Number.POSITIVE_INFINITY;

  constructor(
    private readonly request: GrepRequest,
    private readonly limit: GrepLimit,
    private readonly kill: () => void,
  ) {}

  push(chunk: Buffer): void {
    if (this.stopped) return;
    const separator = this.request.mode === 'files_with_matches' ? 0 : 0x0a;
    let start = 0;
    for (;;) {
      const end = chunk.indexOf(separator, start);
      if (end === -1) break;
      const piece = chunk.subarray(start, end);
      const record = this.partial.length === 0 ? piece : Buffer.concat([...this.partial, piece]);
      this.partial = [];
      this.record(record);
      if (this.stopped) return;
      start = end + 1;
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  async end(): Promise<GrepOutcome> {
    if (!this.stopped && this.partial.length > 0) {
      this.record(Buffer.concat(this.partial));
      this.partial = [];
    }
    this.closeCurrent();
    await this.orderedChain;
    const flags = await Promise.all(this.pending.map((p) => p.binary));
    const files: GrepFileHits[] = [];
    this.pending.forEach((p, index) => {
      if (!flags[index] && index <= this.keepUpTo) files.push(p.hits);
    });
    files.sort((a, b) => comparePathOrder(a.path, b.path));
    return { files, complete: !this.stopped };
  }

  private record(bytes: Buffer): void {
    if (this.request.mode === 'files_with_matches') {
      if (bytes.length > 0) this.startFile(pathOf(bytes.toString('utf8')), 1);
      return;
    }
    const nul = bytes.indexOf(0);
    if (nul === -1) return;
    const file = pathOf(bytes.toString('utf8', 0, nul));
    if (this.request.mode === 'count') {
      this.startFile(file, Number(bytes.toString('latin1', nul + 1)));
      return;
    }
    let cursor = nul + 1;
    let line = 0;
    while (cursor < bytes.length && (bytes[cursor] as number) >= 0x30 && (bytes[cursor] as number) <= 0x39) {
      line = line * 10 + ((bytes[cursor] as number) - 0x30);
      cursor++;
    }
    const match = bytes[cursor] === 0x3a;
    const text = decoder.decode(bytes.subarray(cursor + 1));
    if (this.current?.path !== file) this.startFile(file, 0);
    const hits = this.current as MutableHits;
    hits.lines.push({ line, text, match });
    if (match) hits.count++;
  }

  private startFile(file: string, count: number): void {
    this.closeCurrent();
    this.current = { path: file, count, lines: [] };
  }

  private closeCurrent(): void {
    const hits = this.current;
    if (hits === undefined) return;
    this.current = undefined;
    const absolute = path.join(this.request.folder, hits.path);
    const binary = fileLooksBinary(absolute);
    const index = this.pending.length;
    this.pending.push({ hits, binary });
    const count = (): void => {
      this.verifiedEntries += entriesOf(hits, this.request.mode);
      if (this.verifiedEntries > this.limit.maxEntries && !this.stopped) {
        this.stopped = true;
        this.keepUpTo = index;
        this.kill();
      }
    };
    if (this.limit.ordered) {
      // Count in arrival (= path) order so the files kept are exactly the first ones.
      this.orderedChain = this.orderedChain.then(async () => {
        if (!this.stopped && !(await binary)) count();
      });
    } else {
      void binary.then((isBinary) => {
        if (!isBinary) count();
      });
    }
  }
}

function pathOf(raw: string): string {
  const posix = path.sep === '\\' ? raw.replace(/\\/g, '/') : raw;
  return posix.startsWith('./') ? posix.slice(2) : posix;
}

/** The ripgrep to use: the configured one if it exists, else `rg` on PATH; undefined = use the pure-Node search. */
export function locateRipgrep(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (configured !== undefined) return isExecutable(configured) ? configured : undefined;
  const names = process.platform === 'win32' ? ['rg.exe', 'rg.cmd'] : ['rg'];
  for (const folder of (env.PATH ?? '').split(path.delimiter)) {
    if (folder === '') continue;
    for (const name of names) {
      const candidate = path.join(folder, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
