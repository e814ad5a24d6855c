import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Citation } from '../../../../src/core/citations/parseCitations';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import type { CitationCheck } from '../../../../src/core/citations/verifyCitations';
import { describeCitationCheck, formatCitationReport } from '../../../../src/core/citations/citationReport';
import { LineIndexCache } from '../../../../src/core/citations/lineIndexCache';
import { verifyCitations } from '../../../../src/core/citations/verifyCitations';
import { WorkspaceFileList } from '../../../../src/core/citations/workspaceFiles';
import { ReadSet } from '../../../../src/core/session/readSet';

const APP_TS = [
  "import express from 'express';", // 1
  '', // 2
  'const app = express();', // 3
  "const port = Number(process.env.PORT ?? '8080');", // 4
  '', // 5
  "app.get('/health', (_req, res) => {", // 6
  "  res.json({ status: 'ok' });", // 7
  '});', // 8
  '', // 9
  'app.listen(port, () => {', // 10
  '  console.log(`listening on ${port}`);', // 11
  '});', // 12
  ...Array.from({ length: 28 }, (_, i) => `export const value${i + 13} = ${i + 13};`), // 13..40
].join('\n') + '\n';

describe('core/citations/verifyCitations', () => {
  let tmp: string;
  let root: string;
  let api: string;
  let outside: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cite-verify-')));
    root = path.join(tmp, 'web');
    api = path.join(tmp, 'api');
    outside = path.join(tmp, 'outside');
    for (const dir of [path.join(root, 'src'), path.join(api, 'src'), path.join(api, 'bin'), outside]) fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'app.ts'), APP_TS);
    fs.writeFileSync(path.join(root, 'src', 'crlf.ts'), 'const a = 1;\r\nconst b = 2;\r\n\r\nexport { a, b };\r\n');
    fs.writeFileSync(path.join(root, 'src', 'bom.ts'), '\uFEFFexport const first = 1;\nexport const second = 2;\n');
    fs.writeFileSync(path.join(root, 'src', 'utf16.txt'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('alpha\r\nbeta\r\n', 'utf16le')]));
    fs.writeFileSync(path.join(root, 'src', 'no-newline.txt'), 'one\ntwo');
    fs.writeFileSync(path.join(root, 'src', 'empty.txt'), '');
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\n');
    fs.writeFileSync(path.join(root, 'big.log'), Array.from({ length: 100_000 }, (_, i) => `entry ${i + 1} ok`).join('\n') + '\n');
    fs.writeFileSync(path.join(api, 'src', 'server.ts'), 'export function serve(): void {\n  listen(3000);\n}\n');
    fs.writeFileSync(path.join(api, 'bin', 'run'), '#!/bin/sh\nexec node dist/server.js\n');
    fs.writeFileSync(path.join(outside, 'secret.ts'), 'export const secret = 1;\n');
    fs.symlinkSync(path.join(outside, 'secret.ts'), path.join(root, 'src', 'escape.ts'));
    fs.symlinkSync(outside, path.join(root, 'linked-outside'));
    fs.symlinkSync(path.join(root, 'src', 'app.ts'), path.join(root, 'alias.ts'));
    fs.symlinkSync(path.join(root, 'src'), path.join(root, 'linked-src'));
    fs.mkdirSync(path.join(root, 'deep', 'er'), { recursive: true });
    fs.symlinkSync(outside, path.join(root, 'deep', 'er', 'leak'));
    fs.writeFileSync(path.join(root, 'src', 'status.txt'), '200 OK\n404 Not Found\n500 Internal Server Error\n');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function check(answer: string, options: { readSet?: ReadSet; cache?: LineIndexCache; roots?: string[]; driftWindow?: number } = {}): Promise<CitationCheck[]> {
    const roots = options.roots ?? [root];
    return verifyCitations(parseCitations(answer, { roots, folderNames: roots.map((r) => path.basename(r)) }), { ...options, roots });
  }

  /** A citation as another caller may build it, with a path the parser would have normalised. */
  function cited(citedPath: string, startLine: number, quote?: string): Citation {
    return { text: `${citedPath}:${startLine}`, path: citedPath, startLine, endLine: startLine, offset: 0, length: citedPath.length + 2, ...(quote === undefined ? {} : { quote, quoteKind: 'inline' as const }) };
  }

  async function one(answer: string, options: Parameters<typeof check>[1] = {}): Promise<CitationCheck> {
    const checks = await check(answer, options);
    assert.equal(checks.length, 1, `one citation in ${JSON.stringify(answer)}`);
    return checks[0] as CitationCheck;
  }

  describe('existence and range', () => {
    it('verifies an existing file and line, with the real path', async () => {
      const result = await one('see src/app.ts:10');
      assert.equal(result.status, 'verified');
      assert.equal(result.absolutePath, path.join(root, 'src', 'app.ts'));
      assert.equal((await one('src/app.ts:40')).status, 'verified');
      assert.equal((await one('src/app.ts:41')).lineCount, 40);
    });

    it('reports a missing file', async () => {
      const result = await one('see src/nope.ts:3');
      assert.equal(result.status, 'missing-file');
      assert.match(result.message, /src\/nope\.ts does not exist/);
    });

    it('reports a folder cited as a file', async () => {
      const result = await one('[x](src#L3)');
      assert.equal(result.status, 'missing-file');
      assert.match(result.message, /is a folder/);
    });

    it('reports a line out of range with the line count', async () => {
      const result = await one('src/app.ts:300');
      assert.equal(result.status, 'line-out-of-range');
      assert.equal(result.message, 'line 300 out of range, file has 40 lines');
      assert.equal(describeCitationCheck(result), '⚠ line 300 out of range, file has 40 lines');
      assert.equal((await one('src/app.ts:39-41')).message, 'lines 39-41 out of range, file has 40 lines');
      assert.equal((await one('src/app.ts:0')).status, 'line-out-of-range');
      assert.match((await one('src/app.ts:20-10')).message, /reversed/);
    });

    it('counts lines without a trailing newline, and an empty file as 0 lines', async () => {
      assert.equal((await one('src/no-newline.txt:2')).status, 'verified');
      assert.equal((await one('src/no-newline.txt:3')).message, 'line 3 out of range, file has 2 lines');
      assert.equal((await one('src/empty.txt:1')).message, 'line 1 out of range, file has 0 lines');
    });

    it('resolves extensionless known files and ./ prefixes', async () => {
      assert.equal((await one('./Dockerfile:2 `WORKDIR /app`')).status, 'verified');
    });
  });

  describe('workspace boundaries', () => {
    it('refuses a path that climbs out of the workspace', async () => {
      const result = await one('../outside/secret.ts:1');
      assert.equal(result.status, 'outside-workspace');
      assert.equal(result.absolutePath, undefined);
    });

    it('refuses an absolute path outside, accepts one inside', async () => {
      assert.equal((await one(`${path.join(outside, 'secret.ts')}:1`)).status, 'outside-workspace');
      const inside = await one(`${path.join(root, 'src', 'app.ts')}:3 \`const app = express();\``);
      assert.equal(inside.status, 'verified');
    });

    it('refuses a symlinked file or folder that leads outside', async () => {
      const file = await one('src/escape.ts:1');
      assert.equal(file.status, 'outside-workspace');
      assert.match(file.message, /symbolic link/);
      assert.equal(file.absolutePath, path.join(outside, 'secret.ts'));
      assert.equal((await one('linked-outside/secret.ts:1')).status, 'outside-workspace');
    });

    it('follows a symlink that stays inside, reporting the real path', async () => {
      const result = await one('alias.ts:3 `const app = express();`');
      assert.equal(result.status, 'verified');
      assert.equal(result.absolutePath, path.join(root, 'src', 'app.ts'));
    });

    it('follows a symlinked folder that stays inside, and refuses one nested deeper that leads out', async () => {
      const cache = new LineIndexCache();
      const checks = await check('linked-src/app.ts:3 `const app = express();` and src/app.ts:3 and deep/er/leak/secret.ts:1 and linked-src/app.ts:10', { cache });
      assert.deepEqual(checks.map((c) => c.status), ['verified', 'verified', 'outside-workspace', 'verified']);
      assert.equal(checks[0]?.absolutePath, path.join(root, 'src', 'app.ts'));
      assert.equal(checks[2]?.absolutePath, path.join(outside, 'secret.ts'));
      // A second call on the same cache judges the folders the same way.
      const again = await check('deep/er/leak/secret.ts:1 linked-src/crlf.ts:1', { cache });
      assert.deepEqual(again.map((c) => c.status), ['outside-workspace', 'verified']);
      assert.equal(again[1]?.absolutePath, path.join(root, 'src', 'crlf.ts'));
    });

    it('resolves `.`, `..` and doubled slashes in paths built by other callers, and still refuses climbing out', async () => {
      const checks = await verifyCitations([
        cited('src/../src/app.ts', 3, 'const app = express();'),
        cited('src//app.ts', 3),
        cited('./src/./app.ts', 3),
        cited('src/../../outside/secret.ts', 1),
        cited('web/src/app.ts', 3),
      ], { roots: [root] });
      assert.deepEqual(checks.map((c) => c.status), ['verified', 'verified', 'verified', 'outside-workspace', 'verified']);
      assert.ok(checks.every((c, i) => i === 3 || c.absolutePath === path.join(root, 'src', 'app.ts')));
    });

    it('refuses home-folder paths and reports when no folder is open', async () => {
      assert.equal((await one('~/notes/x.md:3')).status, 'outside-workspace');
      const [none] = await verifyCitations(parseCitations('src/app.ts:1'), { roots: [] });
      assert.equal(none?.status, 'outside-workspace');
    });

    it('resolves multi-root paths by folder name, and relative paths against the first root', async () => {
      const roots = [root, api];
      const checks = await check('api/src/server.ts:2 `listen(3000);` and api/bin/run:2 and src/app.ts:1 and web/Dockerfile:1', { roots });
      assert.deepEqual(checks.map((c) => c.status), ['verified', 'verified', 'verified', 'verified']);
      assert.equal(checks[0]?.absolutePath, path.join(api, 'src', 'server.ts'));
      const bare = await one('server.ts:1', { roots });
      assert.equal(bare.status, 'verified', 'a bare name that one workspace file has resolves to it');
      assert.equal(bare.resolvedPath, 'api/src/server.ts');
      assert.equal(bare.absolutePath, path.join(api, 'src', 'server.ts'));
      assert.equal((await one('nowhere.ts:1', { roots })).status, 'missing-file');
    });
  });

  describe('quotes', () => {
    it('verifies inline code that is part of a cited line or spans the cited lines', async () => {
      assert.equal((await one('`src/app.ts:4` — `Number(process.env.PORT`')).status, 'verified');
      assert.equal((await one('src/app.ts:6-8 `res.json({ status: \'ok\' }); });`')).status, 'verified');
      assert.equal((await one('src/app.ts:11 `listening on ${port}`')).status, 'verified');
    });

    it('ignores whitespace differences', async () => {
      assert.equal((await one('src/app.ts:7 `res.json({   status:  \'ok\' });`')).status, 'verified');
    });

    it('reports drift with the true line when the quote is nearby', async () => {
      const result = await one('src/app.ts:12 `app.listen(port, () => {`');
      assert.equal(result.status, 'line-drift');
      assert.equal(result.actualStartLine, 10);
      assert.equal(result.actualEndLine, 10);
      assert.equal(result.message, 'the quoted code is at line 10, not line 12');
    });

    it('reports a mismatch when the quote is nowhere near', async () => {
      const far = await one('src/app.ts:40 `import express from`');
      assert.equal(far.status, 'quote-mismatch');
      assert.match(far.message, /not at line 40 \(nor within 15 lines/);
      assert.equal((await one('src/app.ts:3 `const app = koa();`')).status, 'quote-mismatch');
      assert.equal((await one('src/app.ts:40 `import express from`', { driftWindow: 40 })).status, 'line-drift');
    });

    it('matches a fenced block line by line', async () => {
      const answer = 'src/app.ts:6-8:\n```ts\napp.get(\'/health\', (_req, res) => {\n  res.json({ status: \'ok\' });\n});\n```';
      assert.equal((await one(answer)).status, 'verified');
    });

    it('accepts a fenced block that quotes part of the cited range, with `...` for elided lines', async () => {
      const answer = 'src/app.ts:1-12\n```ts\nconst app = express();\n// ...\napp.listen(port, () => {\n```';
      assert.equal((await one(answer)).status, 'verified');
    });

    it('accepts a fenced block copied with line numbers', async () => {
      const answer = 'src/app.ts:3-4\n```\n     3\tconst app = express();\n     4\tconst port = Number(process.env.PORT ?? \'8080\');\n```';
      assert.equal((await one(answer)).status, 'verified');
    });

    it('reports a fenced block that sits elsewhere as drift with its true lines', async () => {
      const answer = 'src/app.ts:3-5\n```ts\napp.listen(port, () => {\n  console.log(`listening on ${port}`);\n});\n```';
      const result = await one(answer);
      assert.equal(result.status, 'line-drift');
      assert.deepEqual([result.actualStartLine, result.actualEndLine], [10, 12]);
      assert.equal(result.message, 'the quoted code is at lines 10-12, not lines 3-5');
    });

    it('reports a fenced block that runs past the cited lines as drift to the full range', async () => {
      const result = await one('src/app.ts:10\n```\napp.listen(port, () => {\n  console.log(`listening on ${port}`);\n```');
      assert.equal(result.status, 'line-drift');
      assert.deepEqual([result.actualStartLine, result.actualEndLine], [10, 11]);
    });

    it('verifies a fenced block copied verbatim from lines that start with digits', async () => {
      const answer = 'src/status.txt:1-3\n```\n200 OK\n404 Not Found\n500 Internal Server Error\n```';
      assert.equal((await one(answer)).status, 'verified');
      const drifted = await one('src/status.txt:1\n```\n404 Not Found\n```');
      assert.deepEqual([drifted.status, drifted.actualStartLine], ['line-drift', 2]);
    });

    it('verifies a fenced block of indented lines that start with a number and a colon (found over psf/requests)', async () => {
      fs.writeFileSync(path.join(root, 'src', 'codes.py'), '_codes = {\n    508: ("loop_detected",),\n    509: ("bandwidth_limit_exceeded", "bandwidth"),\n}\n');
      assert.equal((await one('src/codes.py:3\n```\n509: ("bandwidth_limit_exceeded", "bandwidth"),\n```')).status, 'verified');
      assert.equal((await one('src/codes.py:2-3\n```\n508: ("loop_detected",),\n509: ("bandwidth_limit_exceeded", "bandwidth"),\n```')).status, 'verified');
      // Copied with line numbers, the numbers are still not part of the code.
      assert.equal((await one('src/codes.py:2-3\n```\n2: 508: ("loop_detected",),\n3: 509: ("bandwidth_limit_exceeded", "bandwidth"),\n```')).status, 'verified');
    });

    it('finds inline code that spans the cited lines of a CRLF file', async () => {
      assert.equal((await one('src/crlf.ts:1-2 `const a = 1; const b = 2;`')).status, 'verified');
      assert.equal((await one('src/crlf.ts:1-2 `const b = 2;`')).status, 'verified');
    });

    it('reports a paraphrased fenced block as a mismatch', async () => {
      const result = await one('src/app.ts:6-8\n```ts\napp.get("/health", (req, res) => res.send("ok"));\n```');
      assert.equal(result.status, 'quote-mismatch');
    });
  });

  describe('encodings and sizes', () => {
    it('handles CRLF files', async () => {
      assert.equal((await one('src/crlf.ts:2 `const b = 2;`')).status, 'verified');
      const fenced = await one('src/crlf.ts:1-2\n```\nconst a = 1;\nconst b = 2;\n```');
      assert.equal(fenced.status, 'verified');
      assert.equal((await one('src/crlf.ts:5')).message, 'line 5 out of range, file has 4 lines');
    });

    it('skips a UTF-8 BOM and reads UTF-16 files with a BOM', async () => {
      const bom = await one('src/bom.ts:1\n```\nexport const first = 1;\n```');
      assert.equal(bom.status, 'verified');
      const utf16 = await one('src/utf16.txt:2 `beta`');
      assert.equal(utf16.status, 'verified');
      assert.equal((await one('src/utf16.txt:3')).lineCount, 2);
    });

    it('checks a 100k-line file in memory and indexed on disk alike', async () => {
      const answer = 'big.log:100000 `entry 100000 ok` big.log:99990 `entry 99995 ok` big.log:100001 big.log:1 `entry 1 ok`';
      const inMemory = await check(answer);
      const onDisk = await check(answer, { cache: new LineIndexCache({ inMemoryLimitBytes: 4096 }) });
      const summary = (checks: CitationCheck[]): unknown => checks.map((c) => [c.status, c.lineCount, c.actualStartLine, c.message]);
      assert.deepEqual(summary(onDisk), summary(inMemory));
      assert.deepEqual(inMemory.map((c) => c.status), ['verified', 'line-drift', 'line-out-of-range', 'verified']);
      assert.equal(inMemory[1]?.actualStartLine, 99995);
      assert.equal(inMemory[2]?.message, 'line 100001 out of range, file has 100000 lines');
    });

    it('indexes CRLF and BOM files on disk too', async () => {
      const cache = new LineIndexCache({ inMemoryLimitBytes: 1 });
      assert.equal((await one('src/crlf.ts:4 `export { a, b };`', { cache })).status, 'verified');
      assert.equal((await one('src/bom.ts:1 `export const first = 1;`', { cache })).status, 'verified');
      assert.equal((await one('src/no-newline.txt:2 `two`', { cache })).status, 'verified');
      assert.equal((await one('src/no-newline.txt:3', { cache })).lineCount, 2);
    });
  });

  describe('bare names and path suffixes', () => {
    let repo: string;

    before(function () {
      repo = path.join(tmp, 'named');
      const files: Record<string, string> = {
        '.gitignore': 'build/\n',
        'src/ml/trainer.py': 'import torch\n\ndef train(model):\n    model.fit()\n',
        'build/trainer.py': 'generated = True\n',
        'pkg/a/server.go': 'package a\n\nfunc Name() string {\n\treturn "a"\n}\n',
        'pkg/b/server.go': 'package b\n\nfunc Name() string {\n\treturn "b"\n}\n',
        'notes/untracked.md': '# Notes\n',
      };
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(repo, name)), { recursive: true });
        fs.writeFileSync(path.join(repo, name), text);
      }
      try {
        execFileSync('git', ['init', '-q'], { cwd: repo });
        execFileSync('git', ['add', '.gitignore', 'src', 'pkg'], { cwd: repo });
      } catch {
        this.skip();
      }
    });

    it('checks the one workspace file a bare name or path suffix matches, ignoring files .gitignore excludes', async () => {
      const bare = await one('trainer.py:3 `def train(model):`', { roots: [repo] });
      assert.equal(bare.status, 'verified');
      assert.equal(bare.verifiedBy, 'quote');
      assert.equal(bare.resolvedPath, 'src/ml/trainer.py');
      assert.equal(bare.absolutePath, path.join(repo, 'src', 'ml', 'trainer.py'));
      assert.equal(bare.message, 'trainer.py is src/ml/trainer.py: the quoted code is at line 3');
      assert.equal((await one('ml/trainer.py:4', { roots: [repo] })).resolvedPath, 'src/ml/trainer.py');
      assert.equal((await one('untracked.md:1', { roots: [repo] })).resolvedPath, 'notes/untracked.md');
      const wrong = await one('trainer.py:3 `def evaluate(model):`', { roots: [repo] });
      assert.equal(wrong.status, 'quote-mismatch');
      assert.match(wrong.message, /^trainer\.py is src\/ml\/trainer\.py: the quoted code is not at line 3/);
    });

    it('matches whole path segments only', async () => {
      assert.equal((await one('r.py:1', { roots: [repo] })).status, 'missing-file');
      assert.equal((await one('l/trainer.py:1', { roots: [repo] })).status, 'missing-file');
    });

    it('picks the one candidate whose lines hold the quote, else reports the citation ambiguous with the candidates', async () => {
      const picked = await one('server.go:4 `return "b"`', { roots: [repo] });
      assert.equal(picked.status, 'verified');
      assert.equal(picked.resolvedPath, 'pkg/b/server.go');
      for (const answer of ['server.go:4', 'server.go:4 `return "c"`', 'server.go:3 `func Name() string {`']) {
        const unsure = await one(answer, { roots: [repo] });
        assert.equal(unsure.status, 'ambiguous', answer);
        assert.deepEqual(unsure.candidates, ['pkg/a/server.go', 'pkg/b/server.go']);
        assert.match(unsure.message, /server\.go matches 2 files \(pkg\/a\/server\.go, pkg\/b\/server\.go\)/);
        assert.match(describeCitationCheck(unsure), /^⚠ /);
      }
      assert.equal(formatCitationReport(await check('server.go:4 and trainer.py:1', { roots: [repo] })), 'Citations: 1 verified (0 quote matched, 1 line exists), 1 ambiguous');
    });

    it('sees a file created after the listing once the list is invalidated', async () => {
      const files = new WorkspaceFileList([repo]);
      const cited = parseCitations('fresh.py:1');
      assert.equal((await verifyCitations(cited, { roots: [repo], files }))[0]?.status, 'missing-file');
      fs.writeFileSync(path.join(repo, 'pkg', 'fresh.py'), 'x = 1\n');
      files.invalidate();
      assert.equal((await verifyCitations(cited, { roots: [repo], files }))[0]?.resolvedPath, 'pkg/fresh.py');
    });
  });

  describe('read set and cache', () => {
    it('flags files never read in the session when a read set is given', async () => {
      const readSet = new ReadSet();
      readSet.record(path.join(root, 'src', 'app.ts'), 1, 40);
      const checks = await check('src/app.ts:3 `const app = express();` and Dockerfile:1 and alias.ts:3', { readSet });
      assert.deepEqual(checks.map((c) => c.status), ['verified', 'unread', 'verified']);
      assert.equal(checks[1]?.message, 'Dockerfile was never read in this session');
    });

    it('reads each file once per cache, and sees changes after clear()', async () => {
      const file = path.join(root, 'src', 'changing.ts');
      fs.writeFileSync(file, 'const version = 1;\n');
      const cache = new LineIndexCache();
      assert.equal((await one('src/changing.ts:1 `version = 1`', { cache })).status, 'verified');
      fs.writeFileSync(file, 'const version = 2;\n');
      assert.equal((await one('src/changing.ts:1 `version = 1`', { cache })).status, 'verified');
      cache.clear();
      assert.equal((await one('src/changing.ts:1 `version = 1`', { cache })).status, 'quote-mismatch');
      assert.equal(cache.realPath(path.join(root, 'alias.ts')), path.join(root, 'src', 'app.ts'));
      assert.equal(cache.realPath(path.join(root, 'nothing-here')), undefined);
    });

    it('judges a file written or edited in the turn by its new text once the cache forgets it', async () => {
      const file = path.join(root, 'src', 'edited.ts');
      fs.writeFileSync(file, 'export const mode = "old";\n');
      const turn = new LineIndexCache();
      assert.equal((await one('src/edited.ts:1 `mode = "old"`', { cache: turn })).status, 'verified');
      fs.writeFileSync(file, '// edited\nexport const mode = "new";\n');
      turn.forget(file);
      assert.equal((await one('src/edited.ts:2 `mode = "new"`', { cache: turn })).status, 'verified');
      assert.equal((await one('src/edited.ts:1 `mode = "old"`', { cache: turn })).status, 'quote-mismatch');
      // A file the turn looked for before it existed, in a folder that did not exist either.
      assert.equal((await one('src/later/made.ts:1', { cache: turn })).status, 'missing-file');
      fs.mkdirSync(path.join(root, 'src', 'later'));
      fs.writeFileSync(path.join(root, 'src', 'later', 'made.ts'), 'export {};\n');
      turn.forget(path.join(root, 'src', 'later', 'made.ts'));
      assert.equal((await one('src/later/made.ts:1', { cache: turn })).status, 'verified');
    });

    it('reads a changed file again with a new cache, while one cache keeps the version it first read', async () => {
      const file = path.join(root, 'src', 'growing.ts');
      fs.writeFileSync(file, 'export const a = 1;\nexport const b = 2;\n');
      const turn = new LineIndexCache();
      assert.equal((await one('src/growing.ts:2 `b = 2`', { cache: turn })).status, 'verified');
      fs.writeFileSync(file, 'export const b = 3;\n');
      // Same turn: still two lines and the first text, so the answer is judged against one version of the file.
      assert.equal((await one('src/growing.ts:2 `b = 2`', { cache: turn })).status, 'verified');
      assert.equal((await one('src/growing.ts:3', { cache: turn })).message, 'line 3 out of range, file has 2 lines');
      // A new turn (or a call without a cache) reads the file as it is now.
      assert.equal((await one('src/growing.ts:2', { cache: new LineIndexCache() })).message, 'line 2 out of range, file has 1 line');
      const fresh = await one('src/growing.ts:1 `b = 2`');
      assert.equal(fresh.status, 'quote-mismatch');
    });

    it('keeps files read into one shared buffer apart, with and without a final line break', async () => {
      const folder = path.join(root, 'many');
      fs.mkdirSync(folder);
      for (let k = 1; k <= 60; k++) {
        const lines = Array.from({ length: k }, (_, i) => `file ${k} line ${i + 1}`);
        fs.writeFileSync(path.join(folder, `f${k}.txt`), lines.join('\n') + (k % 2 === 0 ? '\n' : ''));
      }
      const cache = new LineIndexCache();
      for (let k = 60; k >= 1; k--) {
        const checks = await check(`many/f${k}.txt:${k} \`file ${k} line ${k}\` and many/f${k}.txt:${k + 1}`, { cache });
        assert.equal(checks[0]?.status, 'verified', `last line of f${k}`);
        assert.equal(checks[1]?.message, `line ${k + 1} out of range, file has ${k} line${k === 1 ? '' : 's'}`);
        const lookup = cache.lookup(path.join(folder, `f${k}.txt`));
        assert.equal(lookup.kind, 'file');
        if (lookup.kind === 'file') assert.equal(lookup.file.text(k, k + 5), `file ${k} line ${k}`);
      }
    });

    it('gives the same lines in memory and indexed on disk, as text and as a list', () => {
      for (const cache of [new LineIndexCache(), new LineIndexCache({ inMemoryLimitBytes: 1 })]) {
        const lookup = cache.lookup(path.join(root, 'src', 'app.ts'));
        assert.equal(lookup.kind, 'file');
        if (lookup.kind !== 'file') continue;
        assert.deepEqual(lookup.file.lines(10, 12), ['app.listen(port, () => {', '  console.log(`listening on ${port}`);', '});']);
        assert.equal(lookup.file.text(10, 12), lookup.file.lines(10, 12).join('\n'));
        assert.equal(lookup.file.text(39, 99), 'export const value39 = 39;\nexport const value40 = 40;');
        assert.equal(lookup.file.text(41, 45), '');
        const crlf = cache.lookup(path.join(root, 'src', 'crlf.ts'));
        if (crlf.kind === 'file') assert.deepEqual(crlf.file.lines(1, 9), ['const a = 1;', 'const b = 2;', '', 'export { a, b };']);
      }
    });

    it('reports a fifo as unreadable instead of hanging', async function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(root, 'src', 'pipe.txt');
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [fifo]);
      const result = await one('src/pipe.txt:1');
      assert.equal(result.status, 'missing-file');
      assert.match(result.message, /cannot be read \(not a regular file\)/);
    });
  });

  describe('reports', () => {
    it('summarises statuses in one line', async () => {
      const checks = await check('src/app.ts:1 src/app.ts:3 src/app.ts:300 src/gone.ts:1 src/app.ts:12 `app.listen(port`', { readSet: new ReadSet() });
      assert.equal(formatCitationReport(checks), 'Citations: 0 verified, 1 missing file, 1 line out of range, 1 drifted line, 2 unread');
      const verified = await check('src/app.ts:1 src/app.ts:3');
      assert.equal(formatCitationReport(verified), 'Citations: 2 verified (0 quote matched, 2 line exists)');
      assert.equal(formatCitationReport([]), 'Citations: none');
      assert.equal(describeCitationCheck(verified[0] as CitationCheck), '✓ verified (line exists): line 1 exists; no quoted code to compare');
      const quoted = await check('src/app.ts:3 `const app = express();` and src/app.ts:1');
      assert.deepEqual(quoted.map((c) => c.verifiedBy), ['quote', 'line']);
      assert.equal(formatCitationReport(quoted), 'Citations: 2 verified (1 quote matched, 1 line exists)');
      assert.equal(describeCitationCheck(quoted[0] as CitationCheck), '✓ verified (quote matched): the quoted code is at line 3');
    });

    it('keeps order over thousands of citations and lets timers run while it works', async () => {
      const answer = Array.from({ length: 20_000 }, (_, i) => `big.log:${(i % 5000) + 1} \`entry ${(i % 5000) + 1} ok\``).join('\n');
      const citations = parseCitations(answer);
      let immediateRan = false;
      setImmediate(() => { immediateRan = true; });
      const started = Date.now();
      const checks = await verifyCitations(citations, { roots: [root] });
      const elapsed = Date.now() - started;
      assert.equal(checks.length, 20_000);
      assert.ok(checks.every((c, i) => c.status === 'verified' && c.citation.startLine === (i % 5000) + 1));
      // Work longer than a slice must have given the event loop a turn.
      if (elapsed > 50) assert.ok(immediateRan, `no yield in ${elapsed} ms`);
    });
  });
});
