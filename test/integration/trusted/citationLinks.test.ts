import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevopsAgentApi } from '../../../src/extension';

const EXTENSION_ID = 'devops-agent.devops-agent';
const TRUE_LINE = 'The port: `src/server.js:3` `const port = Number(process.env.PORT || 8080);`';
const OUT_OF_RANGE_LINE = 'The health check: `src/server.js:300`';

async function eventually<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

describe('citation links and warnings in agent Markdown (real VS Code)', function () {
  this.timeout(60_000);
  let root: string;
  let agentFolder: string;
  let createdFolder = false;
  let notes: vscode.Uri;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = fs.realpathSync(folder.uri.fsPath);
    await vscode.extensions.getExtension<DevopsAgentApi>(EXTENSION_ID)!.activate();
    agentFolder = path.join(root, 'docs', 'ai', 'agents', 'devops-engineer');
    createdFolder = !fs.existsSync(agentFolder);
    fs.mkdirSync(agentFolder, { recursive: true });
    const file = path.join(agentFolder, 'notes.md');
    fs.writeFileSync(file, `# Notes\n\n${TRUE_LINE}\n\n${OUT_OF_RANGE_LINE}\n`);
    notes = vscode.Uri.file(file);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (createdFolder) fs.rmSync(path.join(root, 'docs'), { recursive: true, force: true });
    else fs.rmSync(notes.fsPath, { force: true });
  });

  it('links the true citation to src/server.js at line 3', async () => {
    const document = await vscode.workspace.openTextDocument(notes);
    await vscode.window.showTextDocument(document);
    assert.equal(document.languageId, 'markdown');
    const serverJs = path.join(root, 'src', 'server.js');
    const link = await eventually('a link for src/server.js:3', async () => {
      const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', notes);
      return links.find((l) => l.target?.scheme === 'file' && l.target.fsPath === serverJs && l.target.fragment === 'L3');
    });
    assert.equal(link.range.start.line, 2, 'the link covers the citation on line 3 of the notes');
    assert.match(document.getText(link.range), /src\/server\.js:3/);
  });

  it('warns about the out-of-range citation, and the warning goes away once the citation is removed', async () => {
    const document = await vscode.workspace.openTextDocument(notes);
    const warning = await eventually('an out-of-range warning', () => {
      const diagnostics = vscode.languages.getDiagnostics(notes).filter((d) => d.source === 'DevOps Agent citations');
      return diagnostics.length === 1 && /out of range/.test(diagnostics[0]?.message ?? '') ? diagnostics[0] : undefined;
    });
    assert.equal(warning.severity, vscode.DiagnosticSeverity.Warning);
    assert.match(warning.message, /line 300 out of range/);
    assert.equal(warning.range.start.line, 4);
    assert.match(document.getText(warning.range), /src\/server\.js:300/);

    const edit = new vscode.WorkspaceEdit();
    edit.replace(notes, document.lineAt(4).range, 'The health check: `src/server.js:6` `if (request.url === \'/healthz\') {`');
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was applied');
    assert.ok(await document.save(), 'the notes were saved');
    await eventually('the warning to go away', () => (vscode.languages.getDiagnostics(notes).filter((d) => d.source === 'DevOps Agent citations').length === 0 ? true : undefined));
    assert.match(fs.readFileSync(notes.fsPath, 'utf8'), /src\/server\.js:6/);
  });
});
