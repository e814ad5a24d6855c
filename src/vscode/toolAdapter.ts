import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import type { PreparedCall } from '../core/runtime/toolExecutor';
import { executePreparedCall, prepareToolCall } from '../core/runtime/toolExecutor';
import type { Tool } from '../core/tools/framework/tool';
import type { ToolSessionRegistry } from './toolSessions';
import { boundedLine } from '../core/text/bounded';

/**
 * Registers every harness tool as a VS Code language-model tool, so the same tools (with the same policy) serve
 * the @devops participant, Copilot's agent mode and `#` references. Write and execute calls that need asking get
 * VS Code's tool confirmation, showing the exact command, diff or container.
 */
export function registerHarnessTools(context: vscode.ExtensionContext, registrar: ContributionRegistrar, tools: readonly Tool[], sessions: ToolSessionRegistry): void {
  const auditLog = vscode.window.createOutputChannel('DevOps Agent: Audit', { log: true });
  context.subscriptions.push(auditLog);
  const auditProblems = new AuditProblems(auditLog);
  for (const tool of tools) context.subscriptions.push(registrar.registerTool(tool.id, new HarnessTool(tool, sessions, auditProblems)));
}

/** Audit entries that could not be written: logged in the output channel, and the user told once per session. */
class AuditProblems {
  private warned = false;

  constructor(private readonly channel: vscode.LogOutputChannel) {}

  report(toolName: string, reason: string): void {
    this.channel.error(`The audit entry of a ${toolName} call could not be written: ${reason}`);
    if (this.warned) return;
    this.warned = true;
    const showLog = vscode.l10n.t('Show Log');
    void vscode.window.showWarningMessage(vscode.l10n.t('DevOps Agent: tool calls are not being recorded in the audit log ({0}).', reason), showLog).then((choice) => {
      if (choice === showLog) this.channel.show(true);
    });
  }
}

class HarnessTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly tool: Tool, private readonly sessions: ToolSessionRegistry, private readonly auditProblems: AuditProblems) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const prepared = await this.prepare(options.input, token);
    const verdict = prepared.verdict;
    if (verdict.kind === 'refuse') return { invocationMessage: vscode.l10n.t('{0} refused', this.tool.name) };
    const invocationMessage = `${this.tool.name}: ${boundedLine(prepared.subject, 120)}`;
    if (verdict.kind === 'allow') return { invocationMessage };
    const message = new vscode.MarkdownString(vscode.l10n.t('{0}\n\n*Why you are asked:* {1}', verdict.preview.detail, verdict.reason));
    return { invocationMessage, confirmationMessages: { title: verdict.preview.title, message } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const binding = this.sessions.lookup(options.toolInvocationToken, this.tool.name, options.input);
    const ctx = this.sessions.context(binding, token);
    const prepared = await prepareToolCall(this.tool, this.tool.name, options.input, binding.session, ctx);
    // invoke() only runs after VS Code's confirmation (when one was shown) was accepted
    const approval = prepared.verdict.kind === 'ask' ? 'user' : 'rule';
    const executed = await executePreparedCall(prepared, binding.session, ctx, approval);
    if (executed.auditFailure !== undefined) this.auditProblems.report(this.tool.name, executed.auditFailure);
    binding.onOutcome({
      toolName: this.tool.name, ok: executed.result.ok, text: executed.result.text, redactions: executed.redactions,
      ...(executed.auditFailure !== undefined ? { auditFailure: executed.auditFailure } : {}),
      ...(prepared.verdict.kind === 'refuse' && prepared.verdict.guard
        ? { refusedByGuard: { guard: prepared.verdict.guard, ...(prepared.verdict.overrideKey ? { overrideKey: prepared.verdict.overrideKey } : {}) } }
        : {}),
    });
    if (executed.result.ok && this.tool.writesOnlyAgentRecords) {
      // the views also watch the files; refreshing now shows the new record without waiting for the watcher
      void vscode.commands.executeCommand('devopsAgent.refreshMemory').then(undefined, () => undefined);
      void vscode.commands.executeCommand('devopsAgent.refreshCertificates').then(undefined, () => undefined);
    }
    // errors are thrown with a model-readable message, as the tools guide asks; our loop turns them into error results
    if (!executed.result.ok) throw new Error(executed.result.text);
    return new vscode.LanguageModelToolResult([new vscode.LanguageModelTextPart(executed.result.text)]);
  }

  /**
   * Without the invocation token the call may be any pending turn's: when two would decide it differently, the one
   * that asks wins, so a confirmation is never skipped; invoke() then decides for the turn the token names.
   */
  private async prepare(input: unknown, token: vscode.CancellationToken): Promise<PreparedCall> {
    const decided = await Promise.all(this.sessions.candidates(this.tool.name, input)
      .map((binding) => prepareToolCall(this.tool, this.tool.name, input, binding.session, this.sessions.context(binding, token))));
    const rank = (call: PreparedCall): number => (call.verdict.kind === 'ask' ? 0 : call.verdict.kind === 'allow' ? 1 : 2);
    return decided.reduce((strictest, call) => (rank(call) < rank(strictest) ? call : strictest));
  }
}
