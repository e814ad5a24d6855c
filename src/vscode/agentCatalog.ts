import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AgentDefinition } from '../core/agents/agentDefinition';
import { AGENT_FILE_GLOBS, USER_AGENT_DIR, USER_AGENT_GLOB, agentFilesSignature, findAgents } from '../core/agents/findAgents';

export interface AgentCatalogOptions {
  /** Home folder whose `.claude/agents` holds the user's agents. */
  readonly userHome: string;
}

/** Folders that hold agent files, watched too: deleting a folder does not report each file inside it. */
const AGENT_FOLDERS_GLOB = `{${[...new Set(AGENT_FILE_GLOBS.flatMap((g) => {
  const dir = path.posix.dirname(g);
  return [path.posix.dirname(dir), dir];
}))].join(',')}}`;

/** Several file events usually arrive together (a checkout, a save-all); tell listeners once. */
const CHANGE_DEBOUNCE_MS = 150;

/** The agents of the open workspace, the user's folder and the bundle; recomputed lazily after a change. */
export class AgentCatalog implements vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this.changed.event;
  private cache: Promise<AgentDefinition[]> | undefined;
  private watchers: vscode.Disposable[] = [];
  private folderListener: vscode.Disposable | undefined;
  private fireTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private signature: string | undefined;

  constructor(private readonly options: AgentCatalogOptions) {}

  agents(): Promise<AgentDefinition[]> {
    this.startWatching();
    if (!this.cache) {
      const pending = findAgents({ roots: this.roots(), userHome: this.options.userHome, includeBundled: true });
      this.cache = pending;
      pending.catch(() => {
        if (this.cache === pending) this.cache = undefined;
      });
    }
    return this.cache;
  }

  /** Re-reads the agent files when their fingerprint changed since the last look (behind an unreliable watcher). */
  async poll(): Promise<void> {
    const signature = await agentFilesSignature({ roots: this.roots(), userHome: this.options.userHome });
    if (this.signature !== undefined && signature !== this.signature) this.invalidate();
    this.signature = signature;
  }

  /** Forgets what was found, so the next agents() call reads the files again (the Refresh Agents command). */
  refresh(): void {
    this.invalidate();
  }

  async get(name: string): Promise<AgentDefinition | undefined> {
    return (await this.agents()).find((agent) => agent.name === name);
  }

  dispose(): void {
    this.disposed = true;
    if (this.fireTimer) clearTimeout(this.fireTimer);
    this.disposeWatchers();
    this.folderListener?.dispose();
    this.changed.dispose();
  }

  private roots(): string[] {
    return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath);
  }

  private invalidate(): void {
    this.cache = undefined;
    if (this.fireTimer) clearTimeout(this.fireTimer);
    this.fireTimer = setTimeout(() => {
      this.fireTimer = undefined;
      if (!this.disposed) this.changed.fire();
    }, CHANGE_DEBOUNCE_MS);
  }

  // Watchers start on first use, not in the constructor, so activation does no I/O.
  private startWatching(): void {
    if (this.folderListener || this.disposed) return;
    this.folderListener = vscode.workspace.onDidChangeWorkspaceFolders(() => {
      this.createWatchers();
      this.invalidate();
    });
    this.createWatchers();
  }

  private createWatchers(): void {
    this.disposeWatchers();
    const patterns: vscode.RelativePattern[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const glob of AGENT_FILE_GLOBS) patterns.push(new vscode.RelativePattern(folder, glob));
      patterns.push(new vscode.RelativePattern(folder, AGENT_FOLDERS_GLOB));
    }
    const userDir = vscode.Uri.file(path.join(this.options.userHome, USER_AGENT_DIR));
    patterns.push(new vscode.RelativePattern(userDir, USER_AGENT_GLOB));
    for (const pattern of patterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const onEvent = (): void => this.invalidate();
      this.watchers.push(watcher, watcher.onDidCreate(onEvent), watcher.onDidChange(onEvent), watcher.onDidDelete(onEvent));
    }
  }

  private disposeWatchers(): void {
    for (const d of this.watchers) d.dispose();
    this.watchers = [];
  }
}
