/** A `mcp__<server>__<tool>` name from an agent file's tools list. */
export interface McpToolReference {
  /** As written in the agent file; the model calls the tool by this name. */
  readonly written: string;
  readonly server: string;
  readonly tool: string;
}

/** A tool VS Code lists in `vscode.lm.tools` (only the fields matching needs). */
export interface AvailableTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export interface ResolvedMcpTool {
  readonly reference: McpToolReference;
  /** The name VS Code knows the tool by, for `vscode.lm.invokeTool`. */
  readonly toolName: string;
  readonly description: string;
  readonly inputSchema?: object | undefined;
}

export interface McpToolResolution {
  readonly available: readonly ResolvedMcpTool[];
  readonly missing: readonly McpToolReference[];
}

const MCP_NAME = /^mcp__(.+?)__(.+)$/;
/** VS Code names MCP tools `mcp_<server>_<tool>`, the server part cut so the prefix stays within 18 characters. */
const VSCODE_PREFIX = 'mcp_';
const VSCODE_MAX_PREFIX = 18;

/** The MCP tools among an agent file's tool names (its "unknown" tools: the harness itself provides none). */
export function mcpToolReferences(names: readonly string[]): McpToolReference[] {
  const references: McpToolReference[] = [];
  for (const name of names) {
    const match = MCP_NAME.exec(name.trim());
    if (match) references.push({ written: name.trim(), server: match[1] as string, tool: match[2] as string });
  }
  return references;
}

function safeServerName(server: string): string {
  return server.toLowerCase().replace(/[^a-z0-9_.-]+/g, '_').slice(0, VSCODE_MAX_PREFIX - VSCODE_PREFIX.length - 1);
}

/**
 * Finds the tool VS Code lists for `mcp__<server>__<tool>`: `mcp_<server>_<tool>`, or `mcp_<server>2_<tool>` when two
 * servers share a name; the server part is lower-cased and cut as VS Code cuts it. Claude Code's own names
 * (`mcp__server__tool`) are accepted as they are.
 */
export function findMcpTool(reference: McpToolReference, tools: readonly AvailableTool[]): AvailableTool | undefined {
  const exact = tools.find((t) => t.name === reference.written);
  if (exact) return exact;
  const prefix = `${VSCODE_PREFIX}${safeServerName(reference.server)}`;
  const tool = reference.tool.toLowerCase();
  return tools.find((t) => {
    const name = t.name.toLowerCase();
    if (!name.startsWith(prefix)) return false;
    const rest = /^\d*_(.+)$/.exec(name.slice(prefix.length));
    return rest !== null && rest[1] === tool;
  });
}

/** Which of an agent's MCP tools VS Code can run now, and which it cannot (server not configured or not started). */
export function resolveMcpTools(references: readonly McpToolReference[], tools: readonly AvailableTool[]): McpToolResolution {
  const available: ResolvedMcpTool[] = [];
  const missing: McpToolReference[] = [];
  for (const reference of references) {
    const found = findMcpTool(reference, tools);
    if (found) available.push({ reference, toolName: found.name, description: found.description, inputSchema: found.inputSchema });
    else missing.push(reference);
  }
  return { available, missing };
}
