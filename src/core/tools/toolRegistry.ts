import { bashTool } from './shell/bash';
import { certificateCreateTool } from './records/certificateCreate';
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

/** Read-only measurements every agent gets, so answers quote measured values instead of estimates. */
export const MEASUREMENT_TOOLS: readonly Tool[] = [doraTool];

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
