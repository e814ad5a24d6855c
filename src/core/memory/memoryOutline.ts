import type { Dirent } from 'node:fs';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AGENTS_FOLDER, assertAgentName } from './agentFolder';
import type { MemorySection } from './memoryStore';
import { MEMORY_FILE_KINDS } from './memoryTemplates';
import { errorCode } from '../errors/errorText';

/** A heading with the deeper headings below it, for an outline tree. */
export interface MemoryOutlineNode {
  readonly section: MemorySection;
  readonly children: readonly MemoryOutlineNode[];
}

/**
 * Nests headings by level (a `###` under the `##` above it). A file's single `#` title is dropped and its children
 * become the top level, since the file node already stands for the title.
 */
export function memoryOutline(sections: readonly MemorySection[]): MemoryOutlineNode[] {
  interface Building { section: MemorySection; children: Building[] }
  const roots: Building[] = [];
  const stack: Building[] = [];
  for (const section of sections) {
    const node: Building = { section, children: [] };
    while (stack.length > 0 && (stack[stack.length - 1]?.section.level ?? 0) >= section.level) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else roots.push(node);
    stack.push(node);
  }
  const only = roots[0];
  if (roots.length === 1 && only && only.section.level === 1) return only.children;
  return roots;
}

/**
 * Agents under `<root>/docs/ai/agents/` that have at least one memory file, sorted; folders whose names are not valid
 * agent names are skipped. A missing agents folder is no agents, not an error.
 */
export async function findAgentsWithMemory(root: string): Promise<string[]> {
  const base = path.join(root, ...AGENTS_FOLDER.split('/'));
  let entries: Dirent[];
  try {
    entries = await fs.readdir(base, { withFileTypes: true });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return [];
    throw error;
  }
  const agents = await Promise.all(entries.filter((e) => e.isDirectory()).map(async (e) => {
    try {
      assertAgentName(e.name);
    } catch {
      return undefined;
    }
    const present = await Promise.all(MEMORY_FILE_KINDS.map((kind) => fs.stat(path.join(base, e.name, `${kind}.md`)).then((s) => s.isFile(), () => false)));
    return present.some(Boolean) ? e.name : undefined;
  }));
  return agents.filter((a): a is string => a !== undefined).sort();
}
