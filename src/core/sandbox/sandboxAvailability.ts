import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SANDBOX_ENABLED_SETTING } from './sandboxSettings';

/** Whether the OS sandbox can run here; when not, why in the user's words and how to fix it. */
export type SandboxAvailability =
  | { readonly ok: true; readonly bwrap: string; readonly socat?: string; readonly disableUserns?: boolean }
  | { readonly ok: false; readonly why: string; readonly fix: string };

const INSTALL_FIX =
  'install it: `sudo apt-get install bubblewrap socat` (Debian, Ubuntu), `sudo dnf install bubblewrap socat` (Fedora), ' +
  '`sudo pacman -S bubblewrap socat` (Arch)';

/** Finds an executable on PATH (or the given absolute path). */
export async function findExecutable(name: string, searchPath: string = process.env.PATH ?? ''): Promise<string | undefined> {
  const candidates = path.isAbsolute(name) ? [name] : searchPath.split(path.delimiter).filter((dir) => dir !== '').map((dir) => path.join(dir, name));
  for (const candidate of candidates) {
    try {
      await fs.access(candidate, fs.constants.X_OK);
      if ((await fs.stat(candidate)).isFile()) return candidate;
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Runs the smallest sandbox there is (`true` in fresh namespaces) and returns bwrap's complaint, if any. */
function trialRun(bwrap: string, disableUserns: boolean): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(bwrap, [
      '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--die-with-parent', '--cap-drop', 'ALL',
      ...(disableUserns ? ['--disable-userns'] : []),
      '--ro-bind', '/', '/', '--dev', '/dev', '--proc', '/proc', '--tmpfs', '/tmp', 'true',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString('utf8'); });
    child.once('error', (error) => resolve({ code: null, stderr: error.message }));
    child.once('close', (code) => resolve({ code, stderr: stderr.trim() }));
  });
}

/** Turns bwrap's own error into a reason and a fix a user can follow. */
export function explainBubblewrapFailure(stderr: string): { why: string; fix: string } {
  if (/user namespace|uid map|setting up uid|No permissions to creat|Operation not permitted/i.test(stderr)) {
    return {
      why: `bubblewrap cannot create a user namespace here (${stderr.split('\n')[0]})`,
      fix:
        'allow unprivileged user namespaces: `sudo sysctl kernel.unprivileged_userns_clone=1` (Debian), or on Ubuntu 23.10+ ' +
        '`sudo sysctl kernel.apparmor_restrict_unprivileged_userns=0` or an AppArmor profile that grants bwrap `userns`; ' +
        'inside a container, run it with user namespaces allowed (e.g. Docker `--security-opt seccomp=unconfined`)',
    };
  }
  return { why: `bubblewrap fails to start a sandbox: ${stderr.split('\n')[0] || 'no reason given'}`, fix: 'run `bwrap --ro-bind / / true` in a terminal to see the full error' };
}

/** Probes the machine: platform, bwrap on PATH, a trial sandbox, and socat when hosts must be reachable. */
export async function probeSandbox(needsProxy: boolean, platform: NodeJS.Platform = process.platform, searchPath?: string): Promise<SandboxAvailability> {
  if (platform === 'win32') {
    return {
      ok: false,
      why: 'Windows has no OS sandbox this extension can use for shell commands',
      fix: 'open the folder in WSL (Remote - WSL) with bubblewrap installed there',
    };
  }
  if (platform === 'darwin') {
    return {
      ok: false,
      why: 'the sandbox is built on Linux bubblewrap; the macOS sandbox (Seatbelt, `sandbox-exec`) is not supported yet',
      fix: 'open the folder in a Linux dev container (Dev Containers extension) or a Linux VM with bubblewrap installed',
    };
  }
  if (platform !== 'linux') {
    return {
      ok: false,
      why: `the sandbox is built on Linux bubblewrap and does not support ${platform} yet`,
      fix: 'run the workspace in a Linux dev container or VM with bubblewrap installed',
    };
  }
  const bwrap = await findExecutable('bwrap', searchPath);
  if (bwrap === undefined) return { ok: false, why: 'bubblewrap (`bwrap`) is not installed', fix: INSTALL_FIX };
  // --disable-userns (bubblewrap 0.8+) stops a command from building a namespace of its own; older versions lack it
  let disableUserns = true;
  let trial = await trialRun(bwrap, true);
  if (trial.code !== 0 && /unknown option|unrecognized option/i.test(trial.stderr)) {
    disableUserns = false;
    trial = await trialRun(bwrap, false);
  }
  if (trial.code !== 0) return { ok: false, ...explainBubblewrapFailure(trial.stderr) };
  if (!needsProxy) return { ok: true, bwrap, disableUserns };
  const socat = await findExecutable('socat', searchPath);
  if (socat === undefined) {
    return { ok: false, why: '`socat` is not installed; the sandbox needs it to reach the hosts in devopsAgent.sandbox.allowedHosts', fix: INSTALL_FIX };
  }
  return { ok: true, bwrap, socat, disableUserns };
}

/** Bash's refusal when the sandbox cannot run: why, how to fix it, and the one explicit way around it. */
export function sandboxRefusalMessage(failure: { readonly why: string; readonly fix: string }): string {
  return `Bash is refused: no sandbox can run here: ${failure.why}. To fix it, ${failure.fix}. ` +
    `Running commands without the sandbox is possible only if the user sets ${SANDBOX_ENABLED_SETTING} to false in their user settings ` +
    '(they can then read and write anything the user can, and reach the network); do not try to work around this.';
}

const cache = new Map<string, Promise<SandboxAvailability>>();

/** probeSandbox, remembered once it succeeds; a failure is probed again next time (the user may have fixed it). */
export function sandboxAvailability(needsProxy: boolean): Promise<SandboxAvailability> {
  const key = `${process.platform}:${needsProxy}:${process.env.PATH ?? ''}`;
  let found = cache.get(key);
  if (found === undefined) {
    found = probeSandbox(needsProxy);
    cache.set(key, found);
    void found.then((result) => { if (!result.ok) cache.delete(key); });
  }
  return found;
}
