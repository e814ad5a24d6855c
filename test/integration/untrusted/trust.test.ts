import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChecksReview } from '../../../src/core/checks/reviewWithChecks';
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

  it('devops_check runs (a read tool) and cites its findings', async () => {
    const result = await vscode.lm.invokeTool('devops_check', { input: { paths: ['Dockerfile'] }, toolInvocationToken: undefined });
    assert.match(text(result), /^Dockerfile:1 `FROM node:20-alpine` — warning dockerfile\/no-user /m);
  });

  it('Review Workspace checks but writes no certificate into an untrusted folder, and says why', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!;
    const review = await vscode.commands.executeCommand<ChecksReview | undefined>('devopsAgent.reviewWorkspace', folder.uri);
    assert.ok(review, 'the review ran');
    assert.ok(review.report.files.some((f) => f.path === 'Dockerfile'));
    assert.equal(review.certificate, undefined);
    assert.match(review.notWritten ?? '', /not trusted/);
    assert.equal(fs.existsSync(path.join(folder.uri.fsPath, 'docs', 'ai', 'agents', 'devops-engineer', 'certificates')), false, 'nothing was written');
  });
});
