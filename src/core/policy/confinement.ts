import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Minimatch } from 'minimatch';
import { errorCode, errorMessage } from '../errors/errorText';
import { isPathInside } from '../fs/pathInside';

/** A path the agent may not touch; the message says why in words the model and the user can act on. */
export class PathRefusedError extends Error {
  override readonly name = 'PathRefusedError';
}

/** A requested path after confinement: real (symlinks resolved) and inside a workspace folder. */
export interface ConfinedPath {
  /** Real absolute path (for a missing file: the real path of its deepest existing folder plus the rest). */
  readonly absolute: string;
  /** The real path of the workspace folder that holds it. */
  readonly root: string;
  /** Relative to root, posix separators; '.' for the folder itself. */
  readonly relative: string;
  readonly exists: boolean;
}

const IS_WINDOWS = process.platform === 'win32';
const MAX_SYMLINK_HOPS = 40;

/**
 * Resolves a path the model asked for and proves it stays inside a workspace folder.
 *
 * Relative paths resolve against the first root, or against another workspace folder when they start with its name
 * and the first root has no entry of that name (multi-root: `api/src/app.ts`). Every path is resolved with realpath
 * (a missing file: realpath of its deepest existing ancestor plus the rest, following dangling symlinks too), so `..`
 * steps and symlinks (chains included) are judged by where they really lead.
 * Refused: empty paths, NUL bytes, URIs (`file://`), `~` and `~user`, UNC (`\\server\share`, `//server/share`),
 * Windows drive paths on POSIX, and anything whose real path is outside every workspace folder.
 * On POSIX a backslash is a literal file-name character (so it can never form a `..` step); a path with a backslash
 * that does not exist is refused with a hint, since it is almost always a Windows-style path.
 */
export async function resolveConfinedPath(roots: readonly string[], requested: string): Promise<ConfinedPath> {
  const shown = quote(requested);
  if (typeof requested !== 'string' || requested.length === 0 || requested.trim().length === 0) {
    throw new PathRefusedError(`refused: the path is empty; give a path relative to the workspace folder${roots[0] ? ` ${roots[0]}` : ''}, such as src/app.ts`);
  }
  if (requested.includes('\u0000')) throw new PathRefusedError(`refused: ${shown} contains a NUL byte`);
  if (/^[\\/]{2}[^\\/]/.test(requested)) {
    throw new PathRefusedError(`refused: ${shown} is a UNC network path; only files inside the workspace folders can be used`);
  }
  if (/^[A-Za-z]:/.test(requested) && (!IS_WINDOWS || !/^[A-Za-z]:[\\/]/.test(requested))) {
    throw new PathRefusedError(IS_WINDOWS
      ? `refused: ${shown} is relative to a drive's current folder; give a full path or a workspace-relative one`
      : `refused: ${shown} is a Windows drive path; this workspace is on a POSIX file system, give a workspace-relative path such as src/app.ts`);
  }
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(requested)) {
    throw new PathRefusedError(`refused: ${shown} is a URI; give a workspace path such as src/app.ts instead`);
  }
  if (requested.startsWith('~')) {
    throw new PathRefusedError(`refused: ${shown} starts with '~'; home-folder paths are not expanded and the home folder is outside the workspace`);
  }
  const realRoots = await realRootsOf(roots);
  if (realRoots.length === 0) throw new PathRefusedError('refused: no workspace folder is open, so no path can be used');

  const lexical = await lexicalAbsolute(roots, requested);
  const { real, exists } = await realpathAllowingMissing(lexical, requested);
  const root = deepestRootHolding(realRoots, real);
  if (root === undefined) {
    const folders = realRoots.join(', ');
    const lexicallyInside = realRoots.some((r) => isPathInside(r, lexical)) || roots.some((r) => isPathInside(path.resolve(r), lexical));
    if (lexicallyInside) {
      throw new PathRefusedError(`refused: ${shown} resolves through a symbolic link to ${real}, outside the workspace folder${realRoots.length > 1 ? 's' : ''} ${folders}`);
    }
    if (path.isAbsolute(requested)) {
      throw new PathRefusedError(`refused: ${shown} is outside the workspace folder${realRoots.length > 1 ? 's' : ''} ${folders}`);
    }
    throw new PathRefusedError(`refused: ${shown} leaves the workspace folder${realRoots.length > 1 ? 's' : ''} ${folders}`);
  }
  if (!exists && !IS_WINDOWS && requested.includes('\\')) {
    throw new PathRefusedError(`refused: ${shown} does not exist and contains '\\'; paths here use '/' (try ${quote(requested.replace(/\\/g, '/'))})`);
  }
  const relative = path.relative(root, real).split(path.sep).join('/');
  return { absolute: real, root, relative: relative === '' ? '.' : relative, exists };
}

