/** One `@@ -a,b +c,d @@` block of a unified diff; lines start with ' ', '-', '+' or '\' (no newline at end of file). */
export interface DiffHunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  readonly lines: readonly string[];
}

export interface LineDiff {
  readonly added: number;
  readonly removed: number;
  readonly hunks: DiffHunk[];
}

const DEFAULT_CONTEXT = 3;
const NO_NEWLINE = '\\ No newline at end of file';

/**
 * A minimal line diff (Myers' O(ND) algorithm in linear space). Lines that occur on one side only are set aside
 * first, so even two unrelated 10,000-line files diff in milliseconds. A last line without a newline differs from
 * the same line with one, as in git.
 */
export function diffLines(before: string, after: string, context: number = DEFAULT_CONTEXT): LineDiff {
  const a = splitKeepingNewlines(before);
  const b = splitKeepingNewlines(after);
  const { keepA, keepB } = commonLines(a, b);
  const ops = editScript(keepA, keepB);
  let added = 0;
  let removed = 0;
  for (const op of ops) {
    if (op.kind === '+') added++;
    else if (op.kind === '-') removed++;
  }
  return { added, removed, hunks: hunksOf(ops, a, b, Math.max(0, Math.floor(context))) };
}

/** A unified diff of two texts with `--- a/path` / `+++ b/path` headers; empty when the texts are equal. */
export function formatUnifiedDiff(path: string, before: string, after: string, context: number = DEFAULT_CONTEXT): string {
  const { hunks } = diffLines(before, after, context);
  if (hunks.length === 0) return '';
  const out = [`--- a/${path}`, `+++ b/${path}`];
  for (const hunk of hunks) {
    out.push(`@@ -${range(hunk.oldStart, hunk.oldLines)} +${range(hunk.newStart, hunk.newLines)} @@`);
    out.push(...hunk.lines);
  }
  return `${out.join('\n')}\n`;
}

function range(start: number, count: number): string {
  return count === 1 ? `${start}` : `${start},${count}`;
}

/** Lines with their '\n' kept, so a missing final newline counts as a difference. */
function splitKeepingNewlines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (;;) {
    const end = text.indexOf('\n', start);
    if (end === -1) break;
    lines.push(text.slice(start, end + 1));
    start = end + 1;
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

/** Marks the lines of a longest common subsequence of a and b. */
function commonLines(a: readonly string[], b: readonly string[]): { keepA: Uint8Array; keepB: Uint8Array } {
  const keepA = new Uint8Array(a.length);
  const keepB = new Uint8Array(b.length);
  const ids = new Map<string, number>();
  const idOf = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const idsA = Int32Array.from(a, idOf);
  const idsB = Int32Array.from(b, idOf);
  let lo = 0;
  let hiA = a.length;
  let hiB = b.length;
  while (lo < hiA && lo < hiB && idsA[lo] === idsB[lo]) {
    keepA[lo] = 1;
    keepB[lo] = 1;
    lo++;
  }
  while (hiA > lo && hiB > lo && idsA[hiA - 1] === idsB[hiB - 1]) {
    keepA[--hiA] = 1;
    keepB[--hiB] = 1;
  }
  // Lines found on one side only can never be common: leave them out of the expensive search.
  const inB = new Uint8Array(ids.size);
  const inA = new Uint8Array(ids.size);
  for (let j = lo; j < hiB; j++) inB[idsB[j] as number] = 1;
  for (let i = lo; i < hiA; i++) inA[idsA[i] as number] = 1;
  const indexA: number[] = [];
  const indexB: number[] = [];
  for (let i = lo; i < hiA; i++) if (inB[idsA[i] as number]) indexA.push(i);
  for (let j = lo; j < hiB; j++) if (inA[idsB[j] as number]) indexB.push(j);
  const seqA = Int32Array.from(indexA, (i) => idsA[i] as number);
  const seqB = Int32Array.from(indexB, (j) => idsB[j] as number);
  const subKeepA = new Uint8Array(seqA.length);
  const subKeepB = new Uint8Array(seqB.length);
  myers(seqA, seqB, subKeepA, subKeepB);
  indexA.forEach((i, k) => { if (subKeepA[k]) keepA[i] = 1; });
  indexB.forEach((j, k) => { if (subKeepB[k]) keepB[j] = 1; });
  return { keepA, keepB };
}

/** Linear-space Myers: split at a middle snake, solve both halves; an explicit stack instead of recursion. */
function myers(a: Int32Array, b: Int32Array, keepA: Uint8Array, keepB: Uint8Array): void {
  const stack: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (stack.length > 0) {
    let [aLo, aHi, bLo, bHi] = stack.pop() as [number, number, number, number];
    while (aLo < aHi && bLo < bHi && a[aLo] === b[bLo]) {
      keepA[aLo++] = 1;
      keepB[bLo++] = 1;
    }
    while (aLo < aHi && bLo < bHi && a[aHi - 1] === b[bHi - 1]) {
      keepA[--aHi] = 1;
      keepB[--bHi] = 1;
    }
    if (aLo === aHi || bLo === bHi) continue;
    const split = middleSnake(a, aLo, aHi, b, bLo, bHi);
    if (split === undefined) continue;
    stack.push([split[0], aHi, split[1], bHi], [aLo, split[0], bLo, split[1]]);
  }
}

/** The point where the forward and backward searches meet (diff-match-patch's bisect), or undefined if nothing is common. */
function middleSnake(a: Int32Array, aLo: number, aHi: number, b: Int32Array, bLo: number, bHi: number): [number, number] | undefined {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const length = 2 * maxD + 2;
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  const front = delta % 2 !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1Offset = offset + k1;
      let x1 = k1 === -d || (k1 !== d && (v1[k1Offset - 1] as number) < (v1[k1Offset + 1] as number)) ? (v1[k1Offset + 1] as number) : (v1[k1Offset - 1] as number) + 1;
      let y1 = x1 - k1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1++;
        y1++;
      }
      v1[k1Offset] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2Offset = offset + delta - k1;
        if (k2Offset >= 0 && k2Offset < length && v2[k2Offset] !== -1 && x1 >= n - (v2[k2Offset] as number)) return [aLo + x1, bLo + y1];
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2Offset = offset + k2;
      let x2 = k2 === -d || (k2 !== d && (v2[k2Offset - 1] as number) < (v2[k2Offset + 1] as number)) ? (v2[k2Offset + 1] as number) : (v2[k2Offset - 1] as number) + 1;
      let y2 = x2 - k2;
      while (x2 < n && y2 < m && a[aHi - x2 - 1] === b[bHi - y2 - 1]) {
        x2++;
        y2++;
      }
      v2[k2Offset] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1Offset = offset + delta - k2;
        if (k1Offset >= 0 && k1Offset < length && v1[k1Offset] !== -1) {
          const x1 = v1[k1Offset] as number;
          const y1 = offset + x1 - k1Offset;
          if (x1 >= n - x2) return [aLo + x1, bLo + y1];
        }
      }
    }
  }
  return undefined;
}

