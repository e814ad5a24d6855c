import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { bufferIo } from './bufferIo';
import { BUILT_CLI, ensureBuiltCli } from './builtCli';

describe('cli/main', () => {
  it('prints help with exit 0 for --help', async () => {
    const io = bufferIo();
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.stdout, /Usage: devops-agent <command>/);
    assert.match(io.stdout, /Exit codes: 0 ok, 1 a check failed, 2 usage or input error, 3 refused by policy/);
  });

  it('prints help with exit 2 when no command is given', async () => {
    const io = bufferIo();
    assert.equal(await runCli([], io), 2);
    assert.match(io.stdout, /Usage:/);
  });

  it('prints the package version', async () => {
    const io = bufferIo();
    assert.equal(await runCli(['--version'], io), 0);
    assert.match(io.stdout.trim(), /^\d+\.\d+\.\d+/);
  });

  it('rejects an unknown command with exit 2', async () => {
    const io = bufferIo();
    assert.equal(await runCli(['frobnicate'], io), 2);
    assert.match(io.stderr, /unknown command 'frobnicate'/);
  });

  it('exits 70 with the message when the CLI itself crashes, not 2 (usage)', function () {
    this.timeout(60_000);
    ensureBuiltCli();
    // A real fault in the real process: its standard output fails on the first write.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-crash-'));
    const preload = path.join(tmp, 'broken-stdout.cjs');
    fs.writeFileSync(preload, "process.stdout.write = () => { throw new Error('stdout is gone'); };\n");
    try {
      const run = spawnSync(process.execPath, ['--require', preload, BUILT_CLI, '--version'], { encoding: 'utf8' });
      assert.equal(run.status, 70, run.stderr);
      assert.match(run.stderr, /^devops-agent: unexpected error \(a bug in devops-agent, please report it\): stdout is gone$/m);
      const hook = spawnSync(process.execPath, ['--require', preload, BUILT_CLI, 'hook', 'claude-code'], { encoding: 'utf8', input: '{"hook_event_name":"Stop"}' });
      assert.notEqual(hook.status, 2, 'a crashed hook never exits 2, which Claude Code reads as "block"');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
