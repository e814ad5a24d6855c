import * as assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/main';
import { bufferIo } from './bufferIo';

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
});
