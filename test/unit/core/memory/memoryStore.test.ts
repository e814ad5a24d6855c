import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentNameError } from '../../../../src/core/memory/agentFolder';
import {
  MemoryUpdateError,
  appendDecision,
  initMemory,
  memoryFilePath,
  planSectionUpdate,
  readMemory,
  updateMemorySection,
} from '../../../../src/core/memory/memoryStore';

const AGENT = 'devops-engineer';
const STORE_MODULE = path.resolve(__dirname, '../../../../src/core/memory/memoryStore.js');

function runNode(script: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

function decisionHeadings(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('## '));
}

describe('core/memory/memoryStore', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates the three files from templates once and never overwrites them', async () => {
    const created = await initMemory(root, AGENT);
    assert.deepEqual(created.map((f) => path.basename(f)).sort(), ['decisions-log.md', 'next-actions.md', 'working-memory.md']);
    const wm = memoryFilePath(root, AGENT, 'working-memory');
    assert.equal(wm, path.join(root, 'docs', 'ai', 'agents', AGENT, 'working-memory.md'));
    fs.writeFileSync(wm, '# mine\n');
    assert.deepEqual(await initMemory(root, AGENT), []);
    assert.equal(fs.readFileSync(wm, 'utf8'), '# mine\n');
  });

  it('reads a snapshot with sections and reports missing files without creating them', async () => {
    const empty = await readMemory(root, AGENT);
    assert.deepEqual(empty.files.map((f) => [f.kind, f.exists]), [['working-memory', false], ['next-actions', false], ['decisions-log', false]]);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
    await initMemory(root, AGENT);
    const snapshot = await readMemory(root, AGENT);
    const wm = snapshot.files[0];
    assert.ok(wm?.exists);
    assert.deepEqual(wm.sections.map((s) => [s.heading, s.level]), [
      [`Working Memory — ${AGENT}`, 1], ['Pipeline Status', 2], ['Deployments', 2], ['Active Tasks', 2],
    ]);
    assert.equal(wm.text.split('\n')[(wm.sections[3]?.line ?? 0) - 1], '## Active Tasks');
    assert.equal(wm.size, Buffer.byteLength(wm.text));
    assert.ok((wm.modifiedMs ?? 0) > 0);
  });

  it('refuses agent names that would leave docs/ai/agents', async () => {
    await assert.rejects(readMemory(root, '../etc'), AgentNameError);
    await assert.rejects(initMemory(root, 'a/b'), AgentNameError);
  });

  it('replaces one section and leaves every other byte, including the user\'s edits, untouched', async () => {
    await initMemory(root, AGENT);
    const file = memoryFilePath(root, AGENT, 'working-memory');
    const before = fs.readFileSync(file, 'utf8')
      .replace('## Deployments\n\n_Nothing recorded yet._', '## Deployments\n\n- prod v1.4 (user note)   \n\n```sh\n## not a heading\n```')
      .concat('\n## My Own Notes\n\nKeep this exactly. Trailing spaces   \n');
    fs.writeFileSync(file, before);
    const result = await updateMemorySection(root, AGENT, 'working-memory', 'Pipeline Status', '- build #812 green\n- deploy pending');
    const after = fs.readFileSync(file, 'utf8');
    const start = before.indexOf('## Pipeline Status\n') + '## Pipeline Status\n'.length;
    const end = before.indexOf('## Deployments');
    assert.equal(after.slice(0, start), before.slice(0, start));
    assert.equal(after.slice(after.indexOf('## Deployments')), before.slice(end));
    assert.equal(after.slice(start, after.indexOf('## Deployments')), '\n- build #812 green\n- deploy pending\n\n');
    assert.equal(result.createdSection, false);
    assert.equal(result.previousBody, '_Nothing recorded yet._');
    assert.equal(after.split('\n')[result.line - 1], '## Pipeline Status');
  });

  it('matches the section name ignoring case, spacing and leading #, and keeps ### sub-headings in the body', async () => {
    await initMemory(root, AGENT);
    await updateMemorySection(root, AGENT, 'working-memory', '##  active   TASKS ', '### Today\n- rotate keys');
    const text = fs.readFileSync(memoryFilePath(root, AGENT, 'working-memory'), 'utf8');
    assert.match(text, /## Active Tasks\n\n### Today\n- rotate keys\n$/);
    assert.equal((text.match(/Active Tasks/g) ?? []).length, 1);
  });

  it('adds a missing section at the end', async () => {
    await initMemory(root, AGENT);
    const file = memoryFilePath(root, AGENT, 'next-actions');
    const before = fs.readFileSync(file, 'utf8');
    const result = await updateMemorySection(root, AGENT, 'next-actions', 'Blocked', '- waiting on DNS');
    const after = fs.readFileSync(file, 'utf8');
    assert.equal(after, `${before}\n## Blocked\n\n- waiting on DNS\n`);
    assert.ok(after.startsWith(before));
    assert.equal(result.createdSection, true);
    assert.equal(after.split('\n')[result.line - 1], '## Blocked');
  });

  it('keeps CRLF line endings and a final section without a trailing newline', () => {
    const text = '# WM\r\n\r\n## A\r\nold a\r\n\r\n## B\r\nold b';
    const plan = planSectionUpdate(text, 'B', 'new b\nsecond');
    assert.equal(plan.text, '# WM\r\n\r\n## A\r\nold a\r\n\r\n## B\r\n\r\nnew b\r\nsecond\r\n');
    const planA = planSectionUpdate(text, 'A', 'x');
    assert.equal(planA.text, '# WM\r\n\r\n## A\r\n\r\nx\r\n\r\n## B\r\nold b');
  });

  it('refuses ambiguous sections and content with level-1/2 headings, writing nothing', async () => {
    await initMemory(root, AGENT);
    const file = memoryFilePath(root, AGENT, 'working-memory');
    const before = `${fs.readFileSync(file, 'utf8')}\n## Deployments\n\nsecond copy\n`;
    fs.writeFileSync(file, before);
    await assert.rejects(updateMemorySection(root, AGENT, 'working-memory', 'Deployments', 'x'), (e: unknown) =>
      e instanceof MemoryUpdateError && /2 sections named "## Deployments" \(lines \d+, \d+\)/.test(e.message));
    await assert.rejects(updateMemorySection(root, AGENT, 'working-memory', 'Pipeline Status', 'ok\n## Sneaky\nx'), (e: unknown) =>
      e instanceof MemoryUpdateError && /line 2 is a level-2 heading/.test(e.message));
    await assert.rejects(updateMemorySection(root, AGENT, 'working-memory', '  ', 'x'), MemoryUpdateError);
    assert.equal(fs.readFileSync(file, 'utf8'), before);
    assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('.')), []);
  });

  it('appends dated decision entries with rationale and alternatives', async () => {
    const now = new Date(Date.UTC(2025, 2, 4, 5, 6, 7));
    const result = await appendDecision(root, AGENT, {
      decision: 'Use multi-stage\nDocker builds',
      rationale: 'Smaller images.\n# not a heading',
      alternatives: ['Single stage', 'Buildpacks'],
      context: 'Image is 1.2 GB',
    }, now);
    await appendDecision(root, AGENT, { decision: 'Pin base images', rationale: 'Reproducible builds' }, now);
    const text = fs.readFileSync(result.path, 'utf8');
    assert.ok(text.includes([
      '## 2025-03-04 05:06:07 UTC — Use multi-stage Docker builds',
      '',
      '**Context**: Image is 1.2 GB',
      '',
      '**Rationale**: Smaller images.',
      '\\# not a heading',
      '',
      '**Alternatives considered**:',
      '- Single stage',
      '- Buildpacks',
      '',
      '## 2025-03-04 05:06:07 UTC — Pin base images',
      '',
      '**Rationale**: Reproducible builds',
      '',
      '**Alternatives considered**: none recorded',
      '',
    ].join('\n')), text);
    assert.ok(text.startsWith('# Decisions Log — devops-engineer\n'));
    assert.equal(text.split('\n')[result.line - 1], '## 2025-03-04 05:06:07 UTC — Use multi-stage Docker builds');
    await assert.rejects(appendDecision(root, AGENT, { decision: ' ', rationale: 'x' }), MemoryUpdateError);
    await assert.rejects(appendDecision(root, AGENT, { decision: 'x', rationale: '' }), MemoryUpdateError);
  });

  it('loses none of 50 concurrent in-process appends', async () => {
    await Promise.all(Array.from({ length: 50 }, (_, i) =>
      appendDecision(root, AGENT, { decision: `decision ${i}`, rationale: `because ${i}` })));
    const text = fs.readFileSync(memoryFilePath(root, AGENT, 'decisions-log'), 'utf8');
    const numbers = decisionHeadings(text).map((h) => Number(/decision (\d+)$/.exec(h)?.[1])).sort((a, b) => a - b);
    assert.deepEqual(numbers, Array.from({ length: 50 }, (_, i) => i));
    assert.equal((text.match(/\*\*Rationale\*\*: because \d+\n/g) ?? []).length, 50);
    assert.deepEqual(fs.readdirSync(path.dirname(memoryFilePath(root, AGENT, 'decisions-log'))).filter((f) => f.startsWith('.')), []);
  });

  it('loses none of 50 appends made at once by 5 separate processes', async function () {
    this.timeout(60_000);
    const scripts = Array.from({ length: 5 }, (_, p) => `
      const { appendDecision } = require(${JSON.stringify(STORE_MODULE)});
      Promise.all(Array.from({ length: 10 }, (_, i) =>
        appendDecision(${JSON.stringify(root)}, 'devops-engineer', { decision: 'proc ${p} item ' + i, rationale: 'r ${p}.' + i })))
        .catch((e) => { console.error(e); process.exit(1); });`);
    const results = await Promise.all(scripts.map(runNode));
    assert.deepEqual(results.map((r) => r.code), [0, 0, 0, 0, 0], results.map((r) => r.stderr).join('\n'));
    const text = fs.readFileSync(memoryFilePath(root, AGENT, 'decisions-log'), 'utf8');
    const seen = decisionHeadings(text).map((h) => /proc (\d) item (\d)$/.exec(h)?.slice(1).join('.')).sort();
    const expected = Array.from({ length: 50 }, (_, n) => `${Math.floor(n / 10)}.${n % 10}`).sort();
    assert.deepEqual(seen, expected);
    assert.equal(fs.existsSync(path.join(path.dirname(memoryFilePath(root, AGENT, 'decisions-log')), '.decisions-log.md.lock')), false);
  });

  it('leaves the old file intact when a writer is killed mid-write, and the next writer breaks its lock', async function () {
    this.timeout(60_000);
    await initMemory(root, AGENT);
    const file = memoryFilePath(root, AGENT, 'working-memory');
    const folder = path.dirname(file);
    // A big file (60 MB of user notes) makes the write slow enough to kill while the temporary file is being written.
    const original = `${fs.readFileSync(file, 'utf8')}\n## Notes\n\n${`${'x'.repeat(99)}\n`.repeat(600_000)}`;
    fs.writeFileSync(file, original);
    const child = spawn(process.execPath, ['-e', `
      const { updateMemorySection } = require(${JSON.stringify(STORE_MODULE)});
      updateMemorySection(${JSON.stringify(root)}, 'devops-engineer', 'working-memory', 'Active Tasks', '- killed before this lands');`],
    { stdio: 'ignore' });
    const deadline = Date.now() + 30_000;
    while (!fs.readdirSync(folder).some((f) => f.startsWith('.working-memory.md.') && f.endsWith('.tmp'))) {
      assert.ok(Date.now() < deadline, 'the writer never started writing');
      await new Promise((resolve) => setImmediate(resolve));
    }
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(fs.readFileSync(file, 'utf8') === original, 'the memory file is unchanged');
    assert.ok(fs.existsSync(path.join(folder, '.working-memory.md.lock')), 'the killed writer left its lock behind');
    await updateMemorySection(root, AGENT, 'working-memory', 'Active Tasks', '- after the crash');
    const after = fs.readFileSync(file, 'utf8');
    assert.match(after, /## Active Tasks\n\n- after the crash\n\n## Notes/);
    assert.equal(after.length, original.length - '_Nothing recorded yet._'.length + '- after the crash'.length);
    assert.deepEqual(fs.readdirSync(folder).filter((f) => f.startsWith('.')), [], 'the orphaned temporary file and the lock are gone');
  });
});
