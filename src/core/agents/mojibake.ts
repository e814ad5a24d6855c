/** Windows-1252 bytes 0x80-0x9F whose characters differ from Latin-1. */
const CP1252_HIGH: ReadonlyArray<readonly [number, number]> = [
  [0x80, 0x20ac], [0x82, 0x201a], [0x83, 0x0192], [0x84, 0x201e], [0x85, 0x2026], [0x86, 0x2020], [0x87, 0x2021],
  [0x88, 0x02c6], [0x89, 0x2030], [0x8a, 0x0160], [0x8b, 0x2039], [0x8c, 0x0152], [0x8e, 0x017d], [0x91, 0x2018],
  [0x92, 0x2019], [0x93, 0x201c], [0x94, 0x201d], [0x95, 0x2022], [0x96, 0x2013], [0x97, 0x2014], [0x98, 0x02dc],
  [0x99, 0x2122], [0x9a, 0x0161], [0x9b, 0x203a], [0x9c, 0x0153], [0x9e, 0x017e], [0x9f, 0x0178],
];

/** Character code -> the byte a cp1252 (or, for its holes, Latin-1) decoder made it from. */
const BYTE_OF = new Map<number, number>();
for (let b = 0x80; b <= 0xff; b++) BYTE_OF.set(b, b);
for (const [byte, code] of CP1252_HIGH) BYTE_OF.set(code, byte);

export interface MojibakeRepair {
  readonly text: string;
  /** Each repaired run: where it was (0-based offset in the input), what it was, what it became. */
  readonly repairs: ReadonlyArray<{ readonly offset: number; readonly from: string; readonly to: string }>;
}

interface Run { readonly start: number; readonly end: number }

function nonAsciiRuns(text: string): Run[] {
  const runs: Run[] = [];
  let start = -1;
  for (let i = 0; i <= text.length; i++) {
    const inRun = i < text.length && BYTE_OF.has(text.charCodeAt(i));
    if (inRun && start < 0) start = i;
    else if (!inRun && start >= 0) {
      runs.push({ start, end: i });
      start = -1;
    }
  }
  return runs;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

function redecode(run: string): string | undefined {
  const bytes = Uint8Array.from(run, (ch) => BYTE_OF.get(ch.charCodeAt(0)) ?? 0);
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Undoes UTF-8 that was decoded as cp1252/Latin-1 and saved again (`ðŸ“‹` for 📋, `â†’` for →).
 * All or nothing: every run of such characters must re-decode to valid UTF-8, otherwise the text is
 * taken as legitimately non-ASCII (a lone `é` or `’` never re-decodes) and returned unchanged.
 */
export function repairMojibake(text: string): MojibakeRepair {
  const runs = nonAsciiRuns(text);
  if (runs.length === 0) return { text, repairs: [] };
  const decoded: string[] = [];
  for (const run of runs) {
    const fixed = redecode(text.slice(run.start, run.end));
    if (fixed === undefined) return { text, repairs: [] };
    decoded.push(fixed);
  }
  const parts: string[] = [];
  const repairs: Array<{ offset: number; from: string; to: string }> = [];
  let at = 0;
  runs.forEach((run, i) => {
    parts.push(text.slice(at, run.start), decoded[i]);
    repairs.push({ offset: run.start, from: text.slice(run.start, run.end), to: decoded[i] });
    at = run.end;
  });
  parts.push(text.slice(at));
  return { text: parts.join(''), repairs };
}
