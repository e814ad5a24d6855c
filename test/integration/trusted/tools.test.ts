import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { auditLogPath, parseAuditLine } from '../../../src/core/policy/auditLog';
import { HARNESS_TOOLS } from '../../../src/core/tools/toolRegistry';
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

  it('registers all thirteen harness tools, each tagged devops-agent', () => {
    const registered = new Map(vscode.lm.tools.map((t) => [t.name, t]));
    const missing = HARNESS_TOOLS.map((t) => t.id).filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `not in vscode.lm.tools: ${missing.join(', ')}`);
    for (const tool of HARNESS_TOOLS) {
      const info = registered.get(tool.id);
      assert.ok(info?.tags.includes('devops-agent'), `${tool.id} tags: ${info?.tags.join(', ')}`);
      assert.equal(info?.description, tool.description, `${tool.id} describes itself as the registry does`);
    }
    assert.equal(HARNESS_TOOLS.length, 13);
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
});
