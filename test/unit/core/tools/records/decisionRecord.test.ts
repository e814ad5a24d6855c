import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { memoryFilePath } from '../../../../../src/core/memory/memoryStore';
import { decisionRecordTool } from '../../../../../src/core/tools/records/decisionRecord';
import { processToolContext } from '../processToolContext';

describe('core/tools/records/decisionRecord', () => {
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'decision-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('describes itself per tool.ts and validates input', () => {
    assert.equal(decisionRecordTool.name, 'decision_record');
    assert.equal(decisionRecordTool.id, 'devops_decision_record');
    assert.equal(decisionRecordTool.risk, 'write');
    assert.throws(() => decisionRecordTool.parse({ decision: 'x' }), /"rationale" is required/);
    assert.throws(() => decisionRecordTool.parse({ decision: 'x'.repeat(301), rationale: 'r' }), /under 300/);
  });

  it('previews the entry and appends it to decisions-log.md', async () => {
    const ctx = processToolContext([root]);
    const input = decisionRecordTool.parse({ decision: 'Cache node_modules in CI', rationale: 'Cuts 3 minutes per run', alternatives: ['No cache', 'Remote cache'] });
    const preview = await decisionRecordTool.preview(input, ctx);
    assert.equal(preview.title, 'Record a decision in docs/ai/agents/devops-engineer/decisions-log.md');
    assert.match(preview.detail, /## \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC — Cache node_modules in CI\n\n\*\*Rationale\*\*: Cuts 3 minutes per run\n\n\*\*Alternatives considered\*\*:\n- No cache\n- Remote cache/);
    const result = await decisionRecordTool.run(input, ctx);
    assert.equal(result.ok, true);
    assert.match(result.text, /^Recorded the decision in docs\/ai\/agents\/devops-engineer\/decisions-log\.md at line 5\.$/);
    const text = fs.readFileSync(memoryFilePath(root, 'devops-engineer', 'decisions-log'), 'utf8');
    assert.match(text.split('\n')[4] ?? '', /^## .* UTC — Cache node_modules in CI$/);
  });
});
