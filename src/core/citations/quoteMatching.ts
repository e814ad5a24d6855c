import type { IndexedFile } from './lineIndexCache';
import { stripCarriageReturn } from './lineIndexCache';

const NEWLINE = 0x0a;

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

export type QuoteLocation = 'match' | 'mismatch' | { readonly start: number; readonly end: number };

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
export function locateInlineQuote(file: IndexedFile, start: number, end: number, quote: string, window: number): QuoteLocation {
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

/**
 * The ways to read a fenced block: its non-blank lines, split at `...` lines into runs that must each match whole
 * lines, in order. Lines that look copied with their numbers (`  12\tcode`, `12: code`) are read without them first,
 * then as they are: code such as `509: ("bandwidth"),` starts with a number and a colon too.
 */
function fencedReadings(quote: string): string[][][] {
  const lines = quote.split('\n').map(stripCarriageReturn);
  const firstText = lines.find((l) => l.trim() !== '')?.trim() ?? '';
  const numbered = isDigitCode(firstText.charCodeAt(0)) ? lines.filter((l) => l.trim() !== '').map((l) => NUMBERED.exec(l)) : [];
  if (numbered.length > 0 && numbered.every((m, i) => m !== null && (i === 0 || Number(m[1]) === Number(numbered[i - 1]?.[1]) + 1))) {
    return [fencedRuns(lines.map((l) => l.replace(NUMBERED, ''))), fencedRuns(lines)];
  }
  return [fencedRuns(lines)];
}

function fencedRuns(lines: readonly string[]): string[][] {
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

export function locateFencedQuote(file: IndexedFile, start: number, end: number, quote: string, window: number): QuoteLocation {
  if (isVerbatimCopy(file.text(start, end), quote)) return 'match';
  const readings = fencedReadings(quote);
  if (readings.some((runs) => runs.length === 0)) return 'match';
  const cited = numberedLines(file, start, end).filter((l) => l.text !== '');
  for (const runs of readings) for (let i = 0; i < cited.length; i++) if (matchRunsAt(cited, runs, i) !== undefined) return 'match';
  const around = numberedLines(file, Math.max(1, start - window), end + window).filter((l) => l.text !== '');
  const order = around.map((_, i) => i).sort((a, b) => Math.abs((around[a] as NumberedLine).line - start) - Math.abs((around[b] as NumberedLine).line - start) || a - b);
  for (const runs of readings) {
    for (const i of order) {
      const found = matchRunsAt(around, runs, i);
      if (found !== undefined) return found;
    }
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
