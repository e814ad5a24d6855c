/** `text` cut to at most `maxChars` characters, ending in `…` when it was cut. */
export function bounded(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, Math.max(0, maxChars - 1))}…`;
}

/** `text` on one line (runs of whitespace become one space, ends trimmed), cut to at most `maxChars` characters. */
export function boundedLine(text: string, maxChars: number): string {
  return bounded(text.replace(/\s+/g, ' ').trim(), maxChars);
}
