import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { DevopsAgentApi } from '../../../src/extension';

function text(result: vscode.LanguageModelToolResult): string {
  return result.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

describe('untrusted workspace (real VS Code, restricted mode)', () => {
  before(async () => {
    await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
  });

  it('runs in restricted mode', () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this suite must run in an untrusted workspace');
  });

  it('Read works', async () => {
    const result = await vscode.lm.invokeTool('devops_read', { input: { path: 'src/server.js' }, toolInvocationToken: undefined });
    assert.match(text(result), /http\.createServer/);
  });

  it('Bash refuses and points at Manage Workspace Trust', async () => {
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('devops_bash', { input: { command: 'touch should-not-exist' }, toolInvocationToken: undefined })),
      (error: Error) => /Workspace Trust/i.test(error.message),
    );
    const files = await vscode.workspace.findFiles('should-not-exist');
    assert.equal(files.length, 0, 'the command must not have run');
  });

  it('Write refuses too', async () => {
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('devops_write', { input: { path: 'new-file.txt', content: 'x\n' }, toolInvocationToken: undefined })),
      (error: Error) => /Workspace Trust/i.test(error.message),
    );
  });
});
