import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ReadSet } from '../session/readSet';
import type { Citation } from './parseCitations';

export type CitationStatus =
  | 'verified'
  | 'missing-file'
  | 'line-out-of-range'
  | 'quote-mismatch'
  | 'line-drift'
  | 'outside-workspace'
  | 'unread';

export interface CitationCheck {
  readonly citation: Citation;
  readonly status: CitationStatus;
  /** Why, in words the model and the user can act on: "line 300 out of range, file has 120 lines". */
  readonly message: string;
  /** Real path of the cited file (for a missing file: where it was looked for). */
  readonly absolutePath?: string;
  /** line-out-of-range: how many lines the file has (other statuses do not count them all). */
  readonly lineCount?: number;
  /** line-drift: where the quoted code really is. */
  readonly actualStartLine?: number;
  readonly actualEndLine?: number;
}

export interface VerifyCitationsOptions {
  /** Workspace folders; the first is where relative paths start. */
  readonly roots: readonly string[];
  /** What the session has read (keys are real absolute paths); without it nothing is `unread`. */
  readonly readSet?: ReadSet;
  /** Share one per turn so each file is read once. */
  readonly cache?: LineIndexCache;
  /** How many lines around the cited ones a quote is looked for before it counts as a mismatch. */
  readonly driftWindow?: number;
}

/** The lines of one file. */
export interface IndexedFile {
  readonly realPath: string;
  /** Counting reads the whole file; hasLine only reads as far as the line. */
  readonly lineCount: number;
  hasLine(line: number): boolean;
  /** Lines start..end (1-based, inclusive, clamped to the file), without line breaks. */
  lines(start: number, end: number): string[];
  /** The same lines as one string joined by `\n`; a line may keep the `\r` of a CRLF break. */
  text(start: number, end: number): string;
}

export type FileLookup =
  | { readonly kind: 'file'; readonly file: IndexedFile }
  | { readonly kind: 'directory'; readonly realPath: string }
  | { readonly kind: 'unreadable'; readonly realPath: string; readonly reason: string }
  | { readonly kind: 'missing' };

export interface LineIndexCacheOptions {
  /** Files larger than this are indexed by byte offset and read line range by line range, never held whole. */
  readonly inMemoryLimitBytes?: number;
}

const NO_FOLLOW: number | undefined = fs.constants.O_NOFOLLOW;
// Non-blocking so that a cited FIFO is reported instead of hanging the open.
const OPEN_FLAGS = fs.constants.O_RDONLY | (NO_FOLLOW ?? 0) | (fs.constants.O_NONBLOCK ?? 0);
const MISSING: FileLookup = { kind: 'missing' };
const NEWLINE = 0x0a;
/** Files are read into shared slabs: one allocation per megabyte, not one per file. */
const SLAB_BYTES = 1024 * 1024;
/** A slab with less room than this is retired; files that do not fit the room get their own buffer. */
const SLAB_MIN_FREE = 64 * 1024;
const SCAN_CHUNK_BYTES = 1 << 20;

/**
 * Files' real paths and line starts, for one turn: each file is read and indexed once, however often it is cited, and
 * the turn keeps seeing the text it first read (a file changed afterwards is read again only by a new cache or after
 * clear()), so every check of one answer judges the same version of a file. Folders are checked for symbolic links once
 * per cache. Handles CRLF, a UTF-8 BOM, UTF-16 files with a BOM (held in memory), and very large files (indexed by byte
 * offset and read range by range, never split into strings).
 */
export class LineIndexCache {
  private readonly files = new Map<string, FileLookup>();
  /** Lexical folder → real folder, or null when it is not an existing folder. */
  private readonly realFolders = new Map<string, string | null>();
  private readonly inMemoryLimit: number;
  private slab: Buffer = Buffer.alloc(0);
  private slabUsed = 0;

  constructor(options: LineIndexCacheOptions = {}) {
    this.inMemoryLimit = options.inMemoryLimitBytes ?? 16 * 1024 * 1024;
  }