/**
 * Opens a confined path and proves, on the open handle, that it is still the file resolveConfinedPath vouched for:
 * the last component is opened without following symlinks, the handle's device and inode must equal a fresh stat of
 * the path, the file's folder must still resolve inside the workspace folder, and on Linux the kernel's own name for
 * the handle (/proc/self/fd) must lie inside it. A folder swapped for a symlink between resolve and open is caught
 * whether the swap is still in place (folder check) or already undone (inode check).
 * 'w' opens for writing and truncates only after the checks pass; a file it created outside is removed again.
 */
export async function openConfined(target: ConfinedPath, flags: 'r' | 'w'): Promise<fs.FileHandle> {
  const noFollow = fsSync.constants.O_NOFOLLOW ?? 0;
  const { O_RDONLY, O_WRONLY, O_CREAT, O_EXCL } = fsSync.constants;
  const creating = flags === 'w' && !target.exists;
  const mode = flags === 'r' ? O_RDONLY | noFollow : creating ? O_WRONLY | O_CREAT | O_EXCL | noFollow : O_WRONLY | noFollow;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(target.absolute, mode, 0o644);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ELOOP' || code === 'EMLINK') {
      throw new PathRefusedError(`refused: ${quote(target.relative)} became a symbolic link after it was checked; not following it`);
    }
    if (code === 'EEXIST') throw new PathRefusedError(`refused: ${quote(target.relative)} appeared on disk while it was being created; check it and try again`);
    throw error;
  }
  const problem = await confinementProblem(handle, target);
  if (problem !== undefined) {
    const created = creating ? await kernelPathOf(handle) : undefined;
    const stat = await handle.stat().catch(() => undefined);
    await handle.close();
    if (created !== undefined && stat !== undefined) await removeIfSameFile(created, stat);
    throw new PathRefusedError(`refused: ${quote(target.relative)} ${problem}`);
  }
  if (flags === 'w' && target.exists) await handle.truncate(0);
  return handle;
}

async function confinementProblem(handle: fs.FileHandle, target: ConfinedPath): Promise<string | undefined> {
  const opened = await handle.stat();
  const kernelPath = await kernelPathOf(handle);
  if (kernelPath !== undefined && !isPathInside(target.root, kernelPath)) return `was opened as ${kernelPath}, outside the workspace folder ${target.root} (a folder was swapped for a symbolic link)`;
  let parentReal: string;
  try {
    parentReal = await fs.realpath(path.dirname(target.absolute));
  } catch {
    return 'lost its folder while being opened';
  }
  if (!isPathInside(target.root, parentReal)) return `now lies in ${parentReal}, outside the workspace folder ${target.root} (a folder was swapped for a symbolic link)`;
  let fresh: fsSync.Stats;
  try {
    fresh = await fs.stat(target.absolute);
  } catch {
    return 'changed on disk while being opened';
  }
  if (fresh.dev !== opened.dev || fresh.ino !== opened.ino) return 'changed on disk while being opened (a different file was reached); try again';
  return undefined;
}

/** The kernel's name for an open file, where the OS tells it (Linux /proc). */
async function kernelPathOf(handle: fs.FileHandle): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    return await fs.readlink(`/proc/self/fd/${handle.fd}`);
  } catch {
    return undefined;
  }
}

async function removeIfSameFile(filePath: string, stat: fsSync.Stats): Promise<void> {
  try {
    const now = await fs.lstat(filePath);
    if (now.dev === stat.dev && now.ino === stat.ino && now.size === 0) await fs.unlink(filePath);
  } catch {
    // Already gone: nothing left behind.
  }
}

/**
 * Secret files the agent never opens, whatever the permission rules say. Matched case-insensitively on the real path.
 * Names ending in .example, .sample or .template are templates and allowed (`.env.example`, `.envrc.example`);
 * `*.pub` public keys are allowed. `.git/config` is denied only when a remote URL embeds credentials
 * (`https://user:token@host`). Everything under ~/.ssh, ~/.aws, ~/.gnupg, ~/.kube, ~/.docker, ~/.config/gcloud and
 * ~/.azure is denied.
 */
