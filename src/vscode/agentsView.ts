import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { pollWhileVisible } from './visibleViewPoller';
import type { AgentDefinition, AgentProblem, AgentSource } from '../core/agents/agentDefinition';
import { bundledAgentText } from '../core/agents/bundledDevopsEngineer';
import type { AgentCatalog } from './agentCatalog';
import { resolveAgentMcpTools } from './mcpAgentTools';

/** View id contributed in package.json. */
const AGENTS_VIEW_ID = 'devops-agent.agents';
/** Scheme of the read-only documents that show bundled agents. */
const BUNDLED_AGENT_SCHEME = 'devops-agent-bundled';
/** Internal command the tree uses to open a file at a line. */
const OPEN_AGENT_LOCATION_COMMAND = 'devops-agent.agents.openLocation';

export type AgentNode =
  | { readonly kind: 'agent'; readonly agent: AgentDefinition }
  | { readonly kind: 'tools'; readonly agent: AgentDefinition }
  | { readonly kind: 'unknownTools'; readonly agent: AgentDefinition; readonly names: readonly string[] }
  | { readonly kind: 'mcpAvailable'; readonly agent: AgentDefinition; readonly names: readonly string[] }
  | { readonly kind: 'mcpMissing'; readonly agent: AgentDefinition; readonly names: readonly string[] }
  | { readonly kind: 'problem'; readonly agent: AgentDefinition; readonly problem: AgentProblem; readonly index: number };

const SOURCE_ICONS: Record<AgentSource, string> = { workspace: 'root-folder', user: 'account', bundled: 'package' };

function agentUri(agent: AgentDefinition): vscode.Uri {
  return agent.file !== undefined ? vscode.Uri.file(agent.file) : vscode.Uri.from({ scheme: BUNDLED_AGENT_SCHEME, path: `/${agent.name}.md` });
}

function openCommand(agent: AgentDefinition, line: number, title: string): vscode.Command {
  return { command: OPEN_AGENT_LOCATION_COMMAND, title, arguments: [agentUri(agent), line] };
}

export class AgentsTreeProvider implements vscode.TreeDataProvider<AgentNode> {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData: vscode.Event<void> = this.changed.event;

  constructor(private readonly catalog: AgentCatalog) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async getChildren(node?: AgentNode): Promise<AgentNode[]> {
    if (!node) return (await this.catalog.agents()).map((agent) => ({ kind: 'agent', agent }));
    if (node.kind !== 'agent') return [];
    const { agent } = node;
    const children: AgentNode[] = [{ kind: 'tools', agent }];
    const mcp = resolveAgentMcpTools(agent);
    if (mcp.available.length > 0) children.push({ kind: 'mcpAvailable', agent, names: mcp.available.map((m) => m.reference.written) });
    if (mcp.missing.length > 0) children.push({ kind: 'mcpMissing', agent, names: mcp.missing.map((m) => m.written) });
    const mcpNames = new Set([...mcp.available.map((m) => m.reference.written), ...mcp.missing.map((m) => m.written)]);
    const unknown = agent.unknownTools.filter((name) => !mcpNames.has(name.trim()));
    if (unknown.length > 0) children.push({ kind: 'unknownTools', agent, names: unknown });
    agent.problems.forEach((problem, index) => children.push({ kind: 'problem', agent, problem, index }));
    return children;
  }

