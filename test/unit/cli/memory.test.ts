import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { appendDecision, updateMemorySection } from '../../../src/core/memory/memoryStore';
import { bufferIo } from './bufferIo';

describe('cli/memory', () => {
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-memory-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('says which memory files do not exist yet', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['memory'], io), 0);
    assert.match(io.stdout, /^Working memory of devops-engineer in docs\/ai\/agents\/devops-engineer\/\n\nworking-memory\.md: not created yet \(current pipeline status/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false, 'showing memory creates nothing');
  });

  it('prints existence, size, last modification and sections, as text and JSON', async () => {
    await updateMemorySection(root, 'devops-engineer', 'working-memory', 'Active Tasks', '- rotate keys');
    await appendDecision(root, 'devops-engineer', { decision: 'Pin actions by SHA', rationale: 'supply chain' });
    const io = bufferIo(root);
    assert.equal(await runCli(['memory', '--root', root], io), 0);
    assert.match(io.stdout, /working-memory\.md: \d+(\.\d)? (B|KB), modified \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, 3 sections\n {2,}1 {2}# Working Memory — devops-engineer\n/);
    assert.match(io.stdout, /decisions-log\.md: .*1 entry\n.*\n {6}5 {2}## \d{4}-.* UTC — Pin actions by SHA\n$/);

    const json = bufferIo(root);
    assert.equal(await runCli(['memory', '--json'], json), 0);
    const state = JSON.parse(json.stdout) as { agent: string; folder: string; files: Array<{ kind: string; file: string; exists: boolean; size: number; modified: string | null; sections: Array<{ heading: string; level: number; line: number }> }> };
    assert.equal(state.agent, 'devops-engineer');
    assert.equal(state.folder, 'docs/ai/agents/devops-engineer');
    assert.deepEqual(state.files.map((f) => [f.kind, f.file, f.exists]), [
      ['working-memory', 'docs/ai/agents/devops-engineer/working-memory.md', true],
      ['next-actions', 'docs/ai/agents/devops-engineer/next-actions.md', true],
      ['decisions-log', 'docs/ai/agents/devops-engineer/decisions-log.md', true],
    ]);
    const wm = state.files[0];
    assert.equal(wm?.size, fs.statSync(path.join(root, wm?.file ?? '')).size);
    assert.ok(!Number.isNaN(Date.parse(wm?.modified ?? '')));
    assert.deepEqual(wm?.sections.find((s) => s.heading === 'Active Tasks')?.level, 2);
  });

  it('exits 2 for a bad agent name or root', async () => {
    assert.equal(await runCli(['memory', '--agent', '../x'], bufferIo(root)), 2);
    assert.equal(await runCli(['memory', '--root', path.join(root, 'none')], bufferIo(root)), 2);
    assert.equal(await runCli(['memory', 'extra'], bufferIo(root)), 2);
  });
});
