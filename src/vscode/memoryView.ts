import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { guarded } from './commandErrors';
import { AGENTS_FOLDER, assertAgentName } from '../core/memory/agentFolder';
import type { MemoryOutlineNode } from '../core/memory/memoryOutline';
import { findAgentsWithMemory, memoryOutline } from '../core/memory/memoryOutline';
import type { MemoryFileSnapshot } from '../core/memory/memoryStore';
import { appendDecision, initMemory, memoryFilePath, readMemory } from '../core/memory/memoryStore';
import { MEMORY_FILE_KINDS, MEMORY_FILE_PURPOSES } from '../core/memory/memoryTemplates';
import { splitAlternatives } from '../core/memory/decisionFormInput';
import { splitLines } from '../core/markdown/markdownHeadings';
import { askText, runSteps, STEP_BACK } from './multiStepInput';
import { readSettings } from './settings';
import { pollWhileVisible } from './visibleViewPoller';
import { errorMessage } from '../core/errors/errorText';
import { pickWorkspaceFolder } from './workspaceFolderPick';

const MEMORY_VIEW_ID = 'devops-agent.memory';
const REFRESH_DEBOUNCE_MS = 300;

export type MemoryNode =
  | { readonly kind: 'folder'; readonly folder: vscode.WorkspaceFolder; readonly agents: readonly string[] }
  | { readonly kind: 'agent'; readonly folder: vscode.WorkspaceFolder; readonly agent: string }
  | { readonly kind: 'file'; readonly folder: vscode.WorkspaceFolder; readonly agent: string; readonly file: MemoryFileSnapshot; readonly outline: readonly MemoryOutlineNode[] }
  | { readonly kind: 'heading'; readonly file: MemoryFileSnapshot; readonly node: MemoryOutlineNode };

