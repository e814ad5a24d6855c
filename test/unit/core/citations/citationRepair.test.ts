import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildRepairPrompt } from '../../../../src/core/citations/citationRepair';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import type { CitationCheck } from '../../../../src/core/citations/verifyCitations';
import { verifyCitations } from '../../../../src/core/citations/verifyCitations';
import { ReadSet } from '../../../../src/core/session/readSet';

describe('core/citations/citationRepair', () => {
  let root: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cite-repair-')));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'a.ts'), ['const a = 1;', 'const b = 2;', 'const c = 3;', 'export { a, b, c };'].join('\n') + '\n');
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20\n');
  });

  after(() => fs.rmSync(root, { recursive: true, force: true }));

  async function checksOf(answer: string, readSet?: ReadSet): Promise<CitationCheck[]> {
    return verifyCitations(parseCitations(answer), { roots: [root], readSet });
  }

  it('returns undefined when every citation verified, or there are none', async () => {
    assert.equal(buildRepairPrompt(await checksOf('src/a.ts:1 `const a = 1;`')), undefined);
    assert.equal(buildRepairPrompt([]), undefined);
  });

  it('lists each problem with what is wrong and what to do, and the true lines for drift', async () => {
    const readSet = new ReadSet();
    readSet.record(path.join(root, 'src', 'a.ts'), 1, 4);
    const checks = await checksOf([
      'src/a.ts:1 `const a = 1;` is fine.',
      'src/a.ts:1 `const c = 3;` drifted.',
      'src/a.ts:40 is out of range.',
      'src/zz.ts:2 does not exist.',
      'src/a.ts:2 `let b = 2` is paraphrased.',
      'Dockerfile:1 was never read.',
      '../x.ts:1 is outside.',
    ].join('\n'), readSet);
    const prompt = buildRepairPrompt(checks);
    assert.ok(prompt !== undefined);
    assert.match(prompt, /^6 file citations in your answer could not be verified/);
    assert.match(prompt, /correct it or withdraw it/);
    const items = prompt.split('\n').filter((line) => /^\d+\. /.test(line));
    assert.deepEqual(items.map((line) => /^\d+\. `([^`]+)`/.exec(line)?.[1]), ['src/a.ts:1', 'src/a.ts:40', 'src/zz.ts:2', 'src/a.ts:2', 'Dockerfile:1', '../x.ts:1']);
    assert.match(items[0] ?? '', /you quoted `const c = 3;`.*the quoted code is at line 3, not line 1\. Cite `src\/a\.ts:3` instead\./);
    assert.match(items[1] ?? '', /line 40 out of range, file has 4 lines\. Read the file/);
    assert.match(items[2] ?? '', /does not exist\. Find the right path/);
    assert.match(items[3] ?? '', /not at line 2.*quote them exactly/);
    assert.match(items[4] ?? '', /never read in this session\. Read the file with the Read tool/);
    assert.match(items[5] ?? '', /outside the workspace.*Only files inside the workspace/);
  });

  it('lists a repeated problem once and shortens long quotes', async () => {
    const long = 'x'.repeat(300);
    const checks = await checksOf(`src/a.ts:9 and again src/a.ts:9\nsrc/a.ts:1 \`${long}\``);
    const prompt = buildRepairPrompt(checks) ?? '';
    assert.match(prompt, /^2 file citations/);
    assert.equal(prompt.split('\n').filter((line) => /^\d+\. /.test(line)).length, 2);
    assert.ok(!prompt.includes(long));
    assert.match(prompt, /x{120}…/);
  });
});
