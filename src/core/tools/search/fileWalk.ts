import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { GitignoreRules } from './gitignoreRules';
import type { IgnoreVerdict } from './gitignoreRules';
import { compareUtf8 } from './pathOrder';

export interface FileWalkOptions {
  /** Honour .gitignore and .git/info/exclude only inside git repositories (ripgrep's default); false = everywhere. */
  readonly requireGit: boolean;
  /** gitignore-style globs relative to the start folder with the highest precedence (ripgrep `--glob`; `!x` excludes). */
  readonly overrides?: readonly string[];
  readonly signal?: AbortSignal;
}

/** The ignore files of one folder. */
interface FolderRules {
  /** Path from this folder to the walk's start folder ('' for the start folder itself and below). */
  readonly toStart: string;
  /** Length of this folder's path relative to the start folder plus '/', to cut from entry paths; -1 above the start. */
  readonly cut: number;
  readonly rgignore: GitignoreRules;
  readonly ignore: GitignoreRules;
  readonly gitignore: GitignoreRules;
  readonly exclude: GitignoreRules;
  readonly hasGit: boolean;
}

/**
 * Lists the files under `start` the way ripgrep chooses them with `--hidden --no-ignore-global`: .rgignore, .ignore
 * and .gitignore files in every folder and its ancestors, .git/info/exclude, the nearest rules winning in that order
 * of precedence, folders that are ignored never entered, symlinks not followed, hidden files kept.
 * Returns posix paths relative to start, in sorted walk order (folder by folder, by UTF-8 bytes).
 */
export async function walkFiles(start: string, options: FileWalkOptions): Promise<string[]> {
  const overrides = GitignoreRules.fromLines(options.overrides ?? []);
  const overrideWhitelists = (options.overrides ?? []).filter((g) => !g.trimStart().startsWith('!') && g.trim().length > 0).length;
  const ancestors = await ancestorRules(start);
  const walker = new FolderWalker(overrides, overrideWhitelists, options);
  return walker.walk(start, '', ancestors);
}

class FolderWalker {
  constructor(
    private readonly overrides: GitignoreRules,
    private readonly overrideWhitelists: number,
    private readonly options: FileWalkOptions,
  ) {}

  async walk(folder: string, relative: string, chain: readonly FolderRules[]): Promise<string[]> {
    if (this.options.signal?.aborted) throw new Error('the file walk was cancelled');
    let entries: Dirent[];
    try {
      entries = await fs.readdir(folder, { withFileTypes: true });
    } catch {
      return [];
    }
    const names = new Set(entries.map((e) => e.name));
    const own = await folderRules(folder, names, relative === '' ? 0 : relative.length + 1, '');
    const here = [...chain, own];
    entries.sort((a, b) => compareUtf8(a.name, b.name));
    const parts: (string | Promise<string[]>)[] = [];
    for (const entry of entries) {
      const kind = await kindOf(folder, entry);
      if (kind === undefined) continue;
      const entryPath = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (this.isIgnored(entryPath, kind === 'dir', here)) continue;
      parts.push(kind === 'dir' ? this.walk(path.join(folder, entry.name), entryPath, here) : entryPath);
    }
    const files: string[] = [];
    for (const part of parts) {
      if (typeof part === 'string') files.push(part);
      else for (const file of await part) files.push(file);
    }
    return files;
  }

  private isIgnored(entryPath: string, isDirectory: boolean, chain: readonly FolderRules[]): boolean {
    if (!this.overrides.isEmpty) {
      // Override globs read inverted: a plain glob selects (and beats every ignore file), `!glob` excludes.
      const verdict = this.overrides.match(entryPath, isDirectory);
      if (verdict === 'ignore') return false;
      if (verdict === 'whitelist') return true;
      if (this.overrideWhitelists > 0 && !isDirectory) return true;
    }
    return ignoreVerdict(entryPath, isDirectory, chain, this.options.requireGit) === 'ignore';
  }
}

