import * as path from 'node:path';

export interface PathInsideOptions {
  /** Compare without letter case; the default is the platform's: Windows only. */
  readonly ignoreCase?: boolean;
  /** The platform whose path rules apply (tests pass another one). */
  readonly platform?: NodeJS.Platform;
}

/**
 * Whether `candidate` is `folder` itself or lies inside it (a sibling such as `/repo-old` next to `/repo` is not).
 * Give both absolute and resolved the same way (realpath), which makes an exact comparison right on every platform.
 * Letter case is ignored on Windows only, where drive letters and NTFS names compare without case; on Linux and on
 * case-sensitive macOS volumes /repo and /REPO are different folders, and treating them as one would let a path
 * escape its workspace folder.
 */
export function isPathInside(folder: string, candidate: string, options: PathInsideOptions = {}): boolean {
  const platform = options.platform ?? process.platform;
  const rules = platform === 'win32' ? path.win32 : path.posix;
  const ignoreCase = options.ignoreCase ?? platform === 'win32';
  const a = ignoreCase ? rules.normalize(folder).toLowerCase() : normalized(rules, folder);
  const b = ignoreCase ? rules.normalize(candidate).toLowerCase() : normalized(rules, candidate);
  if (a === b) return true;
  return b.startsWith(a.endsWith(rules.sep) ? a : a + rules.sep);
}

/** `path.normalize`, skipped for a POSIX path that is already normal (checking ten thousand citations calls this often). */
function normalized(rules: typeof path.posix, p: string): string {
  if (rules === path.posix && p.length > 1 && !p.includes('//') && !p.includes('/./') && !p.includes('/../') && !p.endsWith('/.') && !p.endsWith('/..') && !p.startsWith('./') && !p.startsWith('../') && p !== '.' && p !== '..') return p;
  return rules.normalize(p);
}
