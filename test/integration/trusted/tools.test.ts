import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { auditLogPath, parseAuditLine } from '../../../src/core/policy/auditLog';
import { parsedCallKey } from '../../../src/core/runtime/toolExecutor';
import { findTool, HARNESS_TOOLS } from '../../../src/core/tools/toolRegistry';
import type { DevopsAgentApi } from '../../../src/extension';

const EXTENSION_ID = 'devops-agent.devops-agent';

function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('harness tools as VS Code language-model tools (real VS Code)', function () {
  this.timeout(60_000);
  let root: string;
  let startedAt: string;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = fs.realpathSync(folder.uri.fsPath);
    await vscode.extensions.getExtension<DevopsAgentApi>(EXTENSION_ID)!.activate();
    startedAt = new Date().toISOString();
  });

  it('registers all fourteen harness tools, each tagged devops-agent', () => {
    const registered = new Map(vscode.lm.tools.map((t) => [t.name, t]));
    const missing = HARNESS_TOOLS.map((t) => t.id).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `not in vscode.lm.tools: ${missing.join(', ')}`);
    for (const tool of HARNESS_TOOLS) {
      const info = registered.get(tool.id);
      assert.ok(info?.tags.includes('devops-agent'), `${tool.id} tags: ${info?.tags.join(', ')}`);
      assert.equal(info?.description, tool.description, `${tool.id} describes itself as the registry does`);
    }
    assert.equal(HARNESS_TOOLS.length, 14);
  });

  it('runs Grep through vscode.lm.invokeTool and finds the server in the real workspace', async () => {
    const result = await vscode.lm.invokeTool('devops_grep', { input: { pattern: 'createServer' }, toolInvocationToken: undefined });
    const text = textOf(result);
    assert.match(text, /src\/server\.js/, text);
    assert.match(text, /http\.createServer\(handle\)/, text);
  });

  it('refuses a Read outside the workspace: the invokeTool promise rejects with the refusal', async () => {
    await assert.rejects(
      Promise.resolve(vscode.lm.invokeTool('devops_read', { input: { path: '../outside' }, toolInvocationToken: undefined })),
      (error: unknown) => {
        assert.ok(error instanceof Error);
        assert.match(error.message, /refused: '\.\.\/outside' leaves the workspace folder/);
        return true;
      },
    );
  });

  it('audited both calls in the default agent\'s log', () => {
    const agent = vscode.workspace.getConfiguration('devopsAgent').get<string>('defaultAgent') ?? 'devops-engineer';
    const file = auditLogPath(root, agent);
    assert.ok(fs.existsSync(file), `no audit log at ${path.relative(root, file)}`);
    const entries = fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => parseAuditLine(line))
      .filter((e): e is AuditEntry => typeof e !== 'string' && e.time >= startedAt);
    const grep = entries.find((e) => e.tool === 'Grep' && e.input.includes('createServer'));
    assert.ok(grep, `no Grep entry among ${JSON.stringify(entries)}`);
    assert.deepEqual([grep.agent, grep.decision, grep.outcome], [agent, 'allow', 'ok']);
    const read = entries.find((e) => e.tool === 'Read' && e.input.includes('../outside'));
    assert.ok(read, `no Read entry among ${JSON.stringify(entries)}`);
    assert.deepEqual([read.decision, read.outcome], ['deny', 'refused']);
  });

  describe('"Allow this exact call once" with tool auto-approval off', () => {
    // Marker words are assembled so this test file carries no placeholder marker of its own.
    const placeholder = `module.exports = () => { throw new Error('${['Not', 'implemented'].join(' ')}'); };\n`;
    const input = { path: 'src/allowedOnce.js', content: placeholder };
    // The auto-approval setting's name differs between VS Code versions: switch off the ones this one registers.
    const approvalSettings = ['chat.tools.autoApprove', 'chat.tools.global.autoApprove'].filter((key) => vscode.workspace.getConfiguration().inspect(key)?.defaultValue !== undefined);
    const previous = new Map<string, unknown>();

    before(async () => {
      assert.ok(approvalSettings.length > 0, 'this VS Code registers no chat tool auto-approval setting');
      // VS Code runs prepareInvocation before every invoke; with auto-approval off nothing skips a step of it.
      for (const key of approvalSettings) {
        previous.set(key, vscode.workspace.getConfiguration().inspect(key)?.globalValue);
        await vscode.workspace.getConfiguration().update(key, false, vscode.ConfigurationTarget.Global);
      }
      // An allow rule for Write means no confirmation dialog, which no one could click in a headless test.
      // User settings: the workspace's .vscode folder is created and deleted by other tests behind VS Code's back.
      await vscode.workspace.getConfiguration('devopsAgent').update('permissions.allow', ['Write(src/allowedOnce.js)'], vscode.ConfigurationTarget.Global);
    });

    after(async () => {
      await vscode.workspace.getConfiguration('devopsAgent').update('permissions.allow', undefined, vscode.ConfigurationTarget.Global);
      for (const key of approvalSettings) await vscode.workspace.getConfiguration().update(key, previous.get(key), vscode.ConfigurationTarget.Global);
      fs.rmSync(path.join(root, 'src', 'allowedOnce.js'), { force: true });
    });

    const write = (): Thenable<vscode.LanguageModelToolResult> => vscode.lm.invokeTool('devops_write', { input, toolInvocationToken: undefined });

    it('refuses placeholder code, runs the call once after the user allows it, then refuses again', async () => {
      for (const key of approvalSettings) assert.equal(vscode.workspace.getConfiguration().get(key), false, key);
      await assert.rejects(Promise.resolve(write()), /Refused by the no-mock rule: src\/allowedOnce\.js/);
      const key = parsedCallKey(findTool('Write')!, input);
      assert.ok(key);
      await vscode.commands.executeCommand('devopsAgent.allowGuardedCall', key);
      // prepareInvocation must not use the grant up: invoke is where it is spent
      const result = await write();
      assert.match(textOf(result), /src\/allowedOnce\.js/);
      assert.equal(fs.readFileSync(path.join(root, 'src', 'allowedOnce.js'), 'utf8'), placeholder);
      // The same call again (on a fresh file, so the placeholder is new again) meets the guard again.
      fs.rmSync(path.join(root, 'src', 'allowedOnce.js'));
      await assert.rejects(Promise.resolve(write()), /Refused by the no-mock rule/, 'the grant was for one call');
    });
  });
});
