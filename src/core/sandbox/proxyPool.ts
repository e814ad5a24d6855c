import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { RefusedConnection } from './allowListProxy';
import { AllowListProxy } from './allowListProxy';

/** How long an unused proxy keeps listening before it is closed. */
export const IDLE_PROXY_MS = 60_000;

/** A proxy lent to one command; release() when the command and its sandbox have ended. */
export interface ProxyLease {
  readonly socketPath: string;
  /** What this command asked for and was refused, so far. */
  readonly refused: readonly RefusedConnection[];
  release(): Promise<void>;
}

interface PooledProxy {
  readonly proxy: AllowListProxy;
  readonly folder: string;
  timer?: NodeJS.Timeout;
}

/** Idle proxies per allow-list. A proxy serves one command at a time, so its refusals are that command's alone. */
const idle = new Map<string, PooledProxy[]>();
const folders = new Set<string>();
let exitHookInstalled = false;

function removeFoldersOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const folder of folders) {
      try {
        fsSync.rmSync(folder, { recursive: true, force: true });
      } catch {
        // a leftover empty folder in the temp folder is harmless
      }
    }
  });
}

async function closePooled(pooled: PooledProxy): Promise<void> {
  await pooled.proxy.close();
  folders.delete(pooled.folder);
  await fs.rm(pooled.folder, { recursive: true, force: true });
}

/**
 * An allow-list proxy for one command: an idle one for the same hosts when there is one (starting a proxy costs a
 * temp folder and a listening socket per command), else a new one. Released proxies forget their connections and
 * refusals and close after IDLE_PROXY_MS unused.
 */
export async function leaseProxy(allowedHosts: readonly string[]): Promise<ProxyLease> {
  const key = [...allowedHosts].sort().join(' ');
  let pooled = idle.get(key)?.pop();
  if (pooled?.timer !== undefined) clearTimeout(pooled.timer);
  pooled?.proxy.resume();
  if (pooled === undefined) {
    removeFoldersOnExit();
    const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'devops-agent-proxy-'));
    folders.add(folder);
    pooled = { proxy: await AllowListProxy.start(path.join(folder, 'proxy.sock'), allowedHosts), folder };
  }
  const lent = pooled;
  let released = false;
  return {
    socketPath: lent.proxy.socketPath,
    get refused() {
      return lent.proxy.refused;
    },
    release: async () => {
      if (released) return;
      released = true;
      lent.proxy.reset();
      lent.timer = setTimeout(() => {
        const list = idle.get(key) ?? [];
        idle.set(key, list.filter((other) => other !== lent));
        void closePooled(lent);
      }, IDLE_PROXY_MS);
      lent.timer.unref();
      idle.set(key, [...(idle.get(key) ?? []), lent]);
    },
  };
}

/** Closes every idle proxy now (tests, and an extension that is deactivated). */
export async function closeIdleProxies(): Promise<void> {
  const all = [...idle.values()].flat();
  idle.clear();
  for (const pooled of all) {
    if (pooled.timer !== undefined) clearTimeout(pooled.timer);
    await closePooled(pooled);
  }
}
