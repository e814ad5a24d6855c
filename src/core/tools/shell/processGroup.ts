import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { errorCode } from '../../errors/errorText';

/**
 * Linux: whether any process of the group is alive and not a zombie. A zombie is dead but stays listed until its
 * parent reaps it, and an init that reaps slowly (containers, sandboxes) would otherwise look like a survivor.
 */
function livingMemberOnLinux(pgid: number): boolean {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const name of names) {
    if (name.charCodeAt(0) < 48 || name.charCodeAt(0) > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // after the parenthesised command name: state ppid pgrp …
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ', 3);
    if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
  }
  return false;
}

/** True while any process of the group is alive (POSIX: the leader's pid is the group id when spawned detached). */
export function processGroupAlive(pgid: number): boolean {
  if (process.platform === 'win32') {
    try {
      process.kill(pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if (errorCode(error) !== 'EPERM') return false;
  }
  return process.platform === 'linux' ? livingMemberOnLinux(pgid) : true;
}

/** Sends a signal to every process of a group; a group that is already gone is not an error. */
function signalProcessGroup(pgid: number, signal: NodeJS.Signals): void {
  if (process.platform === 'win32') {
    // Windows has no process groups: taskkill /T ends the whole tree
    spawn('taskkill', ['/pid', String(pgid), '/T', '/F'], { stdio: 'ignore', windowsHide: true }).on('error', () => undefined);
    return;
  }
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left to signal
  }
}

/** Resolves once the group is gone, or after timeoutMs; returns whether it is gone. Checks every pollMs. */
export async function waitForProcessGroupExit(pgid: number, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processGroupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  return true;
}

/** SIGTERM to the whole group, SIGKILL to whatever is left after graceMs; resolves when the group is gone. */
export async function terminateProcessGroup(pgid: number, graceMs = 500): Promise<boolean> {
  signalProcessGroup(pgid, 'SIGTERM');
  if (await waitForProcessGroupExit(pgid, graceMs)) return true;
  signalProcessGroup(pgid, 'SIGKILL');
  return waitForProcessGroupExit(pgid, 1_000);
}
