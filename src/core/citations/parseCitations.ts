import type { CitationTarget } from './citationTarget';
import { parseCitationTarget } from './citationTarget';

/** A `path:line` reference found in a model's answer. */
export interface Citation {
  /** The reference exactly as written: `src/a.ts:3`, `` `src/a.ts:3` `` (with backticks) or `[x](src/a.ts#L3)`. */
  readonly text: string;
  /** Forward slashes, no `./` prefix; absolute paths stay absolute. */
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Where `text` sits in the whole input. */
  readonly offset: number;
  readonly length: number;
  /** The code the answer claims is at those lines: inline code on the same line, or the fenced block adjacent to it. */
  readonly quote?: string;
  /** Inline code may be part of a line; a fenced block's lines must be whole lines. */
  readonly quoteKind?: 'inline' | 'fenced';
}

export interface CitationParseOptions {
  /** Workspace folder names, so `api/bin/run:3` in a multi-root workspace counts although `run` has no extension. */
  readonly folderNames?: readonly string[];
  /** Workspace folders; an extensionless absolute path counts only inside one of them. */
  readonly roots?: readonly string[];
}

export type CitationStreamSegment = { kind: 'text'; text: string } | { kind: 'citation'; citation: Citation };

/** All citations in a whole text; the same result as streaming it through CitationStreamParser. */
export function parseCitations(text: string, options: CitationParseOptions = {}): Citation[] {
  const parser = new CitationCollector(options);
  const citations: Citation[] = [];
  for (const segment of [...parser.push(text), ...parser.end()]) {
    if (segment.kind === 'citation') citations.push(segment.citation);
  }
  return citations;
}

/**
 * Finds citations in text that arrives in chunks, for checking an answer while it streams.
 *
 * Lines are analysed only once complete, so chunking cannot change the result. Text is released as soon as it cannot
 * become part of a citation: within the current line everything before the last, still growing word (or before an
 * unmatched backtick or an unclosed `[`, which may yet open a code span or link). A citation is held, together with
 * everything after it, until its quote is known: the end of its line (inline code), then the first character of the
 * next line (not a fence: no fenced quote), or the end of the fenced block that opens there. Fenced blocks that quote
 * nothing are released line by line.
 */
export class CitationStreamParser {
  private readonly options: CitationParseOptions;
  /** The current, incomplete line. */
  private partial = '';
  private partialStart = 0;
  /** Input before this offset is in `held` or already returned. */
  private queuedUpTo = 0;
  private held: Held[] = [];
  private fence: OpenFence | undefined;
  /** The last citation of the previous line, when a fenced block opening next would be its quote. */
  private awaiting: Awaiting | undefined;
  private ended = false;
  /** False when only the citations are wanted: text segments are then not built at all. */
  protected readonly keepsText: boolean = true;

  constructor(options: CitationParseOptions = {}) {
    this.options = options;
  }

