import { diffLines } from '../text/unifiedDiff';

export interface PreserveWorkOptions {
  /** More deleted lines than this always needs confirmation (default 40). */
  readonly maxDeletedLines: number;
  /** Deleting more than this share of the file's lines needs confirmation (default 0.3)… */
  readonly maxDeletedFraction: number;
  /** …once at least this many lines go, so a 3-line edit of a 5-line file is not a "rewrite" (default 10). */
  readonly minDeletedLinesForFraction?: number;
}

export interface PreservedWorkCheck {
  readonly needsConfirmation: boolean;
  /** Non-blank lines of the old text that the new text drops or changes. */
  readonly deletedLines: number;
  /** deletedLines over the old text's non-blank lines (0 for a new file). */
  readonly deletedFraction: number;
  /** The removed lines, bounded to MAX_EXCERPT_LINES lines and MAX_EXCERPT_CHARS characters. */
  readonly removedExcerpt: string;
}

export const DEFAULT_PRESERVE_WORK_OPTIONS: Required<PreserveWorkOptions> = {
  maxDeletedLines: 40,
  maxDeletedFraction: 0.3,
  minDeletedLinesForFraction: 10,
};

const MAX_EXCERPT_LINES = 60;
const MAX_EXCERPT_CHARS = 4_000;

/**
 * The seed's "respect existing work / no rewriting instead of debugging" rule as a guard: a Write or Edit that
 * deletes a lot of an existing file needs the user's confirmation. A changed line counts as deleted (its old text is
 * gone); blank lines do not count, and line-ending or final-newline differences are ignored.
 */
export function checkPreservedWork(
  before: string | undefined,
  after: string,
  options: PreserveWorkOptions = DEFAULT_PRESERVE_WORK_OPTIONS,
): PreservedWorkCheck {
  if (before === undefined) return { needsConfirmation: false, deletedLines: 0, deletedFraction: 0, removedExcerpt: '' };
  const oldText = normalized(before);
  const { hunks } = diffLines(oldText, normalized(after), 0);
  const removed: { line: number; text: string }[] = [];
  for (const hunk of hunks) {
    let oldLine = hunk.oldLines === 0 ? hunk.oldStart + 1 : hunk.oldStart;
    for (const line of hunk.lines) {
      if (line.startsWith('-')) removed.push({ line: oldLine, text: line.slice(1) });
      if (line.startsWith('-') || line.startsWith(' ')) oldLine += 1;
    }
  }
  const deletedLines = removed.filter((r) => r.text.trim() !== '').length;
  const oldNonBlank = oldText.split('\n').filter((l) => l.trim() !== '').length;
  const deletedFraction = oldNonBlank === 0 ? 0 : deletedLines / oldNonBlank;
  const minForFraction = options.minDeletedLinesForFraction ?? DEFAULT_PRESERVE_WORK_OPTIONS.minDeletedLinesForFraction;
  const needsConfirmation =
    deletedLines > options.maxDeletedLines || (deletedFraction > options.maxDeletedFraction && deletedLines >= minForFraction);
  return { needsConfirmation, deletedLines, deletedFraction, removedExcerpt: excerptOf(removed) };
}

function normalized(text: string): string {
  const lf = text.replace(/\r\n?/g, '\n');
  return lf === '' || lf.endsWith('\n') ? lf : `${lf}\n`;
}

/** Removed lines as `<old line number>: text`, with `…` between separate runs, cut to a bounded size. */
function excerptOf(removed: readonly { line: number; text: string }[]): string {
  const out: string[] = [];
  let chars = 0;
  let shown = 0;
  for (let k = 0; k < removed.length; k += 1) {
    const r = removed[k] as { line: number; text: string };
    const previous = removed[k - 1];
    const line = `${r.line}: ${r.text}`;
    if (shown >= MAX_EXCERPT_LINES || chars + line.length > MAX_EXCERPT_CHARS) break;
    if (previous && previous.line + 1 !== r.line) out.push('…');
    out.push(line);
    chars += line.length + 1;
    shown += 1;
  }
  if (shown < removed.length) out.push(`… ${removed.length - shown} more removed line${removed.length - shown === 1 ? '' : 's'}`);
  return out.join('\n');
}
