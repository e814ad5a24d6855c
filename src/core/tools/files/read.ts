import { promises as fs } from 'node:fs';
import type { ConfinedPath } from '../../policy/confinement';
import { defaultDeniedReason, openConfined, PathRefusedError, resolveConfinedPath, workspaceDisplayPath } from '../../policy/confinement';
import { formatCount, linesWithinBudget } from '../framework/resultBudget';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface ReadInput {
  readonly path: string;
  /** 1-based first line. */
  readonly offset?: number;
  /** Number of lines. */
  readonly limit?: number;
}

const DEFAULT_READ_LINES = 2000;
/** Lines longer than this are cut (minified files would otherwise fill the whole result). */
const MAX_READ_LINE_CHARS = 2000;
const PROBE_BYTES = 8192;
const CHUNK_BYTES = 1024 * 1024;
const MAX_DIRECTORY_ENTRIES = 1000;

function parseReadInput(input: unknown): ReadInput {
  const fields = new ToolInputFields('Read', input, '{"path": "src/app.ts"}');
  rejectUnknownFields('Read', input, ['path', 'offset', 'limit']);
  const filePath = fields.requiredString('path', 'the file to read, relative to the workspace folder (e.g. "src/app.ts")');
  const offset = fields.optionalInteger('offset', 1, Number.MAX_SAFE_INTEGER);
  const limit = fields.optionalInteger('limit', 1, 100_000);
  return { path: filePath, ...(offset !== undefined ? { offset } : {}), ...(limit !== undefined ? { limit } : {}) };
}

type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** What the first bytes say about a file: its encoding and BOM, or why it is not text. */
function sniff(head: Buffer): { encoding: Encoding; bomBytes: number } | { binary: string } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return checkUtf8(head, 3);
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 };
  return checkUtf8(head, 0);
}

function checkUtf8(head: Buffer, bomBytes: number): { encoding: Encoding; bomBytes: number } | { binary: string } {
  const nul = head.indexOf(0);
  if (nul !== -1) return { binary: `it has a NUL byte at offset ${nul}` };
  try {
    // stream: true accepts a character cut in half at the end of the probe.
    new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(bomBytes), { stream: true });
  } catch {
    return { binary: 'its first 8 KB are not valid UTF-8 text' };
  }
  return { encoding: 'utf-8', bomBytes };
}

function decode(bytes: Buffer, encoding: Encoding): string {
  if (encoding === 'utf-16be') {
    const swapped = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2)));
    swapped.swap16();
    return new TextDecoder('utf-16le').decode(swapped);
  }
  return new TextDecoder(encoding).decode(bytes);
}

/** Lines split on '\n' with a trailing '\r' removed (CRLF files), as Grep numbers them; no phantom last line. */
function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

function clip(line: string): string {
  return line.length > MAX_READ_LINE_CHARS ? `${line.slice(0, MAX_READ_LINE_CHARS)} … [line cut at ${formatCount(MAX_READ_LINE_CHARS)} characters]` : line;
}

