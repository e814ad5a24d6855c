import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentNameError, assertAgentName } from '../../core/memory/agentFolder';
import type { CliIo } from '../cliIo';
import { EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';

declare const PACKAGE_VERSION: string | undefined;

const HELP = `Usage: devops-agent mcp [--root DIR] [--agent NAME]

Serves the harness's tools to MCP clients (Claude Code, VS Code agent mode, …) over stdio (newline-delimited
JSON-RPC): verify_citations, certificate_verify, certificate_create, memory_read, memory_update, decision_record,
delivery_metrics (DORA from git history).
They run on the same core and policy as the chat (confinement, secret deny list, guards, redaction) and are
written to the same audit log (docs/ai/agents/<agent>/audit.jsonl).

  --root DIR     workspace folder (default: current folder)
  --agent NAME   whose memory, certificates and audit log (default devops-engineer)

Runs until stdin closes. Messages go to stderr; stdout carries only the protocol.`;

export async function runMcpCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs({
    args, allowPositionals: false, strict: true,
    options: { root: { type: 'string' }, agent: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const requested = path.resolve(io.cwd, values.root ?? '.');
  let root: string;
  try {
    root = fs.realpathSync.native(requested);
    if (!fs.statSync(root).isDirectory()) throw new UsageError(`--root ${requested} is not a folder`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--root ${requested} does not exist`);
  }
  const agent = values.agent ?? 'devops-engineer';
  try {
    assertAgentName(agent);
  } catch (error) {
    if (error instanceof AgentNameError) throw new UsageError(`--agent: ${error.message}`);
    throw error;
  }
  // the SDK is loaded only here, so other commands stay fast
  const [{ createDevopsMcpServer }, { buildMcpToolCatalog }, { StdioServerTransport }] = await Promise.all([
    import('../../core/mcp/devopsMcpServer'),
    import('../../core/mcp/mcpToolCatalog'),
    import('@modelcontextprotocol/sdk/server/stdio.js'),
  ]);
  const server = createDevopsMcpServer({
    version: typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev',
    tools: buildMcpToolCatalog({ root, agent }),
  });
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  io.err(`devops-agent mcp: serving ${root} for agent ${agent} on stdio`);
  await closed;
  await server.close().catch(() => undefined);
  return EXIT_OK;
}
