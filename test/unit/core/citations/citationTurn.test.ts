import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CitationTurn } from '../../../../src/core/citations/citationTurn';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import { editTool } from '../../../../src/core/tools/files/edit';
import { writeTool } from '../../../../src/core/tools/files/write';
import { processToolContext } from '../tools/processToolContext';

describe('core/citations/citationTurn', () => {
  let tmp: string;
  let root: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'citation-turn-')));
    root = path.join(tmp, 'w');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), 'export const mode = "old";\nexport const port = 8080;\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const statusOf = async (turn: CitationTurn, answer: string): Promise<string[]> => (await turn.verify(parseCitations(answer, { roots: [root] }))).map((c) => c.status);

  it('judges a file cited, edited by the Edit tool, then cited again by its new text', async () => {
    const turn = new CitationTurn([root]);
    const ctx = processToolContext([root]);
    assert.deepEqual(await statusOf(turn, 'src/app.ts:1 `mode = "old"`'), ['verified']);
    ctx.readSet.record(path.join(root, 'src', 'app.ts'), 1, 2);
    const input = editTool.parse({ path: 'src/app.ts', old_string: 'export const mode = "old";\n', new_string: '// changed\nexport const mode = "new";\n' });
    assert.equal((await editTool.run(input, ctx)).ok, true);
    await turn.toolRan('Edit', input);
    assert.deepEqual(await statusOf(turn, 'src/app.ts:2 `mode = "new"`'), ['verified']);
    assert.deepEqual(await statusOf(turn, 'src/app.ts:3 `port = 8080`'), ['verified']);
  });

  it('sees a file the Write tool created, by path and by bare name', async () => {
    const turn = new CitationTurn([root]);
    assert.deepEqual(await statusOf(turn, 'src/deploy/run.sh:1 and run.sh:1'), ['missing-file', 'missing-file']);
    const input = writeTool.parse({ path: 'src/deploy/run.sh', content: '#!/bin/sh\nexec node app.js\n' });
    assert.equal((await writeTool.run(input, processToolContext([root]))).ok, true);
    await turn.toolRan('Write', input);
    assert.deepEqual(await statusOf(turn, 'src/deploy/run.sh:2 `exec node app.js` and run.sh:1'), ['verified', 'verified']);
  });

  it('keeps the version first read when only other tools ran, and ignores refused paths', async () => {
    const turn = new CitationTurn([root]);
    assert.deepEqual(await statusOf(turn, 'src/app.ts:1 `mode = "old"`'), ['verified']);
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), 'changed outside the turn\n');
    await turn.toolRan('Read', { path: 'src/app.ts' });
    await turn.toolRan('Write', { path: '../outside.txt' });
    await turn.toolRan('Edit', { path: 42 });
    assert.deepEqual(await statusOf(turn, 'src/app.ts:1 `mode = "old"`'), ['verified']);
  });
});
