import type { Dirent, Stats } from 'node:fs';
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConfinedPath } from '../policy/confinement';
import { defaultDeniedReason, deniedHomeFolderPaths } from '../policy/confinement';

/** A path the sandbox hides behind an unreadable mount, and the deny-list reason it is hidden. */
export interface SecretLocation {
  readonly path: string;
  readonly kind: 'folder' | 'file';
  /** How the user knows it: `~/.ssh`, `.env` (workspace-relative). */
  readonly shown: string;
}

/** A workspace file with more links than the workspace holds: writing it would change a file outside the workspace. */
export interface HardLinkedFile {
  readonly path: string;
  /** Workspace-relative, for messages. */
  readonly shown: string;
  readonly links: number;
}

/**
 * Folders a workspace scan does not enter: installed dependencies and git's object store are large and hold no
 * deny-listed names a command could not already reach by other means (.git/config is checked on its own). Their hard
 * links (pnpm's store, `git clone --local`) are therefore not made read-only either (README, "Sandbox").
 */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** Entries a scan looks at before it stops, so a huge workspace cannot stall every command. */
export const MAX_SCANNED_ENTRIES = 200_000;
/**
 * Hard-linked files bound read-only at most. Each is one mount and bubblewrap's cost grows faster than their number
 * (measured here: 50 mounts +10 ms, 100 +30 ms, 200 +140 ms, 500 +340 ms per command).
 */
export const MAX_READ_ONLY_HARD_LINKS = 64;
/**
 * A folder changed this recently is listed again next time: its modification time has the kernel's coarse clock, so
 * an entry added later within the same tick would not change it (git calls this "racy"; it guards the same way).
 */
export const RECENT_CHANGE_MS = 2_000;

const YIELD_EVERY_ENTRIES = 5_000;

export interface SecretScan {
  readonly locations: readonly SecretLocation[];
  /** Files whose other hard links are not all in the workspace (the first MAX_READ_ONLY_HARD_LINKS). */
  readonly hardLinked: readonly HardLinkedFile[];
  /** True when the workspace had more entries than MAX_SCANNED_ENTRIES and the rest was not looked at. */
  readonly truncated: boolean;
  /** True when more than MAX_READ_ONLY_HARD_LINKS files are hard-linked out of the workspace; the rest stay writable. */
  readonly hardLinksTruncated: boolean;
  /** Every `.git` folder in the workspace (nested repositories too), whose hooks and config stay read-only. */
  readonly gitFolders: readonly string[];
  /** Workspace folders read again this time (the others were unchanged since the last scan). */
  readonly foldersListed: number;
}

export interface SecretScanOptions {
  readonly maxEntries?: number;
  /** Folders changed less than this long ago are read again next time (RECENT_CHANGE_MS; tests use less). */
  readonly recentChangeMs?: number;
}

/** A deny-listed entry of a folder, as the listing found it. */
interface DeniedEntry {
  readonly name: string;
  readonly symlink: boolean;
  readonly folder: boolean;
}

/** What one folder holds that the scan cares about, valid while the folder's identity and times stay the same. */
interface FolderListing {
  readonly key: string;
  readonly entryCount: number;
  readonly subfolders: readonly string[];
  readonly hasGitFolder: boolean;
  readonly denied: readonly DeniedEntry[];
  /** Regular files, whose link count is checked on every scan (a new link elsewhere changes no folder here). */
  readonly files: readonly string[];
}

/** Listings of the last scan per home folder and workspace folder; a folder's entry set changes its mtime and ctime. */
const listingCache = new Map<string, Map<string, FolderListing>>();
const MAX_CACHED_TREES = 16;

function statNoThrow(target: string): Stats | undefined {
  try {
    return fsSync.lstatSync(target);
  } catch {
    return undefined;
  }
}

