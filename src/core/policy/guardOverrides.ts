import { createHash } from 'node:crypto';

/**
 * One-time permissions the user gave to run a call a guard refused ("allow this once"). A grant is keyed by the exact
 * call, so the model cannot reuse it for a different input, and it is used up by the first consume.
 */
export class GuardOverrides {
  private readonly granted = new Map<string, number>();

  /** The key of one exact call: the tool name and the sha256 of its input as canonical JSON (sorted keys). */
  static keyOf(tool: string, input: unknown): string {
    return `${tool}:${createHash('sha256').update(canonicalJson(input)).digest('hex')}`;
  }

  /** Allows the call with this key once more. */
  grant(key: string): void {
    this.granted.set(key, (this.granted.get(key) ?? 0) + 1);
  }

  /** True, and uses the grant up, when the call with this key was granted. */
  consume(key: string): boolean {
    const left = this.granted.get(key) ?? 0;
    if (left <= 0) return false;
    if (left === 1) this.granted.delete(key);
    else this.granted.set(key, left - 1);
    return true;
  }

  /** Whether a grant is waiting for this key, without using it. */
  has(key: string): boolean {
    return (this.granted.get(key) ?? 0) > 0;
  }

  get size(): number {
    return this.granted.size;
  }
}

/** JSON with object keys sorted at every level, so equal inputs give equal text whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(record[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
