import type { CitationForm, CitationTarget } from './citationTarget';
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
    point = Math.min(point, scan.holdFrom);
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
  /** For an incomplete line: text from here on may still become a phrase citation ("line 62 of `path`"). */
  readonly holdFrom: number;
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
  if (complete && !line.includes(':') && !line.includes('#') && !mayHoldLineWord(line)) return { citations, quotes: NO_QUOTES, settled: size, holdFrom: size };
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
  const plainSpans: CodeSpan[] = [];
  for (const span of spans) {
    if (span.end > settled || mask[span.start] !== IN_CODE) continue;
    const content = span.content.trim();
    const target = mayBeReference(content) ? parseCitationTarget(content, 'code', options) : undefined;
    if (target !== undefined) citations.push({ start: span.start, end: span.end, target });
    else if (content !== '') plainSpans.push(span);
  }
  // Phrases: "line 62 of `path`", "lines 3-5 in path", "`path` line 62", "`path` (lines 3-5)", "`path`, line 7", "`path`:62".
  const phrases = plainSpans.length > 0 || mayHoldLineWord(line) ? linePhrases(line, plainSpans, mask, settled, complete, options) : NO_PHRASES;
  for (const phrase of phrases) citations.push(phrase);
  for (const span of plainSpans) if (!phrases.some((phrase) => phrase.pathSpan === span)) quotes.push(span);

  // Bare words: a citation ends in ':<digits>' or '#L<digits>', so only words holding ':' or '#' are looked at.
  let wordEnd = -1;
  for (let hit = nextMark(line, 0); hit !== -1 && hit < settled; hit = nextMark(line, hit + 1)) {
    if (hit < wordEnd || (mask !== EMPTY_MASK && mask[hit] !== 0) || insidePhrase(phrases, hit)) continue;
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
  return { citations, quotes, settled, holdFrom: complete ? size : phraseHold(line, plainSpans, settled, options) };
}

interface Phrase extends FoundCitation {
  /** The code span that names the file, which is then not a quote. */
  readonly pathSpan: CodeSpan | undefined;
}

const NO_PHRASES: Phrase[] = [];
// "line 62 of ", "lines 3-5 in ", "Lines 3 to 5 of the file "; the path follows.
const LINE_FIRST = /\blines?\s+(\d{1,9})(?:\s*(?:-|–|—|to|through)\s*(\d{1,9}))?,?\s+(?:of|in)\s+(?:the\s+file\s+)?/giy;
// After a code span naming a file: " line 62", ", line 7", " at line 9", " on lines 3–4"; or " (lines 3-5)".
const PATH_FIRST = /(?:[ \t]{0,3},[ \t]{0,3}|[ \t]{1,3})(?:(?:at|on|in)[ \t]{1,3})?lines?[ \t]{1,3}(\d{1,9})(?:[ \t]{0,3}(?:-|–|—|to|through)[ \t]{0,3}(\d{1,9}))?(?!\d)/iy;
const PATH_FIRST_PARENTHESISED = /[ \t]{0,3}\([ \t]{0,3}(?:(?:at|on|in)[ \t]{1,3})?lines?[ \t]{1,3}(\d{1,9})(?:[ \t]{0,3}(?:-|–|—|to|through)[ \t]{0,3}(\d{1,9}))?[ \t]{0,3}\)/iy;
// Directly after the closing backtick: "`src/a.ts`:62", "`src/a.ts`:3-5".
const COLON_AFTER = /:(\d{1,9})(?:[-–](\d{1,9}))?(?![\w.:])/y;
const LINE_NUMBER = /\blines?\s+\d/i;
const LINE_WORD = /\blines?(?=\s+\d|\s*$)/i;

/** Whether a line may contain the word "line" (a cheap test before any RegExp). */
function mayHoldLineWord(line: string): boolean {
  return line.includes('ine') || line.includes('INE');
}

function insidePhrase(phrases: readonly Phrase[], at: number): boolean {
  for (const phrase of phrases) if (at >= phrase.start && at < phrase.end) return true;
  return false;
}

/** A file named by a phrase is a citation when the name has a file's shape, as `path:line` would need. */
function phraseTarget(rawPath: string, start: string, end: string | undefined, form: CitationForm, options: CitationParseOptions): CitationTarget | undefined {
  if (rawPath === '' || /\s/.test(rawPath) || rawPath.includes(':') || rawPath.includes('#')) return undefined;
  return parseCitationTarget(`${rawPath}:${start}${end === undefined ? '' : `-${end}`}`, form, options);
}

