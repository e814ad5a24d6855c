import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { appendDecision, initMemory, memoryFilePath, updateMemorySection } from '../../../../../src/core/memory/memoryStore';
import { memoryReadTool } from '../../../../../src/core/tools/records/memoryRead';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

describe('core/tools/records/memoryRead', () => {
  let root: string;
  let second: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'memread-')));
    second = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'memread-api-')));
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(second, { recursive: true, force: true });
  });

  it('describes itself per tool.ts', () => {
    assert.equal(memoryReadTool.name, 'memory_read');
    assert.equal(memoryReadTool.id, 'devops_memory_read');
    assert.equal(memoryReadTool.risk, 'read');
    assert.equal(memoryReadTool.riskOf(memoryReadTool.parse({})), 'read');
    assert.deepEqual(memoryReadTool.pathsOf(memoryReadTool.parse({})), ['docs/ai/agents']);
    assert.throws(() => memoryReadTool.parse({ file: 'secrets' }), ToolInputError);
  });

  it('reads all memory, most important first, and records fully shown files as read', async () => {
    await updateMemorySection(root, 'devops-engineer', 'working-memory', 'Pipeline Status', '- main green');
    await appendDecision(root, 'devops-engineer', { decision: 'Use buildx', rationale: 'multi-arch' });
    const ctx = processToolContext([root]);
    const result = await memoryReadTool.run(memoryReadTool.parse({}), ctx);
    assert.equal(result.ok, true);
    assert.match(result.text, /^Working memory of devops-engineer/);
    assert.ok(result.text.indexOf('- main green') < result.text.indexOf('Use buildx'));
    assert.ok(ctx.readSet.has(memoryFilePath(root, 'devops-engineer', 'working-memory')));
    assert.ok(ctx.readSet.has(memoryFilePath(root, 'devops-engineer', 'decisions-log')));
  });

  it('reads one file whole, says when it does not exist, and cuts within the result limit', async () => {
    const ctx = processToolContext([root], { limits: { maxResultChars: 600 } });
    const missing = await memoryReadTool.run(memoryReadTool.parse({ file: 'next-actions' }), ctx);
    assert.equal(missing.text, 'docs/ai/agents/devops-engineer/next-actions.md does not exist yet; memory_update (or decision_record for the log) creates it.');
    await initMemory(root, 'devops-engineer');
    const whole = await memoryReadTool.run(memoryReadTool.parse({ file: 'next-actions' }), ctx);
    assert.match(whole.text, /^--- docs\/ai\/agents\/devops-engineer\/next-actions\.md \(\d+ lines\)\n# Next Actions/);
    for (let i = 0; i < 20; i += 1) await appendDecision(root, 'devops-engineer', { decision: `decision ${i}`, rationale: 'x'.repeat(50) });
    const log = await memoryReadTool.run(memoryReadTool.parse({ file: 'decisions-log' }), ctx);
    assert.ok(log.text.length <= 600, String(log.text.length));
    assert.match(log.text, /older part cut/);
    assert.ok(log.text.includes('decision 19'), 'the newest entry is shown');
    const all = await memoryReadTool.run(memoryReadTool.parse({}), ctx);
    assert.ok(all.text.length <= 600);
    assert.equal(ctx.readSet.has(memoryFilePath(root, 'devops-engineer', 'decisions-log')), false, 'a cut file is not recorded as read');
  });

  it('uses the workspace folder named by "folder", and refuses unknown folders', async () => {
    await updateMemorySection(second, 'devops-engineer', 'working-memory', 'Pipeline Status', '- api folder memory');
    const ctx = processToolContext([root, second]);
    const result = await memoryReadTool.run(memoryReadTool.parse({ folder: path.basename(second) }), ctx);
    assert.ok(result.text.includes('- api folder memory'));
    const bad = await memoryReadTool.run(memoryReadTool.parse({ folder: 'nope' }), ctx);
    assert.equal(bad.ok, false);
    assert.match(bad.text, /"nope" is not a workspace folder; use one of: memread-/);
  });
});
