import type { CheckRange } from '../checkTypes';

/** A zero-based position, as dockerfile-ast gives them. */
export interface TextPosition {
  readonly line: number;
  readonly character: number;
}

export interface TextSpan {
  readonly start: TextPosition;
  readonly end: TextPosition;
}

/** The text of an instruction's arguments with line continuations removed, and where each character came from. */
export interface LogicalText {
  readonly text: string;
  /** Position of each character of text, and one more for the end. */
  readonly positions: readonly TextPosition[];
}

/** A zero-based span as our one-based CheckRange (end column exclusive). */
export function toCheckRange(span: TextSpan): CheckRange {
  return { line: span.start.line + 1, column: span.start.character + 1, endLine: span.end.line + 1, endColumn: span.end.character + 1 };
}

/** The CheckRange of characters [start, end) of a logical text. */
export function logicalRange(logical: LogicalText, start: number, end: number): CheckRange {
  const first = logical.positions[Math.min(start, logical.positions.length - 1)] as TextPosition;
  const lastChar = logical.positions[Math.max(start, Math.min(end, logical.positions.length) - 1)] as TextPosition;
  const endPosition = end > start ? { line: lastChar.line, character: lastChar.character + 1 } : first;
  return toCheckRange({ start: first, end: endPosition });
}

/**
 * Joins the lines from `start` to `end` the way Docker reads them: an escape character at the end of a line (spaces
 * after it allowed) continues the instruction on the next line, and comment or empty lines inside a continuation are
 * dropped. Other line breaks (heredoc bodies) stay as newlines.
 */
export function joinContinuations(lines: readonly string[], start: TextPosition, end: TextPosition, escape: string): LogicalText {
  let text = '';
  const positions: TextPosition[] = [];
  let continued = false;
  for (let line = start.line; line <= end.line && line < lines.length; line += 1) {
    const full = lines[line] as string;
    const from = line === start.line ? start.character : 0;
    const to = line === end.line ? Math.min(end.character, full.length) : full.length;
    const segment = full.slice(from, to);
    if (continued && line !== start.line && (/^\s*$/.test(segment) || /^\s*#/.test(segment))) continue;
    let keep = segment.length;
    continued = false;
    const trimmed = segment.replace(/[ \t]+$/, '');
    if (line < end.line && trimmed.endsWith(escape) && !trimmed.endsWith(escape + escape)) {
      keep = trimmed.length - escape.length;
      continued = true;
    }
    for (let i = 0; i < keep; i += 1) {
      text += segment[i];
      positions.push({ line, character: from + i });
    }
    if (!continued && line < end.line) {
      text += '\n';
      positions.push({ line, character: from + keep });
    }
  }
  positions.push(positions.length > 0 ? { line: (positions[positions.length - 1] as TextPosition).line, character: (positions[positions.length - 1] as TextPosition).character + 1 } : start);
  return { text, positions };
}