function listFolder(folder: string): Dirent[] {
  try {
    return fsSync.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * The folder's listing: from the previous scan when its device, inode, mtime and ctime are unchanged (ctime cannot
 * be set back by a command, unlike mtime), otherwise read again. Returns undefined when it is no folder now.
 */
function folderListing(
  folder: string, root: string, homeDir: string, previous: Map<string, FolderListing> | undefined, next: Map<string, FolderListing>,
  recentChangeMs: number,
  counts: { listed: number },
  deniedFolders = false,
): FolderListing | undefined {
  const stat = statNoThrow(folder);
  if (stat === undefined || !stat.isDirectory()) return undefined;
  const key = `${stat.dev}:${stat.ino}:${stat.mtimeMs}:${stat.ctimeMs}`;
  const cached = previous?.get(folder);
  if (cached !== undefined && cached.key === key) {
    next.set(folder, cached);
    return cached;
  }
  counts.listed += 1;
  const entries = listFolder(folder);
  const subfolders: string[] = [];
  const denied: DeniedEntry[] = [];
  const files: string[] = [];
  let hasGitFolder = false;
  for (const entry of entries) {
    if (entry.isDirectory() && !deniedFolders) {
      if (entry.name === '.git') hasGitFolder = true;
      else if (!SKIPPED_FOLDERS.has(entry.name)) subfolders.push(entry.name);
      continue;
    }
    const absolute = path.join(folder, entry.name);
    const relative = path.relative(root, absolute).split(path.sep).join('/');
    const target: ConfinedPath = { absolute, root, relative, exists: true };
    if (defaultDeniedReason(target, homeDir) !== undefined) denied.push({ name: entry.name, symlink: entry.isSymbolicLink(), folder: entry.isDirectory() });
    else if (entry.isFile()) files.push(entry.name);
  }
  const listing: FolderListing = { key, entryCount: entries.length, subfolders, hasGitFolder, denied, files };
  if (Date.now() - Math.max(stat.mtimeMs, stat.ctimeMs) >= recentChangeMs) next.set(folder, listing);
  return listing;
}

function rememberTree(cacheKey: string, listings: Map<string, FolderListing>): void {
  listingCache.delete(cacheKey);
  if (listingCache.size >= MAX_CACHED_TREES) listingCache.delete(listingCache.keys().next().value as string);
  listingCache.set(cacheKey, listings);
}

/**
 * Every secret location the sandbox must hide, found with the same deny list the file tools use
 * (src/core/policy/confinement.ts): ~/.ssh-style home folders, deny-listed files directly in the home folder
 * (~/.npmrc, ~/.netrc, ~/.env …) and deny-listed files anywhere in the workspace folders (.env, *.pem, id_rsa, a
 * .git/config holding credentials). A deny-listed symlink hides its target too. Also the workspace files hard-linked
 * to files outside it (more links than the workspace holds), which the sandbox binds read-only.
 * Folders unchanged since the last scan are not listed again, so a warm scan costs a stat per folder and file.
 */
export async function findSecretLocations(roots: readonly string[], homeDir: string, options: SecretScanOptions = {}): Promise<SecretScan> {
  const maxEntries = options.maxEntries ?? MAX_SCANNED_ENTRIES;
  const recentChangeMs = options.recentChangeMs ?? RECENT_CHANGE_MS;
  const counts = { listed: 0 };
  const gitFolders: string[] = [];
  const found = new Map<string, SecretLocation>();
  const add = async (location: SecretLocation): Promise<void> => {
    found.set(location.path, location);
    const real = await fs.realpath(location.path).catch(() => undefined);
    if (real !== undefined && real !== location.path) found.set(real, { ...location, path: real });
  };
  for (const { glob, folder } of deniedHomeFolderPaths(homeDir)) {
    const stat = await fs.stat(folder).catch(() => undefined);
    if (stat === undefined) continue;
    await add({ path: folder, kind: stat.isDirectory() ? 'folder' : 'file', shown: glob.replace(/\/\*\*$/, '') });
  }
  const home = await fs.realpath(homeDir).catch(() => path.resolve(homeDir));
  const homeKey = `home\0${homeDir}\0${home}`;
  const homeListings = new Map<string, FolderListing>();
  // the home folder is not walked: its deny-listed entries, folders included, are checked by name
  const homeListing = folderListing(home, home, homeDir, listingCache.get(homeKey), homeListings, recentChangeMs, { listed: 0 }, true);
  rememberTree(homeKey, homeListings);
  for (const entry of homeListing?.denied ?? []) {
    const absolute = path.join(home, entry.name);
    if (!found.has(absolute)) await addEntry(add, absolute, entry, `~/${entry.name}`);
  }
  // dev:ino of each multiply-linked workspace file → its workspace paths and link count
  const linked = new Map<string, { paths: string[]; links: number; root: string }>();
  let budget = maxEntries;
  let truncated = false;
  let sinceYield = 0;
  for (const root of roots) {
    const cacheKey = `root\0${homeDir}\0${root}`;
    const previous = listingCache.get(cacheKey);
    const next = new Map<string, FolderListing>();
    const pending = [root];
    while (pending.length > 0) {
      const folder = pending.pop() as string;
      const listing = folderListing(folder, root, homeDir, previous, next, recentChangeMs, counts);
      if (listing === undefined) continue;
      budget -= listing.entryCount;
      sinceYield += listing.entryCount;
      // yielding now and then keeps the extension host responsive in a large workspace
      if (sinceYield > YIELD_EVERY_ENTRIES) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (budget < 0) {
        truncated = true;
        break;
      }
      if (listing.hasGitFolder) {
        gitFolders.push(path.join(folder, '.git'));
        await checkGitConfig(add, root, path.join(folder, '.git'), homeDir);
      }
      for (const entry of listing.denied) {
        const absolute = path.join(folder, entry.name);
        await addEntry(add, absolute, entry, path.relative(root, absolute).split(path.sep).join('/'));
      }
      for (const name of listing.files) {
        const absolute = path.join(folder, name);
        const stat = statNoThrow(absolute);
        if (stat === undefined || !stat.isFile() || stat.nlink < 2) continue;
        const id = `${stat.dev}:${stat.ino}`;
        const group = linked.get(id) ?? { paths: [], links: stat.nlink, root };
        group.paths.push(absolute);
        linked.set(id, group);
      }
      for (const name of listing.subfolders) pending.push(path.join(folder, name));
    }
    rememberTree(cacheKey, next);
    if (truncated) break;
  }
  const hardLinked: HardLinkedFile[] = [];
  let hardLinksTruncated = false;
  for (const group of linked.values()) {
    // every link inside the workspace (a copy made with `ln` between two workspace files) changes nothing outside it
    if (group.paths.length >= group.links) continue;
    for (const file of group.paths) {
      if (found.has(file)) continue;
      if (hardLinked.length >= MAX_READ_ONLY_HARD_LINKS) {
        hardLinksTruncated = true;
        break;
      }
      hardLinked.push({ path: file, shown: path.relative(group.root, file).split(path.sep).join('/'), links: group.links });
    }
  }
  return { locations: [...found.values()], hardLinked, truncated, hardLinksTruncated, gitFolders, foldersListed: counts.listed };
}

async function addEntry(add: (location: SecretLocation) => Promise<void>, absolute: string, entry: DeniedEntry, shown: string): Promise<void> {
  const stat = entry.symlink ? await fs.stat(absolute).catch(() => undefined) : undefined;
  if (entry.symlink && stat === undefined) return;
  const isFolder = entry.folder || stat?.isDirectory() === true;
  await add({ path: absolute, kind: isFolder ? 'folder' : 'file', shown });
}

async function checkGitConfig(add: (location: SecretLocation) => Promise<void>, root: string, gitFolder: string, homeDir: string): Promise<void> {
  const config = path.join(gitFolder, 'config');
  const target: ConfinedPath = { absolute: config, root, relative: path.relative(root, config).split(path.sep).join('/'), exists: true };
  if (defaultDeniedReason(target, homeDir) !== undefined) await add({ path: config, kind: 'file', shown: target.relative });
}
