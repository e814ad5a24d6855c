import * as vscode from 'vscode';
import { CheckCodeActions } from './checkCodeActions';
import { CheckDiagnostics } from './checkDiagnostics';
import { guarded } from './commandErrors';
import type { ContributionRegistrar } from './deferredContributions';

/**
 * Wires the DevOps checks into the editor: diagnostics as you type, the workspace run, Quick Fixes. A lazy part
 * (dist/checks.js) the entry loads right after activation; its command is bound through the registrar.
 */
export function registerChecks(context: vscode.ExtensionContext, registrar: ContributionRegistrar): CheckDiagnostics {
  const diagnostics = new CheckDiagnostics();
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new CheckCodeActions(diagnostics), CheckCodeActions.metadata),
    vscode.workspace.onDidOpenTextDocument((document) => diagnostics.schedule(document, 0)),
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.contentChanges.length > 0) diagnostics.schedule(event.document);
    }),
    vscode.workspace.onDidSaveTextDocument((document) => diagnostics.onSaved(document)),
    vscode.workspace.onDidCloseTextDocument((document) => diagnostics.forget(document)),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void diagnostics.runWorkspace()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void diagnostics.runWorkspace()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('devopsAgent.checks')) diagnostics.onSettingsChanged();
    }),
    registrar.registerCommand('devopsAgent.runChecks', guarded(async () => {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('DevOps checks'), cancellable: true },
        (progress, token) => {
          progress.report({ message: vscode.l10n.t('checking the workspace…') });
          return diagnostics.runWorkspace(token);
        },
      );
      // Not awaited: the command is done when the check is, whether or not anyone answers the message.
      const show = vscode.l10n.t('Show Problems');
      void vscode.window.showInformationMessage(vscode.l10n.t('DevOps checks: {0} in {1} checked.',
        result.findings === 1 ? vscode.l10n.t('1 finding') : vscode.l10n.t('{0} findings', result.findings),
        result.files === 1 ? vscode.l10n.t('1 file') : vscode.l10n.t('{0} files', result.files)), show)
        .then((choice) => (choice === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
    })),
  );
  // The first workspace run waits for activation to finish, so activation stays instant.
  setTimeout(() => {
    void vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('DevOps checks') }, () => diagnostics.runWorkspace()).then(undefined, () => undefined);
    for (const document of vscode.workspace.textDocuments) diagnostics.schedule(document, 0);
  }, 0);
  return diagnostics;
}
