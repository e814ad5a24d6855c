/** "a, b; c" → ["a", "b", "c"]: the alternatives typed into the Record Decision form; empty pieces are dropped. */
export function splitAlternatives(text: string): string[] {
  return text.split(/[;,]/).map((a) => a.trim()).filter((a) => a.length > 0);
}