  /** The real path of an absolute path (symlinks resolved), or undefined when nothing is there. */
  realPath(absolutePath: string): string | undefined {
    const lexical = path.resolve(absolutePath);
    const folder = this.realFolder(lexical);
    if (folder !== null) return folder;
    const lookup = this.lookup(lexical);
    return lookup.kind === 'missing' ? undefined : lookup.kind === 'file' ? lookup.file.realPath : lookup.realPath;
  }

  /** Resolves, reads and indexes a file by absolute path; the result is kept for the life of the cache. */
  lookup(absolutePath: string): FileLookup {
    const known = this.files.get(absolutePath);
    if (known !== undefined) return known;
    const found = this.load(absolutePath);
    this.files.set(absolutePath, found);
    return found;
  }

  clear(): void {
    this.files.clear();
    this.realFolders.clear();
  }

  private load(absolutePath: string): FileLookup {
    const cut = absolutePath.lastIndexOf(path.sep);
    const lexicalFolder = cut > 0 && absolutePath[cut - 1] !== ':' ? absolutePath.slice(0, cut) : path.dirname(absolutePath);
    const folder = this.realFolder(lexicalFolder);
    if (folder === null) return MISSING;
    // Without a symbolic link on the way the real path is the one asked for: no new string to build.
    let real = folder === lexicalFolder ? absolutePath : joinPath(folder, absolutePath.slice(cut + 1));
    let fd: number;
    try {
      if (NO_FOLLOW === undefined) real = fs.realpathSync.native(real);
      fd = fs.openSync(real, OPEN_FLAGS);
    } catch (error) {
      const code = errorCode(error);
      if (code !== 'ELOOP' && code !== 'EMLINK') return code === 'ENOENT' || code === 'ENOTDIR' ? MISSING : { kind: 'unreadable', realPath: real, reason: code ?? String(error) };
      // The file itself is a symbolic link: follow it once, then judge where it leads.
      try {
        real = fs.realpathSync.native(real);
        fd = fs.openSync(real, OPEN_FLAGS & ~(NO_FOLLOW ?? 0));
      } catch (linkError) {
        const linkCode = errorCode(linkError);
        return linkCode === 'ENOENT' || linkCode === 'ENOTDIR' ? MISSING : { kind: 'unreadable', realPath: real, reason: linkCode ?? String(linkError) };
      }
    }
    try {
      return this.read(fd, real);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EISDIR') return { kind: 'directory', realPath: real };
      return { kind: 'unreadable', realPath: real, reason: code === 'ESPIPE' || code === 'EAGAIN' ? 'not a regular file' : code ?? String(error) };
    } finally {
      fs.closeSync(fd);
    }
  }

  /** Most files fit the free end of the current slab: one read, no stat (a short read of a regular file is its end). */
  private read(fd: number, realPath: string): FileLookup {
    if (this.slab.length - this.slabUsed < SLAB_MIN_FREE) {
      this.slab = Buffer.allocUnsafe(SLAB_BYTES);
      this.slabUsed = 0;
    }
    // One byte stays free for the line feed that follows every file held in memory.
    const room = Math.min(this.slab.length - this.slabUsed - 1, this.inMemoryLimit + 1);
    const first = fs.readSync(fd, this.slab, this.slabUsed, room, 0);
    if (first > 0 && first < room) {
      const start = this.slabUsed;
      this.slab[start + first] = NEWLINE;
      this.slabUsed += first + 1;
      return inMemoryLines(realPath, this.slab, start, start + first);
    }
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) return { kind: 'directory', realPath };
    if (!stat.isFile()) return { kind: 'unreadable', realPath, reason: 'not a regular file' };
    if (stat.size > this.inMemoryLimit) return { kind: 'file', file: indexOnDisk(fd, realPath, stat.size) };
    const bytes = Buffer.allocUnsafe(stat.size + 1);
    let filled = 0;
    while (filled < stat.size) {
      const read = fs.readSync(fd, bytes, filled, stat.size - filled, filled);
      if (read === 0) break;
      filled += read;
    }
    bytes[filled] = NEWLINE;
    return inMemoryLines(realPath, bytes, 0, filled);
  }

  private realFolder(folder: string): string | null {
    const known = this.realFolders.get(folder);
    if (known !== undefined) return known;
    const parent = path.dirname(folder);
    let real: string | null = null;
    if (parent === folder) {
      real = folder;
    } else {
      const realParent = this.realFolder(parent);
      if (realParent !== null) {
        const candidate = realParent === parent ? folder : joinPath(realParent, path.basename(folder));
        try {
          const stat = fs.lstatSync(candidate, { throwIfNoEntry: false });
          if (stat?.isSymbolicLink()) {
            const target = fs.realpathSync.native(candidate);
            real = fs.statSync(target).isDirectory() ? target : null;
          } else if (stat?.isDirectory()) {
            real = candidate;
          }
        } catch {
          // Unreadable (EACCES, ENOTDIR) or a dangling link: nothing can be cited below it.
          real = null;
        }
      }
    }
    this.realFolders.set(folder, real);
    return real;
  }
}

