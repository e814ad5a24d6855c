import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConfinedPath } from '../../policy/confinement';
import { defaultDeniedReason, PathRefusedError, resolveConfinedPath, workspaceDisplayPath } from '../../policy/confinement';
import { errorCode } from '../../errors/errorText';
import { isPathInside } from '../../fs/pathInside';

/**
 * Creates the missing folders above a confined file one by one, checking after each that its real path is still in
 * the workspace folder (a folder swapped for a symlink is caught), then re-resolves the file: the write may go ahead
 * only if it still lands exactly where resolveConfinedPath said.
 */
export async function prepareConfinedWrite(target: ConfinedPath, roots: readonly string[]): Promise<void> {
  const folder = path.dirname(target.absolute);
  const relative = path.relative(target.root, folder);
  let current = target.root;
  for (const part of relative === '' ? [] : relative.split(path.sep)) {
    current = path.join(current, part);
    try {
      await fs.mkdir(current);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
    const real = await fs.realpath(current);
    if (!isPathInside(target.root, real)) {
      throw new PathRefusedError(`refused: the folder ${path.relative(target.root, current)} now leads to ${real}, outside the workspace folder ${target.root}`);
    }
  }
  const again = await resolveConfinedPath(roots, target.absolute);
  if (again.absolute !== target.absolute) {
    throw new PathRefusedError(`refused: ${target.relative} changed on disk while it was being written (it now resolves to ${again.absolute}); check it and try again`);
  }
}

/** Where Write and Edit may write: the confined path and how to name it, or the refusal the model sees. */
export async function resolveWriteTarget(roots: readonly string[], requested: string): Promise<{ target: ConfinedPath; shown: string } | { refusal: string }> {
  let target: ConfinedPath;
  try {
    target = await resolveConfinedPath(roots, requested);
  } catch (error) {
    if (error instanceof PathRefusedError) return { refusal: error.message };
    throw error;
  }
  const denied = defaultDeniedReason(target);
  if (denied !== undefined) return { refusal: `Denied: ${denied}. Files on the secret deny list are never opened by the agent.` };
  return { target, shown: workspaceDisplayPath(target, roots) };
}
