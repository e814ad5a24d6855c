import type { CitationTarget } from './citationTarget';
import type { FenceOpening } from './citationFences';
import { closesFence, fenceOpener, stripIndent } from './citationFences';
import { isWhitespace, scanLine } from './citationLineScan';
import { attachInlineQuotes } from './inlineQuotes';

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
