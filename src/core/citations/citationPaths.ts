import * as path from 'node:path';
import { isPathInside } from '../fs/pathInside';
import { joinPath } from './lineIndexCache';

/** A workspace folder as written, as resolved through symbolic links, and by name (for multi-root paths). */
export interface Root {
  readonly lexical: string;
  readonly real: string;
  readonly name: string;
}

export function insideSomeRoot(roots: readonly Root[], realPath: string): boolean {
  for (const root of roots) if (isPathInside(root.real, realPath)) return true;
  return false;
}

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const DOT = 0x2e;
/** No `.`/`..` steps, doubled or back slashes: the path can be joined to a root without path.resolve. */
function isPlainRelative(cited: string): boolean {
  let segment = 0;
  for (let i = 0; i <= cited.length; i++) {
    const code = i === cited.length ? SLASH : cited.charCodeAt(i);
    if (code === BACKSLASH) return false;
    if (code !== SLASH) continue;
    const size = i - segment;
    // An empty segment is a doubled slash unless it is the first or the last; `.` and `..` are steps.
    if (size === 0 ? segment !== 0 && i !== cited.length : cited.charCodeAt(segment) === DOT && (size === 1 || (size === 2 && cited.charCodeAt(segment + 1) === DOT))) return false;
    segment = i + 1;
  }
  return true;
}

/** Where a cited path may be, as the tools resolve it: the first root, or a root named by the first segment. */
export function candidatePaths(cited: string, roots: readonly Root[]): string[] {
  if (process.platform !== 'win32' && cited.charCodeAt(1) === 0x3a && cited.charCodeAt(2) === 0x2f && /^[A-Za-z]/.test(cited)) return [];
  if (cited.startsWith('~')) return [];
  if (path.isAbsolute(cited)) {
    const absolute = path.resolve(cited);
    return roots.some((root) => isPathInside(root.lexical, absolute) || isPathInside(root.real, absolute)) ? [absolute] : [];
  }
  const first = roots[0] as Root;
  const candidates: string[] = [];
  const plain = path.sep === '/' && isPlainRelative(cited);
  const fromFirst = plain ? joinPath(first.lexical, cited) : path.resolve(first.lexical, cited);
  // A plain relative path joined to the root is inside it by construction.
  if (plain || isPathInside(first.lexical, fromFirst)) candidates.push(fromFirst);
  for (const root of roots) {
    // The first segment is the folder's name (a name holds no slash).
    if (root.name === '' || cited.charCodeAt(root.name.length) !== SLASH || !cited.startsWith(root.name)) continue;
    const named = path.resolve(root.lexical, cited.slice(root.name.length + 1));
    if (isPathInside(root.lexical, named) && !candidates.includes(named)) candidates.push(named);
  }
  return candidates;
}