export const DEFAULT_DENIED_PATH_GLOBS: readonly string[] = [
  '**/.env*',
  '**/*.pem',
  '**/*.key',
  '**/id_rsa*',
  '**/id_dsa*',
  '**/id_ecdsa*',
  '**/id_ed25519*',
  '**/.npmrc',
  '**/.netrc',
  '**/_netrc',
  '**/.pypirc',
  '**/.git-credentials',
  '**/.git/config',
  '~/.ssh/**',
  '~/.aws/**',
  '~/.gnupg/**',
  '~/.kube/**',
  '~/.docker/**',
  '~/.config/gcloud/**',
  '~/.azure/**',
];

const WHY_BY_GLOB: Readonly<Record<string, string>> = {
  '**/.env*': 'environment files hold credentials',
  '**/*.pem': 'PEM files hold certificates and private keys',
  '**/*.key': 'key files hold private keys',
  '**/id_rsa*': 'SSH private key',
  '**/id_dsa*': 'SSH private key',
  '**/id_ecdsa*': 'SSH private key',
  '**/id_ed25519*': 'SSH private key',
  '**/.npmrc': 'npm configuration holds registry tokens',
  '**/.netrc': 'netrc holds login passwords',
  '**/_netrc': 'netrc holds login passwords',
  '**/.pypirc': 'PyPI configuration holds upload tokens',
  '**/.git-credentials': 'git credential store holds passwords and tokens',
};

const TEMPLATE_SUFFIX = /\.(example|sample|template)$/i;
const CREDENTIAL_URL = /[a-z][a-z0-9+.-]*:\/\/[^\s/@:]+:[^\s/@]+@/i;

const NAME_GLOBS: readonly { readonly glob: string; readonly matcher: Minimatch; readonly why: string }[] = DEFAULT_DENIED_PATH_GLOBS
  .filter((glob) => WHY_BY_GLOB[glob] !== undefined)
  .map((glob) => ({ glob, matcher: new Minimatch(glob.slice(3), { dot: true, nocase: true }), why: WHY_BY_GLOB[glob] as string }));
const HOME_GLOBS = DEFAULT_DENIED_PATH_GLOBS.filter((glob) => glob.startsWith('~/'));
const deniedHomeFoldersCache = new Map<string, readonly { readonly glob: string; readonly folders: readonly string[] }[]>();

/** Why a path is on the secret deny list, or undefined when it is not. */
export function defaultDeniedReason(target: ConfinedPath, homeDir: string = os.homedir()): string | undefined {
  const absolute = target.absolute;
  for (const { glob, folders } of deniedHomeFolders(homeDir)) {
    if (folders.some((folder) => isPathInside(folder, absolute, { ignoreCase: true }))) {
      return `${quote(target.relative)} is under ${glob.replace(/\/\*\*$/, '')} (${folders[0]}), which holds credentials and is on the secret deny list`;
    }
  }
  const name = path.basename(absolute);
  if (!TEMPLATE_SUFFIX.test(name) && !/\.pub$/i.test(name)) {
    for (const { glob, matcher, why } of NAME_GLOBS) {
      if (matcher.match(name)) return `${quote(target.relative)} matches ${glob} on the secret deny list (${why})`;
    }
  }
  if (name.toLowerCase() === 'config' && path.basename(path.dirname(absolute)).toLowerCase() === '.git' && gitConfigHasCredentials(absolute)) {
    return `${quote(target.relative)} contains a remote URL with an embedded password or token (user:secret@host), so it is on the secret deny list`;
  }
  return undefined;
}

/** The secret folders of a home folder (~/.ssh, ~/.aws, …) as real paths, each with the glob that lists it. */
export function deniedHomeFolderPaths(homeDir: string = os.homedir()): readonly { readonly glob: string; readonly folder: string }[] {
  return deniedHomeFolders(homeDir).map(({ glob, folders }) => ({ glob, folder: folders[folders.length - 1] as string }));
}

