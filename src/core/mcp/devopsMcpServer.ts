import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js';
import type { McpTool } from './mcpToolCatalog';

export interface DevopsMcpServerOptions {
  readonly version: string;
  readonly tools: readonly McpTool[];
}

/**
 * The MCP server over any transport: tools/list returns the catalog, tools/call runs one tool. An unknown tool or
 * arguments that are not an object are JSON-RPC errors (InvalidParams); a tool that fails or is refused answers
 * normally with `isError: true` and the reason, so the model can act on it.
 */
export function createDevopsMcpServer(options: DevopsMcpServerOptions): Server {
  const server = new Server(
    // no separate title: VS Code names tools after the server's announced name, and agent files list mcp__devops-agent__*
    { name: 'devops-agent', version: options.version },
    {
      capabilities: { tools: {} },
      instructions: 'The DevOps Engineer Agent harness: verify path:line citations, verify and create certificates, read and update the agent\'s working memory. Results are checked against the workspace files, never guessed.',
    },
  );
  const byName = new Map(options.tools.map((t) => [t.name, t]));
  server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: options.tools.map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: { ...t.inputSchema, properties: { ...t.inputSchema.properties }, ...(t.inputSchema.required ? { required: [...t.inputSchema.required] } : {}) },
      annotations: { title: t.title, readOnlyHint: t.readOnly, destructiveHint: false, openWorldHint: false },
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) throw new McpError(ErrorCode.InvalidParams, `There is no tool named '${request.params.name}'. Tools: ${[...byName.keys()].join(', ')}.`);
    const args = request.params.arguments ?? {};
    const outcome = await tool.run(args, extra.signal);
    return { content: [{ type: 'text' as const, text: outcome.text }], isError: outcome.isError };
  });
  return server;
}

export async function serveMcp(server: Server, transport: Transport): Promise<void> {
  await server.connect(transport);
}
