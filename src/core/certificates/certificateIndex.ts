import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AGENTS_FOLDER, assertAgentName } from '../memory/agentFolder';
import type { CertificateStatus } from './certificateSchema';
import { CERTIFICATE_STATUSES, CERTIFICATE_STATUS_MEANINGS } from './certificateSchema';
import type { ParsedCertificate } from './parseCertificate';
import { parseCertificateFile } from './parseCertificate';

/** Certificates whose file names no status from the list are grouped here. */
export const UNRECOGNIZED_STATUS = 'UNRECOGNIZED';

export interface CertificateStatusGroup {
  readonly status: CertificateStatus | typeof UNRECOGNIZED_STATUS;
  readonly meaning: string;
  /** Newest first. */
  readonly certificates: readonly ParsedCertificate[];
}

export interface CertificateIndexOptions {
  /** Only this agent's certificates; default every agent under docs/ai/agents/. */
  readonly agent?: string;
}

/** What a refresh changed, so a view can update only those rows. Paths are absolute. */
export interface CertificateIndexChanges {
  readonly added: readonly string[];
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

interface CacheEntry {
  readonly mtimeMs: number;
  readonly size: number;
  readonly parsed: ParsedCertificate;
}

const CERTIFICATES_FOLDER = 'certificates';
const MAX_DEPTH = 3;
const CONCURRENCY = 64;

/**
 * The certificates of one workspace folder (`docs/ai/agents/<agent>/certificates/**.md`), parsed once and kept
 * in a cache keyed by path, mtime and size: a refresh stats every file but reads only new or changed ones.
 * Shared by `devops-agent certificates` and the VS Code Certificates view.
 */
export class CertificateIndex {
  private readonly cache = new Map<string, CacheEntry>();
  private sorted: ParsedCertificate[] | undefined;
  /** Absolute path of the workspace folder. */
  readonly root: string;

  constructor(root: string, private readonly options: CertificateIndexOptions = {}) {
    if (options.agent !== undefined) assertAgentName(options.agent);
    this.root = path.resolve(root);
  }

  /** The folders scanned: `<root>/docs/ai/agents/<agent>/certificates` for each agent (or the one agent). */
  async certificateFolders(): Promise<string[]> {
    const agentsFolder = path.join(this.root, ...AGENTS_FOLDER.split('/'));
    if (this.options.agent !== undefined) return [path.join(agentsFolder, this.options.agent, CERTIFICATES_FOLDER)];
    const entries = await readDirectory(agentsFolder);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => path.join(agentsFolder, e.name, CERTIFICATES_FOLDER));
  }

  /** Rescans every certificate folder; reads only files that are new or whose mtime or size changed. */
  async refresh(): Promise<CertificateIndexChanges> {
    const files: string[] = [];
    for (const folder of await this.certificateFolders()) await collectMarkdown(folder, 0, files);
    const seen = new Set(files);
    const removed = [...this.cache.keys()].filter((f) => !seen.has(f));
    for (const file of removed) this.cache.delete(file);
    const { added, changed } = await this.update(files);
    if (removed.length > 0) this.sorted = undefined;
    return { added, changed, removed };
  }

  /** Re-checks only these files (from a file watcher): parses them if new or changed, drops them if gone. */
  async refreshFiles(files: readonly string[]): Promise<CertificateIndexChanges> {
    const candidates = files.map((f) => path.resolve(f)).filter((f) => f.toLowerCase().endsWith('.md') && this.covers(f));
    const { added, changed, removed } = await this.update(candidates);
    return { added, changed, removed };
  }

  /** Every certificate, newest first (by Date, then file name). */
  list(): readonly ParsedCertificate[] {
    if (!this.sorted) {
      this.sorted = [...this.cache.values()].map((e) => e.parsed).sort(
        (a, b) => (b.dateMs ?? -Infinity) - (a.dateMs ?? -Infinity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0),
      );
    }
    return this.sorted;
  }

  get(file: string): ParsedCertificate | undefined {
    return this.cache.get(path.resolve(file))?.parsed;
  }

  get size(): number {
    return this.cache.size;
  }

  /** The tree's top level: one group per status in the definition's order (empty ones left out), then unrecognized. */
  groupByStatus(): CertificateStatusGroup[] {
    const byStatus = new Map<string, ParsedCertificate[]>();
    for (const cert of this.list()) {
      const key = cert.status ?? UNRECOGNIZED_STATUS;
      const group = byStatus.get(key);
      if (group) group.push(cert);
      else byStatus.set(key, [cert]);
    }
    const groups: CertificateStatusGroup[] = [];
    for (const status of CERTIFICATE_STATUSES) {
      const certificates = byStatus.get(status);
      if (certificates) groups.push({ status, meaning: CERTIFICATE_STATUS_MEANINGS[status], certificates });
    }
    const unrecognized = byStatus.get(UNRECOGNIZED_STATUS);
    if (unrecognized) groups.push({ status: UNRECOGNIZED_STATUS, meaning: 'No status from the list could be read', certificates: unrecognized });
    return groups;
  }

  private covers(file: string): boolean {
    const agents = path.join(this.root, ...AGENTS_FOLDER.split('/')) + path.sep;
    if (!file.startsWith(agents)) return false;
    const parts = file.slice(agents.length).split(path.sep);
    return parts.length >= 3 && parts[1] === CERTIFICATES_FOLDER && (this.options.agent === undefined || parts[0] === this.options.agent) &&
      !parts.some((p) => p.startsWith('.'));
  }

  private async update(files: readonly string[]): Promise<{ added: string[]; changed: string[]; removed: string[] }> {
    const added: string[] = [];
    const changed: string[] = [];
    const removed: string[] = [];
    await forEachLimited(files, CONCURRENCY, async (file) => {
      const stat = await fs.stat(file).catch(() => undefined);
      const cached = this.cache.get(file);
      if (!stat || !stat.isFile()) {
        if (cached) {
          this.cache.delete(file);
          removed.push(file);
        }
        return;
      }
      if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return;
      const parsed = await parseCertificateFile(file);
      this.cache.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, parsed });
      (cached ? changed : added).push(file);
    });
    if (added.length + changed.length + removed.length > 0) this.sorted = undefined;
    return { added, changed, removed };
  }
}

async function readDirectory(folder: string): Promise<Dirent[]> {
  try {
    return await fs.readdir(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

async function collectMarkdown(folder: string, depth: number, into: string[]): Promise<void> {
  const subfolders: string[] = [];
  for (const entry of await readDirectory(folder)) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) subfolders.push(full);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.md')) into.push(full);
  }
  if (depth < MAX_DEPTH) for (const sub of subfolders) await collectMarkdown(sub, depth + 1, into);
}

async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
