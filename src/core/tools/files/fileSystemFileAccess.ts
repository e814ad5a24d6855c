import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../fs/atomicWrite';
import type { FileAccess } from '../framework/tool';
import { errorCode } from '../../errors/errorText';

/**
 * The CLI's FileAccess: text straight from disk (a UTF-8 BOM is kept so a rewrite loses nothing), writes atomic
 * (temp file + rename) after creating missing parent folders. Callers pass paths that passed resolveConfinedPath.
 */
export const fileSystemFileAccess: FileAccess = {
  async readText(absolutePath: string): Promise<string | undefined> {
    try {
      return await fs.readFile(absolutePath, 'utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  },

  async writeText(absolutePath: string, content: string): Promise<void> {
    await fs.mkdir(path.dirname(absolutePath), { recursive: true });
    await writeFileAtomic(absolutePath, content);
  },
};
