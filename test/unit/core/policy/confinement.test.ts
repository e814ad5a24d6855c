import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  DEFAULT_DENIED_PATH_GLOBS,
  defaultDeniedReason,
  openConfined,
  PathRefusedError,
  resolveConfinedPath,
  workspaceDisplayPath,
} from '../../../../src/core/policy/confinement';

describe('core/policy/confinement', () => {
  let tmp: string;
  let w: string;
  let lib: string;
  let outside: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'confine-')));
    w = path.join(tmp, 'w');
    lib = path.join(tmp, 'lib');
    outside = path.join(tmp, 'outside');
    for (const dir of [w, lib, outside, path.join(tmp, 'w-sibling'), path.join(w, 'src'), path.join(w, 'nested', 'a', 'b'), path.join(w, 'ünïcode')]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    fs.writeFileSync(path.join(w, 'src', 'app.ts'), 'export {};\n');
    fs.writeFileSync(path.join(w, 'nested', 'a', 'b', 'c.txt'), 'c\n');
    fs.writeFileSync(path.join(w, 'ünïcode', 'ファイル.txt'), 'u\n');
    fs.writeFileSync(path.join(w, 'weird\\name.txt'), 'literal backslash\n');
    fs.writeFileSync(path.join(lib, 'x.ts'), 'x\n');
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret\n');
    fs.writeFileSync(path.join(tmp, 'w-sibling', 'x'), 'x\n');
    const link = (name: string, target: string): void => fs.symlinkSync(target, path.join(w, name));
    link('inside-link', 'src');
    link('file-link', 'src/app.ts');
    link('out-link', '../outside');
    link('out-file-link', '../outside/secret.txt');
    link('chain1', 'chain2');
    link('chain2', 'chain3');
    link('chain3', '../outside');
    link('chain-in1', 'chain-in2');
    link('chain-in2', 'src');
    link('dangling-out', '../outside/missing.txt');
    link('dangling-chain', 'dangling-out');
    link('dangling-in', 'src/new.txt');
    link('loop1', 'loop2');
    link('loop2', 'loop1');
    link('rel-up-link', '..');
    link('abs-link', '/etc');
    fs.symlinkSync(w, path.join(tmp, 'alias'));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const escapes: ReadonlyArray<[string, (t: string) => string, RegExp]> = [
    ['dot-dot to a sibling folder', () => '../outside/secret.txt', /leaves the workspace folder/],
    ['dot-dot twice', () => '../../etc/passwd', /leaves the workspace folder/],
    ['dot-dot after a real folder', () => 'src/../../outside/secret.txt', /leaves/],
    ['./ then dot-dot', () => './../outside', /leaves/],
    ['bare dot-dot', () => '..', /leaves/],
    ['deep dot-dot', () => 'nested/a/../../../outside', /leaves/],
    ['dot-dot through a missing folder', () => 'missing-dir/../../outside/new.txt', /leaves/],
    ['dot-dot after a symlink that stays inside', () => 'inside-link/../../outside', /leaves/],
    ['absolute /etc/passwd', () => '/etc/passwd', /is outside the workspace folder/],
    ['absolute path to a sibling', (t) => path.join(t, 'outside', 'secret.txt'), /is outside/],
    ['absolute path sharing the root as a name prefix', (t) => path.join(t, 'w-sibling', 'x'), /is outside/],
    ['relative path to a prefix sibling', () => '../w-sibling/x', /leaves/],
    ['absolute path with dot-dot', (t) => `${t}/w/../outside/secret.txt`, /is outside/],
    ['folder symlink to outside', () => 'out-link/secret.txt', /symbolic link to .*outside/],
    ['the outside folder symlink itself', () => 'out-link', /symbolic link/],
    ['file symlink to outside', () => 'out-file-link', /symbolic link to .*secret\.txt/],
    ['symlink chain leaving the workspace', () => 'chain1/secret.txt', /symbolic link/],
    ['symlink chain itself', () => 'chain1', /symbolic link/],
    ['dangling symlink to outside (a write would create it there)', () => 'dangling-out', /symbolic link to .*missing\.txt/],
    ['chain ending in a dangling symlink to outside', () => 'dangling-chain', /symbolic link/],
    ['symlink loop', () => 'loop1/x', /symbolic link loop/],
    ['symlink to the parent folder', () => 'rel-up-link/outside/secret.txt', /symbolic link/],
    ['absolute symlink to /etc', () => 'abs-link/passwd', /symbolic link to \/etc/],
    ['~/ home path', () => '~/.ssh/id_rsa', /starts with '~'/],
    ['bare ~', () => '~', /starts with '~'/],
    ['~user', () => '~root/.bashrc', /starts with '~'/],
    ['NUL byte', () => 'src/app.ts\u0000.png', /NUL byte/],
    ['file:// URI outside', () => 'file:///etc/passwd', /is a URI/],
    ['file:// URI even when inside', (t) => `file://${t}/w/src/app.ts`, /is a URI/],
    ['other URI scheme', () => 'vscode-remote://host/x', /is a URI/],
    ['Windows drive with backslash', () => 'C:\\Windows\\system32', /Windows drive path/],
    ['Windows drive with slash', () => 'C:/Windows', /Windows drive path/],
    ['drive-relative', () => 'c:relative', /Windows drive path/],
    ['UNC with backslashes', () => '\\\\server\\share\\x', /UNC/],
    ['UNC with slashes', () => '//server/share/x', /UNC/],
    ['empty path', () => '', /empty/],
    ['blank path', () => '   ', /empty/],
    ['Windows-style dot-dot on POSIX', () => 'src\\..\\..\\outside', /contains '\\'; paths here use '\/'/],
    ['multi-root name then dot-dot out', () => 'lib/../../outside/secret.txt', /leaves/],
  ];

  describe('refuses escapes', () => {
    for (const [name, requested, message] of escapes) {
      it(name, async () => {
        const asked = requested(tmp);
        await assert.rejects(resolveConfinedPath([w, lib], asked), (error: unknown) => {
          assert.ok(error instanceof PathRefusedError, `expected PathRefusedError for ${JSON.stringify(asked)}, got ${String(error)}`);
          assert.match(error.message, /^refused: /);
          assert.match(error.message, message);
          return true;
        });
      });
    }
    it('has at least 30 escape cases', () => assert.ok(escapes.length >= 30));
  });

  const allowed: ReadonlyArray<[string, (t: string) => string, string, boolean, 'w' | 'lib']> = [
    ['a plain relative file', () => 'src/app.ts', 'src/app.ts', true, 'w'],
    ['./ prefix', () => './src/app.ts', 'src/app.ts', true, 'w'],
    ['repeated ./ prefix', () => '././src/app.ts', 'src/app.ts', true, 'w'],
    ['nested folders', () => 'nested/a/b/c.txt', 'nested/a/b/c.txt', true, 'w'],
    ['dot-dot that stays inside', () => 'nested/a/../a/b/c.txt', 'nested/a/b/c.txt', true, 'w'],
    ['absolute path inside', (t) => path.join(t, 'w', 'src', 'app.ts'), 'src/app.ts', true, 'w'],
    ['absolute path through an alias of the root', (t) => path.join(t, 'alias', 'src', 'app.ts'), 'src/app.ts', true, 'w'],
    ['folder symlink that stays inside', () => 'inside-link/app.ts', 'src/app.ts', true, 'w'],
    ['file symlink that stays inside', () => 'file-link', 'src/app.ts', true, 'w'],
    ['symlink chain that stays inside', () => 'chain-in1/app.ts', 'src/app.ts', true, 'w'],
    ['dangling symlink inside resolves to its target', () => 'dangling-in', 'src/new.txt', false, 'w'],
    ['a new file in a new folder', () => 'src/new-dir/new.txt', 'src/new-dir/new.txt', false, 'w'],
    ['the workspace folder itself', () => '.', '.', true, 'w'],
    ['unicode names', () => 'ünïcode/ファイル.txt', 'ünïcode/ファイル.txt', true, 'w'],
    ['a file whose name holds a backslash (literal on POSIX)', () => 'weird\\name.txt', 'weird\\name.txt', true, 'w'],
    ['another workspace folder by name', () => 'lib/x.ts', 'x.ts', true, 'lib'],
    ['the first folder by its own name', () => 'w/src/app.ts', 'src/app.ts', true, 'w'],
    ['a missing path under another folder by name', () => 'lib/new/y.ts', 'new/y.ts', false, 'lib'],
    ['absolute path in the second folder', (t) => path.join(t, 'lib', 'x.ts'), 'x.ts', true, 'lib'],
  ];

  describe('allows paths inside', () => {
    for (const [name, requested, relative, exists, rootName] of allowed) {
      it(name, async () => {
        const target = await resolveConfinedPath([w, lib], requested(tmp));
        const root = rootName === 'w' ? w : lib;
        assert.equal(target.root, root);
        assert.equal(target.relative, relative);
        assert.equal(target.exists, exists);
        assert.equal(target.absolute, relative === '.' ? root : path.join(root, ...relative.split('/')));
      });
    }
  });

  it('prefers an existing entry in the first folder over a folder name', async () => {
    const shadow = path.join(w, 'lib');
    fs.mkdirSync(shadow);
    try {
      const target = await resolveConfinedPath([w, lib], 'lib/x.ts');
      assert.equal(target.root, w);
      assert.equal(target.relative, 'lib/x.ts');
      assert.equal(target.exists, false);
    } finally {
      fs.rmSync(shadow, { recursive: true });
    }
  });

  it('refuses everything when no workspace folder exists', async () => {
    await assert.rejects(resolveConfinedPath([path.join(tmp, 'gone')], 'a.txt'), /no workspace folder is open/);
  });

  it('shows multi-root paths with the folder name', async () => {
    const target = await resolveConfinedPath([w, lib], 'lib/x.ts');
    assert.equal(workspaceDisplayPath(target, [w, lib]), 'lib/x.ts');
    assert.equal(workspaceDisplayPath(target, [lib]), 'x.ts');
  });

  describe('openConfined', () => {
    let scratch: string;
    let away: string;
    beforeEach(() => {
      scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'confine-open-')));
      away = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'confine-away-')));
      fs.mkdirSync(path.join(scratch, 'sub'));
      fs.writeFileSync(path.join(scratch, 'sub', 'file.txt'), 'inside\n');
      fs.writeFileSync(path.join(away, 'file.txt'), 'outside secret\n');
    });
    afterEach(() => {
      fs.rmSync(scratch, { recursive: true, force: true });
      fs.rmSync(away, { recursive: true, force: true });
    });

    const swapFolderForSymlink = (): void => {
      fs.renameSync(path.join(scratch, 'sub'), path.join(scratch, 'sub.bak'));
      fs.symlinkSync(away, path.join(scratch, 'sub'));
    };

    it('opens a confined file for reading', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/file.txt');
      const handle = await openConfined(target, 'r');
      try {
        assert.equal((await handle.readFile()).toString(), 'inside\n');
      } finally {
        await handle.close();
      }
    });

    it('refuses a read when the folder was swapped for a symlink to outside after resolving', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/file.txt');
      swapFolderForSymlink();
      await assert.rejects(openConfined(target, 'r'), (error: unknown) => {
        assert.ok(error instanceof PathRefusedError);
        assert.match(error.message, /outside the workspace folder .*symbolic link/);
        return true;
      });
    });

    it('refuses a write to a new file when the folder was swapped, and leaves nothing outside', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/new.txt');
      assert.equal(target.exists, false);
      swapFolderForSymlink();
      await assert.rejects(openConfined(target, 'w'), PathRefusedError);
      assert.deepEqual(fs.readdirSync(away), ['file.txt']);
    });

    it('refuses a write to an existing file when the folder was swapped, leaving the outside file intact', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/file.txt');
      swapFolderForSymlink();
      await assert.rejects(openConfined(target, 'w'), PathRefusedError);
      assert.equal(fs.readFileSync(path.join(away, 'file.txt'), 'utf8'), 'outside secret\n');
    });

    it('refuses when the file itself became a symlink after resolving', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/file.txt');
      fs.rmSync(path.join(scratch, 'sub', 'file.txt'));
      fs.symlinkSync(path.join(away, 'file.txt'), path.join(scratch, 'sub', 'file.txt'));
      await assert.rejects(openConfined(target, 'r'), /became a symbolic link/);
    });

    it('opens a replacement file that is still inside (identity is judged at open time)', async () => {
      const target = await resolveConfinedPath([scratch], 'sub/file.txt');
      swapFolderForSymlink();
      // the swap is undone, but with a different file at the same path
      fs.rmSync(path.join(scratch, 'sub'));
      fs.mkdirSync(path.join(scratch, 'sub'));
      fs.writeFileSync(path.join(scratch, 'sub', 'file.txt'), 'replacement\n');
      const handle = await openConfined(target, 'r');
      try {
        assert.equal((await handle.readFile()).toString(), 'replacement\n');
      } finally {
        await handle.close();
      }
    });

    it('writes: creates a new file and truncates an existing one only after the checks', async () => {
      const fresh = await resolveConfinedPath([scratch], 'sub/created.txt');
      const created = await openConfined(fresh, 'w');
      await created.writeFile('new\n');
      await created.close();
      assert.equal(fs.readFileSync(path.join(scratch, 'sub', 'created.txt'), 'utf8'), 'new\n');
      const existing = await resolveConfinedPath([scratch], 'sub/file.txt');
      const handle = await openConfined(existing, 'w');
      await handle.writeFile('short\n');
      await handle.close();
      assert.equal(fs.readFileSync(path.join(scratch, 'sub', 'file.txt'), 'utf8'), 'short\n');
    });
  });

  describe('defaultDeniedReason', () => {
    let ws: string;
    let home: string;
    before(() => {
      ws = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'confine-deny-')));
      home = path.join(ws, 'home');
      const files: Record<string, string> = {
        '.env': 'A=1', '.env.local': 'A=1', '.ENV': 'A=1', '.envrc': 'export A=1', '.env.production': 'A=1',
        '.env.example': 'A=', '.envrc.example': 'A=', '.env.sample': 'A=', 'config/.env.template': 'A=',
        'certs/server.pem': 'x', 'certs/server.key': 'x', 'keys/id_rsa': 'x', 'keys/id_rsa.pub': 'ssh-rsa x',
        'keys/id_ed25519': 'x', 'keys/id_ecdsa_sk': 'x', '.npmrc': 'x', '.netrc': 'x', '.pypirc': 'x', '.git-credentials': 'x',
        'src/env.ts': 'x', 'src/keys.ts': 'x', 'src/monkey.keys': 'x', 'docs/pem.md': 'x',
        'clean/.git/config': '[remote "origin"]\n\turl = https://github.com/o/r.git\n',
        'leaky/.git/config': '[remote "origin"]\n\turl = https://bob:ghp_secret123@github.com/o/r.git\n',
        'home/.ssh/known_hosts': 'x', 'home/.aws/credentials': 'x', 'home/.bashrc': 'x',
      };
      for (const [name, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
        fs.writeFileSync(path.join(ws, name), content);
      }
      fs.symlinkSync('.env', path.join(ws, 'innocent.txt'));
    });
    after(() => fs.rmSync(ws, { recursive: true, force: true }));

    const cases: ReadonlyArray<[string, RegExp | undefined]> = [
      ['.env', /\*\*\/\.env\* on the secret deny list/],
      ['.env.local', /\.env/],
      ['.ENV', /\.env/],
      ['.envrc', /\.env/],
      ['.env.production', /\.env/],
      ['.env.example', undefined],
      ['.envrc.example', undefined],
      ['.env.sample', undefined],
      ['config/.env.template', undefined],
      ['certs/server.pem', /\*\.pem/],
      ['certs/server.key', /\*\.key/],
      ['keys/id_rsa', /id_rsa/],
      ['keys/id_rsa.pub', undefined],
      ['keys/id_ed25519', /id_ed25519/],
      ['keys/id_ecdsa_sk', /id_ecdsa/],
      ['.npmrc', /\.npmrc/],
      ['.netrc', /\.netrc/],
      ['.pypirc', /\.pypirc/],
      ['.git-credentials', /\.git-credentials/],
      ['src/env.ts', undefined],
      ['src/keys.ts', undefined],
      ['src/monkey.keys', undefined],
      ['docs/pem.md', undefined],
      ['clean/.git/config', undefined],
      ['leaky/.git/config', /embedded password or token/],
      ['home/.ssh/known_hosts', /\.ssh/],
      ['home/.aws/credentials', /\.aws/],
      ['home/.bashrc', undefined],
      ['innocent.txt', /\.env/],
    ];
    for (const [name, expected] of cases) {
      it(`${name} → ${expected ? 'denied' : 'allowed'}`, async () => {
        const reason = defaultDeniedReason(await resolveConfinedPath([ws], name), home);
        if (expected === undefined) assert.equal(reason, undefined);
        else assert.match(reason ?? '(allowed)', expected);
      });
    }

    it('lists the globs it enforces', () => {
      for (const glob of ['**/.env*', '**/*.pem', '**/*.key', '**/id_rsa*', '**/.npmrc', '**/.netrc', '**/.pypirc', '**/.git-credentials', '~/.ssh/**', '~/.aws/**']) {
        assert.ok(DEFAULT_DENIED_PATH_GLOBS.includes(glob), glob);
      }
    });
  });
});
