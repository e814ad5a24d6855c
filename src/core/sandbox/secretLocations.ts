import type { Dirent } from 'node:fs';
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

/**
 * Folders a workspace scan does not enter: installed dependencies and git's object store are large and hold no
 * deny-listed names a command could not already reach by other means (.git/config is checked on its own).
 */
const SKIPPED_FOLDERS = new Set(['node_modules', '.git']);
/** Entries a scan looks at before it stops, so a huge workspace cannot stall every command. */
export const MAX_SCANNED_ENTRIES = 200_000;

const YIELD_EVERY_ENTRIES = 5_000;

function listFolder(folder: string): Dirent[] {
  try {
    return fsSync.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

export interface SecretScan {
  readonly locations: readonly SecretLocation[];
  /** True when the workspace had more entries than MAX_SCANNED_ENTRIES and the rest was not looked at. */
  readonly truncated: boolean;
}

/**
 * Every secret location the sandbox must hide, found with the same deny list the file tools use
 * (src/core/policy/confinement.ts): ~/.ssh-style home folders, deny-listed files directly in the home folder
 * (~/.npmrc, ~/.netrc, ~/.env …) and deny-listed files anywhere in the workspace folders (.env, *.pem, id_rsa, a
 * .git/config holding credentials). A deny-listed symlink hides its target too.
 */
export async function findSecretLocations(roots: readonly string[], homeDir: string, maxEntries = MAX_SCANNED_ENTRIES): Promise<SecretScan> {
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
  for (const entry of await fs.readdir(home, { withFileTypes: true }).catch(() => [] as Dirent[])) {
    const absolute = path.join(home, entry.name);
    if (found.has(absolute)) continue;
    const target: ConfinedPath = { absolute, root: home, relative: entry.name, exists: true };
    if (defaultDeniedReason(target, homeDir) !== undefined) await addEntry(add, absolute, entry, `~/${entry.name}`);
  }
  let budget = maxEntries;
  let truncated = false;
  let sinceYield = 0;
  for (const root of roots) {
    const pending = [root];
    while (pending.length > 0) {
      const folder = pending.pop() as string;
      // synchronous listing is several times faster than a promise per folder; yielding now and then keeps the
      // extension host responsive in a large workspace
      const entries = listFolder(folder);
      budget -= entries.length;
      sinceYield += entries.length;
      if (sinceYield > YIELD_EVERY_ENTRIES) {
        sinceYield = 0;
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (budget < 0) {
        truncated = true;
        break;
      }
      for (const entry of entries) {
        const absolute = path.join(folder, entry.name);
        if (entry.isDirectory()) {
          if (entry.name === '.git') await checkGitConfig(add, root, absolute, homeDir);
          else if (!SKIPPED_FOLDERS.has(entry.name)) pending.push(absolute);
          continue;
        }
        const relative = path.relative(root, absolute).split(path.sep).join('/');
        const target: ConfinedPath = { absolute, root, relative, exists: true };
        if (defaultDeniedReason(target, homeDir) !== undefined) await addEntry(add, absolute, entry, relative);
      }
    }
    if (truncated) break;
  }
  return { locations: [...found.values()], truncated };
}

async function addEntry(add: (location: SecretLocation) => Promise<void>, absolute: string, entry: Dirent, shown: string): Promise<void> {
  const stat = entry.isSymbolicLink() ? await fs.stat(absolute).catch(() => undefined) : undefined;
  const isFolder = entry.isDirectory() || stat?.isDirectory() === true;
  if (entry.isSymbolicLink() && stat === undefined) return;
  await add({ path: absolute, kind: isFolder ? 'folder' : 'file', shown });
}

async function checkGitConfig(add: (location: SecretLocation) => Promise<void>, root: string, gitFolder: string, homeDir: string): Promise<void> {
  const config = path.join(gitFolder, 'config');
  const target: ConfinedPath = { absolute: config, root, relative: path.relative(root, config).split(path.sep).join('/'), exists: true };
  if (defaultDeniedReason(target, homeDir) !== undefined) await add({ path: config, kind: 'file', shown: target.relative });
}
