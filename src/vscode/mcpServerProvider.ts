import * as vscode from 'vscode';

/** The provider id contributed in package.json (`contributes.mcpServerDefinitionProviders`). */
export const MCP_SERVER_PROVIDER_ID = 'devops-agent.mcpServer';
/** The server's label: VS Code names its tools `mcp_devops-agent_<tool>`, Claude Code `mcp__devops-agent__<tool>`. */
export const MCP_SERVER_LABEL = 'devops-agent';

/**
 * Offers `devops-agent mcp` (the bundled CLI, run by the editor's own Node.js) for the first workspace folder, so
 * Copilot agent mode and other agents in VS Code get the harness's tools without configuration. Only in a trusted
 * local workspace: the server writes the agent's memory and certificates.
 */
export function registerMcpServerProvider(context: vscode.ExtensionContext, version: string): void {
  if (typeof vscode.lm.registerMcpServerDefinitionProvider !== 'function') return;
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.McpServerDefinitionProvider<vscode.McpStdioServerDefinition> = {
    onDidChangeMcpServerDefinitions: changed.event,
    provideMcpServerDefinitions: () => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder || folder.uri.scheme !== 'file' || !vscode.workspace.isTrusted) return [];
      const cli = vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath;
      // in desktop VS Code process.execPath is Electron, which runs as plain Node.js with this variable
      const server = new vscode.McpStdioServerDefinition(MCP_SERVER_LABEL, process.execPath, [cli, 'mcp', '--root', folder.uri.fsPath], { ELECTRON_RUN_AS_NODE: '1' }, version);
      server.cwd = folder.uri;
      return [server];
    },
  };
  context.subscriptions.push(
    changed,
    vscode.lm.registerMcpServerDefinitionProvider(MCP_SERVER_PROVIDER_ID, provider),
    vscode.workspace.onDidChangeWorkspaceFolders(() => changed.fire()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => changed.fire()),
  );
}
