import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { explainBubblewrapFailure, findExecutable, probeSandbox, sandboxRefusalMessage } from '../../../../src/core/sandbox/sandboxAvailability';

describe('core/sandbox/sandboxAvailability', function () {
  this.timeout(20_000);
  let empty: string;
  before(() => { empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-tools-')); });
  after(() => fs.rmSync(empty, { recursive: true, force: true }));

  it('refuses on Windows and macOS with what to do instead', async () => {
    const windows = await probeSandbox(false, 'win32');
    assert.equal(windows.ok, false);
    assert.match(windows.ok ? '' : `${windows.why} / ${windows.fix}`, /Windows has no OS sandbox.*WSL/);
    const mac = await probeSandbox(false, 'darwin');
    assert.equal(mac.ok, false);
    // what Bash answers on macOS: why, the fix, and the one setting that runs commands without the sandbox
    const refusal = mac.ok ? '' : sandboxRefusalMessage(mac);
    assert.match(refusal, /^Bash is refused: no sandbox can run here: .*the macOS sandbox \(Seatbelt, `sandbox-exec`\) is not supported yet/);
    assert.match(refusal, /To fix it, open the folder in a Linux dev container/);
    assert.match(refusal, /only if the user sets devopsAgent\.sandbox\.enabled to false in their user settings/);
  });

  it('says bubblewrap is missing and how to install it', async () => {
    const missing = await probeSandbox(false, 'linux', empty);
    assert.equal(missing.ok, false);
    assert.match(missing.ok ? '' : missing.why, /bubblewrap \(`bwrap`\) is not installed/);
    assert.match(missing.ok ? '' : missing.fix, /apt-get install bubblewrap socat/);
  });

  it('explains a user-namespace failure with the sysctl that fixes it', () => {
    const explained = explainBubblewrapFailure('bwrap: setting up uid map: Permission denied');
    assert.match(explained.why, /cannot create a user namespace/);
    assert.match(explained.fix, /kernel\.unprivileged_userns_clone=1/);
    assert.match(explained.fix, /apparmor_restrict_unprivileged_userns/);
    assert.match(explainBubblewrapFailure('bwrap: something else').why, /fails to start a sandbox: bwrap: something else/);
  });

  it('runs a trial sandbox here, and needs socat only when hosts are allowed', async function () {
    const bwrap = await findExecutable('bwrap');
    if (bwrap === undefined) {
      console.log('    (skipped: bubblewrap is not installed; scripts/ensure-test-env.sh installs it)');
      this.skip();
    }
    const here = await probeSandbox(true);
    assert.equal(here.ok, true, JSON.stringify(here));
    // a PATH with bwrap and without socat: fine without allowed hosts, refused with them
    fs.symlinkSync(bwrap as string, path.join(empty, 'bwrap'));
    assert.equal((await probeSandbox(false, 'linux', empty)).ok, true);
    const noSocat = await probeSandbox(true, 'linux', empty);
    assert.match(noSocat.ok ? '' : noSocat.why, /`socat` is not installed/);
    execFileSync(bwrap as string, ['--version']);
  });
});
