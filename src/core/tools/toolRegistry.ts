import { bashTool } from './shell/bash';
import { certificateCreateTool } from './records/certificateCreate';
import { createDevopsCheckTool } from './checks/devopsCheck';
import { decisionRecordTool } from './records/decisionRecord';
import { dockerTool } from './docker/docker';
import { doraTool } from './git/dora';
import { editTool } from './files/edit';
import { gitTool } from './git/git';
import { globTool } from './search/glob';
import { grepTool } from './search/grep';
import { memoryReadTool } from './records/memoryRead';
import { memoryUpdateTool } from './records/memoryUpdate';
import { readTool } from './files/read';
import type { Tool } from './framework/tool';
import { writeTool } from './files/write';

/** The workspace tools an agent definition can grant by name (Read, Write, …). */
export const WORKSPACE_TOOLS: readonly Tool[] = [readTool, writeTool, editTool, globTool, grepTool, bashTool, gitTool, dockerTool];

/** Tools every agent gets, because the harness requires their use: working memory and certificates. */
export const MEMORY_TOOLS: readonly Tool[] = [memoryReadTool, memoryUpdateTool, decisionRecordTool, certificateCreateTool];

/** The DevOps checks as a tool; the engine (its own bundle, dist/checkEngine.js) loads on the first check. */
export const devopsCheckTool = createDevopsCheckTool(async (options) => (await import('../checks/runChecks')).runChecks(options));

/** Read-only measurements every agent gets, so answers quote measured values and checked lines instead of estimates. */
export const MEASUREMENT_TOOLS: readonly Tool[] = [doraTool, devopsCheckTool];

export const HARNESS_TOOLS: readonly Tool[] = [...WORKSPACE_TOOLS, ...MEMORY_TOOLS, ...MEASUREMENT_TOOLS];

/** By agent-facing name (Read) or tool id (devops_read), case-insensitive. */
export function findTool(name: string): Tool | undefined {
  const wanted = name.toLowerCase();
  return HARNESS_TOOLS.find((t) => t.name.toLowerCase() === wanted || t.id.toLowerCase() === wanted);
}

/** The tools an agent may use: the workspace tools its definition grants, plus the memory and measurement tools. */
export function toolsForAgent(tools: readonly Tool[], granted: readonly string[]): Tool[] {
  const names = new Set(granted);
  const always = new Set([...MEMORY_TOOLS, ...MEASUREMENT_TOOLS].map((t) => t.name));
  return tools.filter((t) => names.has(t.name) || always.has(t.name));
}