  push(chunk: string): CitationStreamSegment[] {
    if (this.ended) throw new Error('CitationStreamParser: push() after end()');
    if (chunk.length === 0) return [];
    const firstBreak = chunk.indexOf('\n');
    if (firstBreak === -1) {
      this.partial += chunk;
    } else {
      const text = this.partial + chunk;
      const base = this.partialStart;
      let lineStart = 0;
      for (let nl = this.partial.length + firstBreak; nl !== -1; nl = text.indexOf('\n', lineStart)) {
        this.takeLine(text, base, lineStart, nl + 1, true);
        lineStart = nl + 1;
      }
      this.partial = text.slice(lineStart);
      this.partialStart = base + lineStart;
    }
    // Without a break, blank, backtick or bracket the releasable prefix cannot grow.
    if (firstBreak !== -1 || /[\s`\])]/.test(chunk) || this.awaiting !== undefined || this.fence !== undefined) this.takePartial();
    return this.release();
  }

  /** Flushes everything: the last line counts as complete and an unclosed fenced block ends with the input. */
  end(): CitationStreamSegment[] {
    if (this.ended) return [];
    this.ended = true;
    if (this.partial !== '') {
      this.takeLine(this.partial, this.partialStart, 0, this.partial.length, false);
      this.partialStart += this.partial.length;
      this.partial = '';
    }
    if (this.awaiting !== undefined) {
      this.awaiting.draft.decided = true;
      this.awaiting = undefined;
    }
    if (this.fence?.quoteFor !== undefined) decideFencedQuote(this.fence.quoteFor, this.fence.lines);
    this.fence = undefined;
    return this.release();
  }

  private takeLine(text: string, base: number, start: number, end: number, hasBreak: boolean): void {
    const lineStart = base + start;
    const lineEnd = base + end;
    let content = text.slice(start, hasBreak ? end - 1 : end);
    if (content.endsWith('\r')) content = content.slice(0, -1);

    if (this.fence !== undefined) {
      if (closesFence(content, this.fence)) {
        if (this.fence.quoteFor !== undefined) decideFencedQuote(this.fence.quoteFor, this.fence.lines);
        this.fence = undefined;
      } else if (this.fence.quoteFor !== undefined) {
        this.fence.lines.push(stripIndent(content, this.fence.indent));
      }
      this.queueText(text, base, lineEnd);
      return;
    }
    const opener = fenceOpener(content);
    if (this.awaiting !== undefined) {
      const awaiting = this.awaiting;
      if (opener !== undefined) {
        this.awaiting = undefined;
        this.fence = { marker: opener.marker, size: opener.size, indent: opener.indent, lines: [], quoteFor: awaiting.draft };
        this.queueText(text, base, lineEnd);
        return;
      }
      if (awaiting.acrossBlankLines && content.trim() === '') {
        this.queueText(text, base, lineEnd);
        return;
      }
      awaiting.draft.decided = true;
      this.awaiting = undefined;
    }
    if (opener !== undefined) {
      this.fence = { marker: opener.marker, size: opener.size, indent: opener.indent, lines: [], quoteFor: undefined };
      this.queueText(text, base, lineEnd);
      return;
    }

    const scan = scanLine(content, true, this.options);
    attachInlineQuotes(scan.citations, scan.quotes, content);
    let last: Draft | undefined;
    for (const found of scan.citations) {
      const offset = lineStart + found.start;
      this.queueText(text, base, offset);
      const draft: Draft = {
        text: content.slice(found.start, found.end),
        target: found.target,
        offset,
        length: found.end - found.start,
        quote: found.quote,
        quoteKind: found.quote === undefined ? undefined : 'inline',
        decided: true,
      };
      this.held.push({ kind: 'citation', draft });
      this.queuedUpTo = offset + draft.length;
      last = draft;
    }
    if (last !== undefined && last.quote === undefined) {
      last.decided = false;
      this.awaiting = { draft: last, acrossBlankLines: content.trimEnd().endsWith(':') };
    }
    this.queueText(text, base, lineEnd);
  }

  /** Releases what of the incomplete line can no longer become (part of) a citation. */
  private takePartial(): void {
    const line = this.partial;
    if (line === '') return;
    if (this.fence !== undefined) {
      if (this.fence.quoteFor === undefined) this.queueText(line, this.partialStart, this.partialStart + line.length);
      return;
    }
    if (this.awaiting !== undefined) {
      const first = /\S/.exec(line);
      if (first === null || first[0] === '`' || first[0] === '~') return;
      this.awaiting.draft.decided = true;
      this.awaiting = undefined;
    }
    if (line.length > PARTIAL_SCAN_LIMIT) return;
    const scan = scanLine(line, false, this.options);
    let point = scan.settled;
    while (point > 0 && !isWhitespace(line.charCodeAt(point - 1))) point--;
    const first = scan.citations[0];
    if (first !== undefined) point = Math.min(point, first.start);
    this.queueText(line, this.partialStart, this.partialStart + point);
  }

  private queueText(text: string, base: number, upTo: number): void {
    if (upTo <= this.queuedUpTo) return;
    if (!this.keepsText) {
      this.queuedUpTo = upTo;
      return;
    }
    this.held.push({ kind: 'text', text: text.slice(this.queuedUpTo - base, upTo - base) });
    this.queuedUpTo = upTo;
  }

  private release(): CitationStreamSegment[] {
    const out: CitationStreamSegment[] = [];
    let index = 0;
    for (; index < this.held.length; index++) {
      const item = this.held[index] as Held;
      if (item.kind === 'citation') {
        if (!item.draft.decided) break;
        out.push({ kind: 'citation', citation: toCitation(item.draft) });
        continue;
      }
      const last = out[out.length - 1];
      if (last?.kind === 'text') last.text += item.text;
      else out.push({ kind: 'text', text: item.text });
    }
    if (index === this.held.length) this.held = [];
    else if (index > 0) this.held = this.held.slice(index);
    return out;
  }
}

/** The whole-text parser: the same line analysis, without building text segments nobody reads. */
class CitationCollector extends CitationStreamParser {
  protected override readonly keepsText: boolean = false;
}

/** Lines longer than this are not scanned before they end, so a huge line cannot make streaming quadratic. */
const PARTIAL_SCAN_LIMIT = 8192;

interface Draft {
  readonly text: string;
  readonly target: CitationTarget;
  readonly offset: number;
  readonly length: number;
  quote: string | undefined;
  quoteKind: 'inline' | 'fenced' | undefined;
  decided: boolean;
}

type Held = { kind: 'text'; text: string } | { kind: 'citation'; draft: Draft };

interface Awaiting {
  readonly draft: Draft;
  /** The citation's line ends with `:`, so blank lines may separate it from its fenced block. */
  readonly acrossBlankLines: boolean;
}

interface FenceOpening {
  readonly marker: string;
  readonly size: number;
  readonly indent: number;
}

interface OpenFence extends FenceOpening {
  readonly lines: string[];
  readonly quoteFor: Draft | undefined;
}

function toCitation(draft: Draft): Citation {
  const citation: { -readonly [K in keyof Citation]: Citation[K] } = {
    text: draft.text,
    path: draft.target.path,
    startLine: draft.target.startLine,
    endLine: draft.target.endLine,
    offset: draft.offset,
    length: draft.length,
  };
  if (draft.quote !== undefined) {
    citation.quote = draft.quote;
    citation.quoteKind = draft.quoteKind;
  }
  return citation;
}

function decideFencedQuote(draft: Draft, lines: readonly string[]): void {
  if (lines.some((line) => line.trim() !== '')) {
    draft.quote = lines.join('\n');
    draft.quoteKind = 'fenced';
  }
  draft.decided = true;
}

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** Whether the line's first non-blank characters are three backticks or tildes (cheap test before the RegExp). */
function startsWithFenceRun(content: string): boolean {
  let i = 0;
  while (content.charCodeAt(i) === 0x20 || content.charCodeAt(i) === 0x09) i++;
  const c = content.charCodeAt(i);
  return (c === 0x60 || c === 0x7e) && content.charCodeAt(i + 1) === c && content.charCodeAt(i + 2) === c;
}

function fenceOpener(content: string): FenceOpening | undefined {
  if (!startsWithFenceRun(content)) return undefined;
  const match = FENCE_OPEN.exec(content);
  if (!match) return undefined;
  const [, indent = '', run = '', info = ''] = match;
  if (run.startsWith('`') && info.includes('`')) return undefined;
  return { marker: run.charAt(0), size: run.length, indent: indent.length };
}

function closesFence(content: string, fence: FenceOpening): boolean {
  if (!startsWithFenceRun(content)) return false;
  const match = FENCE_CLOSE.exec(content);
  return match !== null && match[1]?.charAt(0) === fence.marker && (match[1]?.length ?? 0) >= fence.size;
}

function stripIndent(content: string, indent: number): string {
  let cut = 0;
  while (cut < indent && (content[cut] === ' ' || content[cut] === '\t')) cut++;
  return content.slice(cut);
}

interface CodeSpan {
  readonly start: number;
  readonly end: number;
  readonly content: string;
}

interface FoundCitation {
  readonly start: number;
  readonly end: number;
  readonly target: CitationTarget;
  quote?: string;
}

interface LineScan {
  readonly citations: FoundCitation[];
  /** Inline code that is not itself a citation: candidate quotes. */
  readonly quotes: CodeSpan[];
  /** For an incomplete line: text from here on may still change meaning (an unmatched backtick or `[`). */
  readonly settled: number;
}

const TRAILING_PUNCTUATION = '.:!?…-–';
const UNDERSCORE = 0x5f;
// Characters that end a bare word besides whitespace; a path never contains them.
const WORD_BREAKS = new Set([...',;()|<>"\'=[]{}`*—“”‘’'].map((c) => c.charCodeAt(0)));

/** Exactly the characters of the RegExp `\s` class, which the streaming parser also uses. */
function isWhitespace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d);
  if (code < 0xa0) return false;
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029
    || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

