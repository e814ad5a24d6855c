import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { appendAuditEntry, auditLogPath } from '../core/policy/auditLog';
import type { GuardOverrides } from '../core/policy/guardOverrides';
import type { AuditSink } from '../core/runtime/toolExecutor';
import { readSettings } from './settings';
import { workspaceRoots } from './toolSessions';

/** Where an agent's audit log lives: in the workspace (default) or in the extension's private storage. */
export function auditSinkFactory(context: vscode.ExtensionContext): (agentName: string) => AuditSink | undefined {
  return (agentName) => {
    const file = auditFile(context, agentName);
    return file ? { append: (entry) => appendAuditEntry(file, entry) } : undefined;
  };
}

function auditFile(context: vscode.ExtensionContext, agentName: string): string | undefined {
  if (readSettings().auditLocation === 'extensionStorage') {
    const base = (context.storageUri ?? context.globalStorageUri).fsPath;
    return path.join(base, 'audit', `${agentName}.jsonl`);
  }
  const root = workspaceRoots()[0];
  return root ? auditLogPath(root, agentName) : undefined;
}

/** Commands of the harness itself: the audit log and one-time guard overrides. */
export function registerHarnessCommands(context: vscode.ExtensionContext, registrar: ContributionRegistrar, overrides: GuardOverrides): void {
  context.subscriptions.push(
    registrar.registerCommand('devopsAgent.openAuditLog', async () => {
      const file = auditFile(context, readSettings().defaultAgent);
      if (!file || !fs.existsSync(file)) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No tool calls have been audited yet: the log is written on the first tool call.'));
        return;
      }
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: false });
    }),
    registrar.registerCommand('devopsAgent.allowGuardedCall', (key: unknown) => {
      if (typeof key !== 'string' || !/^[\w-]+:[0-9a-f]{64}$/.test(key)) return;
      overrides.grant(key);
      void vscode.window.showInformationMessage(vscode.l10n.t('Allowed once: ask the agent to retry that exact call.'));
    }),
  );
}
