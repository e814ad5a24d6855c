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
  for (const tool of tools) context.subscriptions.push(registrar.registerTool(tool.id, new HarnessTool(tool, sessions)));
}

class HarnessTool implements vscode.LanguageModelTool<unknown> {
  constructor(private readonly tool: Tool, private readonly sessions: ToolSessionRegistry) {}

  async prepareInvocation(options: vscode.LanguageModelToolInvocationPrepareOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.PreparedToolInvocation> {
    const prepared = await this.prepare(options.input, token);
    const verdict = prepared.verdict;
    if (verdict.kind === 'refuse') return { invocationMessage: `${this.tool.name} refused` };
    const invocationMessage = `${this.tool.name}: ${boundedLine(prepared.subject, 120)}`;
    if (verdict.kind === 'allow') return { invocationMessage };
    const message = new vscode.MarkdownString(`${verdict.preview.detail}\n\n*Why you are asked:* ${verdict.reason}`);
    return { invocationMessage, confirmationMessages: { title: verdict.preview.title, message } };
  }

  async invoke(options: vscode.LanguageModelToolInvocationOptions<unknown>, token: vscode.CancellationToken): Promise<vscode.LanguageModelToolResult> {
    const binding = this.sessions.lookup(this.tool.name, options.input);
    const ctx = this.sessions.context(binding, token);
    const prepared = await prepareToolCall(this.tool, this.tool.name, options.input, binding.session, ctx);
    // invoke() only runs after VS Code's confirmation (when one was shown) was accepted
    const approval = prepared.verdict.kind === 'ask' ? 'user' : 'rule';
    const executed = await executePreparedCall(prepared, binding.session, ctx, approval);
    binding.onOutcome({
      toolName: this.tool.name, ok: executed.result.ok, text: executed.result.text, redactions: executed.redactions,
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

  private prepare(input: unknown, token: vscode.CancellationToken): Promise<PreparedCall> {
    const binding = this.sessions.lookup(this.tool.name, input);
    return prepareToolCall(this.tool, this.tool.name, input, binding.session, this.sessions.context(binding, token));
  }
}
