import type { CitationForm, CitationTarget } from './citationTarget';
import { parseCitationTarget } from './citationTarget';
import type { CitationParseOptions } from './parseCitations';

export interface CodeSpan {
  readonly start: number;
  readonly end: number;
  readonly content: string;
}

export interface FoundCitation {
  readonly start: number;
  readonly end: number;
  readonly target: CitationTarget;
  quote?: string;
}

export interface LineScan {
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
export function isWhitespace(code: number): boolean {
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
export function scanLine(line: string, complete: boolean, options: CitationParseOptions): LineScan {
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