function isWordBreak(code: number): boolean {
  return isWhitespace(code) || WORD_BREAKS.has(code);
}

function isDigit(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** The next ':' or '#' at or after `from`, or -1. */
function nextMark(line: string, from: number): number {
  const colon = line.indexOf(':', from);
  const hash = line.indexOf('#', from);
  return colon === -1 ? hash : hash === -1 ? colon : Math.min(colon, hash);
}

const EMPTY_MASK = new Uint8Array(0);
const NO_QUOTES: CodeSpan[] = [];
const IN_CODE = 1;
const IN_LINK = 2;

/**
 * Finds the citations on one line: code spans first (CommonMark: equal backtick runs), then links outside them, then
 * bare words outside both. Code spans and links do not continue across lines here.
 */
function scanLine(line: string, complete: boolean, options: CitationParseOptions): LineScan {
  const size = line.length;
  const citations: FoundCitation[] = [];
  // Every citation form holds ':' or '#'; an incomplete line may still gain one, so only complete lines skip.
  if (complete && !line.includes(':') && !line.includes('#')) return { citations, quotes: NO_QUOTES, settled: size };
  const hasCode = line.includes('`');
  const mask = hasCode || line.includes('[') ? new Uint8Array(size) : EMPTY_MASK;
  const spans: CodeSpan[] = [];
  let settled = size;

  if (hasCode) {
    const runs = backtickRuns(line);
    for (let r = 0; r < runs.length; r++) {
      const open = runs[r] as Run;
      if (isEscaped(line, open.start)) continue;
      let close = -1;
      for (let k = r + 1; k < runs.length; k++) {
        if ((runs[k] as Run).size === open.size) {
          close = k;
          break;
        }
      }
      const closing = close === -1 ? undefined : (runs[close] as Run);
      if (closing === undefined || (!complete && closing.start + closing.size === size)) {
        if (!complete) {
          settled = open.start;
          break;
        }
        continue;
      }
      const end = closing.start + closing.size;
      spans.push({ start: open.start, end, content: codeSpanContent(line.slice(open.start + open.size, closing.start)) });
      mask.fill(IN_CODE, open.start, end);
      r = close;
    }
  }

  for (let b = line.indexOf('['); b !== -1 && b < settled; b = line.indexOf('[', b + 1)) {
    if (mask[b] !== 0 || isEscaped(line, b)) continue;
    let c = b + 1;
    while (c < settled && (line[c] !== ']' || mask[c] !== 0)) c++;
    if (c + 1 >= settled) {
      if (!complete) {
        settled = b;
        break;
      }
      continue;
    }
    if (line[c + 1] !== '(') continue;
    const close = line.indexOf(')', c + 2);
    if (close === -1 || close >= settled) {
      if (!complete) {
        settled = b;
        break;
      }
      continue;
    }
    mask.fill(IN_LINK, b, close + 1);
    const destination = linkDestination(line.slice(c + 2, close));
    const target = destination === undefined ? undefined : parseCitationTarget(destination, 'link', options);
    if (target !== undefined) citations.push({ start: b, end: close + 1, target });
    b = close;
  }

  const quotes: CodeSpan[] = [];
  for (const span of spans) {
    if (span.end > settled || mask[span.start] !== IN_CODE) continue;
    const content = span.content.trim();
    const target = mayBeReference(content) ? parseCitationTarget(content, 'code', options) : undefined;
    if (target !== undefined) citations.push({ start: span.start, end: span.end, target });
    else if (content !== '') quotes.push(span);
  }

  // Bare words: a citation ends in ':<digits>' or '#L<digits>', so only words holding ':' or '#' are looked at.
  let wordEnd = -1;
  for (let hit = nextMark(line, 0); hit !== -1 && hit < settled; hit = nextMark(line, hit + 1)) {
    if (hit < wordEnd || (mask !== EMPTY_MASK && mask[hit] !== 0)) continue;
    let start = hit;
    while (start > 0 && !isWordBreak(line.charCodeAt(start - 1))) start--;
    let end = hit + 1;
    while (end < size && !isWordBreak(line.charCodeAt(end))) end++;
    wordEnd = end;
    if (!complete && end >= settled) break;
    while (end > start && TRAILING_PUNCTUATION.includes(line[end - 1] ?? '')) end--;
    while (end - start >= 2 && line.charCodeAt(start) === UNDERSCORE && line.charCodeAt(end - 1) === UNDERSCORE) {
      start++;
      end--;
    }
    if (end - start < 3 || !isDigit(line.charCodeAt(end - 1))) continue;
    const target = parseCitationTarget(line.slice(start, end), 'bare', options);
    if (target !== undefined) citations.push({ start, end, target });
  }

  citations.sort((a, b) => a.start - b.start);
  return { citations, quotes, settled };
}

/** Inline code can only be a citation when it is one word ending in a digit. */
function mayBeReference(content: string): boolean {
  if (!isDigit(content.charCodeAt(content.length - 1))) return false;
  for (let i = 0; i < content.length; i++) if (isWhitespace(content.charCodeAt(i))) return false;
  return true;
}

interface Run {
  readonly start: number;
  readonly size: number;
}

function backtickRuns(line: string): Run[] {
  const runs: Run[] = [];
  for (let i = line.indexOf('`'); i !== -1; i = line.indexOf('`', i)) {
    let j = i;
    while (line[j] === '`') j++;
    runs.push({ start: i, size: j - i });
    i = j;
  }
  return runs;
}

function isEscaped(line: string, index: number): boolean {
  let slashes = 0;
  for (let i = index - 1; i >= 0 && line[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

/** CommonMark: one leading and one trailing space are stripped when both are there and the content is not all spaces. */
function codeSpanContent(raw: string): string {
  if (raw.length >= 2 && raw.startsWith(' ') && raw.endsWith(' ') && raw.trim() !== '') return raw.slice(1, -1);
  return raw;
}

function linkDestination(inner: string): string | undefined {
  let destination = inner.trim();
  if (destination.startsWith('<')) {
    const close = destination.indexOf('>');
    if (close === -1) return undefined;
    destination = destination.slice(1, close);
  } else {
    const space = destination.search(/\s/);
    if (space !== -1) destination = destination.slice(0, space);
  }
  if (!destination.includes('%')) return destination;
  try {
    return decodeURI(destination);
  } catch {
    return destination;
  }
}

/**
 * Pairs citations with inline code on their line. When the line's first code comes before its first citation the
 * code precedes what it quotes (`` `x = 1` at a.ts:3 ``); otherwise each citation takes the first code after it.
 * Only code right next to the citation counts: in "no `USER` line anywhere in Dockerfile:1-10" the code is a word of
 * the sentence, not a quote of those lines.
 */
function attachInlineQuotes(citations: FoundCitation[], quotes: readonly CodeSpan[], line: string): void {
  const firstCitation = citations[0];
  const firstQuote = quotes[0];
  if (firstCitation === undefined || firstQuote === undefined) return;
  const before = firstQuote.start < firstCitation.start;
  citations.forEach((citation, i) => {
    const low = before ? (citations[i - 1]?.end ?? 0) : citation.end;
    const high = before ? citation.start : (citations[i + 1]?.start ?? Number.POSITIVE_INFINITY);
    const inRange = quotes.filter((q) => q.start >= low && q.end <= high);
    const pick = before ? inRange[inRange.length - 1] : inRange[0];
    if (pick === undefined) return;
    const gap = before ? line.slice(pick.end, citation.start) : line.slice(citation.end, pick.start);
    if (QUOTE_CONNECTOR.test(gap)) citation.quote = pick.content;
  });
}

// What may stand between a citation and its quote: punctuation, dashes, and at most one linking word.
const QUOTE_CONNECTOR = /^[\s:;,.()[\]\-\u2013\u2014=>]*(?:(?:at|in|from|see|on|is|reads|shows)[\s:;,.()[\]\-\u2013\u2014=>]*)?$/i;
