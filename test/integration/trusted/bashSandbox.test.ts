import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { auditLogPath, parseAuditLine } from '../../../src/core/policy/auditLog';
import type { DevopsAgentApi } from '../../../src/extension';
import { scratchDirOutsideTmp } from '../../harness/scratchOutsideTmp';

const EXTENSION_ID = 'devops-agent.devops-agent';

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

/** Runs Bash through vscode.lm.invokeTool (confirmations are auto-approved here); a failed command rejects. */
async function bash(command: string): Promise<{ ok: boolean; text: string }> {
  try {
    const result = await vscode.lm.invokeTool('devops_bash', { input: { command }, toolInvocationToken: undefined });
    return { ok: true, text: textOf(result) };
  } catch (error) {
    return { ok: false, text: error instanceof Error ? error.message : String(error) };
  }
}

describe('Bash in the OS sandbox (real VS Code)', function () {
  this.timeout(60_000);
  let root: string;
  let outsideFile: string;
  let startedAt: string;

  before(async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = fs.realpathSync(folder.uri.fsPath);
    // outside the workspace and outside /tmp (the sandbox's /tmp is private): the run's results folder in the repository
    const results = process.env.DEVOPS_AGENT_TEST_RESULTS;
    assert.ok(results, 'DEVOPS_AGENT_TEST_RESULTS is set by the integration runner');
    outsideFile = path.join(scratchDirOutsideTmp(results), 'escaped-from-the-sandbox.txt');
    fs.rmSync(outsideFile, { force: true });
    await vscode.extensions.getExtension<DevopsAgentApi>(EXTENSION_ID)!.activate();
    startedAt = new Date().toISOString();
    fs.writeFileSync(path.join(root, '.env'), 'DB_PASSWORD=integration-secret-81\n');
  });
  after(async () => {
    await vscode.workspace.getConfiguration('devopsAgent').update('sandbox.enabled', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(path.join(root, '.env'), { force: true });
    fs.rmSync(path.join(root, '.vscode'), { recursive: true, force: true });
    fs.rmSync(outsideFile, { force: true });
  });

  it('keeps work in the workspace, blocks writes outside it and reads of .env, and says so', async () => {
    const result = await bash(`echo built > build-output.txt; cat .env; touch ${outsideFile}`);
    assert.equal(result.ok, false, result.text);
    assert.match(result.text, /blocked by the sandbox: write outside the workspace/);
    assert.match(result.text, /blocked by the sandbox: read of a secret location \(\.env /);
    assert.doesNotMatch(result.text, /integration-secret-81/);
    assert.equal(fs.existsSync(outsideFile), false);
    assert.equal(fs.readFileSync(path.join(root, 'build-output.txt'), 'utf8'), 'built\n');
    fs.rmSync(path.join(root, 'build-output.txt'));
  });

  it('cannot be turned off by a settings file the command writes into the workspace', async () => {
    const written = await bash('mkdir -p .vscode && printf \'{"devopsAgent.sandbox.enabled": false}\' > .vscode/settings.json && echo written');
    assert.equal(written.ok, true, written.text);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const escape = await bash(`touch ${outsideFile}`);
    assert.equal(escape.ok, false, escape.text);
    assert.match(escape.text, /blocked by the sandbox: write outside the workspace/);
    assert.equal(fs.existsSync(outsideFile), false);
  });

  it('runs unsandboxed only with the user setting, and the audit log records it', async () => {
    await vscode.workspace.getConfiguration('devopsAgent').update('sandbox.enabled', false, vscode.ConfigurationTarget.Global);
    const result = await bash(`touch ${outsideFile} && echo done`);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /Ran WITHOUT the sandbox \(devopsAgent\.sandbox\.enabled is false\)/);
    assert.equal(fs.existsSync(outsideFile), true);
    await vscode.workspace.getConfiguration('devopsAgent').update('sandbox.enabled', undefined, vscode.ConfigurationTarget.Global);
    const agent = vscode.workspace.getConfiguration('devopsAgent').get<string>('defaultAgent') ?? 'devops-engineer';
    const entries = fs.readFileSync(auditLogPath(root, agent), 'utf8').trim().split('\n').map((line) => parseAuditLine(line))
      .filter((e): e is AuditEntry => typeof e !== 'string' && e.time >= startedAt && e.tool === 'Bash');
    assert.deepEqual(entries.map((e) => e.sandbox), ['on', 'on', 'on', 'off']);
  });
});
