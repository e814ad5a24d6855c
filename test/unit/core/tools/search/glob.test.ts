import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { globTool } from '../../../../../src/core/tools/search/glob';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import type { ToolEnvironment, ToolLimits } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null' } });

describe('core/tools/search/glob', () => {
  let tmp: string;
  let repo: string;
  let plain: string;
  const write = (base: string, name: string, content = 'x\n', ageSeconds?: number): void => {
    const file = path.join(base, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
    if (ageSeconds !== undefined) {
      const when = new Date(Date.now() - ageSeconds * 1000);
      fs.utimesSync(file, when, when);
    }
  };

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'glob-tool-')));
    repo = path.join(tmp, 'repo');
    plain = path.join(tmp, 'plain');
    write(repo, '.gitignore', 'node_modules/\ndist/\n*.log\n');
    write(repo, 'src/old.ts', 'x\n', 300);
    write(repo, 'src/new.ts', 'x\n', 10);
    write(repo, 'src/mid.ts', 'x\n', 100);
    write(repo, 'src/lib/deep.ts', 'x\n', 200);
    write(repo, 'src/gen/.gitignore', '*.gen.ts\n');
    write(repo, 'src/gen/a.gen.ts', 'x\n', 50);
    write(repo, 'src/gen/kept.ts', 'x\n', 400);
    write(repo, 'app.ts', 'x\n', 500);
    write(repo, '.github/workflows/ci.yml', 'on: push\n', 20);
    write(repo, 'node_modules/pkg/index.ts', 'x\n', 30);
    write(repo, 'node_modules/pkg/lib/util.ts', 'x\n', 40);
    write(repo, 'dist/bundle.ts', 'x\n');
    write(repo, 'debug.log', 'x\n');
    write(repo, 'ünïcode/データ.ts', 'x\n', 600);
    write(repo, 'deleted.ts', 'x\n');
    write(repo, 'tracked-ignored.log', 'x\n');
    git(repo, 'init', '-q');
    git(repo, 'add', '-A');
    git(repo, 'add', '-f', 'tracked-ignored.log');
    git(repo, 'commit', '-q', '-m', 'init');
    fs.rmSync(path.join(repo, 'deleted.ts'));
    write(repo, 'untracked.ts', 'x\n', 700);
    write(repo, 'vendor/inner/.keep', '');
    git(path.join(repo, 'vendor', 'inner'), 'init', '-q');
    write(repo, 'vendor/inner/lib.ts', 'x\n', 800);
    write(plain, '.gitignore', 'build/\n');
    write(plain, 'main.ts', 'x\n', 5);
    write(plain, 'build/out.ts', 'x\n');
    write(plain, 'docs/guide.md', 'x\n');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const glob = async (input: Record<string, unknown>, options: { roots?: string[]; limits?: Partial<ToolLimits>; environment?: ToolEnvironment } = {}): Promise<{ ok: boolean; text: string }> => {
    const ctx = processToolContext(options.roots ?? [repo], { ...(options.limits ? { limits: options.limits } : {}), ...(options.environment ? { environment: options.environment } : {}) });
    return globTool.run(globTool.parse(input), ctx);
  };

  it('lists matching files newest first, honouring nested .gitignore files and git\'s view', async () => {
    const { ok, text } = await glob({ pattern: '**/*.ts' });
    assert.equal(ok, true);
    assert.equal(text, [
      '9 files match "**/*.ts" in the workspace (newest first):',
      'src/new.ts', 'src/mid.ts', 'src/lib/deep.ts', 'src/old.ts', 'src/gen/kept.ts', 'app.ts', 'ünïcode/データ.ts', 'untracked.ts', 'vendor/inner/lib.ts',
    ].join('\n'));
  });

  it('matches hidden folders and lists tracked files even when an ignore rule matches them', async () => {
    assert.equal((await glob({ pattern: '**/*.yml' })).text, '1 file match "**/*.yml" in the workspace (newest first):\n.github/workflows/ci.yml');
    assert.equal((await glob({ pattern: '*.log' })).text, '1 file match "*.log" in the workspace (newest first):\ntracked-ignored.log');
  });

  it('matches the whole relative path and hints at ** when nothing matches at the top', async () => {
    assert.equal((await glob({ pattern: '*.ts' })).text, '2 files match "*.ts" in the workspace (newest first):\napp.ts\nuntracked.ts');
    assert.equal(
      (await glob({ pattern: '*.yml' })).text,
      'No files match "*.yml" in the workspace. Patterns match whole relative paths, so "*.yml" only matches files directly in the workspace; use "**/*.yml" for any depth. Files ignored by .gitignore are not listed.',
    );
  });

  it('searches under path, with paths still relative to the workspace', async () => {
    assert.equal((await glob({ pattern: '**/*.ts', path: 'src/lib' })).text, '1 file match "**/*.ts" in src/lib (newest first):\nsrc/lib/deep.ts');
    assert.equal((await glob({ pattern: '{new,old}.ts', path: './src' })).text, '2 files match "{new,old}.ts" in ./src (newest first):\nsrc/new.ts\nsrc/old.ts');
  });

  it('lists a folder git ignores when it is asked for explicitly', async () => {
    assert.equal((await glob({ pattern: '**/*.ts', path: 'node_modules/pkg' })).text, '2 files match "**/*.ts" in node_modules/pkg (newest first):\nnode_modules/pkg/index.ts\nnode_modules/pkg/lib/util.ts');
  });

  it('leaves out files.exclude patterns (and everything under an excluded folder)', async () => {
    const { text } = await glob({ pattern: '**/*.ts' }, { environment: { excludeGlobs: ['**/lib', 'src/gen/**', '**/*データ*'] } });
    assert.equal(text.split('\n').slice(1).join(','), 'src/new.ts,src/mid.ts,src/old.ts,app.ts,untracked.ts,vendor/inner/lib.ts');
  });

  it('lists the same files as git ls-files for "**"', async () => {
    const { text } = await glob({ pattern: '**' });
    const ours = text.split('\n').slice(1).sort();
    const fromGit = git(repo, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter((f) => f !== '' && f !== 'deleted.ts' && !f.endsWith('/'));
    const nested = git(path.join(repo, 'vendor', 'inner'), 'ls-files', '-z', '--others', '--exclude-standard').split('\0').filter((f) => f !== '').map((f) => `vendor/inner/${f}`);
    assert.deepEqual(ours, [...fromGit, ...nested].sort());
    assert.ok(!ours.some((f) => f.startsWith('.git/') || f.includes('/.git/')));
  });

  it('honours .gitignore outside git work trees too', async () => {
    assert.equal((await glob({ pattern: '**/*' }, { roots: [plain] })).text.split('\n').slice(1).sort().join(','), '.gitignore,docs/guide.md,main.ts');
  });

  it('prefixes folder names in a multi-root workspace', async () => {
    const { text } = await glob({ pattern: '*.ts' }, { roots: [repo, plain] });
    assert.equal(text, '3 files match "*.ts" in the workspace (newest first):\nplain/main.ts\nrepo/app.ts\nrepo/untracked.ts');
  });

  it('caps the list at maxGlobResults and says what was left out', async () => {
    const { text } = await glob({ pattern: '**/*.ts' }, { limits: { maxGlobResults: 3 } });
    assert.equal(text, '9 files match "**/*.ts" in the workspace (newest first):\nsrc/new.ts\nsrc/mid.ts\nsrc/lib/deep.ts\n… 6 more files not shown (limit 3 files): narrow the pattern or set path to a subfolder.');
  });

  it('refuses paths outside the workspace, missing folders and files', async () => {
    assert.match((await glob({ pattern: '*', path: '..' })).text, /^refused: '\.\.' leaves the workspace folder/);
    assert.equal((await glob({ pattern: '*', path: 'nope' })).text, 'Glob: the folder nope does not exist.');
    assert.equal((await glob({ pattern: '*', path: 'app.ts' })).text, 'Glob: "path" app.ts is a file; give the folder to search (or Read the file).');
  });

  const invalid: ReadonlyArray<[string, unknown, RegExp]> = [
    ['a missing pattern', {}, /Glob: "pattern" is required/],
    ['an absolute pattern', { pattern: '/etc/*' }, /must be relative; put the folder in "path"/],
    ['a pattern with ..', { pattern: '../**/*.ts' }, /must not contain "\.\." steps/],
    ['a folder pattern', { pattern: 'src/' }, /names folders, but Glob lists files; use "src\/\*\*"/],
    ['an unknown field', { pattern: '*', cwd: 'src' }, /Glob: unknown field "cwd"/],
    ['a non-string path', { pattern: '*', path: 3 }, /"path" must be a string/],
  ];
  for (const [name, input, message] of invalid) {
    it(`parse rejects ${name}`, () => {
      assert.throws(() => globTool.parse(input), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }
});
