import { BUNDLED_DEVOPS_ENGINEER } from '../agents/bundledDevopsEngineer';
import { errorMessage } from '../errors/errorText';

/** The MCP server name `init claude-code` registers; Claude Code then calls our tools `mcp__devops-agent__<tool>`. */
export const MCP_SERVER_NAME = 'devops-agent';

/** The MCP tools an agent file may list (those that exist in this build). */
export const DEVOPS_MCP_TOOL_NAMES: readonly string[] = ['verify_citations', 'certificate_verify', 'memory_read', 'memory_update', 'decision_record', 'certificate_create', 'delivery_metrics', 'run_checks'];

/** Claude Code hook events the harness answers and the matcher each is registered with. */
const HOOK_EVENTS: readonly { readonly event: string; readonly matcher?: string }[] = [
  { event: 'PreToolUse', matcher: 'Write|Edit|MultiEdit|Read|Bash' },
  { event: 'PostToolUse', matcher: '*' },
  { event: 'Stop' },
  { event: 'SubagentStop' },
];

/** settings.json or .mcp.json is not something we can merge into; nothing is written. */
export class SetupConflictError extends Error {
  override readonly name = 'SetupConflictError';
}

export interface MergedJson {
  readonly text: string;
  /** What was added, one line each; empty when everything was already there. */
  readonly added: readonly string[];
}

type JsonObject = Record<string, unknown>;

function parseObject(text: string | undefined, file: string): JsonObject {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SetupConflictError(`${file} is not valid JSON (${errorMessage(error)}); fix it first, nothing was changed`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SetupConflictError(`${file} is not a JSON object; nothing was changed`);
  return value as JsonObject;
}

/**
 * Adds our hooks to `.claude/settings.json` text, keeping every other key and hook as it is. An event that already
 * runs `command` is left alone, so running init twice changes nothing.
 */
export function mergeClaudeSettings(existing: string | undefined, command: string, file = '.claude/settings.json'): MergedJson {
  const settings = parseObject(existing, file);
  const hooksValue = settings.hooks ?? {};
  if (typeof hooksValue !== 'object' || hooksValue === null || Array.isArray(hooksValue)) throw new SetupConflictError(`"hooks" in ${file} is not an object; nothing was changed`);
  const hooks = { ...(hooksValue as JsonObject) };
  const added: string[] = [];
  for (const { event, matcher } of HOOK_EVENTS) {
    const entriesValue = hooks[event] ?? [];
    if (!Array.isArray(entriesValue)) throw new SetupConflictError(`"hooks.${event}" in ${file} is not a list; nothing was changed`);
    const entries = entriesValue as unknown[];
    const present = entries.some((entry) => {
      const list = typeof entry === 'object' && entry !== null ? (entry as JsonObject).hooks : undefined;
      return Array.isArray(list) && list.some((h) => typeof h === 'object' && h !== null && (h as JsonObject).command === command);
    });
    if (present) continue;
    const entry: JsonObject = { ...(matcher !== undefined ? { matcher } : {}), hooks: [{ type: 'command', command, timeout: 60 }] };
    hooks[event] = [...entries, entry];
    added.push(`hooks.${event}${matcher !== undefined ? ` (${matcher})` : ''}: ${command}`);
  }
  const text = `${JSON.stringify({ ...settings, hooks }, null, 2)}\n`;
  return { text: added.length === 0 && existing !== undefined ? existing : text, added };
}

/** Adds the `devops-agent` stdio server to `.mcp.json` unless a server of that name is already there. */
export function mergeMcpConfig(existing: string | undefined, command: string, args: readonly string[], file = '.mcp.json'): MergedJson {
  const config = parseObject(existing, file);
  const serversValue = config.mcpServers ?? {};
  if (typeof serversValue !== 'object' || serversValue === null || Array.isArray(serversValue)) throw new SetupConflictError(`"mcpServers" in ${file} is not an object; nothing was changed`);
  if ((serversValue as JsonObject)[MCP_SERVER_NAME] !== undefined) return { text: existing ?? '', added: [] };
  const mcpServers = { ...(serversValue as JsonObject), [MCP_SERVER_NAME]: { type: 'stdio', command, args: [...args] } };
  return { text: `${JSON.stringify({ ...config, mcpServers }, null, 2)}\n`, added: [`mcpServers.${MCP_SERVER_NAME}: ${[command, ...args].join(' ')}`] };
}

/**
 * The bundled devops-engineer definition as a Claude Code agent file: its tools line names Claude Code's tools
 * (Edit and MultiEdit instead of our Git and Docker tools, which Bash covers there) and our MCP tools.
 */
export function claudeCodeAgentFile(): string {
  const tools = ['Read', 'Write', 'Edit', 'MultiEdit', 'Bash', 'Glob', 'Grep', ...DEVOPS_MCP_TOOL_NAMES.map((t) => `mcp__${MCP_SERVER_NAME}__${t}`)];
  return BUNDLED_DEVOPS_ENGINEER.replace(/^tools:.*$/m, `tools: ${tools.join(', ')}`);
}
