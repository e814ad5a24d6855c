import * as vscode from 'vscode';
import type { AgentDefinition } from '../core/agents/agentDefinition';
import type { McpToolResolution, ResolvedMcpTool } from '../core/agents/mcpToolReferences';
import { mcpToolReferences, resolveMcpTools } from '../core/agents/mcpToolReferences';
import { canonicalJson } from '../core/policy/guardOverrides';
import { redactSecrets } from '../core/policy/redactSecrets';
import type { AuditSink } from '../core/runtime/toolExecutor';

/** The agent's `mcp__<server>__<tool>` tools that VS Code can run now (from `vscode.lm.tools`) and those it cannot. */
export function resolveAgentMcpTools(agent: AgentDefinition): McpToolResolution {
  return resolveMcpTools(mcpToolReferences(agent.unknownTools), vscode.lm.tools);
}

export interface McpCallResult {
  readonly text: string;
  readonly isError: boolean;
  readonly redactions: number;
}

/**
 * Runs an MCP tool the agent lists through VS Code (which asks the user to confirm, as for any MCP tool, unless
 * they chose to always allow it), redacts secrets from the result before the model sees it, and audits the call
 * in the same log as the harness tools.
 */
export async function invokeMcpTool(
  tool: ResolvedMcpTool,
  input: object,
  options: { readonly agentName: string; readonly audit: AuditSink | undefined; readonly toolInvocationToken: vscode.ChatParticipantToolToken | undefined; readonly token: vscode.CancellationToken },
): Promise<McpCallResult> {
  const started = Date.now();
  let text: string;
  let outcome: 'ok' | 'error' | 'cancelled';
  try {
    const result = await vscode.lm.invokeTool(tool.toolName, { input, toolInvocationToken: options.toolInvocationToken }, options.token);
    text = result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
    outcome = 'ok';
  } catch (error) {
    const cancelled = error instanceof vscode.CancellationError || options.token.isCancellationRequested;
    text = cancelled
      ? `The user declined or cancelled the ${tool.reference.written} call. Do not repeat it; continue without it or ask the user.`
      : `${tool.reference.written} failed: ${error instanceof Error ? error.message : String(error)}`;
    outcome = cancelled ? 'cancelled' : 'error';
  }
  const redacted = redactSecrets(text);
  await options.audit?.append({
    time: new Date(started).toISOString(), agent: options.agentName, tool: tool.reference.written, input: canonicalJson(input),
    decision: 'ask', approvedBy: 'user', outcome, durationMs: Date.now() - started,
    bytes: Buffer.byteLength(redacted.text), redactions: redacted.total,
  }).catch(() => undefined);
  return { text: redacted.text, isError: outcome !== 'ok', redactions: redacted.total };
}
