import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Tracked files (fast: read from the index). */
const CACHED_ARGUMENTS: readonly string[] = ['ls-files', '-z', '--cached'];
/** Untracked files that are not ignored (slow: walks the work tree); run at the same time as CACHED_ARGUMENTS. */
const OTHERS_ARGUMENTS: readonly string[] = ['ls-files', '-z', '--others', '--exclude-standard'];
/** The single command listing the same files, for comparison. */
export const GIT_LIST_ARGUMENTS: readonly string[] = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];

/**
 * The files git sees under `folder` (posix, relative to folder), handed over in batches: tracked ones, even if an
 * ignore rule matches them, and untracked ones that .gitignore, .git/info/exclude and the global excludes file do
 * not exclude. Tracked files come from the index at once while a second git walks the tree for untracked ones, so
 * callers work on the first batch while git still runs. Submodules and nested repositories are listed through their
 * own git. Returns false (and hands over nothing) when folder is not in a git work tree or git is missing.
 * Never lists anything inside .git.
 */
export async function listGitFiles(folder: string, onFiles: (files: readonly string[]) => void | Promise<void>, signal?: AbortSignal): Promise<boolean> {
  const top = await gitWorkTreeTop(folder);
  if (top === undefined) return false;
  const othersRun = runGit(folder, OTHERS_ARGUMENTS, signal);
  const cachedOutput = await runGit(folder, CACHED_ARGUMENTS, signal);
  if (cachedOutput === undefined) {
    await othersRun;
    return false;
  }
  const cached = new Set(cachedOutput.split('\0'));
  cached.delete('');
  const nested: string[] = [];
  for (const submodule of await submodulePaths(top, folder)) {
    if (cached.delete(submodule)) nested.push(submodule);
  }
  await onFiles([...cached]);
  const others: string[] = [];
  for (const entry of ((await othersRun) ?? '').split('\0')) {
    if (entry === '') continue;
    if (entry.endsWith('/')) nested.push(entry.slice(0, -1));
    else others.push(entry);
  }
  if (others.length > 0) await onFiles(others);
  for (const inner of nested) {
    await listGitFiles(path.join(folder, inner), (files) => onFiles(files.map((file) => `${inner}/${file}`)), signal);
  }
  return true;
}

async function runGit(folder: string, args: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd: folder, maxBuffer: 1 << 30, encoding: 'utf8', ...(signal ? { signal } : {}) }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

/** The folder holding the nearest `.git` (folder or file) at or above `folder`. */
async function gitWorkTreeTop(folder: string): Promise<string | undefined> {
  let current = path.resolve(folder);
  for (;;) {
    if (path.basename(current) === '.git') return undefined;
    try {
      await fs.lstat(path.join(current, '.git'));
      return current;
    } catch {
      const parent = path.dirname(current);
      if (parent === current) return undefined;
      current = parent;
    }
  }
}

/** Submodule folders from the work tree's .gitmodules, relative to `folder`, that lie inside it. */
async function submodulePaths(top: string, folder: string): Promise<string[]> {
  let text: string;
  try {
    text = await fs.readFile(path.join(top, '.gitmodules'), 'utf8');
  } catch {
    return [];
  }
  const paths: string[] = [];
  for (const match of text.matchAll(/^\s*path\s*=\s*(.+?)\s*$/gm)) {
    const relative = path.relative(folder, path.join(top, match[1] as string)).split(path.sep).join('/');
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) paths.push(relative);
  }
  return paths;
}
