import { readdir, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type { AgentDefinition, AgentSource } from './agentDefinition';
import { bundledAgents } from './bundledDevopsEngineer';
import { loadAgentFile } from './parseAgentFile';

/** Where agent files live inside a workspace folder: folder, then the file-name suffix (glob form for watchers). */
const WORKSPACE_AGENT_DIRS: ReadonlyArray<{ readonly dir: string; readonly suffix: string }> = [
  { dir: '.claude/agents', suffix: '.md' },
  { dir: '.github/agents', suffix: '.agent.md' },
  { dir: '.github/chatmodes', suffix: '.chatmode.md' },
];

/** Globs, relative to a workspace folder, matching the agent files findAgents reads (for file watchers). */
export const AGENT_FILE_GLOBS: readonly string[] = WORKSPACE_AGENT_DIRS.map((d) => `${d.dir}/*${d.suffix}`);

/** The user's agent folder, relative to their home, and the glob of its files (relative to that folder). */
export const USER_AGENT_DIR = '.claude/agents';
export const USER_AGENT_GLOB = '*.md';

export interface FindAgentsOptions {
  /** Workspace folders, in order; an earlier folder wins when two define the same name. */
  readonly roots: readonly string[];
  /** Home folder whose `.claude/agents` holds the user's agents; omitted = no user agents. */
  readonly userHome?: string;
  /** Whether to include the agents shipped with the extension (default true). */
  readonly includeBundled?: boolean;
}

const PRECEDENCE: Record<AgentSource, number> = { workspace: 0, user: 1, bundled: 2 };

/**
 * A fingerprint of the agent files findAgents would read (paths, sizes, modification times): cheap to compute, so a
 * caller can poll it where file watchers miss changes and reload only when it differs.
 */
export async function agentFilesSignature(options: FindAgentsOptions): Promise<string> {
  const dirs: Array<[string, string]> = options.roots.flatMap((root) => WORKSPACE_AGENT_DIRS.map(({ dir, suffix }) => [path.join(root, dir), suffix] as [string, string]));
  if (options.userHome !== undefined) dirs.push([path.join(options.userHome, USER_AGENT_DIR), '.md']);
  const stamps: string[] = [];
  for (const [dir, suffix] of dirs) {
    for (const file of await agentFilesIn(dir, suffix)) {
      const info = await stat(file).catch(() => undefined);
      if (info) stamps.push(`${file}|${info.size}|${info.mtimeMs}`);
    }
  }
  return stamps.join('\n');
}

async function agentFilesIn(dir: string, suffix: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const matching = names.filter((n) => n.toLowerCase().endsWith(suffix)).sort();
  const files: string[] = [];
  for (const name of matching) {
    const file = path.join(dir, name);
    // stat follows symlinks, so a linked agent file counts and a linked folder does not
    const info = await stat(file).catch(() => undefined);
    if (info?.isFile()) files.push(file);
  }
  return files;
}

function describe(agent: AgentDefinition): string {
  return agent.source === 'bundled' ? 'the bundled agent' : `the ${agent.source} agent in ${agent.file ?? '?'}`;
}

/**
 * Finds agent definitions in the workspace folders, the user's folder and the bundle. When several define
 * the same name, workspace wins over user over bundled (then earlier folder, then folder order above);
 * the losers are dropped and the winner carries a warning naming what it overrides. Sorted by name.
 */
export async function findAgents(options: FindAgentsOptions): Promise<AgentDefinition[]> {
  const found: Array<Promise<AgentDefinition>> = [];
  for (const root of options.roots) {
    for (const { dir, suffix } of WORKSPACE_AGENT_DIRS) {
      for (const file of await agentFilesIn(path.join(root, dir), suffix)) found.push(loadAgentFile(file, 'workspace'));
    }
  }
  if (options.userHome !== undefined) {
    for (const file of await agentFilesIn(path.join(options.userHome, USER_AGENT_DIR), '.md')) found.push(loadAgentFile(file, 'user'));
  }
  const candidates = await Promise.all(found);
  if (options.includeBundled !== false) candidates.push(...bundledAgents());

  const byName = new Map<string, { winner: AgentDefinition; overridden: AgentDefinition[] }>();
  // a stable sort keeps the discovery order inside one precedence level
  const ordered = candidates.map((agent, order) => ({ agent, order }))
    .sort((a, b) => PRECEDENCE[a.agent.source] - PRECEDENCE[b.agent.source] || a.order - b.order);
  for (const { agent } of ordered) {
    const entry = byName.get(agent.name);
    if (entry) entry.overridden.push(agent);
    else byName.set(agent.name, { winner: agent, overridden: [] });
  }
  const result: AgentDefinition[] = [];
  for (const { winner, overridden } of byName.values()) {
    if (overridden.length === 0) {
      result.push(winner);
      continue;
    }
    const notes = overridden.map((loser) => ({
      line: 1,
      message: loser.source === winner.source
        ? `'${winner.name}' is also defined by ${describe(loser)}, which is ignored`
        : `overrides ${describe(loser)}`,
      severity: 'warning' as const,
    }));
    result.push({ ...winner, problems: [...notes, ...winner.problems] });
  }
  return result.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
