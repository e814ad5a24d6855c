import type { GuardOverrides } from '../../../../src/core/policy/guardOverrides';
import { parsePermissionRules } from '../../../../src/core/policy/permissions';
import type { ToolCallPart, ToolResultPart } from '../../../../src/core/runtime/chatModel';
import type { AuditSink, ToolSession } from '../../../../src/core/runtime/toolExecutor';
import { executePreparedCall, prepareToolCall } from '../../../../src/core/runtime/toolExecutor';
import type { ReadSet } from '../../../../src/core/session/readSet';
import type { ToolContext } from '../../../../src/core/tools/framework/tool';
import { HARNESS_TOOLS, findTool } from '../../../../src/core/tools/toolRegistry';
import { createToolSession } from '../../../../src/core/runtime/toolSession';

export interface SessionOptions {
  readonly agentName?: string;
  readonly allowedTools?: readonly string[];
  readonly allow?: readonly string[];
  readonly ask?: readonly string[];
  readonly deny?: readonly string[];
  readonly trusted?: boolean;
  readonly noMock?: boolean;
  readonly audit?: AuditSink;
  readonly readSet?: ReadSet;
  readonly overrides?: GuardOverrides;
  readonly homeDir?: string;
}

/** A session as the participant builds one: real rules parsed from rule strings, real guards, every harness tool by default. */
export function realToolSession(options: SessionOptions = {}): ToolSession {
  const parsed = parsePermissionRules({ allow: options.allow ?? [], ask: options.ask ?? [], deny: options.deny ?? [] }, 'test');
  if (parsed.problems.length > 0) throw new Error(`bad test rules: ${parsed.problems.join('; ')}`);
  return createToolSession({
    agentName: options.agentName ?? 'devops-engineer',
    allowedTools: options.allowedTools ?? HARNESS_TOOLS.map((t) => t.name),
    rules: parsed.rules,
    guards: { noMock: options.noMock ?? true },
    ...(options.readSet ? { readSet: options.readSet } : {}),
    ...(options.trusted !== undefined ? { trusted: options.trusted } : {}),
    ...(options.overrides ? { overrides: options.overrides } : {}),
    ...(options.audit ? { audit: options.audit } : {}),
    ...(options.homeDir ? { homeDir: options.homeDir } : {}),
  });
}

/**
 * Runs one round's calls the way the participant does: each through the real policy and the real tool, all at once,
 * answering "ask" verdicts as approved. Results come back in call order (Promise.all keeps it).
 */
export function realToolCalls(session: ToolSession, ctx: ToolContext, onFinished?: (callId: string) => void): (calls: readonly ToolCallPart[]) => Promise<ToolResultPart[]> {
  return (calls) => Promise.all(calls.map(async (call): Promise<ToolResultPart> => {
    const prepared = await prepareToolCall(findTool(call.name), call.name, call.input, session, ctx);
    const executed = await executePreparedCall(prepared, session, ctx, prepared.verdict.kind === 'ask' ? 'user' : 'rule');
    onFinished?.(call.callId);
    return { kind: 'toolResult', callId: call.callId, text: executed.result.text, isError: !executed.result.ok };
  }));
}
