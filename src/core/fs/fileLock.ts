import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import { processIsAlive } from './processAlive';
import { errorCode } from '../errors/errorText';

export interface FileLockOptions {
  /** How long to wait for the lock before giving up (default 10 s). */
  readonly timeoutMs?: number;
  /** A lock whose file was not refreshed for this long is abandoned and may be broken (default 30 s). */
  readonly staleMs?: number;
}

/** The lock stayed taken for the whole timeout; the message names the holder and the lock file. */
export class FileLockTimeoutError extends Error {
  override readonly name = 'FileLockTimeoutError';
}

interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly time: string;
  readonly token: string;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_MS = 30_000;

// Callers in one process queue here first, so only one of them polls the lock file at a time.
const localTails = new Map<string, Promise<void>>();

/**
 * Runs fn while holding an exclusive lock shared by every process on this machine (the extension host and the CLI):
 * the lock is a file created with O_EXCL holding the owner's pid, host and time. A lock whose owner died, or that
 * was not refreshed for staleMs, is broken under a second short-lived lock so two waiters cannot both break it.
 */
export async function withFileLock<T>(lockPath: string, fn: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadline = Date.now() + timeoutMs;

  const previous = localTails.get(lockPath) ?? Promise.resolve();
  let finish: () => void = () => undefined;
  const mine = new Promise<void>((resolve) => { finish = resolve; });
  const tail = previous.then(() => mine);
  localTails.set(lockPath, tail);
  try {
    await waitUntil(previous, deadline, lockPath);
    const owner = await acquire(lockPath, deadline, staleMs);
    const heartbeat = setInterval(() => { void fs.utimes(lockPath, new Date(), new Date()).catch(() => undefined); }, Math.max(50, Math.floor(staleMs / 3)));
    heartbeat.unref();
    try {
      return await fn();
    } finally {
      clearInterval(heartbeat);
      await release(lockPath, owner);
    }
  } finally {
    finish();
    if (localTails.get(lockPath) === tail) localTails.delete(lockPath);
  }
}

async function waitUntil(previous: Promise<void>, deadline: number, lockPath: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new FileLockTimeoutError(`Timed out waiting for ${lockPath}: another call in this process still holds it.`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    await Promise.race([previous, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function acquire(lockPath: string, deadline: number, staleMs: number): Promise<LockOwner> {
  const owner: LockOwner = { pid: process.pid, host: os.hostname(), time: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  let delay = 5;
  for (;;) {
    try {
      await fs.writeFile(lockPath, JSON.stringify(owner), { flag: 'wx' });
      return owner;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const held = await inspect(lockPath);
    if (held && isStale(held, staleMs)) {
      await breakStaleLock(lockPath, held.raw, staleMs);
      continue;
    }
    if (Date.now() >= deadline) {
      const who = held?.owner ? `process ${held.owner.pid} on ${held.owner.host} since ${held.owner.time}` : 'another process';
      throw new FileLockTimeoutError(
        `Timed out waiting for ${lockPath}, held by ${who}. If no devops-agent process is running, delete that file.`,
      );
    }
    await sleep(Math.min(delay, Math.max(1, deadline - Date.now())) * (0.5 + Math.random()));
    delay = Math.min(100, delay * 1.5);
  }
}

interface HeldLock {
  readonly raw: string;
  readonly owner: LockOwner | undefined;
  readonly mtimeMs: number;
}

async function inspect(lockPath: string): Promise<HeldLock | undefined> {
  try {
    const [raw, stat] = await Promise.all([fs.readFile(lockPath, 'utf8'), fs.stat(lockPath)]);
    return { raw, owner: parseOwner(raw), mtimeMs: stat.mtimeMs };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

function parseOwner(raw: string): LockOwner | undefined {
  try {
    const value = JSON.parse(raw) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.token === 'string') {
      return { pid: value.pid, host: value.host, time: String(value.time ?? ''), token: value.token };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function isStale(held: HeldLock, staleMs: number): boolean {
  if (Date.now() - held.mtimeMs > staleMs) return true;
  // A pid is only meaningful on the host that wrote it.
  if (held.owner && held.owner.host === os.hostname()) return !processIsAlive(held.owner.pid);
  return false;
}

/** Removes the stale lock only if it is still the very lock judged stale (same content), under a breaker lock. */
async function breakStaleLock(lockPath: string, staleRaw: string, staleMs: number): Promise<void> {
  const breakerPath = `${lockPath}.break`;
  try {
    await fs.writeFile(breakerPath, JSON.stringify({ pid: process.pid, host: os.hostname(), time: new Date().toISOString(), token: '' }), { flag: 'wx' });
  } catch (error) {
    if (errorCode(error) !== 'EEXIST') throw error;
    const breaker = await inspect(breakerPath);
    // A breaker is held for a few milliseconds; one left behind by a killed process must not block forever.
    if (breaker && isStale(breaker, Math.min(staleMs, 2_000))) await fs.rm(breakerPath, { force: true });
    await sleep(2);
    return;
  }
  try {
    const current = await inspect(lockPath);
    if (current && current.raw === staleRaw) await fs.rm(lockPath, { force: true });
  } finally {
    await fs.rm(breakerPath, { force: true });
  }
}

async function release(lockPath: string, owner: LockOwner): Promise<void> {
  const held = await inspect(lockPath).catch(() => undefined);
  // Only remove our own lock: if it was broken as stale, the file now belongs to someone else.
  if (held?.owner?.token === owner.token) await fs.rm(lockPath, { force: true });
}


function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