/** A file's text as UTF-8 without a BOM; UTF-16 files (with a BOM) are transcoded. bytes[end] must be a line feed. */
function inMemoryLines(realPath: string, bytes: Buffer, start: number, end: number): InMemoryLines {
  const size = end - start;
  if (size >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf) return new InMemoryLines(realPath, bytes, start + 3, end);
  if (size >= 2 && bytes[start] === 0xff && bytes[start + 1] === 0xfe) return transcoded(realPath, bytes.toString('utf16le', start + 2, end));
  if (size >= 2 && bytes[start] === 0xfe && bytes[start + 1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(start + 2, start + 2 + ((size - 2) & ~1)));
    return transcoded(realPath, swapped.swap16().toString('utf16le'));
  }
  return new InMemoryLines(realPath, bytes, start, end);
}

function transcoded(realPath: string, text: string): InMemoryLines {
  const bytes = Buffer.from(`${text}\n`, 'utf8');
  return new InMemoryLines(realPath, bytes, 0, bytes.length - 1);
}

/** Lines are found on demand; every STRIDE-th line start is remembered, so no per-line array is kept (most files need none). */
const STRIDE = 64;

/**
 * A file held in memory: bytes[start, end) is its text and bytes[end] a line feed, so no search runs past it. Files
 * share slabs, and the object is its own lookup result: one object per cached file, which keeps garbage collection light.
 */
class InMemoryLines implements IndexedFile {
  readonly kind = 'file';
  /** checkpoints[k] is where line k * STRIDE + 1 starts; made once a scan passes line STRIDE (most files never need it). */
  private checkpoints: number[] | undefined;
  /** The furthest line whose start is known. */
  private frontierLine = 1;
  private frontierOffset: number;
  private total: number | undefined;
  /** The last line asked for and where it starts: a check asks for the same line twice (does it exist, what does it say). */
  private recentLine = 1;
  private recentOffset: number;

  constructor(readonly realPath: string, private readonly bytes: Buffer, private readonly start: number, private readonly end: number) {
    this.frontierOffset = start;
    this.recentOffset = start;
  }

  get file(): IndexedFile {
    return this;
  }

  get lineCount(): number {
    if (this.total === undefined) this.startOf(Number.MAX_SAFE_INTEGER);
    return this.total as number;
  }

  hasLine(line: number): boolean {
    if (line < 1) return false;
    if (this.total !== undefined) return line <= this.total;
    if (line < this.frontierLine) return true;
    const start = this.startOf(line);
    return start !== -1 && start < this.end;
  }

  lines(startLine: number, endLine: number): string[] {
    const first = Math.max(1, startLine);
    const from = this.startOf(first);
    if (from === -1 || from >= this.end || endLine < first) return [];
    let stop = from;
    for (let line = first; line <= endLine; line++) {
      const newline = this.bytes.indexOf(NEWLINE, stop);
      if (newline === this.end) {
        stop = this.end;
        break;
      }
      stop = line === endLine ? newline : newline + 1;
      if (stop >= this.end) break;
    }
    // One decode for the whole range, then split: far cheaper than a decode per line.
    const text = this.bytes.toString('utf8', from, stop);
    const out = text.split('\n');
    if (out.length > 1 && out[out.length - 1] === '' && text.endsWith('\n')) out.pop();
    for (let i = 0; i < out.length; i++) out[i] = stripCarriageReturn(out[i] as string);
    return out;
  }

