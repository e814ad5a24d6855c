import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileSystemFileAccess } from '../../../../../src/core/tools/files/fileSystemFileAccess';

describe('core/tools/files/fileSystemFileAccess', () => {
  let dir: string;
  beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-')); });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads undefined for a missing file and text (BOM kept) for an existing one', async () => {
    assert.equal(await fileSystemFileAccess.readText(path.join(dir, 'missing.txt')), undefined);
    fs.writeFileSync(path.join(dir, 'bom.txt'), '\uFEFFhi');
    assert.equal(await fileSystemFileAccess.readText(path.join(dir, 'bom.txt')), '\uFEFFhi');
  });

  it('writes atomically, creating parent folders, and keeps the file mode', async () => {
    const file = path.join(dir, 'a', 'b', 'run.sh');
    await fileSystemFileAccess.writeText(file, '#!/bin/sh\n');
    fs.chmodSync(file, 0o755);
    await fileSystemFileAccess.writeText(file, '#!/bin/sh\necho hi\n');
    assert.equal(fs.readFileSync(file, 'utf8'), '#!/bin/sh\necho hi\n');
    assert.equal(fs.statSync(file).mode & 0o777, 0o755);
    assert.deepEqual(fs.readdirSync(path.dirname(file)), ['run.sh']);
  });

  it('fails on a folder instead of reading it', async () => {
    await assert.rejects(fileSystemFileAccess.readText(dir), /EISDIR/);
  });
});
