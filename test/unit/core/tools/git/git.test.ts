import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gitTool } from '../../../../../src/core/tools/git/git';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1' } });
}

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

describe('core/tools/git/git', function () {
  this.timeout(20_000);
  let tmp: string;
  let repo: string;
  let plain: string;

  const run = (input: unknown, roots: readonly string[] = [repo], ctx = processToolContext(roots)): Promise<{ ok: boolean; text: string }> =>
    gitTool.run(gitTool.parse(input), ctx);

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'git-tool-')));
    repo = path.join(tmp, 'repo');
    plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    fs.mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'Test Author');
    git(repo, 'config', 'user.email', 'author@example.com');
    git(repo, 'config', 'commit.gpgsign', 'false');
    write(path.join(repo, 'README.md'), 'line one\nline two\nline three\n');
    write(path.join(repo, 'src', 'app.ts'), 'export const version = 1;\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'first commit');
    write(path.join(repo, 'src', 'app.ts'), 'export const version = 2;\n');
    git(repo, 'commit', '-q', '-am', 'bump version');
    write(path.join(plain, 'file.txt'), 'x\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('status: branch, clean tree, then staged, modified and untracked files', async () => {
    const clean = await run({ action: 'status' });
    assert.equal(clean.ok, true);
    assert.match(clean.text, /Branch: main/);
    assert.match(clean.text, /Working tree clean/);
    write(path.join(repo, 'README.md'), 'line one\nline 2\nline three\n');
    write(path.join(repo, 'new.txt'), 'new\n');
    write(path.join(repo, 'staged.txt'), 'staged\n');
    git(repo, 'add', 'staged.txt');
    const dirty = await run({ action: 'status' });
    assert.match(dirty.text, /3 changed path/);
    assert.match(dirty.text, /^ M README\.md$/m);
    assert.match(dirty.text, /^\?\? new\.txt$/m);
    assert.match(dirty.text, /^A {2}staged\.txt$/m);
  });

  it('diff: working tree, staged, a range, and limited to paths', async () => {
    const work = await run({ action: 'diff' });
    assert.match(work.text, /^-line two$/m);
    assert.match(work.text, /^\+line 2$/m);
    assert.doesNotMatch(work.text, /staged/);
    const staged = await run({ action: 'diff', staged: true });
    assert.match(staged.text, /^\+staged$/m);
    assert.doesNotMatch(staged.text, /line 2/);
    const range = await run({ action: 'diff', range: 'HEAD~1..HEAD' });
    assert.match(range.text, /^-export const version = 1;$/m);
    assert.match(range.text, /^\+export const version = 2;$/m);
    const limited = await run({ action: 'diff', range: 'HEAD~1', paths: ['README.md'] });
    assert.match(limited.text, /line 2/);
    assert.doesNotMatch(limited.text, /version/);
    const none = await run({ action: 'diff', range: 'HEAD', paths: ['src'] });
    assert.match(none.text, /No differences/);
  });

  it('log: newest first, count, path filter and since', async () => {
    const log = await run({ action: 'log' });
    assert.ok(log.text.indexOf('bump version') < log.text.indexOf('first commit'));
    assert.match(log.text, /Test Author/);
    const one = await run({ action: 'log', count: 1 });
    assert.match(one.text, /bump version/);
    assert.doesNotMatch(one.text, /first commit/);
    const readme = await run({ action: 'log', path: 'README.md' });
    assert.match(readme.text, /first commit/);
    assert.doesNotMatch(readme.text, /bump version/);
    const future = await run({ action: 'log', since: `${new Date().getFullYear() + 2}-01-01` });
    assert.match(future.text, /No commits/);
    assert.match((await run({ action: 'log', since: '2 years ago' })).text, /first commit/);
  });

  it('show: a commit with its patch, and a file as of an older revision', async () => {
    const commit = await run({ action: 'show', rev: 'HEAD' });
    assert.match(commit.text, /bump version/);
    assert.match(commit.text, /^\+export const version = 2;$/m);
    const old = await run({ action: 'show', rev: 'HEAD~1', path: 'src/app.ts' });
    assert.equal(old.ok, true);
    assert.match(old.text, /version = 1;/);
    const missing = await run({ action: 'show', rev: 'no-such-branch' });
    assert.equal(missing.ok, false);
    assert.match(missing.text, /no-such-branch/);
  });

  it('blame: annotates the lines and records them as read', async () => {
    const ctx = processToolContext([repo]);
    const result = await gitTool.run(gitTool.parse({ action: 'blame', path: 'src/app.ts', start_line: 1, end_line: 1 }), ctx);
    assert.equal(result.ok, true);
    assert.match(result.text, /Test Author/);
    assert.match(result.text, /export const version = 2;/);
    assert.equal(ctx.readSet.covers(path.join(repo, 'src', 'app.ts'), 1, 1), true);
    const beyond = await run({ action: 'blame', path: 'src/app.ts', start_line: 5, end_line: 9 });
    assert.equal(beyond.ok, false);
    assert.match(beyond.text, /has only 1 line/);
  });

  it('branches lists local branches with the current one marked', async () => {
    git(repo, 'branch', 'feature/x');
    const result = await run({ action: 'branches' });
    assert.match(result.text, /^\* main /m);
    assert.match(result.text, /^ {2}feature\/x /m);
  });

  it('commit: just the given paths (new files included), or everything staged; nothing staged is refused', async () => {
    const some = await run({ action: 'commit', message: 'add new file', paths: ['new.txt'] });
    assert.equal(some.ok, true, some.text);
    assert.match(some.text, /add new file/);
    assert.match(some.text, /new\.txt/);
    assert.equal(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim(), 'new.txt');
    // staged.txt stays staged and README.md stays modified: only the named path was committed
    assert.match(git(repo, 'status', '--short'), /^A {2}staged\.txt$/m);
    assert.match(git(repo, 'status', '--short'), /^ M README\.md$/m);
    const staged = await run({ action: 'commit', message: '--staged commit starting with dashes' });
    assert.equal(staged.ok, true, staged.text);
    assert.equal(git(repo, 'log', '-1', '--format=%s').trim(), '--staged commit starting with dashes');
    assert.equal(git(repo, 'show', '--name-only', '--format=', 'HEAD').trim(), 'staged.txt');
    const nothing = await run({ action: 'commit', message: 'empty' });
    assert.equal(nothing.ok, false);
    assert.match(nothing.text, /Nothing is staged/);
    git(repo, 'checkout', '--', 'README.md');
  });

  it('checkout: create a branch, switch back, and report a bad ref', async () => {
    const created = await run({ action: 'checkout', ref: 'feature/new', create: true });
    assert.equal(created.ok, true, created.text);
    assert.equal(git(repo, 'branch', '--show-current').trim(), 'feature/new');
    const back = await run({ action: 'checkout', ref: 'main' });
    assert.equal(back.ok, true);
    assert.equal(git(repo, 'branch', '--show-current').trim(), 'main');
    const bad = await run({ action: 'checkout', ref: 'does-not-exist' });
    assert.equal(bad.ok, false);
    assert.match(bad.text, /does-not-exist/);
    assert.throws(() => gitTool.parse({ action: 'checkout', ref: 'bad..name', create: true }), ToolInputError);
    const invalid = await run({ action: 'checkout', ref: 'feature/.hidden', create: true });
    assert.equal(invalid.ok, false);
    assert.match(invalid.text, /not a valid git ref name/);
    assert.equal(git(repo, 'branch', '--show-current').trim(), 'main');
  });

  it('tag: lightweight and annotated; an invalid name is refused', async () => {
    const light = await run({ action: 'tag', name: 'v0.1.0' });
    assert.equal(light.ok, true, light.text);
    assert.equal(git(repo, 'cat-file', '-t', 'v0.1.0').trim(), 'commit');
    const annotated = await run({ action: 'tag', name: 'v0.2.0', message: 'release 0.2' });
    assert.equal(annotated.ok, true, annotated.text);
    assert.equal(git(repo, 'cat-file', '-t', 'v0.2.0').trim(), 'tag');
    assert.match(git(repo, 'tag', '-n1', 'v0.2.0'), /release 0\.2/);
    const invalid = await run({ action: 'tag', name: 'v1.lock/x' });
    assert.equal(invalid.ok, false);
    assert.match(invalid.text, /not a valid git ref name/);
  });

  it('refuses option-looking refs and paths before running git', () => {
    assert.throws(() => gitTool.parse({ action: 'show', rev: '--output=/tmp/pwned' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'diff', range: '--no-index' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'diff', range: 'HEAD..--exec=x' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'checkout', ref: '-b' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'tag', name: '-d' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'log', path: '--follow' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'log', since: '--all' }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'blame', path: 'a', start_line: 5, end_line: 2 }), ToolInputError);
    assert.throws(() => gitTool.parse({ action: 'push' }), /must be one of/);
    assert.throws(() => gitTool.parse({ action: 'commit' }), /message/);
    assert.throws(() => gitTool.parse({ action: 'log', limit: 5 }), /unknown field "limit"/);
  });

  it('risk is read for read actions and write for commit, checkout and tag', () => {
    assert.equal(gitTool.risk, 'write');
    for (const action of ['status', 'branches']) assert.equal(gitTool.riskOf(gitTool.parse({ action })), 'read');
    assert.equal(gitTool.riskOf(gitTool.parse({ action: 'diff', range: 'HEAD~1' })), 'read');
    assert.equal(gitTool.riskOf(gitTool.parse({ action: 'commit', message: 'm' })), 'write');
    assert.equal(gitTool.riskOf(gitTool.parse({ action: 'checkout', ref: 'main' })), 'write');
    assert.equal(gitTool.riskOf(gitTool.parse({ action: 'tag', name: 'v1' })), 'write');
    assert.equal(gitTool.subjectOf(gitTool.parse({ action: 'checkout', ref: 'dev', create: true })), 'checkout -b dev');
  });

  it('says clearly when the folder is not a git repository', async () => {
    const result = await run({ action: 'status' }, [plain]);
    assert.equal(result.ok, false);
    assert.equal(result.text, `${plain} is not inside a git repository; run \`git init\` or open a repository folder.`);
  });

  it('uses the repository of the given path in a multi-root workspace, and refuses paths outside the workspace', async () => {
    const viaPath = await run({ action: 'log', path: path.join(repo, 'README.md') }, [plain, repo]);
    assert.equal(viaPath.ok, true, viaPath.text);
    assert.match(viaPath.text, /first commit/);
    const viaRepo = await run({ action: 'status', repo: 'repo' }, [plain, repo]);
    assert.equal(viaRepo.ok, true, viaRepo.text);
    const outside = await run({ action: 'log', path: '../../etc/passwd' });
    assert.equal(outside.ok, false);
    assert.match(outside.text, /refused/);
  });

  it('bounds a huge diff: file summary first, then the start of the patch', async () => {
    write(path.join(repo, 'big.txt'), Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n'));
    git(repo, 'add', 'big.txt');
    const ctx = processToolContext([repo], { limits: { maxResultChars: 10_000 } });
    const result = await gitTool.run(gitTool.parse({ action: 'diff', staged: true }), ctx);
    assert.ok(result.text.length <= 10_000, `${result.text.length} chars`);
    assert.match(result.text, /summary first/);
    assert.match(result.text, /big\.txt \| 20000 \+/);
    assert.match(result.text, /^\+line 0$/m);
    assert.match(result.text, /omitted here/);
    git(repo, 'rm', '-q', '--cached', 'big.txt');
    fs.rmSync(path.join(repo, 'big.txt'));
  });

  it('previews a commit with the message and what will be committed', async () => {
    write(path.join(repo, 'preview.txt'), 'p\n');
    git(repo, 'add', 'preview.txt');
    const preview = await gitTool.preview(gitTool.parse({ action: 'commit', message: 'ship it' }), processToolContext([repo]));
    assert.equal(preview.title, 'Git commit');
    assert.match(preview.detail, /ship it/);
    assert.match(preview.detail, /A\tpreview\.txt/);
    assert.match(preview.detail, new RegExp(`Repository: \`${repo}\``));
    git(repo, 'rm', '-q', '--cached', 'preview.txt');
  });

  it('reports cancellation', async () => {
    const ctx = processToolContext([repo]);
    ctx.controller.abort();
    const result = await gitTool.run(gitTool.parse({ action: 'log' }), ctx);
    assert.equal(result.ok, false);
    assert.match(result.text, /cancelled/);
  });
});