/** The ~/.ssh-style folders for a home folder, as written and as real paths (cached: checked for every Grep hit). */
function deniedHomeFolders(homeDir: string): readonly { readonly glob: string; readonly folders: readonly string[] }[] {
  const cached = deniedHomeFoldersCache.get(homeDir);
  if (cached !== undefined) return cached;
  const home = realpathSyncOrSelf(homeDir);
  const entries = HOME_GLOBS.map((glob) => {
    const folder = path.join(home, glob.slice(2).replace(/\/\*\*$/, ''));
    return { glob, folders: [...new Set([folder, realpathSyncOrSelf(folder)])] };
  });
  if (deniedHomeFoldersCache.size > 16) deniedHomeFoldersCache.clear();
  deniedHomeFoldersCache.set(homeDir, entries);
  return entries;
}

/** A path as the model should write it: workspace-relative, prefixed by the folder name in a multi-root workspace. */
export function workspaceDisplayPath(target: ConfinedPath, roots: readonly string[]): string {
  if (roots.length <= 1) return target.relative;
  const name = path.basename(target.root);
  return target.relative === '.' ? name : `${name}/${target.relative}`;
}

function gitConfigHasCredentials(file: string): boolean {
  try {
    const handle = fsSync.openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(1024 * 1024);
      const length = fsSync.readSync(handle, buffer, 0, buffer.length, 0);
      return CREDENTIAL_URL.test(buffer.subarray(0, length).toString('utf8'));
    } finally {
      fsSync.closeSync(handle);
    }
  } catch {
    return false;
  }
}

async function realRootsOf(roots: readonly string[]): Promise<string[]> {
  const real: string[] = [];
  for (const root of roots) {
    try {
      real.push(await fs.realpath(root));
    } catch {
      // A workspace folder that no longer exists holds nothing.
    }
  }
  return real;
}

/** The absolute path before symlinks are resolved: against the first root, or a root named by the first segment. */
async function lexicalAbsolute(roots: readonly string[], requested: string): Promise<string> {
  if (path.isAbsolute(requested)) return path.resolve(requested);
  const base = roots[0] ?? process.cwd();
  const trimmed = requested.replace(IS_WINDOWS ? /^(\.[\\/])+/ : /^(\.\/)+/, '');
  const segments = trimmed.split(IS_WINDOWS ? /[\\/]/ : '/');
  const first = segments[0];
  if (first !== undefined && first !== '' && first !== '.' && first !== '..') {
    const named = roots.find((root) => path.basename(root) === first);
    if (named !== undefined && !(await entryExists(path.join(base, first)))) {
      return path.resolve(named, ...segments.slice(1));
    }
  }
  return path.resolve(base, requested);
}

async function entryExists(entry: string): Promise<boolean> {
  try {
    await fs.lstat(entry);
    return true;
  } catch {
    return false;
  }
}

/** realpath for a path that may not exist yet: the deepest existing ancestor's realpath plus the rest. */
async function realpathAllowingMissing(lexical: string, requested: string): Promise<{ real: string; exists: boolean }> {
  let current = lexical;
  const rest: string[] = [];
  let hops = 0;
  for (;;) {
    try {
      const real = await fs.realpath(current);
      return { real: rest.length === 0 ? real : path.join(real, ...rest), exists: rest.length === 0 };
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ELOOP') throw new PathRefusedError(`refused: ${quote(requested)} runs into a symbolic link loop`);
      if (code !== 'ENOENT' && code !== 'ENOTDIR') {
        throw new PathRefusedError(`refused: ${quote(requested)} cannot be resolved (${code ?? (errorMessage(error))})`);
      }
    }
    const link = await fs.lstat(current).catch(() => undefined);
    if (link?.isSymbolicLink()) {
      // A dangling symlink: follow it by hand, since writing through it would create its target.
      if (++hops > MAX_SYMLINK_HOPS) throw new PathRefusedError(`refused: ${quote(requested)} runs into a symbolic link loop`);
      const linkTarget = await fs.readlink(current);
      const folder = await fs.realpath(path.dirname(current));
      current = path.resolve(folder, linkTarget);
      continue;
    }
    const parent = path.dirname(current);
    if (parent === current) return { real: path.join(current, ...rest), exists: false };
    rest.unshift(path.basename(current));
    current = parent;
  }
}

function deepestRootHolding(realRoots: readonly string[], real: string): string | undefined {
  let best: string | undefined;
  for (const root of realRoots) {
    if (isPathInside(root, real) && (best === undefined || root.length > best.length)) best = root;
  }
  return best;
}


function realpathSyncOrSelf(p: string): string {
  try {
    return fsSync.realpathSync.native(p);
  } catch {
    return path.resolve(p);
  }
}


function quote(text: string): string {
  return `'${String(text)}'`;
}
