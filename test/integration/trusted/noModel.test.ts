import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { memoryFilePath } from '../../../src/core/memory/memoryStore';
import { CHECKS_ONLY_MODEL_ID, CHECKS_ONLY_MODEL_NAME } from '../../../src/core/models/checksOnlyModel';
import type { TurnMetadata } from '../../../src/core/runtime/turnMetadata';
import type { DevopsAgentApi } from '../../../src/extension';
import { nextTurn, waitForModel } from './chatTurns';

async function ask(api: DevopsAgentApi, query: string): Promise<TurnMetadata> {
  const turn = nextTurn(api, 90_000);
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: CHECKS_ONLY_MODEL_ID } });
  return turn;
}

describe('@devops with no model configured (real VS Code)', function () {
  this.timeout(120_000);
  let api: DevopsAgentApi;
  let root: string;
  let previous: unknown;

  before(async () => {
    const config = vscode.workspace.getConfiguration('devopsAgent');
    previous = config.inspect('openai.baseUrl')?.globalValue;
    await config.update('openai.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    api = await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0]!.uri.fsPath);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('devopsAgent').update('openai.baseUrl', previous, vscode.ConfigurationTarget.Global);
  });

  it('offers the "No language model — checks only" entry, which answers other callers in plain text', async () => {
    const model = await waitForModel(CHECKS_ONLY_MODEL_ID);
    assert.equal(model.name, CHECKS_ONLY_MODEL_NAME);
    const ours = await vscode.lm.selectChatModels({ vendor: 'devops-agent' });
    assert.deepEqual(ours.map((m) => m.id), [CHECKS_ONLY_MODEL_ID], 'without an endpoint it is the provider\'s only entry');
    // as Copilot agent mode or another extension would call it
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Write me a Dockerfile for a Node service.')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const chunk of response.text) text += chunk;
    assert.match(text, /is not a language model, so it cannot answer this request/);
    assert.match(text, /Configure Model Provider/);
    assert.doesNotMatch(text, /FROM node/, 'it never invents an answer');
  });

  it('/memory SECTION: text updates working memory, and /memory shows it', async () => {
    const updated = await ask(api, '@devops /memory Active Tasks: pin the base image of the Dockerfile');
    assert.equal(updated.error, undefined, `the turn failed: ${updated.error}`);
    assert.equal(updated.command, 'memory');
    const file = memoryFilePath(root, 'devops-engineer', 'working-memory');
    assert.match(fs.readFileSync(file, 'utf8'), /## Active Tasks\n[\s\S]*- pin the base image of the Dockerfile\n/);

    const shown = await ask(api, '@devops /memory');
    assert.match(shown.rounds[0]?.text ?? '', /\*\*Active Tasks\*\*: .*pin the base image of the Dockerfile/);
    assert.ok((shown.citations?.total ?? 0) >= 3, 'the sections are linked');
    assert.equal(shown.citations?.problems, 0, 'every link to a memory section verifies');
  });

  it('says what needs a model in one line instead of failing', async () => {
    const meta = await ask(api, '@devops /incident the api container keeps restarting');
    assert.equal(meta.error, undefined);
    assert.match(meta.rounds[0]?.text ?? '', /`\/incident` needs reasoning, which needs a language model\./);
    assert.equal(meta.certificate?.written, false);
  });

  it('opens the model setup guide at the README section on models', async () => {
    await vscode.commands.executeCommand('devopsAgent.openModelSetupGuide');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(path.basename(editor.document.uri.fsPath), 'README.md');
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, '## Configure a model');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
