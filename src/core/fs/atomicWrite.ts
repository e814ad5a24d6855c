import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * Writes a file so that readers see either the old content or the new one, never a mix: the data goes to a
 * temporary file in the same folder (same file system), is flushed, then renamed over the target.
 * A crash at any point leaves the previous file intact.
 */
export async function writeFileAtomic(filePath: string, content: string | Uint8Array, mode?: number): Promise<void> {
  const dir = path.dirname(filePath);
  const temp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let existingMode: number | undefined;
  try {
    existingMode = (await fs.stat(filePath)).mode & 0o777;
  } catch {
    existingMode = undefined;
  }
  const handle = await fs.open(temp, 'wx', mode ?? existingMode ?? 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fs.rename(temp, filePath);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
}