async function runRead(input: ReadInput, ctx: ToolContext): Promise<ToolResult> {
  let target: ConfinedPath;
  try {
    target = await resolveConfinedPath(ctx.roots, input.path);
  } catch (error) {
    if (error instanceof PathRefusedError) return { ok: false, text: error.message };
    throw error;
  }
  const shown = workspaceDisplayPath(target, ctx.roots);
  const denied = defaultDeniedReason(target);
  if (denied !== undefined) return { ok: false, text: `Denied: ${denied}. Files on the secret deny list are never opened by the agent.` };
  if (!target.exists) return { ok: false, text: await missingFileText(target, shown) };
  let handle: fs.FileHandle;
  try {
    handle = await openConfined(target, 'r');
  } catch (error) {
    if (error instanceof PathRefusedError) return { ok: false, text: error.message };
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) return await directoryListing(target, shown, ctx);
    if (!stat.isFile()) return { ok: false, text: `${shown} is not a regular file (a device, socket or pipe); Read only reads files.` };
    const head = Buffer.alloc(Math.min(PROBE_BYTES, stat.size));
    await handle.read(head, 0, head.length, 0);
    const kind = sniff(head);
    if ('binary' in kind) {
      return { ok: false, text: `${shown} looks like a binary file (${kind.binary}), ${formatSize(stat.size)}; Read shows text only. Inspect it with Bash (e.g. \`file ${shown}\` or \`xxd ${shown} | head\`).` };
    }
    const partial = input.offset !== undefined || input.limit !== undefined;
    if (stat.size > ctx.limits.maxReadBytes) {
      if (!partial) {
        return {
          ok: false,
          text: `${shown} is ${formatSize(stat.size)}, over the ${formatSize(ctx.limits.maxReadBytes)} Read limit. Read part of it with offset and limit (e.g. offset 1, limit ${DEFAULT_READ_LINES}), or find the lines you need with Grep first.`,
        };
      }
      if (kind.encoding !== 'utf-8') return { ok: false, text: `${shown} is a UTF-16 file of ${formatSize(stat.size)}, over the ${formatSize(ctx.limits.maxReadBytes)} limit; it cannot be read in parts.` };
      const window = await streamLines(handle, kind.bomBytes, input.offset ?? 1, input.limit ?? DEFAULT_READ_LINES, ctx.signal);
      return numberedResult(target, shown, window.lines, input.offset ?? 1, window.total, ctx);
    }
    const bytes = await handle.readFile();
    const lines = splitLines(decode(bytes.subarray(kind.bomBytes), kind.encoding));
    const first = input.offset ?? 1;
    const slice = lines.slice(first - 1, first - 1 + (input.limit ?? DEFAULT_READ_LINES));
    return numberedResult(target, shown, slice, first, lines.length, ctx);
  } finally {
    await handle.close();
  }
}

/** Numbered lines (`   12\tcode`), cut to the result budget, with a note on how to read on; records what was shown. */
function numberedResult(target: ConfinedPath, shown: string, lines: readonly string[], first: number, total: number, ctx: ToolContext): ToolResult {
  if (total === 0) return { ok: true, text: `${shown} (empty file, 0 lines)` };
  if (first > total) {
    return { ok: false, text: `offset ${formatCount(first)} is past the end of ${shown}, which has ${formatCount(total)} line${total === 1 ? '' : 's'}; call Read with an offset from 1 to ${formatCount(total)}.` };
  }
  const width = Math.max(5, String(first + lines.length - 1).length);
  const numbered = lines.map((line, index) => `${String(first + index).padStart(width)}\t${clip(line)}`);
  const provisionalHeader = `${shown} (lines ${first}-${first + lines.length - 1} of ${total})`;
  const fits = Math.max(1, linesWithinBudget(numbered, ctx.limits.maxResultChars, provisionalHeader.length + 1));
  const last = first + Math.min(fits, numbered.length) - 1;
  const header = `${shown} (lines ${first}-${last} of ${total})`;
  const out = [header, ...numbered.slice(0, fits)];
  if (last < total) out.push(`… ${formatCount(total - last)} more line${total - last === 1 ? '' : 's'}: call Read with offset ${last + 1}${fits < numbered.length ? ' (this result was cut to fit the output limit)' : ''}.`);
  ctx.readSet.record(target.absolute, first, last);
  return { ok: true, text: out.join('\n') };
}

/** Reads only lines [first, first+count) of a large UTF-8 file, counting the rest without decoding it. */
async function streamLines(handle: fs.FileHandle, bomBytes: number, first: number, count: number, signal: AbortSignal): Promise<{ lines: string[]; total: number }> {
  const lines: string[] = [];
  const lastWanted = first + count - 1;
  const maxLineBytes = MAX_READ_LINE_CHARS * 4 + 4;
  let pieces: Buffer[] = [];
  let pieceBytes = 0;
  let lineNumber = 1;
  let position = bomBytes;
  let pendingBytes = false;
  const chunk = Buffer.alloc(CHUNK_BYTES);
  const keep = (bytes: Buffer): void => {
    if (pieceBytes >= maxLineBytes) return;
    const part = bytes.subarray(0, maxLineBytes - pieceBytes);
    pieces.push(Buffer.from(part));
    pieceBytes += part.length;
  };
  const finishLine = (): void => {
    if (lineNumber >= first && lineNumber <= lastWanted) {
      const text = new TextDecoder('utf-8').decode(Buffer.concat(pieces));
      lines.push(text.endsWith('\r') ? text.slice(0, -1) : text);
    }
    pieces = [];
    pieceBytes = 0;
    lineNumber++;
  };
  for (;;) {
    if (signal.aborted) throw new Error('Read was cancelled.');
    const { bytesRead } = await handle.read(chunk, 0, CHUNK_BYTES, position);
    if (bytesRead === 0) break;
    position += bytesRead;
    const data = chunk.subarray(0, bytesRead);
    let start = 0;
    for (;;) {
      const newline = data.indexOf(0x0a, start);
      const inWindow = lineNumber >= first && lineNumber <= lastWanted;
      if (newline === -1) {
        if (inWindow) keep(data.subarray(start));
        pendingBytes = start < data.length || pendingBytes;
        break;
      }
      if (inWindow) keep(data.subarray(start, newline));
      finishLine();
      pendingBytes = false;
      start = newline + 1;
    }
  }
  if (pendingBytes) finishLine();
  return { lines, total: lineNumber - 1 };
}

