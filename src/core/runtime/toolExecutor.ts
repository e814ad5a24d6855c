import * as os from 'node:os';
import { defaultDeniedReason, PathRefusedError, resolveConfinedPath } from '../policy/confinement';
import type { AuditApproval, AuditEntry } from '../policy/auditLog';
import { canonicalJson, GuardOverrides } from '../policy/guardOverrides';
import { findIntroducedPlaceholderCode } from '../policy/noMockGuard';
import type { PermissionRules } from '../policy/permissions';
import { decidePermission, trustDecision } from '../policy/permissions';
import { checkPreservedWork } from '../policy/preserveWorkGuard';
import { checkReadBeforeEdit } from '../policy/readBeforeEdit';
import { containsRedactionMarker, redactSecrets } from '../policy/redactSecrets';
import type { ReadSet } from '../session/readSet';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../tools/framework/tool';
import type { ToolRisk } from '../policy/permissions';
import { ToolInputError } from '../tools/framework/tool';
import { errorMessage } from '../errors/errorText';

/** What the harness knows about the chat session a tool call belongs to. */
export interface ToolSession {
  readonly agentName: string;
  /** Agent-facing tool names this agent may use. */
  readonly allowedTools: ReadonlySet<string>;
  readonly readSet: ReadSet;
  readonly rules: PermissionRules;
  readonly trusted: boolean;
  readonly guards: { readonly noMock: boolean; readonly maxDeletedLines: number; readonly maxDeletedFraction: number };
  readonly overrides: GuardOverrides;
  readonly audit?: AuditSink;
  readonly homeDir?: string;
}

export interface AuditSink {
  append(entry: AuditEntry): Promise<void>;
}

export type CallVerdict =
  | { readonly kind: 'refuse'; readonly message: string; readonly guard?: 'no-mock' | 'preserve-work' | 'read-before-edit'; readonly overrideKey?: string }
  | { readonly kind: 'ask'; readonly reason: string; readonly preview: ToolPreview }
  | { readonly kind: 'allow'; readonly reason: string };

export interface PreparedCall {
  readonly toolName: string;
  readonly tool?: Tool;
  readonly input: unknown;
  readonly risk: ToolRisk;
  readonly subject: string;
  readonly verdict: CallVerdict;
  /** The one-time guard override this call relies on; used up when the call runs, never when it is prepared. */
  readonly overrideKey?: string;
}

export interface ExecutedCall {
  readonly result: ToolResult;
  readonly redactions: number;
  readonly durationMs: number;
  /** Why the audit entry of this call could not be written (the call itself ran or was refused as reported). */
  readonly auditFailure?: string;
}

/** A stable key for "this exact call", used for one-time guard overrides. */
export function callKey(toolName: string, input: unknown): string {
  return GuardOverrides.keyOf(toolName, input);
}

/**
 * The key of a call as prepareToolCall sees it, for one-time overrides: it keys the parsed input (Edit's `old_string`
 * becomes `oldString`), so a key made from the raw input would never match. Undefined when the input is invalid.
 */
export function parsedCallKey(tool: Tool, rawInput: unknown): string | undefined {
  try {
    return callKey(tool.name, tool.parse(rawInput));
  } catch (error) {
    if (error instanceof ToolInputError) return undefined;
    throw error;
  }
}

/**
 * Decides what happens to one tool call, in the order the harness promises: the agent may use the tool →
 * the input is valid → paths stay in the workspace and off the secrets list → permission rules → workspace trust →
 * the seed's guards (read before edit, no placeholder code, preserve work). Runs nothing and changes nothing (VS Code
 * calls it from prepareInvocation, which must be free of side effects): a one-time override is only looked at here
 * and used up by executePreparedCall.
 */