interface EditOp {
  readonly kind: ' ' | '-' | '+';
  /** Index into the old lines (for ' ' and '-') or the new lines (for '+'). */
  readonly a: number;
  readonly b: number;
}

function editScript(keepA: Uint8Array, keepB: Uint8Array): EditOp[] {
  const ops: EditOp[] = [];
  let i = 0;
  let j = 0;
  while (i < keepA.length || j < keepB.length) {
    if (i < keepA.length && !keepA[i]) ops.push({ kind: '-', a: i++, b: j });
    else if (j < keepB.length && !keepB[j]) ops.push({ kind: '+', a: i, b: j++ });
    else ops.push({ kind: ' ', a: i++, b: j++ });
  }
  return ops;
}

function hunksOf(ops: readonly EditOp[], a: readonly string[], b: readonly string[], context: number): DiffHunk[] {
  const hunks: DiffHunk[] = [];
  let index = 0;
  while (index < ops.length) {
    while (index < ops.length && (ops[index] as EditOp).kind === ' ') index++;
    if (index >= ops.length) break;
    const start = Math.max(0, index - context);
    let end = index;
    // Extend over changes separated by at most 2 × context unchanged lines.
    for (;;) {
      while (end < ops.length && (ops[end] as EditOp).kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && (ops[gap] as EditOp).kind === ' ') gap++;
      if (gap < ops.length && gap - end <= 2 * context) end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const lines: string[] = [];
    let oldLines = 0;
    let newLines = 0;
    for (let k = start; k < stop; k++) {
      const op = ops[k] as EditOp;
      const text = op.kind === '+' ? (b[op.b] as string) : (a[op.a] as string);
      if (op.kind !== '+') oldLines++;
      if (op.kind !== '-') newLines++;
      lines.push(op.kind + (text.endsWith('\n') ? text.slice(0, -1) : text));
      if (!text.endsWith('\n')) lines.push(NO_NEWLINE);
    }
    const first = ops[start] as EditOp;
    hunks.push({
      oldStart: oldLines === 0 ? first.a : first.a + 1,
      oldLines,
      newStart: newLines === 0 ? first.b : first.b + 1,
      newLines,
      lines,
    });
    index = stop;
  }
  return hunks;
}
