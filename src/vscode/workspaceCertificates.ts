import * as vscode from 'vscode';
import { CertificateIndex } from '../core/certificates/certificateIndex';
import type { ParsedCertificate } from '../core/certificates/parseCertificate';
import { parseCertificateFile } from '../core/certificates/parseCertificate';
import { isCertificatePath } from '../core/certificates/certificatePath';
import { isPathInside } from '../core/fs/pathInside';
import { AGENTS_FOLDER } from '../core/memory/agentFolder';

/** Every certificate file the index covers: `docs/ai/agents/<agent>/certificates/**.md` in any workspace folder. */
const CERTIFICATE_GLOB = `**/${AGENTS_FOLDER}/*/certificates/**/*.md`;
const WATCH_DEBOUNCE_MS = 250;

export interface CertificatesChange {
  /** Absolute paths whose certificate was added, changed or removed; undefined after a full rescan. */
  readonly files: readonly string[] | undefined;
}

/**
 * The certificates of all workspace folders, one CertificateIndex per folder. Nothing is read until someone asks:
 * the view's first getChildren loads everything, a file decoration loads just its file. Watcher events update
 * only the files they name (the index re-reads a file only when its mtime or size changed).
 */
export class WorkspaceCertificates implements vscode.Disposable {
  private readonly indexes = new Map<string, CertificateIndex>();
  private readonly changed = new vscode.EventEmitter<CertificatesChange>();
  readonly onDidChange = this.changed.event;
  private loaded: Promise<void> | undefined;
  private watcher: vscode.FileSystemWatcher | undefined;
  private readonly pending = new Set<string>();
  private rescanPending = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly folderListener: vscode.Disposable;

  constructor() {
    this.folderListener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.syncFolders();
      if (this.loaded) void this.rescan();
    });
  }

  /** Loads every workspace folder's certificates once; later calls wait for the same load. */
  ensureLoaded(): Promise<void> {
    this.startWatching();
    this.loaded ??= this.rescan();
    return this.loaded;
  }

  get isLoaded(): boolean {
    return this.loaded !== undefined;
  }

  /** Stats every certificate file again (reads only changed ones) and announces the result as a full change. */
  async rescan(): Promise<void> {
    this.startWatching();
    await Promise.all([...this.syncFolders().values()].map((index) => index.refresh()));
    this.changed.fire({ files: undefined });
  }

  /** Re-stats every loaded folder and announces only real changes (the poll behind an unreliable watcher). */
  async poll(): Promise<void> {
    if (!this.loaded) return;
    const results = await Promise.all([...this.syncFolders().values()].map((index) => index.refresh()));
    const touched = results.flatMap((c) => [...c.added, ...c.changed, ...c.removed]);
    if (touched.length > 0) this.changed.fire({ files: touched });
  }

  /** Parses every certificate again into fresh indexes, then swaps them in, as Verify All does (the tree never sees a half-built list). */
  async rebuild(): Promise<void> {
    this.startWatching();
    const fresh = new Map([...this.syncFolders()].map(([key, old]) => [key, new CertificateIndex(old.root)] as const));
    await Promise.all([...fresh.values()].map((index) => index.refresh()));
    for (const [key, index] of fresh) if (this.indexes.has(key)) this.indexes.set(key, index);
    this.loaded ??= Promise.resolve();
    this.changed.fire({ files: undefined });
  }

  /** Every certificate of every folder. */
  list(): ParsedCertificate[] {
    return [...this.indexes.values()].flatMap((index) => [...index.list()]);
  }

  /** The cached parse of one file, reading just that file when it has not been seen yet. */
  async lookup(file: string): Promise<ParsedCertificate | undefined> {
    this.startWatching();
    const index = this.indexFor(file);
    if (!index) return undefined;
    const cached = index.get(file);
    if (cached) return cached;
    await index.refreshFiles([file]);
    return index.get(file);
  }

  /** Parses one file now, whatever the cache holds, and updates the cache with the result. */
  async reparse(file: string): Promise<ParsedCertificate | undefined> {
    const index = this.indexFor(file);
    if (!index) return undefined;
    const fresh = await parseCertificateFile(file);
    const changes = await index.refreshFiles([file]);
    const touched = [...changes.added, ...changes.changed, ...changes.removed];
    if (touched.length > 0) this.changed.fire({ files: touched });
    return fresh;
  }

  /** The workspace folder a certificate belongs to. */
  folderOf(file: string): vscode.WorkspaceFolder | undefined {
    return vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.dispose();
    this.folderListener.dispose();
    this.changed.dispose();
  }

  private indexFor(file: string): CertificateIndex | undefined {
    if (!isCertificatePath(file)) return undefined;
    const folder = this.folderOf(file);
    if (!folder) return undefined;
    return this.syncFolders().get(folder.uri.toString());
  }

  /** Keeps one index per open workspace folder (file-system folders only). */
  private syncFolders(): Map<string, CertificateIndex> {
    const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
    const keys = new Set(folders.map((f) => f.uri.toString()));
    for (const key of [...this.indexes.keys()]) if (!keys.has(key)) this.indexes.delete(key);
    for (const folder of folders) {
      const key = folder.uri.toString();
      if (!this.indexes.has(key)) this.indexes.set(key, new CertificateIndex(folder.uri.fsPath));
    }
    return this.indexes;
  }

  private startWatching(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(CERTIFICATE_GLOB);
    this.watcher.onDidCreate((uri) => this.queue(uri.fsPath));
    this.watcher.onDidChange((uri) => this.queue(uri.fsPath));
    // A deleted folder may arrive as one event for the folder: stat everything again (cheap, nothing is re-read).
    this.watcher.onDidDelete((uri) => { this.rescanPending = true; this.queue(uri.fsPath); });
  }

  private queue(file: string): void {
    this.pending.add(file);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), WATCH_DEBOUNCE_MS);
  }

  private async flush(): Promise<void> {
    this.timer = undefined;
    const files = [...this.pending];
    this.pending.clear();
    if (this.rescanPending && this.loaded) {
      this.rescanPending = false;
      await this.rescan();
      return;
    }
    this.rescanPending = false;
    const touched: string[] = [];
    for (const index of this.syncFolders().values()) {
      const mine = files.filter((f) => f !== index.root && isPathInside(index.root, f));
      if (mine.length === 0) continue;
      const changes = await index.refreshFiles(mine);
      touched.push(...changes.added, ...changes.changed, ...changes.removed);
    }
    if (touched.length > 0) this.changed.fire({ files: touched });
  }
}

const shared = new WeakMap<vscode.ExtensionContext, WorkspaceCertificates>();

/** The one WorkspaceCertificates of this extension, shared by the Certificates view and the Explorer decorations. */
export function workspaceCertificatesFor(context: vscode.ExtensionContext): WorkspaceCertificates {
  let certificates = shared.get(context);
  if (!certificates) {
    certificates = new WorkspaceCertificates();
    shared.set(context, certificates);
    context.subscriptions.push(certificates);
  }
  return certificates;
}
