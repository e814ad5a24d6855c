import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatMemoryForPrompt } from '../../../../src/core/memory/formatMemoryForPrompt';
import { appendDecision, initMemory, readMemory, updateMemorySection } from '../../../../src/core/memory/memoryStore';

const AGENT = 'devops-engineer';

describe('core/memory/formatMemoryForPrompt', () => {
  let root: string;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-prompt-'));
    await initMemory(root, AGENT);
    await updateMemorySection(root, AGENT, 'working-memory', 'Pipeline Status', '- main: build #812 green');
    await updateMemorySection(root, AGENT, 'working-memory', 'Active Tasks', `- migrate runners\n${'- detail line\n'.repeat(40)}`);
    await updateMemorySection(root, AGENT, 'next-actions', 'Operational Priorities', '- alerting for disk usage');
    for (let i = 1; i <= 30; i += 1) {
      await appendDecision(root, AGENT, { decision: `decision number ${i}`, rationale: `reason ${i} `.repeat(10) }, new Date(Date.UTC(2025, 0, 1, 0, 0, i)));
    }
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('includes everything, working memory first and decisions newest first, when it fits', async () => {
    const text = formatMemoryForPrompt(await readMemory(root, AGENT), 1_000_000);
    assert.ok(text.startsWith(`Working memory of ${AGENT} (docs/ai/agents/${AGENT}/):`));
    const wm = text.indexOf('--- docs/ai/agents/devops-engineer/working-memory.md');
    const na = text.indexOf('--- docs/ai/agents/devops-engineer/next-actions.md');
    const dl = text.indexOf('--- docs/ai/agents/devops-engineer/decisions-log.md (newest first)');
    assert.ok(wm >= 0 && wm < na && na < dl);
    assert.ok(text.indexOf('decision number 30') < text.indexOf('decision number 29'));
    assert.ok(text.includes('decision number 1\n'));
    assert.ok(!text.includes('memory cut'));
  });

  it('stays within the budget, keeps the most important parts and names what was cut', async () => {
    const snapshot = await readMemory(root, AGENT);
    for (const budget of [3_000, 1_500, 600, 200, 40]) {
      const text = formatMemoryForPrompt(snapshot, budget);
      assert.ok(text.length <= budget, `${text.length} > ${budget}`);
    }
    const text = formatMemoryForPrompt(snapshot, 3_000);
    assert.ok(text.includes('- main: build #812 green'));
    assert.ok(text.includes('- alerting for disk usage'));
    assert.ok(text.includes('decision number 30'), 'the newest decision is kept');
    assert.ok(!text.includes('decision number 1\n'), 'the oldest decision is cut');
    assert.match(text, /\[memory cut to fit 3000 characters; not shown: decisions-log\.md entry "2025-01-01 00:00:\d\d UTC — decision number \d+" \(line \d+\);.* and \d+ more\. Read them with memory_read\.\]$/);
  });

  it('says which files do not exist yet', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-empty-'));
    try {
      const text = formatMemoryForPrompt(await readMemory(empty, AGENT), 10_000);
      assert.equal(text, `Working memory of ${AGENT} (docs/ai/agents/${AGENT}/):\n(not created yet: working-memory.md, next-actions.md, decisions-log.md)`);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
