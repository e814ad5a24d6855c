import type { Dirent } from 'node:fs';
import * as fsSync from 'node:fs';
import * as path from 'node:path';
import { AGENTS_FOLDER, assertAgentName } from '../memory/agentFolder';
import type { CertificateStatus } from './certificateSchema';
import { CERTIFICATE_STATUSES, CERTIFICATE_STATUS_MEANINGS } from './certificateSchema';
import type { CertificateFileRead, ParsedCertificate } from './parseCertificate';
import { readCertificateFileSync } from './parseCertificate';

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

const CERTIFICATES_FOLDER = 'certificates';
const MAX_DEPTH = 3;
const SLICE = 200;

/**
 * The certificates of one workspace folder (`docs/ai/agents/<agent>/certificates/**.md`), parsed once and kept
 * in a cache keyed by path, mtime and size: a refresh stats every file but reads only new or changed ones.
 * Shared by `devops-agent certificates` and the VS Code Certificates view.
 */
export class CertificateIndex {
  private readonly cache = new Map<string, CertificateFileRead>();
  private sorted: ParsedCertificate[] | undefined;
  // Refreshes run one after another, so a slow scan and a watcher update never interleave their changes.
  private running: Promise<unknown> = Promise.resolve();
  /** Absolute path of the workspace folder. */
  readonly root: string;

  constructor(root: string, private readonly options: CertificateIndexOptions = {}) {
    if (options.agent !== undefined) assertAgentName(options.agent);
    this.root = path.resolve(root);
  }

  /** The folders scanned: `<root>/docs/ai/agents/<agent>/certificates` for each agent (or the one agent). */
  certificateFolders(): string[] {
    const agentsFolder = path.join(this.root, ...AGENTS_FOLDER.split('/'));
    if (this.options.agent !== undefined) return [path.join(agentsFolder, this.options.agent, CERTIFICATES_FOLDER)];
    const entries = readDirectory(agentsFolder);
    return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => path.join(agentsFolder, e.name, CERTIFICATES_FOLDER));
  }

  /** Rescans every certificate folder; reads only files that are new or whose mtime or size changed. */
  refresh(): Promise<CertificateIndexChanges> {
    return this.serialized(() => this.scanAll());
  }

  /** Re-checks only these files (from a file watcher): parses them if new or changed, drops them if gone. */
  refreshFiles(files: readonly string[]): Promise<CertificateIndexChanges> {
    const candidates = files.map((f) => path.resolve(f)).filter((f) => f.toLowerCase().endsWith('.md') && this.covers(f));
    return this.serialized(() => this.update(candidates));
  }

  private serialized<T>(run: () => Promise<T>): Promise<T> {
    const result = this.running.then(run, run);
    this.running = result.catch(() => undefined);
    return result;
  }

  private async scanAll(): Promise<CertificateIndexChanges> {
    const files: string[] = [];
    for (const folder of this.certificateFolders()) collectMarkdown(folder, 0, files);
    const seen = new Set(files);
    const removed = [...this.cache.keys()].filter((f) => !seen.has(f));
    const dropped: ParsedCertificate[] = [];
    for (const file of removed) {
      const entry = this.cache.get(file);
      if (entry) dropped.push(entry.parsed);
      this.cache.delete(file);
    }
    this.reorder(dropped, []);
    const { added, changed } = await this.update(files);
    return { added, changed, removed };
  }

  /** Every certificate, newest first (by Date, then file name). */
  list(): readonly ParsedCertificate[] {
    if (!this.sorted) this.sorted = [...this.cache.values()].map((e) => e.parsed).sort(newestFirst);
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
    const before: ParsedCertificate[] = [];
    const after: ParsedCertificate[] = [];
    for (let i = 0; i < files.length; i += 1) {
      // Synchronous calls are several times faster than the thread pool for thousands of small files; yielding
      // between slices keeps the extension host responsive.
      if (i > 0 && i % SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
      const file = files[i] as string;
      const cached = this.cache.get(file);
      if (cached) {
        const stat = statIfFile(file);
        if (stat && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) continue;
      }
      const read = readCertificateFileSync(file);
      if (cached) before.push(cached.parsed);
      if (!read) {
        if (cached) {
          this.cache.delete(file);
          removed.push(file);
        }
        continue;
      }
      this.cache.set(file, read);
      after.push(read.parsed);
      (cached ? changed : added).push(file);
    }
    this.reorder(before, after);
    return { added, changed, removed };
  }

  /** Keeps the sorted list current: a few changes are spliced in, many trigger a full sort on the next list(). */
  private reorder(outgoing: readonly ParsedCertificate[], incoming: readonly ParsedCertificate[]): void {
    if (!this.sorted || outgoing.length + incoming.length === 0) return;
    if (outgoing.length + incoming.length > Math.max(16, this.sorted.length / 100)) {
      this.sorted = undefined;
      return;
    }
    const gone = new Set(outgoing);
    const sorted = gone.size > 0 ? this.sorted.filter((c) => !gone.has(c)) : [...this.sorted];
    for (const cert of incoming) {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (newestFirst(sorted[mid] as ParsedCertificate, cert) <= 0) low = mid + 1;
        else high = mid;
      }
      sorted.splice(low, 0, cert);
    }
    this.sorted = sorted;
  }
}

function newestFirst(a: ParsedCertificate, b: ParsedCertificate): number {
  return (b.dateMs ?? -Infinity) - (a.dateMs ?? -Infinity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
}

function statIfFile(file: string): fsSync.Stats | undefined {
  try {
    const stat = fsSync.statSync(file);
    return stat.isFile() ? stat : undefined;
  } catch {
    return undefined;
  }
}

function readDirectory(folder: string): Dirent[] {
  try {
    return fsSync.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
}

function collectMarkdown(folder: string, depth: number, into: string[]): void {
  const subfolders: string[] = [];
  for (const entry of readDirectory(folder)) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) subfolders.push(full);
    else if ((entry.isFile() || entry.isSymbolicLink()) && entry.name.toLowerCase().endsWith('.md')) into.push(full);
  }
  if (depth < MAX_DEPTH) for (const sub of subfolders) collectMarkdown(sub, depth + 1, into);
}
