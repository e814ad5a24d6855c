import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileLockTimeoutError, withFileLock } from '../../../../src/core/fs/fileLock';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A pid that belonged to a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('core/fs/fileLock', () => {
  let dir: string;
  let lock: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'filelock-'));
    lock = path.join(dir, '.memory.md.lock');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lets one caller at a time into the critical section and removes the lock afterwards', async () => {
    let inside = 0;
    let maxInside = 0;
    const order: number[] = [];
    await Promise.all(Array.from({ length: 20 }, (_, i) => withFileLock(lock, async () => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      assert.ok(fs.existsSync(lock), 'the lock file exists while held');
      await sleep(2);
      order.push(i);
      inside -= 1;
    })));
    assert.equal(maxInside, 1);
    assert.equal(order.length, 20);
    assert.equal(fs.existsSync(lock), false);
  });

  it('returns the value of fn and releases the lock when fn throws', async () => {
    assert.equal(await withFileLock(lock, async () => 42), 42);
    await assert.rejects(withFileLock(lock, async () => { throw new Error('boom'); }), /boom/);
    assert.equal(fs.existsSync(lock), false);
    assert.equal(await withFileLock(lock, async () => 'again'), 'again');
  });

  it('records the holder pid in the lock file', async () => {
    const content = await withFileLock(lock, async () => fs.readFileSync(lock, 'utf8'));
    const owner = JSON.parse(content) as { pid: number; host: string };
    assert.equal(owner.pid, process.pid);
    assert.equal(owner.host, os.hostname());
  });

  it('breaks a lock left by a process that died', async () => {
    fs.writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: os.hostname(), time: new Date().toISOString(), token: 'dead' }));
    const started = Date.now();
    assert.equal(await withFileLock(lock, async () => 'got it', { timeoutMs: 2_000 }), 'got it');
    assert.ok(Date.now() - started < 1_500);
    assert.equal(fs.existsSync(lock), false);
  });

  it('breaks a lock that was not refreshed for staleMs, even with unreadable content', async () => {
    fs.writeFileSync(lock, 'garbage');
    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(lock, old, old);
    assert.equal(await withFileLock(lock, async () => 'ok', { timeoutMs: 2_000, staleMs: 10_000 }), 'ok');
  });

  it('times out, naming the holder, while a live process holds the lock, and leaves that lock alone', async () => {
    const held = JSON.stringify({ pid: process.pid, host: os.hostname(), time: '2024-01-01T00:00:00.000Z', token: 'someone-else' });
    fs.writeFileSync(lock, held);
    await assert.rejects(
      withFileLock(lock, async () => 'never', { timeoutMs: 150 }),
      (error: unknown) => error instanceof FileLockTimeoutError && error.message.includes(`process ${process.pid}`) && error.message.includes(lock),
    );
    assert.equal(fs.readFileSync(lock, 'utf8'), held);
  });

  it('does not delete a lock that another owner took over while fn ran', async () => {
    const takeover = JSON.stringify({ pid: process.pid, host: os.hostname(), time: new Date().toISOString(), token: 'other' });
    await withFileLock(lock, async () => { fs.writeFileSync(lock, takeover); });
    assert.equal(fs.readFileSync(lock, 'utf8'), takeover);
  });

  it('keeps a long-held lock fresh so waiters never judge it stale', async () => {
    const ages: number[] = [];
    await withFileLock(lock, async () => {
      for (let i = 0; i < 8; i += 1) {
        await sleep(150);
        ages.push(Date.now() - fs.statSync(lock).mtimeMs);
      }
    }, { staleMs: 600 });
    // the heartbeat runs every staleMs/3; a loaded machine delays timers by 100+ ms, which must not fail the test
    assert.ok(Math.max(...ages) < 600, `lock ages while held: ${ages.map((a) => Math.round(a)).join(', ')} ms`);
  });
});
