import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode } from '../errors/errorText';

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
export const MISSING: FileLookup = { kind: 'missing' };
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

  /**
   * Forgets one file, by the path it was cited with or its real path, so the next lookup reads it again: a Write or
   * Edit in the turn changed it, and citations after that must be judged against the new text. Folders not found
   * before are looked for again (the write may have created them).
   */
  forget(absolutePath: string): void {
    const changed = path.resolve(absolutePath);
    for (const [key, lookup] of this.files) {
      const real = lookup.kind === 'file' ? lookup.file.realPath : lookup.kind === 'missing' ? undefined : lookup.realPath;
      if (key === changed || real === changed) this.files.delete(key);
    }
    for (const [folder, real] of this.realFolders) if (real === null) this.realFolders.delete(folder);
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

export function joinPath(folder: string, name: string): string {
  return folder.endsWith(path.sep) ? folder + name : folder + path.sep + name;
}

export function stripCarriageReturn(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