async function directoryListing(target: ConfinedPath, shown: string, ctx: ToolContext): Promise<ToolResult> {
  const entries = await fs.readdir(target.absolute, { withFileTypes: true });
  const names = entries.map((e) => (e.isDirectory() ? `${e.name}/` : e.isSymbolicLink() ? `${e.name}@` : e.name)).sort((a, b) => a.localeCompare(b, 'en'));
  const listed = names.slice(0, MAX_DIRECTORY_ENTRIES);
  const header = `${shown === '.' ? 'The workspace folder' : `${shown}/`} is a folder with ${formatCount(names.length)} entr${names.length === 1 ? 'y' : 'ies'} (folders end in /, symlinks in @); Read a file in it, or use Glob to search deeper:`;
  const fits = linesWithinBudget(listed, ctx.limits.maxResultChars, header.length + 1);
  const out = [header, ...listed.slice(0, fits)];
  if (fits < names.length) out.push(`… ${formatCount(names.length - fits)} more entries not shown; use Glob with a pattern to narrow them.`);
  return { ok: true, text: out.join('\n') };
}

async function missingFileText(target: ConfinedPath, shown: string): Promise<string> {
  const parts = target.relative.split('/');
  const name = parts.pop() as string;
  const folder = parts.join('/');
  const folderAbsolute = target.absolute.slice(0, target.absolute.length - name.length - 1);
  const entries = await fs.readdir(folderAbsolute).catch(() => undefined);
  if (entries === undefined) return `${shown} does not exist (its folder ${folder || '.'} does not exist either). Use Glob to find the file, e.g. "**/${name}".`;
  const lower = name.toLowerCase();
  const stem = lower.replace(/\.[^.]*$/, '');
  const similar = entries.filter((e) => e.toLowerCase() === lower || (stem.length > 2 && e.toLowerCase().includes(stem))).slice(0, 5);
  const hint = similar.length > 0 ? ` Similar names there: ${similar.join(', ')}.` : '';
  return `${shown} does not exist.${hint} Use Glob to find the file, e.g. "**/${name}".`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export const readTool: Tool<ReadInput> = {
  name: 'Read',
  id: 'devops_read',
  description:
    'Read a text file in the workspace. Returns `path (lines a-b of N)` then numbered lines (`   12\\tcode`) so you can cite them as path:line. ' +
    `Reads up to ${DEFAULT_READ_LINES} lines from offset (1-based); for longer files call again with the offset the result gives. ` +
    'Large files must be read in parts with offset and limit. Binary files are refused; a folder lists its entries. ' +
    'Secret files (.env, keys, credentials) are refused.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'File path relative to the workspace folder, e.g. "src/app.ts" (in a multi-root workspace it may start with a folder name).' },
      offset: { type: 'integer', minimum: 1, description: 'First line to read, 1-based. Default 1.' },
      limit: { type: 'integer', minimum: 1, description: `Number of lines to read. Default ${DEFAULT_READ_LINES}.` },
    },
    required: ['path'],
    additionalProperties: false,
  },
  risk: 'read',
  parse: parseReadInput,
  riskOf: () => 'read',
  subjectOf: (input) => input.path,
  pathsOf: (input) => [input.path],
  async preview(input: ReadInput): Promise<ToolPreview> {
    const range = input.offset !== undefined || input.limit !== undefined ? ` (from line ${input.offset ?? 1}, ${input.limit ?? DEFAULT_READ_LINES} lines)` : '';
    return { title: `Read ${input.path}`, detail: `Read \`${input.path}\`${range}.` };
  },
  run: runRead,
};
