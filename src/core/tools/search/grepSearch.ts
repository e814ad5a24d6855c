import { promises as fs } from 'node:fs';
import type { GrepPattern } from './grepPattern';

export type GrepOutputMode = 'content' | 'files_with_matches' | 'count';

/** One search as both engines (ripgrep and the pure-Node fallback) run it. */
export interface GrepRequest {
  /** Real absolute folder the search runs in; result paths are relative to it. */
  readonly folder: string;
  /** Search only this file (a name inside folder) instead of walking the folder. */
  readonly file?: string;
  readonly pattern: GrepPattern;
  /** A ripgrep --glob: gitignore syntax relative to folder, `!` to exclude. */
  readonly glob?: string;
  readonly context: number;
  readonly mode: GrepOutputMode;
  readonly signal: AbortSignal;
}

export interface GrepLimit {
  /** Stop once more than this many entries were found: matching lines in content mode, files otherwise. */
  readonly maxEntries: number;
  /** Find files in sorted walk order (ripgrep --sort path), so stopping early keeps the first ones. */
  readonly ordered: boolean;
}

export interface GrepLine {
  readonly line: number;
  /** The line as ripgrep prints it, decoded as UTF-8 (invalid bytes as U+FFFD), '\r' included. */
  readonly text: string;
  readonly match: boolean;
}

export interface GrepFileHits {
  /** Relative to the request's folder, posix separators. */
  readonly path: string;
  /** Matching lines. */
  readonly count: number;
  /** Matching and context lines in line order (content mode only). */
  readonly lines: readonly GrepLine[];
}

export interface GrepOutcome {
  /** Files with matches in path order; binary files left out. */
  readonly files: GrepFileHits[];
  /** False when the search stopped after more than maxEntries entries. */
  readonly complete: boolean;
}

/** Both engines treat a file as binary, and leave it out, when its first 8 KB hold a NUL byte (git's rule). */
const BINARY_PROBE_BYTES = 8192;

export function looksBinary(start: Uint8Array): boolean {
  return start.subarray(0, BINARY_PROBE_BYTES).includes(0);
}

export async function fileLooksBinary(absolutePath: string): Promise<boolean> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(absolutePath, 'r');
    const buffer = Buffer.alloc(BINARY_PROBE_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, BINARY_PROBE_BYTES, 0);
    return looksBinary(buffer.subarray(0, bytesRead));
  } catch {
    return true;
  } finally {
    await handle?.close();
  }
}

export function entriesOf(hits: GrepFileHits, mode: GrepOutputMode): number {
  return mode === 'content' ? hits.count : 1;
}

export class GrepCancelledError extends Error {
  override readonly name = 'GrepCancelledError';
  constructor() {
    super('Grep was cancelled.');
  }
}
