import { promises as fs } from 'node:fs';
import { AGENTS_FOLDER } from '../../memory/agentFolder';
import { memoryFilePath, planSectionUpdate, updateMemorySection } from '../../memory/memoryStore';
import type { UpdatableMemoryFile } from '../../memory/memoryTemplates';
import { MEMORY_FILE_PURPOSES, UPDATABLE_MEMORY_FILES, memoryTemplate } from '../../memory/memoryTemplates';
import { markdownFence } from '../framework/markdownFence';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { agentRecordsPathOf, selectToolRoot, workspaceRelative } from '../framework/toolRoot';
import { errorMessage } from '../../errors/errorText';

export interface MemoryUpdateInput {
  readonly file: UpdatableMemoryFile;
  /** The `##` section to replace, e.g. "Active Tasks". */
  readonly section: string;
  readonly content: string;
  readonly folder?: string;
}

function parseMemoryUpdateInput(input: unknown): MemoryUpdateInput {
  const fields = new ToolInputFields('memory_update', input, '{"file": "working-memory", "section": "Active Tasks", "content": "- ..."}');
  const file = fields.requiredChoice<UpdatableMemoryFile>('file', UPDATABLE_MEMORY_FILES);
  const section = fields.requiredString('section', 'the name of the "## " section to replace, e.g. "Active Tasks"');
  const content = fields.raw('content');
  if (typeof content !== 'string') throw new ToolInputError('memory_update: "content" is required: the new Markdown body of the section (a string).');
  const folder = fields.optionalString('folder');
  try {
    planSectionUpdate('', section, content);
  } catch (error) {
    throw new ToolInputError(`memory_update: ${errorMessage(error)}`);
  }
  return { file, section, content, ...(folder !== undefined ? { folder } : {}) };
}

async function currentText(file: string, kind: UpdatableMemoryFile, agent: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    return memoryTemplate(kind, agent);
  }
}

export const memoryUpdateTool: Tool<MemoryUpdateInput> = {
  name: 'memory_update',
  id: 'devops_memory_update',
  description:
    `Replaces the body of one "## " section of your working memory (${AGENTS_FOLDER}/<agent>/working-memory.md: ` +
    `${MEMORY_FILE_PURPOSES['working-memory'].toLowerCase()}; next-actions.md: ${MEMORY_FILE_PURPOSES['next-actions'].toLowerCase()}). ` +
    'Everything else in the file, including the user\'s edits, stays as it is; a section that does not exist is added at the end. ' +
    'Give the whole new body (use ### for sub-headings). Decisions go to decision_record instead.',
  inputSchema: {
    type: 'object',
    properties: {
      file: { type: 'string', enum: [...UPDATABLE_MEMORY_FILES], description: 'Which memory file.' },
      section: { type: 'string', description: 'The "## " section to replace, e.g. "Pipeline Status", "Active Tasks", "Operational Priorities".' },
      content: { type: 'string', description: 'The new Markdown body of that section.' },
      folder: { type: 'string', description: 'Workspace folder (name or path) when it is not the first one.' },
    },
    required: ['file', 'section', 'content'],
    additionalProperties: false,
  },
  risk: 'write',
  writesOnlyAgentRecords: true,

  parse: parseMemoryUpdateInput,

  riskOf(): 'write' {
    return 'write';
  },

  subjectOf(input: MemoryUpdateInput): string {
    return `${input.file}.md#${input.section}`;
  },

  pathsOf(input: MemoryUpdateInput): readonly string[] {
    return [agentRecordsPathOf(input.folder)];
  },

  async preview(input: MemoryUpdateInput, ctx: ToolContext): Promise<ToolPreview> {
    const root = selectToolRoot(input.folder, ctx.roots);
    const file = memoryFilePath(root, ctx.agentName, input.file);
    const relative = workspaceRelative(root, file);
    try {
      const plan = planSectionUpdate(await currentText(file, input.file, ctx.agentName), input.section, input.content);
      const where = plan.createdSection ? `Adds a new section at line ${plan.line}` : `Replaces the section at line ${plan.line}`;
      const before = plan.createdSection ? '' : `\n\nNow:\n\n${markdownFence(plan.previousBody, 'markdown')}`;
      return {
        title: `Update ${relative} § ${input.section}`,
        detail: `${where} of \`${relative}\`; the rest of the file is unchanged.${before}\n\nNew:\n\n${markdownFence(input.content.trim(), 'markdown')}`,
      };
    } catch (error) {
      return { title: `Update ${relative} § ${input.section}`, detail: `Cannot be applied: ${errorMessage(error)}` };
    }
  },

  async run(input: MemoryUpdateInput, ctx: ToolContext): Promise<ToolResult> {
    try {
      const root = selectToolRoot(input.folder, ctx.roots);
      const result = await updateMemorySection(root, ctx.agentName, input.file, input.section, input.content);
      const relative = workspaceRelative(root, result.path);
      return {
        ok: true,
        text: result.createdSection
          ? `Added section "## ${input.section}" to ${relative} at line ${result.line}.`
          : `Updated section "## ${input.section}" of ${relative} (line ${result.line}); the rest of the file is unchanged.`,
      };
    } catch (error) {
      return { ok: false, text: `memory_update failed, nothing was written: ${errorMessage(error)}` };
    }
  },
};
