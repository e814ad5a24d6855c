import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initMemory, memoryFilePath } from '../../../../../src/core/memory/memoryStore';
import { memoryUpdateTool } from '../../../../../src/core/tools/records/memoryUpdate';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

describe('core/tools/records/memoryUpdate', () => {
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'memupdate-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('describes itself per tool.ts and validates input', () => {
    assert.equal(memoryUpdateTool.name, 'memory_update');
    assert.equal(memoryUpdateTool.id, 'devops_memory_update');
    assert.equal(memoryUpdateTool.risk, 'write');
    assert.equal(memoryUpdateTool.writesOnlyAgentRecords, true);
    const input = memoryUpdateTool.parse({ file: 'working-memory', section: 'Active Tasks', content: '- x' });
    assert.equal(memoryUpdateTool.subjectOf(input), 'working-memory.md#Active Tasks');
    assert.throws(() => memoryUpdateTool.parse({ file: 'decisions-log', section: 'A', content: 'x' }), /"file" must be one of: working-memory, next-actions/);
    assert.throws(() => memoryUpdateTool.parse({ file: 'working-memory', section: 'A' }), /"content" is required/);
    assert.throws(() => memoryUpdateTool.parse({ file: 'working-memory', section: 'A', content: '## B\nx' }), ToolInputError);
  });

  it('previews the section as it is and as it will be, then writes it', async () => {
    await initMemory(root, 'devops-engineer');
    const ctx = processToolContext([root]);
    const input = memoryUpdateTool.parse({ file: 'working-memory', section: 'Deployments', content: '- prod: v2.3.1 (2025-05-01)' });
    const preview = await memoryUpdateTool.preview(input, ctx);
    assert.equal(preview.title, 'Update docs/ai/agents/devops-engineer/working-memory.md § Deployments');
    assert.match(preview.detail, /Replaces the section at line \d+/);
    assert.match(preview.detail, /Now:\n\n```markdown\n_Nothing recorded yet\._\n```/);
    assert.match(preview.detail, /New:\n\n```markdown\n- prod: v2\.3\.1 \(2025-05-01\)\n```/);
    const result = await memoryUpdateTool.run(input, ctx);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /^Updated section "## Deployments" of docs\/ai\/agents\/devops-engineer\/working-memory\.md/);
    assert.match(fs.readFileSync(memoryFilePath(root, 'devops-engineer', 'working-memory'), 'utf8'), /## Deployments\n\n- prod: v2\.3\.1 \(2025-05-01\)\n\n## Active Tasks/);
  });

  it('creates the memory files on first use and reports a failure without writing', async () => {
    const ctx = processToolContext([root]);
    const added = await memoryUpdateTool.run(memoryUpdateTool.parse({ file: 'next-actions', section: 'Blocked', content: '- DNS' }), ctx);
    assert.match(added.text, /^Added section "## Blocked" to docs\/ai\/agents\/devops-engineer\/next-actions\.md at line \d+\.$/);
    const file = memoryFilePath(root, 'devops-engineer', 'next-actions');
    fs.appendFileSync(file, '\n## Blocked\n\nduplicate\n');
    const before = fs.readFileSync(file, 'utf8');
    const failed = await memoryUpdateTool.run(memoryUpdateTool.parse({ file: 'next-actions', section: 'Blocked', content: '- y' }), ctx);
    assert.equal(failed.ok, false);
    assert.match(failed.text, /^memory_update failed, nothing was written: There are 2 sections named "## Blocked"/);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
  });
});
