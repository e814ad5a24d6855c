import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevopsAgentApi } from '../../../src/extension';

const EXTENSION_ID = 'devops-agent.devops-agent';
const REPO = process.env.DEVOPS_AGENT_REPO ?? path.resolve(__dirname, '../../../..');

async function eventually<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const ours = (uri: vscode.Uri): vscode.Diagnostic[] => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'DevOps Agent');
const codeOf = (d: vscode.Diagnostic): string => (typeof d.code === 'object' ? String(d.code.value) : String(d.code));
const describe1 = (ds: readonly vscode.Diagnostic[]): string => ds.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${codeOf(d)}`).join(', ');

describe('DevOps checks in the editor (real VS Code)', function () {
  this.timeout(90_000);
  let root: string;
  let demo: string;
  let checks: Awaited<ReturnType<DevopsAgentApi['checks']>>;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = fs.realpathSync(folder.uri.fsPath);
    checks = await (await vscode.extensions.getExtension<DevopsAgentApi>(EXTENSION_ID)!.activate()).checks();
    // The demo's planted files, in a folder of the workspace.
    demo = path.join(root, 'demo-checks');
    fs.mkdirSync(path.join(demo, '.github', 'workflows'), { recursive: true });
    fs.copyFileSync(path.join(REPO, 'demo', 'files', 'Dockerfile'), path.join(demo, 'Dockerfile'));
    fs.copyFileSync(path.join(REPO, 'demo', 'files', '.github', 'workflows', 'ci.yml'), path.join(demo, '.github', 'workflows', 'ci.yml'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(demo, { recursive: true, force: true });
    await checks.runWorkspace();
  });

  it('the workspace run puts the demo Dockerfile problems in the Problems panel, with rule id, help link and source', async () => {
    await vscode.commands.executeCommand('devopsAgent.runChecks');
    const uri = vscode.Uri.file(path.join(demo, 'Dockerfile'));
    const diagnostics = await eventually('diagnostics for the demo Dockerfile', () => {
      const found = ours(uri);
      return found.some((d) => codeOf(d) === 'dockerfile/latest-tag') ? found : undefined;
    });
    const latest = diagnostics.find((d) => codeOf(d) === 'dockerfile/latest-tag') as vscode.Diagnostic;
    assert.deepEqual([latest.range.start.line, latest.range.start.character, latest.range.end.character], [0, 10, 16]);
    assert.equal(latest.severity, vscode.DiagnosticSeverity.Warning);
    assert.ok(typeof latest.code === 'object' && latest.code.target.toString().includes('checks.md#dockerfile-latest-tag'));
    assert.ok(diagnostics.some((d) => codeOf(d) === 'dockerfile/no-user' && d.range.start.line === 0), describe1(diagnostics));
  });

  it('the demo workflow gets its diagnostics', async () => {
    const uri = vscode.Uri.file(path.join(demo, '.github', 'workflows', 'ci.yml'));
    const diagnostics = await eventually('diagnostics for the demo workflow', () => {
      const found = ours(uri);
      return found.some((d) => codeOf(d) === 'actions/unpinned-uses') ? found : undefined;
    });
    assert.ok(diagnostics.some((d) => codeOf(d) === 'actions/unpinned-uses' && d.range.start.line === 11), describe1(diagnostics));
  });

  it('checks an open file as it is typed, and a Quick Fix rewrites CMD in JSON form', async () => {
    const file = path.join(demo, 'Dockerfile.typed');
    fs.writeFileSync(file, 'FROM alpine:3.20\nUSER app\n');
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document);
    await eventually('a clean first check', () => (checks.findingsFor(document.uri) !== undefined ? true : undefined));
    assert.deepEqual(describe1(ours(document.uri)), '');
    await editor.edit((edit) => edit.insert(new vscode.Position(2, 0), 'CMD node server.js\n'));
    const diagnostic = await eventually('the json-cmd diagnostic while typing', () => ours(document.uri).find((d) => codeOf(d) === 'dockerfile/json-cmd'));
    assert.equal(diagnostic.range.start.line, 2);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value);
    const fix = actions.find((a) => a.title === 'Write CMD in JSON form');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
    assert.ok(actions.some((a) => a.title === 'Ignore dockerfile/json-cmd on this line'));
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(2).text, 'CMD ["node", "server.js"]');
    await eventually('the diagnostic to go after the fix', () => (ours(document.uri).some((d) => codeOf(d) === 'dockerfile/json-cmd') ? undefined : true));
    await document.save();
  });

  it('pins uses: to the commit a tag points at, asked of git (a local mirror of the action)', async () => {
    const mirrors = fs.mkdtempSync(path.join(os.tmpdir(), 'action-mirrors-'));
    const action = path.join(mirrors, 'actions', 'checkout');
    fs.mkdirSync(action, { recursive: true });
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: action, encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    fs.writeFileSync(path.join(action, 'action.yml'), 'name: checkout\nruns:\n  using: node20\n  main: index.js\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'v1');
    git('tag', '-a', 'main-tag', '-m', 'annotated');
    const sha = git('rev-parse', 'HEAD');
    const settings = vscode.workspace.getConfiguration('devopsAgent');
    await settings.update('checks.actionRepositoryUrl', `file://${mirrors}/{owner}/{repo}`, vscode.ConfigurationTarget.Global);
    try {
      const uri = vscode.Uri.file(path.join(demo, '.github', 'workflows', 'ci.yml'));
      const document = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(document);
      const diagnostic = await eventually('unpinned-uses on actions/checkout@main', () => ours(uri).find((d) => codeOf(d) === 'actions/unpinned-uses' && document.getText(d.range).includes('actions/checkout@main')));
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, diagnostic.range, vscode.CodeActionKind.QuickFix.value, 5);
      const pin = actions.find((a) => a.title.startsWith('Pin actions/checkout@main'));
      assert.ok(pin?.edit, `actions: ${actions.map((a) => a.title).join(' | ')}`);
      assert.ok(await vscode.workspace.applyEdit(pin.edit));
      assert.equal(document.lineAt(diagnostic.range.start.line).text.trim(), `- uses: actions/checkout@${sha} # main`);
    } finally {
      await settings.update('checks.actionRepositoryUrl', undefined, vscode.ConfigurationTarget.Global);
      fs.rmSync(mirrors, { recursive: true, force: true });
    }
  });
});