  text(startLine: number, endLine: number): string {
    const first = Math.max(1, startLine);
    const from = this.startOf(first);
    if (from === -1 || from >= this.end || endLine < first) return '';
    let stop = from;
    for (let line = first; ; line++) {
      const newline = this.bytes.indexOf(NEWLINE, stop);
      // bytes[this.end] is a line feed, so a newline is always found; at the end it is the file's last.
      if (line === endLine || newline + 1 >= this.end) {
        stop = newline;
        break;
      }
      stop = newline + 1;
    }
    return this.bytes.toString('utf8', from, stop);
  }

  /** Byte offset where a line starts, or -1 when the file has fewer line breaks than that needs. */
  private startOf(target: number): number {
    if (target === this.recentLine) return this.recentOffset;
    if (target <= this.frontierLine) {
      const k = Math.floor((target - 1) / STRIDE);
      let offset = k === 0 ? this.start : (this.checkpoints as number[])[k] as number;
      for (let line = k * STRIDE + 1; line < target; line++) offset = this.bytes.indexOf(NEWLINE, offset) + 1;
      this.recentLine = target;
      this.recentOffset = offset;
      return offset;
    }
    let line = this.frontierLine;
    let offset = this.frontierOffset;
    let found = true;
    while (line < target) {
      const newline = this.bytes.indexOf(NEWLINE, offset);
      if (newline === this.end) {
        found = false;
        break;
      }
      offset = newline + 1;
      line++;
      if ((line - 1) % STRIDE === 0) (this.checkpoints ??= [this.start]).push(offset);
    }
    this.frontierLine = line;
    this.frontierOffset = offset;
    if (!found) {
      this.total = offset < this.end ? line : line - 1;
      return -1;
    }
    this.recentLine = target;
    this.recentOffset = offset;
    return offset;
  }
}

/** A growable list of byte offsets, 4 bytes each below 4 GiB. */
class OffsetList {
  private values: Uint32Array | Float64Array;
  length = 0;

  constructor(private readonly wide: boolean) {
    this.values = wide ? new Float64Array(1 << 16) : new Uint32Array(1 << 16);
  }

  push(value: number): void {
    if (this.length === this.values.length) {
      const grown = this.wide ? new Float64Array(this.values.length * 2) : new Uint32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = value;
  }

  at(index: number): number | undefined {
    return index < this.length ? this.values[index] : undefined;
  }
}

class OnDiskLines implements IndexedFile {
  constructor(
    readonly realPath: string,
    readonly lineCount: number,
    private readonly starts: OffsetList,
    private readonly size: number,
  ) {}

  hasLine(line: number): boolean {
    return line >= 1 && line <= this.lineCount;
  }

  lines(start: number, end: number): string[] {
    const first = Math.max(1, start);
    const last = Math.min(end, this.lineCount);
    if (first > last) return [];
    const from = this.starts.at(first - 1) as number;
    const to = this.starts.at(last) ?? this.size;
    const bytes = Buffer.allocUnsafe(to - from);
    let fd: number;
    try {
      fd = fs.openSync(this.realPath, 'r');
    } catch {
      return [];
    }
    try {
      let filled = 0;
      while (filled < bytes.length) {
        const read = fs.readSync(fd, bytes, filled, bytes.length - filled, from + filled);
        if (read === 0) break;
        filled += read;
      }
      const text = bytes.toString('utf8', 0, filled);
      const lines = text.split('\n').map(stripCarriageReturn);
      if (text.endsWith('\n')) lines.pop();
      return lines.slice(0, last - first + 1);
    } finally {
      fs.closeSync(fd);
    }
  }

  text(start: number, end: number): string {
    return this.lines(start, end).join('\n');
  }
}

function indexOnDisk(fd: number, realPath: string, size: number): IndexedFile {
  const starts = new OffsetList(size >= 2 ** 32);
  const chunk = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, Math.max(size, 1)));
  let position = 0;
  for (;;) {
    const read = fs.readSync(fd, chunk, 0, chunk.length, position);
    if (read === 0) break;
    const view = chunk.subarray(0, read);
    if (position === 0) starts.push(read >= 3 && view[0] === 0xef && view[1] === 0xbb && view[2] === 0xbf ? 3 : 0);
    for (let i = view.indexOf(NEWLINE); i !== -1; i = view.indexOf(NEWLINE, i + 1)) starts.push(position + i + 1);
    position += read;
  }
  if (starts.length === 0) starts.push(0);
  const lineCount = starts.at(starts.length - 1) === position ? starts.length - 1 : starts.length;
  return new OnDiskLines(realPath, lineCount, starts, position);
}

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

