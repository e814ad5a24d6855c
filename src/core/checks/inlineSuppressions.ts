/**
 * `# devops-agent ignore=RULE[,RULE…]` comments: on a line of its own the comment silences the named rules on the
 * next line that is not a comment (and the lines it continues onto with a trailing backslash); after code, on its own
 * line. `# devops-agent ignore-file=RULE…` silences them in the whole file. RULE is our id or a public reference.
 */
export interface InlineSuppressions {
  /** True when the rule (given as its id and references) is silenced on a line (1-based). */
  isSuppressed(line: number, names: readonly string[]): boolean;
}

const DIRECTIVE = /#\s*devops-agent\s+(ignore|ignore-file)\s*=\s*([A-Za-z0-9_./,\s-]+)/;
const NONE: InlineSuppressions = { isSuppressed: () => false };

export function parseInlineSuppressions(text: string): InlineSuppressions {
  if (!text.includes('devops-agent')) return NONE;
  const lines = text.split(/\r\n|\n|\r/);
  const file = new Set<string>();
  const perLine = new Map<number, Set<string>>();
  const addTo = (line: number, names: readonly string[]): void => {
    const set = perLine.get(line) ?? new Set<string>();
    names.forEach((n) => set.add(n));
    perLine.set(line, set);
  };
  lines.forEach((line, index) => {
    const match = DIRECTIVE.exec(line);
    if (match === null) return;
    const names = (match[2] as string).split(/[,\s]+/).filter((n) => n !== '').map((n) => n.toLowerCase());
    if (match[1] === 'ignore-file') {
      names.forEach((n) => file.add(n));
      return;
    }
    const ownLine = /^\s*#/.test(line);
    if (!ownLine) {
      addTo(index + 1, names);
      return;
    }
    let target = index + 1;
    while (target < lines.length && /^\s*(?:#.*)?$/.test(lines[target] as string)) target += 1;
    if (target >= lines.length) return;
    addTo(target + 1, names);
    // A statement continued with a trailing backslash (a Dockerfile RUN, a shell line) is silenced as a whole.
    while (target < lines.length - 1 && /\\\s*$/.test(lines[target] as string)) {
      target += 1;
      addTo(target + 1, names);
    }
  });
  return {
    isSuppressed(line, names) {
      const lower = names.map((n) => n.toLowerCase());
      if (lower.some((n) => file.has(n))) return true;
      const set = perLine.get(line);
      return set !== undefined && lower.some((n) => set.has(n));
    },
  };
}
