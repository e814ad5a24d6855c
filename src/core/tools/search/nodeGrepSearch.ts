import { isUtf8 } from 'node:buffer';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { walkFiles } from './fileWalk';
import type { GrepFileHits, GrepLimit, GrepLine, GrepOutcome, GrepRequest } from './grepSearch';
import { entriesOf, GrepCancelledError, looksBinary } from './grepSearch';

const decoder = new TextDecoder('utf-8');
const READ_AHEAD = 16;

/**
 * The pure-Node Grep, for machines without ripgrep. It finds exactly what searchWithRipgrep finds: the same files
 * (fileWalk follows ripgrep's ignore rules), the same lines ('\n' ends a line, '\r' stays in it, a UTF-8 BOM is
 * dropped), the same binary rule, and the pattern's JavaScript form, which keeps Rust's Unicode meaning. Invalid
 * UTF-8 bytes are matched as lone surrogates that no translated class accepts, as Rust's classes reject them.
 * Files are searched in path order, so stopping at the limit keeps the first ones.
 */
export async function searchWithNode(request: GrepRequest, limit: GrepLimit): Promise<GrepOutcome> {
  const overrides = [...(request.glob !== undefined ? [request.glob] : []), '!.git'];
  const files = request.file !== undefined ? [request.file] : await walkFiles(request.folder, { requireGit: true, overrides, signal: request.signal });
  const hits: GrepFileHits[] = [];
  let entries = 0;
  const reads: Promise<Buffer | undefined>[] = [];
  const readAt = (index: number): void => {
    const file = files[index];
    if (file !== undefined && reads[index] === undefined) reads[index] = fs.readFile(path.join(request.folder, file)).catch(() => undefined);
  };
  for (let index = 0; index < files.length; index++) {
    if (request.signal.aborted) throw new GrepCancelledError();
    for (let ahead = index; ahead < index + READ_AHEAD; ahead++) readAt(ahead);
    const content = await reads[index];
    delete reads[index];
    if (content === undefined || looksBinary(content)) continue;
    const found = searchBuffer(files[index] as string, content, request);
    if (found === undefined) continue;
    hits.push(found);
    entries += entriesOf(found, request.mode);
    if (entries > limit.maxEntries) return { files: hits, complete: false };
  }
  return { files: hits, complete: true };
}

function searchBuffer(file: string, content: Buffer, request: GrepRequest): GrepFileHits | undefined {
  const body = content[0] === 0xef && content[1] === 0xbb && content[2] === 0xbf ? content.subarray(3) : content;
  const { matchText, displayText } = linesOf(body);
  const regex = request.pattern.regex;
  const matches: number[] = [];
  for (let i = 0; i < matchText.length; i++) {
    if (regex.test(matchText[i] as string)) {
      matches.push(i);
      if (request.mode === 'files_with_matches') break;
    }
  }
  if (matches.length === 0) return undefined;
  if (request.mode === 'files_with_matches') return { path: file, count: 1, lines: [] };
  if (request.mode === 'count') return { path: file, count: matches.length, lines: [] };
  const lines: GrepLine[] = [];
  const context = request.context;
  let next = 0;
  const isMatch = new Set(matches);
  for (const m of matches) {
    const from = Math.max(next, m - context);
    const to = Math.min(matchText.length - 1, m + context);
    for (let i = from; i <= to; i++) lines.push({ line: i + 1, text: displayText(i), match: isMatch.has(i) });
    next = Math.max(next, to + 1);
  }
  return { path: file, count: matches.length, lines };
}

/** Splits on '\n' as ripgrep does; a last line without '\n' still counts, an empty file has no lines. */
function linesOf(body: Buffer): { matchText: string[]; displayText: (index: number) => string } {
  if (isUtf8(body)) {
    const lines = body.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return { matchText: lines, displayText: (i) => lines[i] as string };
  }
  const raw: Buffer[] = [];
  let start = 0;
  for (;;) {
    const end = body.indexOf(0x0a, start);
    if (end === -1) break;
    raw.push(body.subarray(start, end));
    start = end + 1;
  }
  if (start < body.length) raw.push(body.subarray(start));
  return { matchText: raw.map(decodeEscapingInvalidBytes), displayText: (i) => decoder.decode(raw[i]) };
}

/** UTF-8 to a string where each byte that is not part of a valid sequence becomes U+DC80–U+DCFF (surrogateescape). */
export function decodeEscapingInvalidBytes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i] as number;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i++;
      continue;
    }
    const length = b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
    let valid = length > 0 && i + length <= bytes.length;
    if (valid) {
      const b1 = bytes[i + 1] as number;
      const low = b0 === 0xe0 ? 0xa0 : b0 === 0xf0 ? 0x90 : 0x80;
      const high = b0 === 0xed ? 0x9f : b0 === 0xf4 ? 0x8f : 0xbf;
      valid = b1 >= low && b1 <= high;
      for (let k = 2; valid && k < length; k++) valid = ((bytes[i + k] as number) & 0xc0) === 0x80;
    }
    if (!valid) {
      out += String.fromCharCode(0xdc00 + b0);
      i++;
      continue;
    }
    out += decoder.decode(bytes.subarray(i, i + length));
    i += length;
  }
  return out;
}