function joinPath(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : undefined;
}

interface Root {
  readonly lexical: string;
  readonly real: string;
  readonly name: string;
}

function insideSomeRoot(roots: readonly Root[], realPath: string): boolean {
  for (const root of roots) if (isInside(root.real, realPath)) return true;
  return false;
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
const SEPARATOR = path.sep.charCodeAt(0);

const DEFAULT_DRIFT_WINDOW = 15;
/** Verification runs synchronous file reads; it yields this often so an editor stays responsive. */
const SLICE_MS = 8;

/**
 * Checks each citation against the files, in this order: inside the workspace, the file exists, the lines exist, the
 * quoted code is at those lines (or nearby: drift), and the session read the file. The first failure is reported.
 */
export async function verifyCitations(citations: readonly Citation[], options: VerifyCitationsOptions): Promise<CitationCheck[]> {
  const cache = options.cache ?? new LineIndexCache();
  const driftWindow = Math.max(0, options.driftWindow ?? DEFAULT_DRIFT_WINDOW);
  const roots: Root[] = options.roots.map((root) => {
    const lexical = path.resolve(root);
    return { lexical, real: cache.realPath(lexical) ?? lexical, name: path.basename(lexical) };
  });
  const checks: CitationCheck[] = [];
  let sliceStart = Date.now();
  for (let i = 0; i < citations.length; i++) {
    const citation = citations[i] as Citation;
    const target = resolveTarget(citation.path, roots, cache);
    checks.push(target instanceof PathFailure ? checkOf(citation, target.status, target.message, target.absolutePath) : checkLines(citation, target, options.readSet, driftWindow));
    if ((i & 31) === 31 && Date.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return checks;
}

/** Every check has the same shape (absent fields are undefined), which keeps property access fast. */
function checkOf(citation: Citation, status: CitationStatus, message: string, absolutePath?: string, lineCount?: number, actual?: { start: number; end: number }): CitationCheck {
  return { citation, status, message, absolutePath, lineCount, actualStartLine: actual?.start, actualEndLine: actual?.end };
}

/** Why a cited path leads to no readable file inside the workspace: outside it, missing, a folder or unreadable. */
class PathFailure {
  constructor(readonly status: CitationStatus, readonly message: string, readonly absolutePath?: string) {}
}

/** What a cited path leads to. */
type Target = IndexedFile | PathFailure;

function resolveTarget(shown: string, roots: readonly Root[], cache: LineIndexCache): Target {
  if (roots.length === 0) return new PathFailure('outside-workspace', `${shown} cannot be checked: no workspace folder is open`);
  const candidates = candidatePaths(shown, roots);
  if (candidates.length === 0) return new PathFailure('outside-workspace', `${shown} is outside the workspace folder${roots.length > 1 ? 's' : ''}`);
  let lookup: FileLookup = MISSING;
  let absolutePath = candidates[0] as string;
  for (const candidate of candidates) {
    lookup = cache.lookup(candidate);
    absolutePath = candidate;
    if (lookup.kind !== 'missing') break;
  }
  if (lookup.kind === 'missing') return new PathFailure('missing-file', `${shown} does not exist`, absolutePath);
  const realPath = lookup.kind === 'file' ? lookup.file.realPath : lookup.realPath;
  if (!insideSomeRoot(roots, realPath)) {
    return new PathFailure('outside-workspace', `${shown} resolves through a symbolic link to ${realPath}, outside the workspace`, realPath);
  }
  if (lookup.kind === 'directory') return new PathFailure('missing-file', `${shown} is a folder, not a file`, realPath);
  if (lookup.kind === 'unreadable') return new PathFailure('missing-file', `${shown} cannot be read (${lookup.reason})`, realPath);
  return lookup.file;
}

function checkLines(citation: Citation, file: IndexedFile, readSet: ReadSet | undefined, driftWindow: number): CitationCheck {
  const realPath = file.realPath;
  const { startLine, endLine } = citation;
  if (endLine < startLine || startLine < 1 || !file.hasLine(endLine)) {
    const count = file.lineCount;
    const has = `file has ${count} line${count === 1 ? '' : 's'}`;
    const lines = lineRange(startLine, endLine);
    return checkOf(citation, 'line-out-of-range', endLine < startLine ? `${lines} is a reversed range, ${has}` : `${lines} out of range, ${has}`, realPath, count);
  }

  if (citation.quote !== undefined) {
    const found = citation.quoteKind === 'fenced'
      ? locateFencedQuote(file, startLine, endLine, citation.quote, driftWindow)
      : locateInlineQuote(file, startLine, endLine, citation.quote, driftWindow);
    if (found === 'mismatch') {
      return checkOf(citation, 'quote-mismatch', `the quoted code is not at ${lineRange(startLine, endLine)} (nor within ${driftWindow} lines of ${startLine === endLine ? 'it' : 'them'})`, realPath);
    }
    if (found !== 'match') {
      return checkOf(citation, 'line-drift', `the quoted code is at ${lineRange(found.start, found.end)}, not ${lineRange(startLine, endLine)}`, realPath, undefined, found);
    }
  }
  if (readSet !== undefined && !readSet.has(realPath)) return checkOf(citation, 'unread', `${citation.path} was never read in this session`, realPath);
  // One string per check: these are built ten thousand times for a long answer.
  if (citation.quote === undefined) return checkOf(citation, 'verified', startLine === endLine ? `line ${startLine} exists` : `lines ${startLine}-${endLine} exist`, realPath);
  return checkOf(citation, 'verified', startLine === endLine ? `the quoted code is at line ${startLine}` : `the quoted code is at lines ${startLine}-${endLine}`, realPath);
}

function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}

/** No `.`/`..` steps, doubled or back slashes: the path can be joined to a root without path.resolve. */
function isPlainRelative(cited: string): boolean {
  let segment = 0;
  for (let i = 0; i <= cited.length; i++) {
    const code = i === cited.length ? SLASH : cited.charCodeAt(i);
    if (code === BACKSLASH) return false;
    if (code !== SLASH) continue;
    const size = i - segment;
    // An empty segment is a doubled slash unless it is the first or the last; `.` and `..` are steps.
    if (size === 0 ? segment !== 0 && i !== cited.length : cited.charCodeAt(segment) === DOT && (size === 1 || (size === 2 && cited.charCodeAt(segment + 1) === DOT))) return false;
    segment = i + 1;
  }
  return true;
}

/** Where a cited path may be, as the tools resolve it: the first root, or a root named by the first segment. */
function candidatePaths(cited: string, roots: readonly Root[]): string[] {
  if (process.platform !== 'win32' && cited.charCodeAt(1) === 0x3a && cited.charCodeAt(2) === 0x2f && /^[A-Za-z]/.test(cited)) return [];
  if (cited.startsWith('~')) return [];
  if (path.isAbsolute(cited)) {
    const absolute = path.resolve(cited);
    return roots.some((root) => isInside(root.lexical, absolute) || isInside(root.real, absolute)) ? [absolute] : [];
  }
  const first = roots[0] as Root;
  const candidates: string[] = [];
  const plain = path.sep === '/' && isPlainRelative(cited);
  const fromFirst = plain ? joinPath(first.lexical, cited) : path.resolve(first.lexical, cited);
  // A plain relative path joined to the root is inside it by construction.
  if (plain || isInside(first.lexical, fromFirst)) candidates.push(fromFirst);
  for (const root of roots) {
    // The first segment is the folder's name (a name holds no slash).
    if (root.name === '' || cited.charCodeAt(root.name.length) !== SLASH || !cited.startsWith(root.name)) continue;
    const named = path.resolve(root.lexical, cited.slice(root.name.length + 1));
    if (isInside(root.lexical, named) && !candidates.includes(named)) candidates.push(named);
  }
  return candidates;
}

function isInside(folder: string, candidate: string): boolean {
  if (!candidate.startsWith(folder)) return false;
  return candidate.length === folder.length || folder.endsWith(path.sep) || candidate.charCodeAt(folder.length) === SEPARATOR;
}

type QuoteLocation = 'match' | 'mismatch' | { readonly start: number; readonly end: number };

function normaliseWhitespace(text: string): string {
  const trimmed = text.trim();
  // Most lines have single spaces only; the RegExp is for the rest.
  for (let i = 0; i < trimmed.length; i++) {
    const code = trimmed.charCodeAt(i);
    if (code === 0x20 ? trimmed.charCodeAt(i + 1) === 0x20 : code < 0x20 || (code >= 0xa0 && /\s/.test(trimmed.charAt(i)))) {
      return trimmed.replace(/\s+/g, ' ');
    }
  }
  return trimmed;
}

interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

function numberedLines(file: IndexedFile, start: number, end: number): NumberedLine[] {
  return file.lines(start, end).map((text, i) => ({ line: start + i, text: normaliseWhitespace(text) }));
}

/** Inline code may be part of one line or of the cited lines taken together. */
function locateInlineQuote(file: IndexedFile, start: number, end: number, quote: string, window: number): QuoteLocation {
  const exact = quote.trim();
  if (exact === '') return 'match';
  // A quote found verbatim in the cited lines needs no normalising: normalised, it is still inside them.
  if (file.text(start, end).includes(exact)) return 'match';
  const raw = file.lines(start, end);
  const wanted = normaliseWhitespace(quote);
  const cited = raw.map(normaliseWhitespace).filter((t) => t !== '');
  if (cited.join(' ').includes(wanted)) return 'match';
  const low = Math.max(1, start - window);
  const nearby = file.lines(low, end + window);
  let best: { start: number; end: number } | undefined;
  const consider = (first: number, last: number): void => {
    if (best === undefined || Math.abs(first - start) < Math.abs(best.start - start)) best = { start: first, end: last };
  };
  nearby.forEach((line, i) => {
    if (line.includes(exact) || normaliseWhitespace(line).includes(wanted)) consider(low + i, low + i);
  });
  const span = end - start + 1;
  if (best === undefined && span > 1) {
    const texts = nearby.map(normaliseWhitespace);
    for (let i = 0; i + span <= texts.length; i++) {
      if (texts.slice(i, i + span).filter((t) => t !== '').join(' ').includes(wanted)) consider(low + i, low + i + span - 1);
    }
  }
  return best ?? 'mismatch';
}

const NUMBERED = /^\s*(\d{1,9})\s*(?:\t|→|│|\||:)\s?/;
const ELLIPSIS = /^(?:\.{3}|…|(?:\/\/|#|--|;|\/\*|<!--|\*)\s*(?:\.{3}|…).*)$/;

/** A fenced block's non-blank lines, split at `...` lines into runs that must each match whole lines, in order. */
function fencedRuns(quote: string): string[][] {
  let lines = quote.split('\n').map(stripCarriageReturn);
  const firstText = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  const numbered = isDigitCode(firstText.charCodeAt(0)) ? lines.filter((l) => l.trim() !== '').map((l) => NUMBERED.exec(l)) : [];
  // Lines copied with their numbers (`  12\tcode`, `12: code`) are compared without them.
  if (numbered.length > 0 && numbered.every((m, i) => m !== null && (i === 0 || Number(m[1]) === Number(numbered[i - 1]?.[1]) + 1))) {
    lines = lines.map((l) => l.replace(NUMBERED, ''));
  }
  const runs: string[][] = [[]];
  for (const raw of lines) {
    const text = normaliseWhitespace(raw);
    if (text === '') continue;
    if ((text.includes('...') || text.includes('…')) && ELLIPSIS.test(text)) runs.push([]);
    else runs[runs.length - 1]?.push(text);
  }
  return runs.filter((run) => run.length > 0);
}

/**
 * Whether the block is a verbatim copy of whole cited lines: then it matches whatever the normalising would do. Not for
 * blocks starting with a digit, whose line numbers may be stripped.
 */
function isVerbatimCopy(text: string, quote: string): boolean {
  let first = 0;
  while (first < quote.length && isWhitespaceCode(quote.charCodeAt(first))) first++;
  if (first === quote.length || isDigitCode(quote.charCodeAt(first))) return false;
  const startsAtLine = quote.charCodeAt(0) === NEWLINE;
  const endsAtLine = quote.charCodeAt(quote.length - 1) === NEWLINE;
  for (let at = text.indexOf(quote); at !== -1; at = text.indexOf(quote, at + 1)) {
    const after = at + quote.length;
    if ((startsAtLine || at === 0 || text.charCodeAt(at - 1) === NEWLINE) && (endsAtLine || after === text.length || text.charCodeAt(after) === NEWLINE)) return true;
  }
  return false;
}

/** Exactly the characters of the RegExp `\s` class (and of String.prototype.trim). */
function isWhitespaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029
    || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function locateFencedQuote(file: IndexedFile, start: number, end: number, quote: string, window: number): QuoteLocation {
  if (isVerbatimCopy(file.text(start, end), quote)) return 'match';
  const runs = fencedRuns(quote);
  if (runs.length === 0) return 'match';
  const cited = numberedLines(file, start, end).filter((l) => l.text !== '');
  for (let i = 0; i < cited.length; i++) if (matchRunsAt(cited, runs, i) !== undefined) return 'match';
  const around = numberedLines(file, Math.max(1, start - window), end + window).filter((l) => l.text !== '');
  const order = around.map((_, i) => i).sort((a, b) => Math.abs((around[a] as NumberedLine).line - start) - Math.abs((around[b] as NumberedLine).line - start) || a - b);
  for (const i of order) {
    const found = matchRunsAt(around, runs, i);
    if (found !== undefined) return found;
  }
  return 'mismatch';
}

/** The first run must start at `index`; later runs follow in order with anything (the elided part) between. */
function matchRunsAt(lines: readonly NumberedLine[], runs: readonly string[][], index: number): { start: number; end: number } | undefined {
  const [first, ...rest] = runs;
  if (first === undefined || !runMatches(lines, first, index)) return undefined;
  let next = index + first.length;
  for (const run of rest) {
    let at = next;
    while (at < lines.length && !runMatches(lines, run, at)) at++;
    if (at >= lines.length) return undefined;
    next = at + run.length;
  }
  return { start: (lines[index] as NumberedLine).line, end: (lines[next - 1] as NumberedLine).line };
}

function runMatches(lines: readonly NumberedLine[], run: readonly string[], at: number): boolean {
  if (at + run.length > lines.length) return false;
  return run.every((text, k) => lines[at + k]?.text === text);
}

/** One check for a person: "✓ the quoted code is at line 3" or "⚠ line 300 out of range, file has 120 lines". */
export function describeCitationCheck(check: CitationCheck): string {
  return `${check.status === 'verified' ? '✓' : '⚠'} ${check.message}`;
}

const REPORT_ORDER: readonly CitationStatus[] = ['verified', 'missing-file', 'outside-workspace', 'line-out-of-range', 'line-drift', 'quote-mismatch', 'unread'];

function countLabel(status: CitationStatus, count: number): string {
  const plural = count === 1 ? '' : 's';
  switch (status) {
    case 'verified': return `${count} verified`;
    case 'missing-file': return `${count} missing file${plural}`;
    case 'outside-workspace': return `${count} outside the workspace`;
    case 'line-out-of-range': return `${count} line${plural} out of range`;
    case 'line-drift': return `${count} drifted line${plural}`;
    case 'quote-mismatch': return `${count} quote mismatch${count === 1 ? '' : 'es'}`;
    case 'unread': return `${count} unread`;
  }
}

/** One line for the end of an answer: "Citations: 5 verified, 1 line out of range, 1 unread". */
export function formatCitationReport(checks: readonly CitationCheck[]): string {
  if (checks.length === 0) return 'Citations: none';
  const counts = new Map<CitationStatus, number>();
  for (const check of checks) counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
  const parts = REPORT_ORDER.filter((status) => status === 'verified' || (counts.get(status) ?? 0) > 0).map((status) => countLabel(status, counts.get(status) ?? 0));
  return `Citations: ${parts.join(', ')}`;
}
