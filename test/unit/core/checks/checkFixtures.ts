import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckOptions } from '../../../../src/core/checks/checkTypes';

export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
/** Real files with their sources and licenses in SOURCES.tsv. */
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'checks');
/** ../shared of the project workspace (DEVOPS_AGENT_SHARED overrides, e.g. from a git worktree elsewhere). */
export const SHARED = process.env.DEVOPS_AGENT_SHARED ?? path.resolve(REPO_ROOT, '..', 'shared');

export const NO_OPTIONS: CheckOptions = { trustedRegistries: [], allowedActionOwners: [] };

export function fixture(kind: string, name: string): string {
  return fs.readFileSync(path.join(FIXTURES, kind, name), 'utf8');
}

/** Every fixture file of a kind (SOURCES.tsv left out). */
export function fixtureNames(kind: string): string[] {
  return fs.readdirSync(path.join(FIXTURES, kind)).filter((name) => name !== 'SOURCES.tsv').sort();
}

/** The 1-based line of a file's text holding `needle` (the first one), so tests name lines by their content. */
export function lineOf(text: string, needle: string, from = 1): number {
  const lines = text.split(/\r\n|\n|\r/);
  for (let i = from - 1; i < lines.length; i += 1) if ((lines[i] as string).includes(needle)) return i + 1;
  throw new Error(`no line holds ${JSON.stringify(needle)}`);
}
