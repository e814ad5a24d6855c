import * as path from 'node:path';
import type { ReadSet } from '../session/readSet';

/**
 * The seed's "read the actual code" rule as a guard: an existing file may only be edited or overwritten after this
 * session has read it. Returns the refusal the model sees, or undefined when the edit may go ahead (the file was
 * read, or it does not exist yet).
 */
export function checkReadBeforeEdit(readSet: ReadSet, absolutePath: string, exists: boolean): string | undefined {
  if (!exists) return undefined;
  if (readSet.has(absolutePath) || readSet.has(path.normalize(absolutePath))) return undefined;
  return (
    `Refused: ${absolutePath} already exists and has not been read in this session. ` +
    'Read it first with the Read tool so the change is based on its actual content (and keeps the work already in it), then retry the edit.'
  );
}