export async function prepareToolCall(tool: Tool | undefined, toolName: string, rawInput: unknown, session: ToolSession, ctx: ToolContext): Promise<PreparedCall> {
  const refuse = (message: string, risk: ToolRisk = 'read', extra: Partial<Extract<CallVerdict, { kind: 'refuse' }>> = {}): PreparedCall =>
    ({ toolName, tool, input: rawInput, risk, subject: '', verdict: { kind: 'refuse', message, ...extra } });
  if (!tool) return refuse(`There is no tool named '${toolName}'. Available: ${[...session.allowedTools].join(', ')}.`);
  if (!session.allowedTools.has(tool.name)) {
    return refuse(`The agent '${session.agentName}' is not allowed to use ${tool.name}; its tools are: ${[...session.allowedTools].join(', ')}. Do the work with those, or tell the user what you need.`);
  }
  let input: unknown;
  try {
    input = tool.parse(rawInput);
  } catch (error) {
    if (error instanceof ToolInputError) return refuse(`Invalid input for ${tool.name}: ${error.message}`);
    throw error;
  }
  const risk = tool.riskOf(input);
  const subject = tool.subjectOf(input);
  let overrideKey: string | undefined;
  const prepared = (verdict: CallVerdict): PreparedCall => ({ toolName, tool, input, risk, subject, verdict, ...(overrideKey === undefined ? {} : { overrideKey }) });

  const relativePaths: string[] = [];
  let secretReason: string | undefined;
  for (const requested of tool.pathsOf(input)) {
    try {
      const target = await resolveConfinedPath(ctx.roots, requested);
      relativePaths.push(target.relative);
      secretReason ??= defaultDeniedReason(target, session.homeDir ?? os.homedir());
    } catch (error) {
      if (error instanceof PathRefusedError) return prepared({ kind: 'refuse', message: error.message });
      throw error;
    }
  }
  const permission = decidePermission(session.rules, { tool: tool.name, risk, subject, paths: relativePaths }, secretReason);
  if (permission.decision === 'deny') return prepared({ kind: 'refuse', message: permission.reason });
  const trust = trustDecision(session.trusted, risk);
  if (trust?.decision === 'deny') return prepared({ kind: 'refuse', message: trust.reason });
  const unavailable = await tool.unavailableReason?.(input, ctx);
  if (unavailable !== undefined) return prepared({ kind: 'refuse', message: unavailable });

  // an explicit ask rule still asks; the default "writes ask" does not apply to the agent's own records
  let ask = permission.decision === 'ask' && !(tool.writesOnlyAgentRecords && !permission.rule);
  let askReason = permission.reason;
  let preview: ToolPreview | undefined;
  if (tool.proposedChange) {
    const change = await tool.proposedChange(input, ctx);
    if (containsRedactionMarker(change.after)) {
      return prepared({ kind: 'refuse', message: `Refused: the new text of ${change.relativePath} contains a [REDACTED:…] marker. The original holds a secret you were not shown; do not copy the marker. Leave that part of the file unchanged (edit around it with Edit), or ask the user to change the secret.` });
    }
    const unread = checkReadBeforeEdit(session.readSet, change.absolutePath, change.before !== undefined);
    if (unread) return prepared({ kind: 'refuse', message: unread, guard: 'read-before-edit' });
    const key = callKey(tool.name, input);
    if (session.guards.noMock) {
      const hits = findIntroducedPlaceholderCode(change.relativePath, change.before, change.after);
      if (hits.length && session.overrides.has(key)) overrideKey = key;
      else if (hits.length) {
        const lines = hits.map((h) => `- line ${h.line} (${h.rule}): \`${h.excerpt}\` — ${h.explanation}`).join('\n');
        return prepared({
          kind: 'refuse', guard: 'no-mock', overrideKey: key,
          message: `Refused by the no-mock rule: ${change.relativePath} would get placeholder, mock or simulated code outside a test path:\n${lines}\nWrite a real implementation, or tell the user "Cannot implement: <reason>". The user can allow this one call.`,
        });
      }
    }
    const work = checkPreservedWork(change.before, change.after, { maxDeletedLines: session.guards.maxDeletedLines, maxDeletedFraction: session.guards.maxDeletedFraction });
    if (work.needsConfirmation) {
      if (!change.reason) {
        return prepared({
          kind: 'refuse', guard: 'preserve-work',
          message: `Refused by the preserve-work rule: this change deletes ${work.deletedLines} lines (${Math.round(work.deletedFraction * 100)}% of ${change.relativePath}). Working code is not thrown away: make the minimal fix, or call again with a \`reason\` explaining why these lines must go; the user will be asked to confirm.`,
        });
      }
      ask = true;
      askReason = `deletes ${work.deletedLines} lines (${Math.round(work.deletedFraction * 100)}%) — reason given: ${change.reason}`;
      const base = await tool.preview(input, ctx);
      preview = { title: base.title, detail: `**Removes ${work.deletedLines} lines.** Reason: ${change.reason}\n\nRemoved:\n\`\`\`\n${work.removedExcerpt}\n\`\`\`\n\n${base.detail}` };
    }
  }
  if (ask) return prepared({ kind: 'ask', reason: askReason, preview: preview ?? await tool.preview(input, ctx) });
  return prepared({ kind: 'allow', reason: permission.reason });
}

