/** An ATX heading (`## Title`) of a Markdown document. */
export interface MarkdownHeading {
  /** The heading text without the `#` marks and surrounding spaces. */
  readonly heading: string;
  /** 1 for `#`, 2 for `##`, … */
  readonly level: number;
  /** 1-based line number. */
  readonly line: number;
}

const HEADING = /^(#{1,6})(?:[ \t]+(.*?))?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Splits text into lines on LF, CRLF or CR, so line numbers match what editors show. */
export function splitLines(text: string): string[] {
  // Splitting on '\n' alone is several times faster; most files have no CR at all.
  if (!text.includes('\r')) return text.split('\n');
  return text.split(/\r\n|\n|\r/);
}

/**
 * Finds the ATX headings of a document, skipping fenced code blocks (a `# comment` in a shell snippet is not a
 * heading). Only unindented headings count, so indented continuation lines can never open a section.
 */
export function findMarkdownHeadings(lines: readonly string[]): MarkdownHeading[] {
  const headings: MarkdownHeading[] = [];
  let fence: string | undefined;
  lines.forEach((text, index) => {
    const first = text.charCodeAt(0);
    // Only lines starting with '#', a space, '`' or '~' can be headings or fences; skip the regexes for the rest.
    if (first !== 35 && first !== 32 && first !== 96 && first !== 126) return;
    const fenceMatch = FENCE.exec(text);
    if (fence !== undefined) {
      if (fenceMatch && fenceMatch[1]?.[0] === fence[0] && (fenceMatch[1]?.length ?? 0) >= fence.length && text.trim() === fenceMatch[1]) {
        fence = undefined;
      }
      return;
    }
    if (fenceMatch) {
      fence = fenceMatch[1];
      return;
    }
    const match = HEADING.exec(text);
    if (!match) return;
    const heading = (match[2] ?? '').replace(/[ \t]+#+$/, '').trim();
    headings.push({ heading, level: match[1]?.length ?? 1, line: index + 1 });
  });
  return headings;
}
