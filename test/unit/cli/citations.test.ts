import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { bufferIo } from './bufferIo';

describe('cli/citations', () => {
  let tmp: string;
  let repo: string;
  let api: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cite-cli-')));
    repo = path.join(tmp, 'repo');
    api = path.join(tmp, 'api');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    fs.mkdirSync(path.join(api, 'src'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'src', 'a.ts'), Array.from({ length: 120 }, (_, i) => `export const v${i + 1} = ${i + 1};`).join('\n') + '\n');
    fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM node:20-alpine\nRUN npm ci\n');
    fs.writeFileSync(path.join(api, 'src', 'server.ts'), 'listen(3000);\n');
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function answer(name: string, text: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
  }

  it('prints one line per citation and the report, exit 0 when all verify', async () => {
    const file = answer('ok.md', 'The value is set at `src/a.ts:3` — `export const v3 = 3;` and the image in Dockerfile:1.\n');
    const io = bufferIo(repo);
    assert.equal(await runCli(['citations', file], io), 0);
    assert.equal(io.stdout, '✓ src/a.ts:3 (quote matched)\n✓ Dockerfile:1 (line exists)\nCitations: 2 verified (1 quote matched, 1 line exists)\n');
  });

  it('marks problems with the reason and exits 1', async () => {
    const file = answer('bad.md', 'See src/a.ts:300 and src/a.ts:10-11 `export const v12 = 12;` and src/gone.ts:1.\n');
    const io = bufferIo(repo);
    assert.equal(await runCli(['citations', file], io), 1);
    assert.equal(io.stdout, [
      '✗ src/a.ts:300 — line 300 out of range, file has 120 lines',
      '✗ src/a.ts:10-11 — the quoted code is at line 12, not lines 10-11',
      '✗ src/gone.ts:1 — src/gone.ts does not exist',
      'Citations: 0 verified, 1 missing file, 1 line out of range, 1 drifted line',
      '',
    ].join('\n'));
  });

  it('prints exactly the documented JSON', async () => {
    const file = answer('json.md', 'src/a.ts:3 and src/a.ts:10 `export const v12 = 12;`\n');
    const io = bufferIo(repo);
    assert.equal(await runCli(['citations', file, '--json'], io), 1);
    assert.deepEqual(JSON.parse(io.stdout), {
      citations: [
        { text: 'src/a.ts:3', path: 'src/a.ts', startLine: 3, endLine: 3, status: 'verified', message: 'line 3 exists', verifiedBy: 'line' },
        { text: 'src/a.ts:10', path: 'src/a.ts', startLine: 10, endLine: 10, status: 'line-drift', message: 'the quoted code is at line 12, not line 10', actualStartLine: 12 },
      ],
      summary: { total: 2, verified: 1, problems: 1 },
    });
  });

  it('reads the answer from stdin with -, and checks against --root', async () => {
    const io = bufferIo(tmp, 'Look at src/a.ts:120 `v120 = 120`\n');
    assert.equal(await runCli(['citations', '-', '--root', 'repo'], io), 0);
    assert.match(io.stdout, /✓ src\/a\.ts:120/);
  });

  it('accepts several --root folders and resolves folder-name paths', async () => {
    const io = bufferIo(tmp, 'repo/src/a.ts:1 and api/src/server.ts:1 `listen(3000);`\n');
    assert.equal(await runCli(['citations', '-', '--root', repo, '--root', api, '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.stdout).summary, { total: 2, verified: 2, problems: 0 });
  });

  it('succeeds with no citations at all', async () => {
    const io = bufferIo(repo, 'Nothing cited here, only localhost:8080 and node:20.\n');
    assert.equal(await runCli(['citations', '-'], io), 0);
    assert.equal(io.stdout, 'Citations: none\n');
  });

  it('never reports unread: the CLI has no session', async () => {
    const io = bufferIo(repo, 'src/a.ts:1\n');
    await runCli(['citations', '-', '--json'], io);
    assert.equal(JSON.parse(io.stdout).citations[0].status, 'verified');
  });

  it('gives usage errors (exit 2) for a missing file, a bad root, extra arguments and unknown options', async () => {
    const missing = bufferIo(repo);
    assert.equal(await runCli(['citations', 'nope.md'], missing), 2);
    assert.match(missing.stderr, /nope\.md does not exist/);
    const badRoot = bufferIo(repo, 'x');
    assert.equal(await runCli(['citations', '-', '--root', 'no-such-dir'], badRoot), 2);
    assert.match(badRoot.stderr, /--root .*no-such-dir does not exist/);
    const fileRoot = bufferIo(repo, 'x');
    assert.equal(await runCli(['citations', '-', '--root', 'Dockerfile'], fileRoot), 2);
    assert.match(fileRoot.stderr, /is not a folder/);
    assert.equal(await runCli(['citations'], bufferIo(repo)), 2);
    assert.equal(await runCli(['citations', 'a.md', 'b.md'], bufferIo(repo)), 2);
    const unknown = bufferIo(repo);
    assert.equal(await runCli(['citations', '-', '--frobnicate'], unknown), 2);
    assert.match(unknown.stderr, /frobnicate/);
    const folder = bufferIo(repo);
    assert.equal(await runCli(['citations', 'src'], folder), 2);
    assert.match(folder.stderr, /is a folder/);
  });

  it('shows help with exit 0 and is listed in the main help', async () => {
    const io = bufferIo(repo);
    assert.equal(await runCli(['citations', '--help'], io), 0);
    assert.match(io.stdout, /Usage: devops-agent citations FILE\|- \[--root DIR\]/);
    const main = bufferIo(repo);
    await runCli(['--help'], main);
    assert.match(main.stdout, /citations\s+check path:line citations/);
  });
});
