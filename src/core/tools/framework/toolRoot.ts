import * as path from 'node:path';
import { AGENTS_FOLDER } from '../../memory/agentFolder';
import { ToolInputError } from './tool';

/**
 * The workspace folder a tool works in: the first root, or the one a `folder` input names (by its absolute path or
 * its folder name, as multi-root workspaces show it).
 */
export function selectToolRoot(folder: string | undefined, roots: readonly string[]): string {
  const [first] = roots;
  if (first === undefined) throw new ToolInputError('No workspace folder is open; open a folder first.');
  if (folder === undefined || folder.trim().length === 0) return first;
  const wanted = folder.trim();
  const match = roots.find((r) => path.resolve(r) === path.resolve(wanted)) ?? roots.find((r) => path.basename(r) === wanted);
  if (match === undefined) {
    throw new ToolInputError(`"${folder}" is not a workspace folder; use one of: ${roots.map((r) => path.basename(r)).join(', ')}.`);
  }
  return match;
}

/** The agents folder, for path rules: the agent name comes from the context, which pathsOf does not see. */
export function agentRecordsPathOf(folder: string | undefined): string {
  if (folder === undefined) return AGENTS_FOLDER;
  return path.isAbsolute(folder) ? path.join(folder, ...AGENTS_FOLDER.split('/')) : `${folder}/${AGENTS_FOLDER}`;
}

/** A path inside root as the model and the user see it: relative, with forward slashes. */
export function workspaceRelative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