  getTreeItem(node: AgentNode): vscode.TreeItem {
    const { agent } = node;
    const id = `${agent.source}:${agent.name}`;
    switch (node.kind) {
      case 'agent': {
        const item = new vscode.TreeItem(agent.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = id;
        item.description = agent.source;
        item.tooltip = new vscode.MarkdownString().appendText(agent.description || vscode.l10n.t('(no description)')).appendMarkdown('\n\n').appendText(agent.file ?? vscode.l10n.t('bundled with the extension'));
        item.iconPath = new vscode.ThemeIcon(SOURCE_ICONS[agent.source]);
        item.contextValue = `agent.${agent.source}`;
        item.command = openCommand(agent, 1, vscode.l10n.t('Open Agent File'));
        return item;
      }
      case 'tools': {
        const tools = agent.toolsSpecified === 'all' ? vscode.l10n.t('all ({0})', agent.tools.join(', ')) : agent.tools.join(', ') || vscode.l10n.t('none');
        const item = new vscode.TreeItem(vscode.l10n.t('Tools: {0}', tools), vscode.TreeItemCollapsibleState.None);
        item.id = `${id}:tools`;
        item.iconPath = new vscode.ThemeIcon('tools');
        return item;
      }
      case 'mcpAvailable': {
        const item = new vscode.TreeItem(vscode.l10n.t('MCP tools available: {0}', node.names.join(', ')), vscode.TreeItemCollapsibleState.None);
        item.id = `${id}:mcp-available`;
        item.tooltip = vscode.l10n.t('MCP tools this agent lists that VS Code offers now: the agent can call them (VS Code asks before each call unless you allowed the tool).');
        item.iconPath = new vscode.ThemeIcon('plug', new vscode.ThemeColor('testing.iconPassed'));
        return item;
      }
      case 'mcpMissing': {
        const item = new vscode.TreeItem(vscode.l10n.t('MCP tools missing: {0}', node.names.join(', ')), vscode.TreeItemCollapsibleState.None);
        item.id = `${id}:mcp-missing`;
        item.tooltip = vscode.l10n.t('MCP tools this agent lists that VS Code does not offer: add or start their MCP server (MCP: List Servers / MCP: Add Server). The agent runs without them.');
        item.iconPath = new vscode.ThemeIcon('debug-disconnect', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.command = { command: 'workbench.mcp.listServer', title: vscode.l10n.t('MCP: List Servers') };
        return item;
      }
      case 'unknownTools': {
        const item = new vscode.TreeItem(vscode.l10n.t('Not provided: {0}', node.names.join(', ')), vscode.TreeItemCollapsibleState.None);
        item.id = `${id}:unknown`;
        item.tooltip = vscode.l10n.t('Tools named in the agent file that this harness does not provide; the agent runs without them.');
        item.iconPath = new vscode.ThemeIcon('circle-slash');
        return item;
      }
      case 'problem': {
        const { problem } = node;
        const item = new vscode.TreeItem(problem.message, vscode.TreeItemCollapsibleState.None);
        item.id = `${id}:problem:${node.index}`;
        item.description = vscode.l10n.t('line {0}', problem.line);
        item.tooltip = vscode.l10n.t('{0}: {1} (line {2})', problem.severity, problem.message, problem.line);
        item.iconPath = problem.severity === 'error'
          ? new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'))
          : new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.command = openCommand(agent, problem.line, vscode.l10n.t('Go to Problem'));
        return item;
      }
    }
  }
}

async function openLocation(uri: vscode.Uri, line: number): Promise<void> {
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preview: true });
}

/** Registers the Agents tree view, the read-only provider for bundled agents and the command that opens a location. */
export function registerAgentsView(context: vscode.ExtensionContext, registrar: ContributionRegistrar, catalog: AgentCatalog): AgentsTreeProvider {
  const provider = new AgentsTreeProvider(catalog);
  let toolSignature = '';
  const view = registrar.createTreeView(AGENTS_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  const bundled: vscode.TextDocumentContentProvider = {
    provideTextDocumentContent: (uri) => {
      const name = uri.path.replace(/^\//, '').replace(/\.md$/, '');
      return bundledAgentText(name) ?? vscode.l10n.t('No bundled agent is named \'{0}\'.', name);
    },
  };
  context.subscriptions.push(
    provider,
    view,
    pollWhileVisible(view, async () => {
      await catalog.poll();
      // no event tells when MCP servers start or stop; their tools' names change then
      const signature = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('mcp')).sort().join('\n');
      if (signature !== toolSignature) {
        toolSignature = signature;
        provider.refresh();
      }
    }),
    vscode.workspace.registerTextDocumentContentProvider(BUNDLED_AGENT_SCHEME, bundled),
    registrar.registerCommand(OPEN_AGENT_LOCATION_COMMAND, (uri: vscode.Uri, line?: number) => openLocation(uri, line ?? 1)),
    registrar.registerCommand('devopsAgent.refreshAgents', () => catalog.refresh()),
    catalog.onDidChange(() => provider.refresh()),
  );
  return provider;
}
