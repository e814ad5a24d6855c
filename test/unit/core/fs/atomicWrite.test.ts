import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFileAtomic } from '../../../../src/core/fs/atomicWrite';

describe('core/fs/atomicWrite', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'atomic-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('creates a file and replaces it, leaving no temporary files', async () => {
    const file = path.join(dir, 'a.md');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two');
    assert.equal(fs.readFileSync(file, 'utf8'), 'two');
    assert.deepEqual(fs.readdirSync(dir), ['a.md']);
  });

  it('keeps the file mode of the file it replaces', async () => {
    const file = path.join(dir, 'run.sh');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o755 });
    await writeFileAtomic(file, '#!/bin/sh\necho hi\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o755);
  });

  it('fails without touching anything when the folder does not exist', async () => {
    await assert.rejects(writeFileAtomic(path.join(dir, 'missing', 'a.md'), 'x'), /ENOENT/);
    assert.deepEqual(fs.readdirSync(dir), []);
  });

  it('leaves the old content intact when the writer is killed mid-write', async function () {
    this.timeout(20000);
    const file = path.join(dir, 'memory.md');
    fs.writeFileSync(file, 'old content\n');
    const big = path.join(dir, 'writer.js');
    const modulePath = path.resolve(__dirname, '../../../../src/core/fs/atomicWrite.js');
    // the child writes 200 MB through writeFileAtomic and is killed while it is still writing
    fs.writeFileSync(big, `const { writeFileAtomic } = require(${JSON.stringify(modulePath)});
      process.stdout.write('start\\n');
      writeFileAtomic(${JSON.stringify(file)}, Buffer.alloc(200 * 1024 * 1024, 120));`);
    const child = spawn(process.execPath, [big], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((resolve) => setTimeout(resolve, 30));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(fs.readFileSync(file, 'utf8'), 'old content\n');
  });
});
