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
    const document = await vscode.workspace.openTextDocument(await bundledReadme(context.extensionUri));
    const heading = findMarkdownHeadings(splitLines(document.getText())).find((h) => h.heading === MODEL_SETUP_README_HEADING);
    const line = Math.max(0, (heading?.line ?? 1) - 1);
    const editor = await vscode.window.showTextDocument(document, { preview: true, selection: new vscode.Range(line, 0, line, 0) });
    editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.AtTop);
  })));
}

/** The extension's README: `vsce package` stores it as `readme.md`, a clone of the repository has `README.md`. */
async function bundledReadme(extensionUri: vscode.Uri): Promise<vscode.Uri> {
  const entries = await vscode.workspace.fs.readDirectory(extensionUri);
  const name = entries.find(([entry, type]) => type === vscode.FileType.File && entry.toLowerCase() === 'readme.md')?.[0];
  if (name === undefined) throw new Error(vscode.l10n.t('The extension has no README in {0}.', extensionUri.fsPath));
  return vscode.Uri.joinPath(extensionUri, name);
}
