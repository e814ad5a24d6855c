import * as vscode from 'vscode';
import { findMarkdownHeadings, splitLines } from '../core/markdown/markdownHeadings';
import { MODEL_SETUP_README_HEADING } from '../core/models/checksOnlyModel';
import { guarded } from './commandErrors';
import type { ContributionRegistrar } from './deferredContributions';

const OPEN_MODEL_SETUP_COMMAND = 'devopsAgent.openModelSetupGuide';

/** One line saying what needs a model, and the three ways to get one. */
export function renderNeedsModel(stream: vscode.ChatResponseStream, text: string): void {
  stream.markdown(`\n\n> ${text}\n\n`);
  stream.button({ command: 'devopsAgent.configureModelProvider', title: vscode.l10n.t('Configure Model Provider') });
  stream.button({ command: 'devopsAgent.setApiKey', title: vscode.l10n.t('Set API Key') });
  stream.button({ command: OPEN_MODEL_SETUP_COMMAND, title: vscode.l10n.t('Ollama, LM Studio, Copilot: how to connect a model') });
}

/** Opens the README bundled with the extension at its section on models (Ollama, LM Studio, Copilot). */
export function registerModelSetupGuide(context: vscode.ExtensionContext, registrar: ContributionRegistrar): void {
  context.subscriptions.push(registrar.registerCommand(OPEN_MODEL_SETUP_COMMAND, guarded(async () => {
    const readme = vscode.Uri.joinPath(context.extensionUri, 'README.md');
    const document = await vscode.workspace.openTextDocument(readme);
    const heading = findMarkdownHeadings(splitLines(document.getText())).find((h) => h.heading === MODEL_SETUP_README_HEADING);
    const line = Math.max(0, (heading?.line ?? 1) - 1);
    const editor = await vscode.window.showTextDocument(document, { preview: true, selection: new vscode.Range(line, 0, line, 0) });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
  })));
}
