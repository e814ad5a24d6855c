import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PathRefusedError, resolveConfinedPath } from '../../../../../src/core/policy/confinement';
import { prepareConfinedWrite } from '../../../../../src/core/tools/files/confinedWrite';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { writeTool } from '../../../../../src/core/tools/files/write';
import { processToolContext } from '../processToolContext';

describe('core/tools/files/write', () => {
  let tmp: string;
  let root: string;
  let outside: string;
  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'write-tool-')));
    root = path.join(tmp, 'w');
    outside = path.join(tmp, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const write = async (input: Record<string, unknown>): Promise<{ ok: boolean; text: string; ctx: ReturnType<typeof processToolContext> }> => {
    const ctx = processToolContext([root]);
    const result = await writeTool.run(writeTool.parse(input), ctx);
    return { ...result, ctx };
  };

  it('creates a file and its missing folders, and records it as read', async () => {
    const { ok, text, ctx } = await write({ path: '.github/workflows/ci.yml', content: 'on: push\njobs: {}\n' });
    assert.equal(ok, true);
    assert.equal(text, 'Created .github/workflows/ci.yml (2 lines).');
    const absolute = path.join(root, '.github', 'workflows', 'ci.yml');
    assert.equal(fs.readFileSync(absolute, 'utf8'), 'on: push\njobs: {}\n');
    assert.ok(ctx.readSet.covers(absolute, 1, 2));
  });

  it('overwrites a file and reports the diff counts', async () => {
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:18\nRUN npm ci\n');
    const { ok, text } = await write({ path: 'Dockerfile', content: 'FROM node:20\nRUN npm ci\nCMD ["node", "."]\n' });
    assert.equal(ok, true);
    assert.equal(text, 'Overwrote Dockerfile: now 3 lines (+2 −1).');
    assert.equal(fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8'), 'FROM node:20\nRUN npm ci\nCMD ["node", "."]\n');
  });

  it('writes nothing when the content is unchanged', async () => {
    const file = path.join(root, 'same.txt');
    fs.writeFileSync(file, 'x\n');
    const before = fs.statSync(file).ino;
    const { text } = await write({ path: 'same.txt', content: 'x\n' });
    assert.equal(text, 'same.txt already has exactly this content (1 line); nothing was written.');
    assert.equal(fs.statSync(file).ino, before);
  });

  it('writes an empty file and unicode paths', async () => {
    assert.equal((await write({ path: 'ünï/空.txt', content: '' })).text, 'Created ünï/空.txt (0 lines).');
    assert.equal(fs.readFileSync(path.join(root, 'ünï', '空.txt'), 'utf8'), '');
  });

  const refusals: ReadonlyArray<[string, Record<string, unknown>, RegExp]> = [
    ['a secret file', { path: '.env', content: 'A=1' }, /^Denied: '\.env' matches \*\*\/\.env\*/],
    ['a key file', { path: 'certs/tls.key', content: 'x' }, /\*\.key on the secret deny list/],
    ['a path leaving the workspace', { path: '../outside/x.txt', content: 'x' }, /^refused: '\.\.\/outside\/x\.txt' leaves the workspace folder/],
    ['an absolute path elsewhere', { path: '/tmp/elsewhere.txt', content: 'x' }, /is outside the workspace folder/],
  ];
  for (const [name, input, message] of refusals) {
    it(`refuses ${name} and writes nothing`, async () => {
      const { ok, text } = await write(input);
      assert.equal(ok, false);
      assert.match(text, message);
      assert.deepEqual(fs.readdirSync(root), []);
      assert.deepEqual(fs.readdirSync(outside), []);
    });
  }

  it('refuses to write through a symlinked folder that leads outside', async () => {
    fs.symlinkSync(outside, path.join(root, 'link'));
    const { ok, text } = await write({ path: 'link/x.txt', content: 'x' });
    assert.equal(ok, false);
    assert.match(text, /symbolic link/);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('refuses a folder as the target', async () => {
    fs.mkdirSync(path.join(root, 'src'));
    const { ok, text } = await write({ path: 'src', content: 'x' });
    assert.equal(ok, false);
    assert.equal(text, 'src is a folder; give a file path to write.');
  });

  it('catches a folder swapped for a symlink between resolving and creating folders', async () => {
    fs.mkdirSync(path.join(root, 'sub'));
    const target = await resolveConfinedPath([root], 'sub/new/deep/x.txt');
    fs.renameSync(path.join(root, 'sub'), path.join(root, 'sub.bak'));
    fs.symlinkSync(outside, path.join(root, 'sub'));
    await assert.rejects(prepareConfinedWrite(target, [root]), PathRefusedError);
    assert.deepEqual(fs.readdirSync(outside), []);
  });

  it('previews a new file as its content and an overwrite as a unified diff', async () => {
    const ctx = processToolContext([root]);
    const created = await writeTool.preview(writeTool.parse({ path: 'app.py', content: 'print("hi")\n' }), ctx);
    assert.equal(created.title, 'Create app.py');
    assert.equal(created.detail, 'New file, 1 line:\n\n```py\nprint("hi")\n\n```');
    fs.writeFileSync(path.join(root, 'app.py'), 'print("hello")\n');
    const changed = await writeTool.preview(writeTool.parse({ path: 'app.py', content: 'print("hi")\n' }), ctx);
    assert.equal(changed.title, 'Overwrite app.py');
    assert.equal(changed.detail, '+1 −1 lines:\n\n```diff\n--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-print("hello")\n+print("hi")\n\n```');
    const refused = await writeTool.preview(writeTool.parse({ path: '.npmrc', content: 'x' }), ctx);
    assert.match(refused.detail, /^This call will be refused: Denied:/);
  });

  it('tells the guards the text before and after', async () => {
    const ctx = processToolContext([root]);
    fs.writeFileSync(path.join(root, 'a.txt'), 'old\n');
    const change = await writeTool.proposedChange?.(writeTool.parse({ path: 'a.txt', content: 'new\n', reason: 'rewrite' }), ctx);
    assert.deepEqual(change, { absolutePath: path.join(root, 'a.txt'), relativePath: 'a.txt', before: 'old\n', after: 'new\n', reason: 'rewrite' });
    const fresh = await writeTool.proposedChange?.(writeTool.parse({ path: 'b.txt', content: 'b' }), ctx);
    assert.equal(fresh?.before, undefined);
  });

  const invalid: ReadonlyArray<[string, unknown, RegExp]> = [
    ['missing content', { path: 'a.txt' }, /Write: "content" is required: the complete new text of the file \(use "" for an empty file\)\./],
    ['content not a string', { path: 'a.txt', content: ['x'] }, /"content" must be a string/],
    ['missing path', { content: 'x' }, /Write: "path" is required/],
    ['unknown field', { path: 'a', content: 'x', text: 'y' }, /Write: unknown field "text"/],
    ['misspelled field', { path: 'a', contents: 'x' }, /unknown field "contents" \(did you mean "content"\?\)/],
  ];
  for (const [name, input, message] of invalid) {
    it(`parse rejects ${name}`, () => {
      assert.throws(() => writeTool.parse(input), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }

  it('is a write tool whose subject is the path', () => {
    const input = writeTool.parse({ path: 'src/a.ts', content: '' });
    assert.equal(writeTool.id, 'devops_write');
    assert.equal(writeTool.riskOf(input), 'write');
    assert.equal(writeTool.subjectOf(input), 'src/a.ts');
  });
});
