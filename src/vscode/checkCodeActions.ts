import * as vscode from 'vscode';
import { DEFAULT_ACTION_REPOSITORY_URL, isCommitSha, parseActionReference, pinnedUses, resolveActionRef } from '../core/checks/actionRefPin';
import type { ActionReference } from '../core/checks/actionRefPin';
import type { CheckFinding, CheckRange } from '../core/checks/checkTypes';
import type { CheckDiagnostics } from './checkDiagnostics';
import { ruleIdOf } from './checkDiagnostics';

const UNPINNED_USES = 'actions/unpinned-uses';

class PinUsesAction extends vscode.CodeAction {
  constructor(readonly document: vscode.TextDocument, readonly range: vscode.Range, readonly action: ActionReference, diagnostic: vscode.Diagnostic) {
    super(vscode.l10n.t('Pin {0} to its commit SHA', `${action.owner}/${action.repo}${action.path}@${action.ref}`), vscode.CodeActionKind.QuickFix);
    this.diagnostics = [diagnostic];
  }
}

function toRange(range: CheckRange): vscode.Range {
  return new vscode.Range(range.line - 1, range.column - 1, range.endLine - 1, Math.max(0, range.endColumn - 1));
}

/**
 * Quick Fixes for check findings: the mechanical fix a rule offers (JSON-form CMD, `--no-install-recommends`, …),
 * pinning `uses:` to the commit a tag points at (asked of git when chosen), and an ignore comment for the line.
 */
export class CheckCodeActions implements vscode.CodeActionProvider<vscode.CodeAction> {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: CheckDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const shown = this.diagnostics.findingsFor(document.uri);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      const ruleId = ruleIdOf(diagnostic);
      if (ruleId === undefined) continue;
      const finding = shown?.findings.find((f) => f.ruleId === ruleId && toRange(f.range).isEqual(diagnostic.range));
      const current = shown !== undefined && (shown.version === undefined || shown.version === document.version);
      if (finding?.fix !== undefined && current) actions.push(this.fixAction(document, finding, diagnostic));
      if (ruleId === UNPINNED_USES) {
        const action = parseActionReference(document.getText(diagnostic.range));
        if (action !== undefined && !isCommitSha(action.ref)) actions.push(new PinUsesAction(document, diagnostic.range, action, diagnostic));
      }
      if (ruleId !== 'config/invalid') actions.push(this.ignoreAction(document, ruleId, diagnostic));
    }
    return actions;
  }

  async resolveCodeAction(action: vscode.CodeAction, token: vscode.CancellationToken): Promise<vscode.CodeAction> {
    if (!(action instanceof PinUsesAction)) return action;
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      const urlTemplate = vscode.workspace.getConfiguration('devopsAgent').get<string>('checks.actionRepositoryUrl') || DEFAULT_ACTION_REPOSITORY_URL;
      const sha = await resolveActionRef(action.action, { urlTemplate, signal: controller.signal });
      if (sha === undefined) {
        void vscode.window.showWarningMessage(vscode.l10n.t('git could not resolve {0} (from {1}); pin it by hand, or set devopsAgent.checks.actionRepositoryUrl to a mirror git can reach.', `${action.action.owner}/${action.action.repo}@${action.action.ref}`, urlTemplate));
        return action;
      }
      const pinned = pinnedUses(action.action, sha);
      const edit = new vscode.WorkspaceEdit();
      edit.replace(action.document.uri, action.range, pinned.uses);
      const line = action.document.lineAt(action.range.end.line);
      if (!line.text.slice(action.range.end.character).includes('#')) edit.insert(action.document.uri, line.range.end, ` ${pinned.comment}`);
      action.edit = edit;
      return action;
    } finally {
      cancel.dispose();
    }
  }

  private fixAction(document: vscode.TextDocument, finding: CheckFinding, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const fix = finding.fix as NonNullable<CheckFinding['fix']>;
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    action.isPreferred = true;
    const edit = new vscode.WorkspaceEdit();
    for (const e of fix.edits) edit.replace(document.uri, toRange(e.range), e.newText);
    action.edit = edit;
    return action;
  }

  private ignoreAction(document: vscode.TextDocument, ruleId: string, diagnostic: vscode.Diagnostic): vscode.CodeAction {
    const action = new vscode.CodeAction(vscode.l10n.t('Ignore {0} on this line', ruleId), vscode.CodeActionKind.QuickFix);
    action.diagnostics = [diagnostic];
    // The comment goes above the statement the finding is on: walk up over continued lines (`\` at the end).
    let line = diagnostic.range.start.line;
    while (line > 0 && /\\\s*$/.test(document.lineAt(line - 1).text)) line -= 1;
    const text = document.lineAt(line).text;
    const indent = /^\s*/.exec(text)?.[0] ?? '';
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(line, 0), `${indent}# devops-agent ignore=${ruleId}\n`);
    action.edit = edit;
    return action;
  }
}
