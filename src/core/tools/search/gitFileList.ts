import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/** Tracked files plus untracked ones that are not ignored. */
export const GIT_LIST_ARGUMENTS: readonly string[] = ['ls-files', '-z', '--cached', '--others', '--exclude-standard'];

/**
 * The files git sees under `folder` (posix, relative to folder): tracked ones, even if an ignore rule matches them,
 * and untracked ones that .gitignore, .git/info/exclude and the global excludes file do not exclude. Submodules and
 * nested repositories are listed through their own git and handed over in further batches. Returns false (and hands
 * over nothing) when folder is not in a git work tree or git is missing. Never lists anything inside .git.
 * One git process: measured faster than a tracked-files process racing an untracked-files one on a busy machine.
 */
export async function listGitFiles(folder: string, onFiles: (files: readonly string[]) => void | Promise<void>, signal?: AbortSignal): Promise<boolean> {
  const top = await gitWorkTreeTop(folder);
  if (top === undefined) return false;
  const [output, submodules] = await Promise.all([runGit(folder, GIT_LIST_ARGUMENTS, signal), submodulePaths(top, folder)]);
  if (output === undefined) return false;
  const files: string[] = [];
  const nested: string[] = [];
  const submoduleSet = new Set(submodules);
  let previous = '';
  for (const entry of output.split('\0')) {
    // Entries of a merge conflict repeat, next to each other.
    if (entry === '' || entry === previous) continue;
    previous = entry;
    if (entry.endsWith('/')) nested.push(entry.slice(0, -1));
    else if (submoduleSet.has(entry)) nested.push(entry);
    else files.push(entry);
  }
  await onFiles(files);
  for (const inner of nested) {
    await listGitFiles(path.join(folder, inner), (innerFiles) => onFiles(innerFiles.map((file) => `${inner}/${file}`)), signal);
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
