/** Room kept at the end of a bounded result for the note saying what was left out. */
const RESULT_NOTE_RESERVE = 400;

/** How many of the lines, joined with '\n' after `used` characters, fit in maxChars (keeping room for a note). */
export function linesWithinBudget(lines: readonly string[], maxChars: number, used = 0): number {
  let total = used;
  const budget = Math.max(0, maxChars - RESULT_NOTE_RESERVE);
  for (let i = 0; i < lines.length; i++) {
    total += (lines[i] as string).length + 1;
    if (total > budget) return i;
  }
  return lines.length;
}

/** 12345 → "12,345". */
export function formatCount(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
