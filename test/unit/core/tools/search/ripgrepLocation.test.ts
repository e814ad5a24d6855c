import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findBundledRipgrep, ripgrepCandidates } from '../../../../../src/core/tools/search/ripgrepLocation';
import { locateRipgrep } from '../../../../../src/core/tools/search/ripgrepSearch';

// Compiled tests live in out/test/unit/core/tools/.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..', '..');
const CODE_SERVER_APP_ROOT = path.join(REPO_ROOT, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');

describe('core/tools/search/ripgrepLocation', () => {
  let appRoot: string;
  beforeEach(() => { appRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'rg-location-')); });
  afterEach(() => fs.rmSync(appRoot, { recursive: true, force: true }));

  /** Puts a copy of the machine's real rg at a candidate location. */
  function install(candidate: string, mode = 0o755): void {
    const rg = locateRipgrep(undefined);
    if (!rg) throw new Error('no rg on PATH to copy');
    fs.mkdirSync(path.dirname(candidate), { recursive: true });
    fs.copyFileSync(rg, candidate);
    fs.chmodSync(candidate, mode);
  }

  it('lists the places VS Code builds keep ripgrep, with rg.exe on Windows', () => {
    assert.deepEqual(ripgrepCandidates('/app', 'linux', 'x64'), [
      '/app/node_modules/@vscode/ripgrep/bin/rg',
      '/app/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg',
      '/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg',
    ]);
    const windows = ripgrepCandidates('/app', 'win32', 'arm64');
    assert.ok(windows.every((c) => c.endsWith('rg.exe')), windows.join(', '));
    assert.match(windows[2] ?? '', /ripgrep-universal[\\/]bin[\\/]win32-arm64[\\/]rg\.exe$/);
  });

  it('finds nothing where no ripgrep is bundled', () => {
    assert.equal(findBundledRipgrep(appRoot), undefined);
    assert.equal(findBundledRipgrep(path.join(appRoot, 'missing')), undefined);
  });

  it('takes the first candidate that is an executable file, skipping one that is not executable', function () {
    if (!locateRipgrep(undefined)) {
      console.log('      (skipped: no rg on PATH to copy)');
      this.skip();
    }
    const [plain, unpacked, universal] = ripgrepCandidates(appRoot);
    install(universal as string);
    assert.equal(findBundledRipgrep(appRoot), universal);
    install(plain as string, 0o644);
    assert.equal(findBundledRipgrep(appRoot), universal, 'a file without the execute bit is skipped');
    install(unpacked as string);
    const found = findBundledRipgrep(appRoot);
    assert.equal(found, unpacked);
    assert.match(execFileSync(found as string, ['--version'], { encoding: 'utf8' }), /^ripgrep \d+/);
  });

  it('finds the ripgrep of the real VS Code (code-server) the integration tests run', function () {
    if (!fs.existsSync(CODE_SERVER_APP_ROOT)) {
      console.log(`      (skipped: no code-server install at ${CODE_SERVER_APP_ROOT})`);
      this.skip();
    }
    const found = findBundledRipgrep(CODE_SERVER_APP_ROOT);
    assert.ok(found, 'a bundled rg was found');
    assert.match(execFileSync(found, ['--version'], { encoding: 'utf8' }), /^ripgrep \d+/);
  });
});