/** The phrase forms of a citation on one line, outside links; a span already a citation is never a phrase's path. */
function linePhrases(line: string, spans: readonly CodeSpan[], mask: Uint8Array, settled: number, complete: boolean, options: CitationParseOptions): Phrase[] {
  const found: Phrase[] = [];
  const used = new Set<CodeSpan>();
  const free = (at: number): boolean => mask === EMPTY_MASK || mask[at] === 0;
  if (mayHoldLineWord(line)) {
    for (let at = line.search(LINE_NUMBER); at !== -1 && at < settled;) {
      LINE_FIRST.lastIndex = at;
      const match = LINE_FIRST.exec(line);
      if (match !== null && free(at)) {
        const after = LINE_FIRST.lastIndex;
        const span = spans.find((candidate) => candidate.start === after);
        if (span !== undefined) {
          const target = phraseTarget(span.content.trim(), match[1] as string, match[2], 'code', options);
          if (target !== undefined && span.end <= settled) {
            found.push({ start: at, end: span.end, target, pathSpan: span });
            used.add(span);
          }
        } else if (free(after)) {
          let wordEnd = after;
          while (wordEnd < line.length && !isWordBreak(line.charCodeAt(wordEnd))) wordEnd++;
          if (complete || wordEnd < settled) {
            let end = wordEnd;
            while (end > after && TRAILING_PUNCTUATION.includes(line[end - 1] ?? '')) end--;
            const target = phraseTarget(line.slice(after, end), match[1] as string, match[2], 'bare', options);
            if (target !== undefined) found.push({ start: at, end, target, pathSpan: undefined });
          }
        }
      }
      const next = line.slice(at + 4).search(LINE_NUMBER);
      at = next === -1 ? -1 : at + 4 + next;
    }
  }
  for (const span of spans) {
    if (used.has(span) || span.end >= settled) continue;
    let match: RegExpExecArray | null = null;
    let end = span.end;
    if (line.charCodeAt(span.end) === 0x3a) {
      COLON_AFTER.lastIndex = span.end;
      match = COLON_AFTER.exec(line);
      if (match !== null) end = COLON_AFTER.lastIndex;
    } else if (mayHoldLineWord(line)) {
      for (const form of [PATH_FIRST_PARENTHESISED, PATH_FIRST]) {
        form.lastIndex = span.end;
        match = form.exec(line);
        if (match === null) continue;
        end = form.lastIndex;
        break;
      }
    }
    if (match === null || end > settled) continue;
    const target = phraseTarget(span.content.trim(), match[1] as string, match[2], 'code', options);
    if (target === undefined) continue;
    found.push({ start: span.start, end, target, pathSpan: span });
    used.add(span);
  }
  return found;
}

/**
 * Where an incomplete line must be held back because a phrase citation may still form there: from a "line" word that
 * a number follows (or may yet), and from a code span naming a file while the text after it may still become
 * " line 62" or ":62".
 */
function phraseHold(line: string, spans: readonly CodeSpan[], settled: number, options: CitationParseOptions): number {
  let hold = line.length;
  const word = LINE_WORD.exec(line);
  if (word !== null) hold = word.index;
  for (const span of spans) {
    if (span.start >= hold || span.end > settled) continue;
    const rest = line.slice(span.end, settled);
    if (rest.length <= 64 && /^[\s,(:\w\-–—)]*$/.test(rest) && phraseTarget(span.content.trim(), '1', undefined, 'code', options) !== undefined) {
      hold = span.start;
      break;
    }
  }
  return hold;
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
 * Code right next to the citation is its quote ("a.ts:3 — `x = 1`", "a.ts:3 (`x`)"). Code further on in the same
 * sentence is its quote when the words before it introduce it as the cited text ("where it says `…`", "contains the
 * line `…`", "the code `…`", "calls `retry(3)`"); then a lone identifier (`USER`, `npm`) only counts after a verb of
 * quoting (says, reads, contains, shows): elsewhere it names a thing rather than quoting a line. Negations and advice
 * ("should be `…`", "instead of `…`", "no `USER` line") never introduce a quote: the code is not claimed to be there.
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
    if (pick !== undefined) {
      const gap = before ? line.slice(pick.end, citation.start) : line.slice(citation.end, pick.start);
      if (QUOTE_CONNECTOR.test(gap)) {
        citation.quote = pick.content;
        return;
      }
    }
    // The first code after the citation, before the next citation, in the same sentence.
    const next = citations[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    const after = quotes.find((q) => q.start >= citation.end && q.end <= next);
    if (after === undefined) return;
    const words = line.slice(citation.end, after.start);
    if (introducesQuote(words, after.content)) citation.quote = after.content;
  });
}

// What may stand between a citation and its quote: punctuation, dashes, and at most one linking word.
const QUOTE_CONNECTOR = /^[\s:;,.()[\]\-\u2013\u2014=>*_]*(?:(?:at|in|from|see|on|is|reads|shows|says|contains)[\s:;,.()[\]\-\u2013\u2014=>*_]*)?$/i;
// A sentence ends between the citation and the code: the code belongs to another statement.
const SENTENCE_BREAK = /[.!?](?:\s|$)|;\s/;
// Words that deny or advise rather than state what the cited lines hold.
const NOT_A_CLAIM = /\b(?:not|no|never|none|without|instead|rather|than|unlike|versus|vs|should|could|would|must|might|may|can|cannot|to|replace|replaced|change|changed|add|adding|remove|removed|use|try|consider|prefer|suggest|recommend|like|missing|lacks?|fix|fixed|better|e\.g|such|example|compare|compared|unless|if|whether|or)\b|n't\b/i;
// The words right before the code that present it as the cited text; group 1 is a verb of quoting.
const INTRODUCER = /(?:\b(says|said|reads|read|contains|contain|shows|show|has\s+the\s+(?:line|text)|the\s+(?:line|lines|code|snippet|text|string))|\b(?:is|are|was|were|has|have|holds|defines|declares|sets|calls|runs|invokes|uses|does|returns|checks|starts|opens|builds|exports|imports|pins)|\bthe\s+(?:statement|call|expression|condition|check|definition|declaration|text|string|instruction|entry|setting|command|step|rule|directive|assignment|import|guard|loop|block)|[:\u2014\u2013(=])(?:\s+(?:the\s+)?(?:line|lines|code|snippet|statement|call|expression|text|string|instruction|command|entry)s?)?\s*:?\s*$/i;

function introducesQuote(words: string, code: string): boolean {
  if (words.length > 120 || SENTENCE_BREAK.test(words) || NOT_A_CLAIM.test(words)) return false;
  const match = INTRODUCER.exec(words);
  if (match === null) return false;
  return match[1] !== undefined || !isLoneIdentifier(code);
}

/** `USER`, `npm`, `os.path`, `--no-cache`: a name, not a line of code. */
function isLoneIdentifier(code: string): boolean {
  return /^[\w.@/$-]+$/.test(code.trim());
}
