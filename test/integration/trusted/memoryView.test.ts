import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { MemoryNode, MemoryTreeProvider } from '../../../src/vscode/memoryView';

const EXTENSION_ID = 'devops-agent.devops-agent';

/** The part of the extension API these tests use: the harness hands out the provider registerMemoryView returns. */
interface MemoryApi {
  harness(): Promise<{ readonly memoryView?: MemoryTreeProvider }>;
}

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function labelOf(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

describe('Working Memory view (real VS Code)', () => {
  let root: string;
  let view: MemoryTreeProvider;
  let agent: string;
  let createdHere = false;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = folder.uri.fsPath;
    const extension = vscode.extensions.getExtension<MemoryApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
    const api = await extension.activate();
    const harness = await api.harness();
    assert.ok(harness.memoryView, 'the harness must expose memoryView (the provider registerMemoryView returns)');
    view = harness.memoryView;
    agent = vscode.workspace.getConfiguration('devopsAgent').get<string>('defaultAgent') ?? 'devops-engineer';
    createdHere = !fs.existsSync(path.join(root, 'docs', 'ai', 'agents', agent));
  });

  after(async () => {
    if (createdHere) fs.rmSync(path.join(root, 'docs', 'ai', 'agents', agent), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('Initialise Working Memory creates the three files and the tree lists agent → files → headings', async () => {
    await vscode.commands.executeCommand('devopsAgent.initializeMemory');
    for (const name of ['working-memory.md', 'next-actions.md', 'decisions-log.md']) {
      assert.ok(fs.existsSync(path.join(root, 'docs', 'ai', 'agents', agent, name)), `${name} was not created`);
    }
    const roots = await view.getChildren();
    const agentNode = roots.find((n) => n.kind === 'agent' && n.agent === agent);
    assert.ok(agentNode, `no agent node for ${agent} among ${roots.map((n) => n.kind).join(', ')}`);
    const files = await view.getChildren(agentNode);
    assert.deepEqual(files.map((f) => labelOf(view.getTreeItem(f))), ['working-memory.md', 'next-actions.md', 'decisions-log.md']);
    const working = files[0] as MemoryNode;
    const headings = await view.getChildren(working);
    assert.ok(headings.map((h) => labelOf(view.getTreeItem(h))).includes('Active Tasks'));
  });

  it('clicking a heading opens the file with the heading line selected', async () => {
    const roots = await view.getChildren();
    const agentNode = roots.find((n) => n.kind === 'agent' && n.agent === agent) as MemoryNode;
    const [working] = await view.getChildren(agentNode);
    const headings = await view.getChildren(working);
    const active = headings.find((h) => labelOf(view.getTreeItem(h)) === 'Active Tasks') as MemoryNode;
    const command = view.getTreeItem(active).command;
    assert.ok(command);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand(command.command, ...(command.arguments ?? []));
    const file = path.join(root, 'docs', 'ai', 'agents', agent, 'working-memory.md');
    // vscode.open resolves before the extension host hears about the new editor, so wait for it.
    const editor = await eventually('the heading to be selected in working-memory.md', () => {
      const e = vscode.window.activeTextEditor;
      return e?.document.uri.fsPath === file && e.selection.start.line > 0 ? e : undefined;
    });
    assert.equal(editor.document.lineAt(editor.selection.start.line).text, '## Active Tasks');
    assert.equal(editor.selection.start.character, 0);
    assert.equal(editor.selection.end.character, '## Active Tasks'.length);
  });

  it('Open Working Memory opens working-memory.md of the default agent', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('devopsAgent.openWorkingMemory');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(root, 'docs', 'ai', 'agents', agent, 'working-memory.md'));
  });
});
