import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { splitLines, findMarkdownHeadings } from '../../../../src/core/markdown/markdownHeadings';
import type { MemoryOutlineNode } from '../../../../src/core/memory/memoryOutline';
import { findAgentsWithMemory, memoryOutline } from '../../../../src/core/memory/memoryOutline';
import { appendDecision, initMemory, readMemory } from '../../../../src/core/memory/memoryStore';

function shape(nodes: readonly MemoryOutlineNode[]): unknown[] {
  return nodes.map((n) => (n.children.length > 0 ? { [`${n.section.heading}@${n.section.line}`]: shape(n.children) } : `${n.section.heading}@${n.section.line}`));
}

function sectionsOf(text: string): { heading: string; level: number; line: number }[] {
  return findMarkdownHeadings(splitLines(text));
}

describe('memoryOutline', () => {
  let root: string;
  before(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'memory-outline-')); });
  after(() => { fs.rmSync(root, { recursive: true, force: true }); });

  it('drops the single # title and nests ### under the ## above it', () => {
    const text = '# Working Memory\n\n## Pipeline\n### Build\n#### Cache\n### Deploy\n## Tasks\n';
    assert.deepEqual(shape(memoryOutline(sectionsOf(text))), [
      { 'Pipeline@3': [{ 'Build@4': ['Cache@5'] }, 'Deploy@6'] },
      'Tasks@7',
    ]);
  });

  it('keeps several # headings (or headings before the title) at the top level', () => {
    assert.deepEqual(shape(memoryOutline(sectionsOf('## Early\n# One\n## A\n# Two\n'))), ['Early@1', { 'One@2': ['A@3'] }, 'Two@4']);
    assert.deepEqual(shape(memoryOutline(sectionsOf('### deep first\n## then\n'))), ['deep first@1', 'then@2']);
    assert.deepEqual(memoryOutline([]), []);
  });

  it('outlines the real templates and appended decisions', async () => {
    await initMemory(root, 'devops-engineer');
    await appendDecision(root, 'devops-engineer', { decision: 'Use BuildKit', rationale: 'Faster builds' });
    const snapshot = await readMemory(root, 'devops-engineer');
    const working = snapshot.files.find((f) => f.kind === 'working-memory');
    assert.deepEqual(memoryOutline(working?.sections ?? []).map((n) => n.section.heading), ['Pipeline Status', 'Deployments', 'Active Tasks']);
    const decisions = snapshot.files.find((f) => f.kind === 'decisions-log');
    const entries = memoryOutline(decisions?.sections ?? []);
    assert.equal(entries.length, 1);
    assert.match(entries[0]?.section.heading ?? '', / — Use BuildKit$/);
  });

  it('finds agents that have at least one memory file, sorted, skipping unsafe names and plain files', async () => {
    const base = path.join(root, 'docs', 'ai', 'agents');
    await initMemory(root, 'alpha');
    fs.mkdirSync(path.join(base, 'only-certificates', 'certificates'), { recursive: true });
    fs.mkdirSync(path.join(base, 'beta'), { recursive: true });
    fs.writeFileSync(path.join(base, 'beta', 'next-actions.md'), '# Next\n');
    fs.mkdirSync(path.join(base, 'bad name'), { recursive: true });
    fs.writeFileSync(path.join(base, 'bad name', 'working-memory.md'), '# x\n');
    fs.writeFileSync(path.join(base, 'stray.md'), 'x');
    assert.deepEqual(await findAgentsWithMemory(root), ['alpha', 'beta', 'devops-engineer']);
  });

  it('finds no agents where there is no docs/ai/agents folder, or where it is a file', async () => {
    const empty = fs.mkdtempSync(path.join(root, 'empty-'));
    assert.deepEqual(await findAgentsWithMemory(empty), []);
    fs.mkdirSync(path.join(empty, 'docs', 'ai'), { recursive: true });
    fs.writeFileSync(path.join(empty, 'docs', 'ai', 'agents'), 'not a folder');
    assert.deepEqual(await findAgentsWithMemory(empty), []);
  });
});
