/** A range of lines a session has read, 1-based and inclusive. */
export interface ReadRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface ReadSetEntry {
  readonly path: string;
  readonly ranges: readonly ReadRange[];
}

/**
 * The files (and line ranges) one chat session has read. Citations to unread files are flagged, and Edit/Write
 * on an existing file that was never read is refused. Kept in ChatResult.metadata so it survives turns.
 */
export class ReadSet {
  private readonly byPath = new Map<string, ReadRange[]>();

  record(absolutePath: string, startLine: number, endLine: number): void {
    const ranges = this.byPath.get(absolutePath) ?? [];
    ranges.push({ startLine, endLine });
    ranges.sort((a, b) => a.startLine - b.startLine);
    const merged: ReadRange[] = [];
    for (const range of ranges) {
      const last = merged[merged.length - 1];
      if (last && range.startLine <= last.endLine + 1) {
        merged[merged.length - 1] = { startLine: last.startLine, endLine: Math.max(last.endLine, range.endLine) };
      } else {
        merged.push(range);
      }
    }
    this.byPath.set(absolutePath, merged);
  }

  has(absolutePath: string): boolean {
    return this.byPath.has(absolutePath);
  }

  /** True when every line from startLine to endLine was read. */
  covers(absolutePath: string, startLine: number, endLine: number): boolean {
    return (this.byPath.get(absolutePath) ?? []).some((r) => r.startLine <= startLine && r.endLine >= endLine);
  }

  rangesOf(absolutePath: string): readonly ReadRange[] {
    return this.byPath.get(absolutePath) ?? [];
  }

  get size(): number {
    return this.byPath.size;
  }

  toJSON(): ReadSetEntry[] {
    return [...this.byPath].map(([path, ranges]) => ({ path, ranges }));
  }

  /** Rebuilds a read set from toJSON() output, ignoring entries that are not well formed. */
  static fromJSON(value: unknown): ReadSet {
    const set = new ReadSet();
    if (!Array.isArray(value)) return set;
    for (const entry of value as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const { path, ranges } = entry as { path?: unknown; ranges?: unknown };
      if (typeof path !== 'string' || !Array.isArray(ranges)) continue;
      for (const r of ranges as unknown[]) {
        const { startLine, endLine } = (r ?? {}) as { startLine?: unknown; endLine?: unknown };
        if (Number.isInteger(startLine) && Number.isInteger(endLine)) set.record(path, startLine as number, endLine as number);
      }
    }
    return set;
  }

  /** Adds everything another set has read. */
  merge(other: ReadSet): void {
    for (const { path, ranges } of other.toJSON()) for (const r of ranges) this.record(path, r.startLine, r.endLine);
  }
}