/** Runs a prepared call that was allowed (or approved), redacts secrets from its result and audits it. */
export async function executePreparedCall(prepared: PreparedCall, session: ToolSession, ctx: ToolContext, approval: AuditApproval): Promise<ExecutedCall> {
  const started = Date.now();
  // the one-time override is used up by running the call, so a call prepared twice still runs only once on it
  const overrideSpent = prepared.verdict.kind !== 'refuse' && prepared.overrideKey !== undefined && !session.overrides.consume(prepared.overrideKey);
  const decision = prepared.verdict.kind === 'refuse' || overrideSpent ? 'deny' : prepared.verdict.kind;
  let auditFailure: string | undefined;
  const audit = async (outcome: AuditEntry['outcome'], text: string, redactions: number, sandboxed?: boolean): Promise<void> => {
    if (!session.audit) return;
    // a lost audit entry is reported with the result, never swallowed: the log is the record of what ran
    await session.audit.append({
      time: new Date(started).toISOString(), agent: session.agentName, tool: prepared.toolName,
      input: canonicalJson(prepared.input), decision,
      ...(decision === 'deny' ? {} : { approvedBy: approval }),
      outcome, durationMs: Date.now() - started, bytes: Buffer.byteLength(text), redactions,
      ...(sandboxed !== undefined ? { sandbox: sandboxed ? 'on' : 'off' } : {}),
    }).catch((error: unknown) => {
      auditFailure = error instanceof Error ? error.message : String(error);
    });
  };
  const done = (call: Omit<ExecutedCall, 'auditFailure'>): ExecutedCall => (auditFailure === undefined ? call : { ...call, auditFailure });
  if (prepared.verdict.kind === 'refuse' || !prepared.tool || overrideSpent) {
    const message = prepared.verdict.kind === 'refuse' ? prepared.verdict.message
      : overrideSpent ? `Refused: the one-time permission for this exact ${prepared.toolName} call was already used. The guard's refusal stands; write a real implementation or ask the user.`
      : `There is no tool named '${prepared.toolName}'.`;
    await audit('refused', message, 0);
    return done({ result: { ok: false, text: message }, redactions: 0, durationMs: Date.now() - started });
  }
  let result: ToolResult;
  try {
    result = await prepared.tool.run(prepared.input, ctx);
  } catch (error) {
    if (ctx.signal.aborted) {
      await audit('cancelled', '', 0);
      return done({ result: { ok: false, text: `${prepared.toolName} was cancelled.` }, redactions: 0, durationMs: Date.now() - started });
    }
    result = { ok: false, text: `${prepared.toolName} failed: ${errorMessage(error)}` };
  }
  const redacted = redactSecrets(result.text);
  await audit(ctx.signal.aborted ? 'cancelled' : result.ok ? 'ok' : 'error', redacted.text, redacted.total, result.sandboxed);
  return done({ result: { ok: result.ok, text: redacted.text, ...(result.sandboxed !== undefined ? { sandboxed: result.sandboxed } : {}) }, redactions: redacted.total, durationMs: Date.now() - started });
}
