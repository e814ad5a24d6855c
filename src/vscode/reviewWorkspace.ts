import * as path from 'node:path';
import * as vscode from 'vscode';
import { describeSeverityCounts } from '../core/certificates/certificateFromChecks';
import type { ChecksReview, CheckRunner } from '../core/checks/reviewWithChecks';
import { reviewWithChecks } from '../core/checks/reviewWithChecks';
import { guarded } from './commandErrors';
import type { ContributionRegistrar } from './deferredContributions';
import { readSettings } from './settings';
import { pickWorkspaceFolder } from './workspaceFolderPick';

export const REVIEW_WORKSPACE_COMMAND = 'devopsAgent.reviewWorkspace';

/**
 * "DevOps Agent: Review Workspace": every DevOps check over a workspace folder, then the certificate its findings
 * decide, with progress and cancellation; no model involved. Resolves with the review (tests read it).
 */
export function registerReviewWorkspace(context: vscode.ExtensionContext, registrar: ContributionRegistrar, runChecks: CheckRunner): void {
  context.subscriptions.push(registrar.registerCommand(REVIEW_WORKSPACE_COMMAND, async (given?: vscode.Uri): Promise<ChecksReview | undefined> => {
    let review: ChecksReview | undefined;
    await guarded(async () => {
      const folder = await pickWorkspaceFolder(vscode.l10n.t('Review which workspace folder?'), given instanceof vscode.Uri ? given : undefined);
      if (!folder) return;
      const root = folder.uri.fsPath;
      const agent = readSettings().defaultAgent;
      review = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('DevOps Agent: reviewing {0}', folder.name), cancellable: true },
        async (progress, token) => {
          const abort = new AbortController();
          const subscription = token.onCancellationRequested(() => abort.abort());
          try {
            return await reviewWithChecks({
              root, agent, runChecks, signal: abort.signal,
              scope: { paths: [], kinds: [], description: `the workspace folder ${folder.name}` },
              progress: (message) => progress.report({ message }),
              writeCertificate: vscode.workspace.isTrusted,
            });
          } catch (error) {
            if (abort.signal.aborted) return undefined;
            throw error;
          } finally {
            subscription.dispose();
          }
        },
      );
      if (!review) {
        void vscode.window.showInformationMessage(vscode.l10n.t('DevOps Agent: review cancelled; no certificate was written.'));
        return;
      }
      await reportReview(root, review);
    })();
    return review;
  }));
}

async function reportReview(root: string, review: ChecksReview): Promise<void> {
  const { report, certificate } = review;
  if (report.files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('DevOps Agent: no Dockerfile, workflow, Kubernetes manifest, Compose file or committed secrets file in this folder; nothing to certify.'));
    return;
  }
  const findings = report.findings.length === 0 ? vscode.l10n.t('no findings') : describeSeverityCounts(report.findings);
  const summary = report.files.length === 1 ? vscode.l10n.t('1 file checked, {0}', findings) : vscode.l10n.t('{0} files checked, {1}', report.files.length, findings);
  if (!certificate) {
    void vscode.window.showWarningMessage(vscode.l10n.t('DevOps Agent: {0}; no certificate was written: {1}', summary, review.notWritten ?? ''));
    return;
  }
  await vscode.window.showTextDocument(vscode.Uri.file(certificate.file), { preview: false });
  const relative = path.relative(root, certificate.file).split(path.sep).join('/');
  const show = report.findings.length > 0 ? vscode.l10n.t('Show Problems') : undefined;
  // not awaited: the command finishes when the certificate is written, not when the message is dismissed
  void vscode.window.showInformationMessage(vscode.l10n.t('DevOps Agent: {0}. Certificate {1}: {2} ({3}).', summary, certificate.id, certificate.status, relative), ...(show ? [show] : []))
    .then((choice) => (choice && choice === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
}