/** ripgrep's precedence: .rgignore, then .ignore, then .gitignore, then .git/info/exclude; nearest folder first. */
function ignoreVerdict(entryPath: string, isDirectory: boolean, chain: readonly FolderRules[], requireGit: boolean): IgnoreVerdict {
  const anyGit = !requireGit || chain.some((f) => f.hasGit);
  let rgignore: IgnoreVerdict;
  let ignore: IgnoreVerdict;
  let gitignore: IgnoreVerdict;
  let exclude: IgnoreVerdict;
  let sawGit = false;
  for (let i = chain.length - 1; i >= 0; i--) {
    const folder = chain[i] as FolderRules;
    const relative = folder.cut >= 0 ? entryPath.slice(folder.cut) : `${folder.toStart}/${entryPath}`;
    if (rgignore === undefined && !folder.rgignore.isEmpty) rgignore = folder.rgignore.match(relative, isDirectory);
    if (ignore === undefined && !folder.ignore.isEmpty) ignore = folder.ignore.match(relative, isDirectory);
    if (anyGit && !sawGit) {
      if (gitignore === undefined && !folder.gitignore.isEmpty) gitignore = folder.gitignore.match(relative, isDirectory);
      if (exclude === undefined && !folder.exclude.isEmpty) exclude = folder.exclude.match(relative, isDirectory);
    }
    sawGit = sawGit || folder.hasGit;
  }
  return rgignore ?? ignore ?? gitignore ?? exclude;
}

async function kindOf(folder: string, entry: Dirent): Promise<'file' | 'dir' | undefined> {
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'dir';
  if (entry.isSymbolicLink() || entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice()) return undefined;
  // File systems that do not report entry types: ask lstat.
  const stat = await fs.lstat(path.join(folder, entry.name)).catch(() => undefined);
  if (stat?.isFile()) return 'file';
  if (stat?.isDirectory()) return 'dir';
  return undefined;
}

async function folderRules(folder: string, names: ReadonlySet<string> | undefined, cut: number, toStart: string): Promise<FolderRules> {
  const read = async (name: string): Promise<GitignoreRules> => {
    if (names !== undefined && !names.has(name)) return GitignoreRules.EMPTY;
    try {
      return GitignoreRules.parse(await fs.readFile(path.join(folder, name), 'utf8'));
    } catch {
      return GitignoreRules.EMPTY;
    }
  };
  const gitEntry = names === undefined || names.has('.git') ? await fs.stat(path.join(folder, '.git')).catch(() => undefined) : undefined;
  const [rgignore, ignore, gitignore] = await Promise.all([read('.rgignore'), read('.ignore'), read('.gitignore')]);
  let exclude = GitignoreRules.EMPTY;
  if (gitEntry !== undefined) {
    const gitDir = await commonGitDir(folder, gitEntry.isDirectory());
    if (gitDir !== undefined) {
      try {
        exclude = GitignoreRules.parse(await fs.readFile(path.join(gitDir, 'info', 'exclude'), 'utf8'));
      } catch {
        exclude = GitignoreRules.EMPTY;
      }
    }
  }
  return { toStart, cut, rgignore, ignore, gitignore, exclude, hasGit: gitEntry !== undefined };
}

/** The repository's common git folder: .git itself, or for worktrees and submodules the folder `gitdir:` names. */
async function commonGitDir(folder: string, isDirectory: boolean): Promise<string | undefined> {
  if (isDirectory) return path.join(folder, '.git');
  try {
    const pointer = (await fs.readFile(path.join(folder, '.git'), 'utf8')).match(/^gitdir:\s*(.+?)\s*$/m);
    if (!pointer?.[1]) return undefined;
    const gitDir = path.resolve(folder, pointer[1]);
    const common = await fs.readFile(path.join(gitDir, 'commondir'), 'utf8').catch(() => undefined);
    return common === undefined ? gitDir : path.resolve(gitDir, common.trim());
  } catch {
    return undefined;
  }
}

/** Ignore files of every folder above start, outermost first (ripgrep reads them too). */
async function ancestorRules(start: string): Promise<FolderRules[]> {
  const folders: string[] = [];
  let current = path.resolve(start);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) break;
    folders.unshift(parent);
    current = parent;
  }
  return Promise.all(folders.map((folder) => folderRules(folder, undefined, -1, path.relative(folder, start).split(path.sep).join('/'))));
}
