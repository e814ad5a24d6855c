import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { diffLines, formatUnifiedDiff } from '../../../../src/core/text/unifiedDiff';

/** A seeded generator so failures can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Textbook O(n·m) LCS length: the oracle for the minimal number of added + removed lines. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) row[j] = a[i - 1] === b[j - 1] ? (prev[j - 1] as number) + 1 : Math.max(prev[j] as number, row[j - 1] as number);
    prev = row;
  }
  return prev[b.length] as number;
}

function linesOf(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function mutate(next: () => number, lines: string[]): string[] {
  const out = [...lines];
  const edits = Math.floor(next() * 6);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(next() * (out.length + 1));
    const roll = next();
    if (roll < 0.35 && out.length > 0) out.splice(Math.min(at, out.length - 1), 1 + Math.floor(next() * 3));
    else if (roll < 0.7) out.splice(at, 0, ...Array.from({ length: 1 + Math.floor(next() * 3) }, () => `${'abcxyz'[Math.floor(next() * 6)]}\n`));
    else if (out.length > 0) out[Math.min(at, out.length - 1)] = `changed ${Math.floor(next() * 5)}\n`;
  }
  return out;
}

describe('core/text/unifiedDiff', () => {
  const cases: ReadonlyArray<[string, string, string, string]> = [
    ['one changed line', 'a\nb\nc\n', 'a\nB\nc\n', '--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n'],
    ['insert at the start', 'a\nb\n', 'new\na\nb\n', '--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n+new\n a\n b\n'],
    ['delete at the end', 'a\nb\nc\n', 'a\nb\n', '--- a/f\n+++ b/f\n@@ -1,3 +1,2 @@\n a\n b\n-c\n'],
    ['create from empty', '', 'x\ny\n', '--- a/f\n+++ b/f\n@@ -0,0 +1,2 @@\n+x\n+y\n'],
    ['delete everything', 'x\ny\n', '', '--- a/f\n+++ b/f\n@@ -1,2 +0,0 @@\n-x\n-y\n'],
    ['newline added at end of file', 'a\nb', 'a\nb\n', '--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n'],
    ['equal texts', 'same\n', 'same\n', ''],
  ];
  for (const [name, before, after, expected] of cases) {
    it(name, () => assert.equal(formatUnifiedDiff('f', before, after), expected));
  }

  it('splits distant changes into separate hunks and merges close ones', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}\n`).join('');
    const after = before.replace('line 2\n', 'LINE 2\n').replace('line 8\n', 'LINE 8\n').replace('line 25\n', 'LINE 25\n');
    const { hunks, added, removed } = diffLines(before, after);
    assert.equal(added, 3);
    assert.equal(removed, 3);
    assert.deepEqual(hunks.map((h) => [h.oldStart, h.oldLines, h.newStart, h.newLines]), [[1, 11, 1, 11], [22, 7, 22, 7]]);
  });

  it('is minimal: added + removed equals n + m − 2·LCS on 300 random pairs', () => {
    const next = random(42);
    for (let round = 0; round < 300; round++) {
      const a = Array.from({ length: Math.floor(next() * 40) }, () => `${'abcdefg'[Math.floor(next() * 7)]}\n`);
      const b = next() < 0.5 ? mutate(next, a) : Array.from({ length: Math.floor(next() * 40) }, () => `${'abcdefg'[Math.floor(next() * 7)]}\n`);
      const { added, removed } = diffLines(a.join(''), b.join(''));
      const lcs = lcsLength(a, b);
      assert.equal(removed, a.length - lcs, `round ${round}`);
      assert.equal(added, b.length - lcs, `round ${round}`);
    }
  });

  describe('against git', () => {
    let dir: string;
    before(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'udiff-'));
      execFileSync('git', ['init', '-q', dir]);
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('produces patches that git apply turns into the new text (40 random pairs, CRLF and missing final newline included)', () => {
      const next = random(7);
      for (let round = 0; round < 40; round++) {
        const eol = round % 5 === 0 ? '\r\n' : '\n';
        const base = Array.from({ length: 5 + Math.floor(next() * 60) }, (_, i) => `row ${i % 9} ${'pq'[Math.floor(next() * 2)]}\n`);
        let before = base.join('').replace(/\n/g, eol);
        let after = mutate(next, base).join('').replace(/\n/g, eol);
        if (round % 7 === 3) before = before.replace(/\r?\n$/, '');
        if (round % 7 === 4) after = after.replace(/\r?\n$/, '');
        if (before === after) continue;
        const file = path.join(dir, 'f.txt');
        fs.writeFileSync(file, before);
        fs.writeFileSync(path.join(dir, 'p.diff'), formatUnifiedDiff('f.txt', before, after));
        execFileSync('git', ['apply', '--whitespace=nowarn', 'p.diff'], { cwd: dir });
        assert.equal(fs.readFileSync(file, 'utf8'), after, `round ${round}`);
      }
    });

    it('counts the same added and removed lines as git diff --minimal', () => {
      const next = random(99);
      const base = Array.from({ length: 400 }, () => `v${Math.floor(next() * 30)}\n`);
      const changed = mutate(next, mutate(next, base));
      fs.writeFileSync(path.join(dir, 'x'), base.join(''));
      fs.writeFileSync(path.join(dir, 'y'), changed.join(''));
      let numstat = '';
      try {
        execFileSync('git', ['diff', '--no-index', '--minimal', '--numstat', 'x', 'y'], { cwd: dir, encoding: 'utf8' });
      } catch (error) {
        numstat = String((error as { stdout: string }).stdout);
      }
      const [gitAdded, gitRemoved] = numstat.trim().split(/\s+/).map(Number);
      const ours = diffLines(base.join(''), changed.join(''));
      assert.equal(ours.added, gitAdded);
      assert.equal(ours.removed, gitRemoved);
    });
  });

  it('handles 10,000-line files: scattered edits and completely different texts', () => {
    const big = Array.from({ length: 10_000 }, (_, i) => `const value${i} = ${i % 97};\n`);
    const edited = [...big];
    for (let i = 50; i < edited.length; i += 97) edited[i] = `// edited ${i}\n`;
    const scattered = diffLines(big.join(''), edited.join(''));
    assert.equal(scattered.added, 103);
    assert.equal(scattered.removed, 103);
    const other = Array.from({ length: 10_000 }, (_, i) => `let other${i} = ${i};\n`);
    const unrelated = diffLines(big.join(''), other.join(''));
    assert.equal(unrelated.added, 10_000);
    assert.equal(unrelated.removed, 10_000);
    assert.equal(linesOf(formatUnifiedDiff('big.ts', big.join(''), other.join(''))).length, 20_003);
  });
});