/** The Working Memory tree: workspace folder (only when several) → agent → its three memory files → their headings. */
export class MemoryTreeProvider implements vscode.TreeDataProvider<MemoryNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<MemoryNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private watcher: vscode.FileSystemWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  private lastSignature: string | undefined;

  /** Stats the memory files of every folder and refreshes when any appeared, changed or went (behind the watcher). */
  async poll(): Promise<void> {
    const stamps: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const agentsFolder = path.join(folder.uri.fsPath, ...AGENTS_FOLDER.split('/'));
      const agents = await fs.promises.readdir(agentsFolder, { withFileTypes: true }).catch(() => []);
      for (const agent of agents.filter((e) => e.isDirectory())) {
        for (const kind of MEMORY_FILE_KINDS) {
          const stat = await fs.promises.stat(path.join(agentsFolder, agent.name, `${kind}.md`)).catch(() => undefined);
          if (stat) stamps.push(`${folder.uri.fsPath}|${agent.name}|${kind}|${stat.mtimeMs}|${stat.size}`);
        }
      }
    }
    const signature = stamps.join('\n');
    if (this.lastSignature !== undefined && signature !== this.lastSignature) this.refresh();
    this.lastSignature = signature;
  }

  refresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire(undefined);
  }

  /** Coalesces bursts of file events (an agent rewriting several files) into one refresh. */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.refresh(), REFRESH_DEBOUNCE_MS);
  }

  async getChildren(element?: MemoryNode): Promise<MemoryNode[]> {
    this.startWatching();
    if (!element) return this.roots();
    switch (element.kind) {
      case 'folder':
        return element.agents.map((agent) => ({ kind: 'agent', folder: element.folder, agent }));
      case 'agent': {
        const snapshot = await readMemory(element.folder.uri.fsPath, element.agent);
        return snapshot.files.map((file) => ({ kind: 'file', folder: element.folder, agent: element.agent, file, outline: memoryOutline(file.sections) }));
      }
      case 'file':
        return element.outline.map((node) => ({ kind: 'heading', file: element.file, node }));
      case 'heading':
        return element.node.children.map((node) => ({ kind: 'heading', file: element.file, node }));
    }
  }

  getTreeItem(element: MemoryNode): vscode.TreeItem {
    switch (element.kind) {
      case 'folder': {
        const item = new vscode.TreeItem(element.folder.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${element.folder.uri.toString()}`;
        item.iconPath = vscode.ThemeIcon.Folder;
        item.resourceUri = element.folder.uri;
        item.contextValue = 'memory-folder';
        return item;
      }
      case 'agent': {
        const item = new vscode.TreeItem(element.agent, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `agent:${element.folder.uri.toString()}:${element.agent}`;
        item.iconPath = new vscode.ThemeIcon('hubot');
        item.description = `${AGENTS_FOLDER}/${element.agent}`;
        item.contextValue = 'memory-agent';
        return item;
      }
      case 'file':
        return this.fileItem(element);
      case 'heading':
        return this.headingItem(element.file, element.node);
    }
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.watcher?.dispose();
    this.changed.dispose();
  }

  private async roots(): Promise<MemoryNode[]> {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const defaultAgent = readSettings().defaultAgent;
    const perFolder = await Promise.all(folders.map(async (folder) => {
      const agents = await findAgentsWithMemory(folder.uri.fsPath);
      // The default agent is listed wherever any memory exists, so its missing files can be created from here.
      if (agents.length > 0 && !agents.includes(defaultAgent) && isAgentName(defaultAgent)) agents.unshift(defaultAgent);
      return { folder, agents };
    }));
    const withMemory = perFolder.filter((f) => f.agents.length > 0);
    // Nothing anywhere: an empty tree lets the contributed welcome view (Initialise Working Memory) show.
    if (withMemory.length === 0) return [];
    if (folders.length === 1) {
      const only = withMemory[0];
      return only ? only.agents.map((agent) => ({ kind: 'agent', folder: only.folder, agent })) : [];
    }
    return withMemory.map(({ folder, agents }) => ({ kind: 'folder', folder, agents }));
  }

  private fileItem(element: Extract<MemoryNode, { kind: 'file' }>): vscode.TreeItem {
    const { file } = element;
    const uri = vscode.Uri.file(file.path);
    const name = path.basename(file.path);
    if (!file.exists) {
      const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.None);
      item.id = `file:${uri.toString()}`;
      item.description = vscode.l10n.t('not created yet');
      item.iconPath = new vscode.ThemeIcon('circle-large-outline');
      item.tooltip = vscode.l10n.t('{0}.\nClick to create the memory files of {1} from their templates.', MEMORY_FILE_PURPOSES[file.kind], element.agent);
      item.command = { command: 'devopsAgent.initializeMemory', title: vscode.l10n.t('Initialise Working Memory'), arguments: [element.folder.uri, element.agent] };
      item.contextValue = 'memory-file-missing';
      return item;
    }
    const collapsible = element.outline.length === 0
      ? vscode.TreeItemCollapsibleState.None
      : file.kind === 'working-memory' ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(name, collapsible);
    item.id = `file:${uri.toString()}`;
    item.resourceUri = uri;
    const entries = file.sections.filter((s) => s.level === 2).length;
    item.description = file.kind === 'decisions-log'
      ? (entries === 1 ? vscode.l10n.t('1 decision') : vscode.l10n.t('{0} decisions', entries))
      : (entries === 1 ? vscode.l10n.t('1 section') : vscode.l10n.t('{0} sections', entries));
    const modified = file.modifiedMs !== undefined ? `\n${vscode.l10n.t('Modified {0}', new Date(file.modifiedMs).toLocaleString())}` : '';
    item.tooltip = `${MEMORY_FILE_PURPOSES[file.kind]}.\n${vscode.workspace.asRelativePath(uri)}${modified}`;
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [uri] };
    item.contextValue = `memory-file-${file.kind}`;
    return item;
  }

  private headingItem(file: MemoryFileSnapshot, node: MemoryOutlineNode): vscode.TreeItem {
    const { section } = node;
    const uri = vscode.Uri.file(file.path);
    const item = new vscode.TreeItem(section.heading || vscode.l10n.t('(empty heading)'),
      node.children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `heading:${uri.toString()}:${section.line}`;
    item.iconPath = new vscode.ThemeIcon('symbol-string');
    item.description = vscode.l10n.t('line {0}', section.line);
    item.tooltip = `${'#'.repeat(section.level)} ${section.heading}\n${path.basename(file.path)}:${section.line}`;
    const lineText = splitLines(file.text)[section.line - 1] ?? '';
    const selection = new vscode.Range(section.line - 1, 0, section.line - 1, lineText.length);
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open at Heading'), arguments: [uri, { selection } satisfies vscode.TextDocumentShowOptions] };
    item.contextValue = 'memory-heading';
    return item;
  }

  /** The watcher starts with the first look at the tree, so activation does no file work. */
  private startWatching(): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(`**/${AGENTS_FOLDER}/**/*.md`);
    // Certificates live under the same folder but are not part of this tree.
    const onEvent = (uri: vscode.Uri): void => { if (!/[\\/]certificates[\\/]/.test(uri.fsPath)) this.scheduleRefresh(); };
    this.watcher.onDidCreate(onEvent);
    this.watcher.onDidChange(onEvent);
    this.watcher.onDidDelete(onEvent);
  }
}

function isAgentName(name: string): boolean {
  try {
    assertAgentName(name);
    return true;
  } catch {
    return false;
  }
}

function defaultAgentOrSay(): string | undefined {
  const agent = readSettings().defaultAgent;
  try {
    assertAgentName(agent);
    return agent;
  } catch (error) {
    void vscode.window.showErrorMessage(vscode.l10n.t('The setting devopsAgent.defaultAgent is not usable: {0}', errorMessage(error)));
    return undefined;
  }
}

async function openAt(file: string, line?: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
  const options: vscode.TextDocumentShowOptions = {};
  if (line !== undefined) {
    const at = Math.max(0, Math.min(line - 1, document.lineCount - 1));
    options.selection = new vscode.Range(at, 0, at, document.lineAt(at).text.length);
  }
  await vscode.window.showTextDocument(document, options);
}

async function openWorkingMemory(provider: MemoryTreeProvider): Promise<void> {
  const agent = defaultAgentOrSay();
  if (!agent) return;
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = await pickWorkspaceFolder(vscode.l10n.t('Open the working memory of which folder?'), active?.scheme === 'file' ? active : undefined);
  if (!folder) return;
  const file = memoryFilePath(folder.uri.fsPath, agent, 'working-memory');
  const exists = await vscode.workspace.fs.stat(vscode.Uri.file(file)).then(() => true, () => false);
  if (!exists) {
    await initMemory(folder.uri.fsPath, agent);
    provider.refresh();
  }
  await openAt(file);
}

async function initializeMemory(provider: MemoryTreeProvider, folderUri?: unknown, agentArg?: unknown): Promise<void> {
  const agent = typeof agentArg === 'string' ? agentArg : defaultAgentOrSay();
  if (!agent) return;
  assertAgentName(agent);
  const folder = await pickWorkspaceFolder(vscode.l10n.t('Initialise the working memory of {0} in which folder?', agent), folderUri instanceof vscode.Uri ? folderUri : undefined);
  if (!folder) return;
  const created = await initMemory(folder.uri.fsPath, agent);
  provider.refresh();
  const where = `${AGENTS_FOLDER}/${agent}/`;
  if (created.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The working memory of {0} already exists in {1}; nothing was changed.', agent, where));
  } else {
    const names = created.map((f) => path.basename(f)).join(', ');
    void vscode.window.showInformationMessage(vscode.l10n.t('Created {0} in {1}.', names, where));
  }
  await openAt(memoryFilePath(folder.uri.fsPath, agent, 'working-memory'));
}

async function recordDecision(provider: MemoryTreeProvider): Promise<void> {
  const agent = defaultAgentOrSay();
  if (!agent) return;
  const folder = await pickWorkspaceFolder(vscode.l10n.t('Record the decision in which folder?'));
  if (!folder) return;
  const title = vscode.l10n.t('Record Decision ({0})', agent);
  const answers = { decision: '', rationale: '', alternatives: '' };
  const finished = await runSteps([
    async () => {
      const value = await askText({
        title, step: 1, totalSteps: 3, value: answers.decision,
        prompt: vscode.l10n.t('What was decided, in one line'),
        placeholder: vscode.l10n.t('e.g. Build images with BuildKit cache mounts'),
        validate: (v) => (v.length > 300 ? vscode.l10n.t('Keep it under {0} characters (now {1}); put detail in the rationale.', 300, v.length) : undefined),
      });
      if (value === undefined || value === STEP_BACK) return value;
      answers.decision = value;
      return true;
    },
    async () => {
      const value = await askText({ title, step: 2, totalSteps: 3, value: answers.rationale, prompt: vscode.l10n.t('Why it was decided'), placeholder: vscode.l10n.t('e.g. Cuts CI build time from 9 to 3 minutes') });
      if (value === undefined || value === STEP_BACK) return value;
      answers.rationale = value;
      return true;
    },
    async () => {
      const value = await askText({
        title, step: 3, totalSteps: 3, value: answers.alternatives, optional: true,
        prompt: vscode.l10n.t('Alternatives considered (optional; separate them with commas or semicolons; Enter to skip)'),
        placeholder: vscode.l10n.t('e.g. Kaniko; remote cache registry'),
      });
      if (value === undefined || value === STEP_BACK) return value;
      answers.alternatives = value;
      return true;
    },
  ]);
  if (!finished) return;
  const result = await appendDecision(folder.uri.fsPath, agent, {
    decision: answers.decision,
    rationale: answers.rationale,
    alternatives: splitAlternatives(answers.alternatives),
  });
  provider.refresh();
  const open = vscode.l10n.t('Open Decisions Log');
  void vscode.window.showInformationMessage(vscode.l10n.t('Decision recorded in {0}:{1}.', vscode.workspace.asRelativePath(result.path), result.line), open)
    .then((choice) => (choice === open ? openAt(result.path, result.line) : undefined));
}

/** Registers the Working Memory view and its commands; touches no files until the view is first shown. */
export function registerMemoryView(context: vscode.ExtensionContext, registrar: ContributionRegistrar): MemoryTreeProvider {
  const provider = new MemoryTreeProvider();
  const view = registrar.createTreeView(MEMORY_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  context.subscriptions.push(
    pollWhileVisible(view, () => provider.poll()),
    provider,
    view,
    registrar.registerCommand('devopsAgent.openWorkingMemory', guarded(() => openWorkingMemory(provider))),
    registrar.registerCommand('devopsAgent.initializeMemory', guarded((folder?: unknown, agent?: unknown) => initializeMemory(provider, folder, agent))),
    registrar.registerCommand('devopsAgent.recordDecision', guarded(() => recordDecision(provider))),
    registrar.registerCommand('devopsAgent.refreshMemory', () => provider.refresh()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => provider.refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration('devopsAgent.defaultAgent')) provider.refresh(); }),
  );
  return provider;
}
