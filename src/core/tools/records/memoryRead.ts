import { AGENTS_FOLDER } from '../../memory/agentFolder';
import { formatMemoryForPrompt } from '../../memory/formatMemoryForPrompt';
import { readMemory } from '../../memory/memoryStore';
import type { MemoryFileKind } from '../../memory/memoryTemplates';
import { MEMORY_FILE_KINDS, MEMORY_FILE_PURPOSES } from '../../memory/memoryTemplates';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { agentRecordsPathOf, selectToolRoot, workspaceRelative } from '../framework/toolRoot';
import { errorMessage } from '../../errors/errorText';

export interface MemoryReadInput {
  /** One file, whole; absent: all three within the result budget. */
  readonly file?: MemoryFileKind;
  readonly folder?: string;
}

function parseMemoryReadInput(input: unknown): MemoryReadInput {
  const fields = new ToolInputFields('memory_read', input ?? {}, '{"file": "working-memory"}');
  const file = fields.raw('file') === undefined ? undefined : fields.requiredChoice<MemoryFileKind>('file', MEMORY_FILE_KINDS);
  const folder = fields.optionalString('folder');
  return { ...(file !== undefined ? { file } : {}), ...(folder !== undefined ? { folder } : {}) };
}

export const memoryReadTool: Tool<MemoryReadInput> = {
  name: 'memory_read',
  id: 'devops_memory_read',
  description:
    `Reads your working memory in ${AGENTS_FOLDER}/<agent>/: working-memory.md (${MEMORY_FILE_PURPOSES['working-memory'].toLowerCase()}), ` +
    `next-actions.md (${MEMORY_FILE_PURPOSES['next-actions'].toLowerCase()}) and decisions-log.md (decisions with rationale). ` +
    'Without "file" returns all three, most important first (decisions newest first), and says what was cut to fit. ' +
    'Read it at the start of a task to continue where earlier sessions stopped.',
  inputSchema: {
    type: 'object',
    properties: {
      file: { type: 'string', enum: [...MEMORY_FILE_KINDS], description: 'Read just this file, whole.' },
      folder: { type: 'string', description: 'Workspace folder (name or path) when it is not the first one.' },
    },
    additionalProperties: false,
  },
  risk: 'read',

  parse: parseMemoryReadInput,

  riskOf(): 'read' {
    return 'read';
  },

  subjectOf(input: MemoryReadInput): string {
    return input.file ?? 'all';
  },

  pathsOf(input: MemoryReadInput): readonly string[] {
    return [agentRecordsPathOf(input.folder)];
  },

  async preview(input: MemoryReadInput, ctx: ToolContext): Promise<ToolPreview> {
    return { title: 'Read working memory', detail: `${input.file ?? 'All memory files'} of ${ctx.agentName}` };
  },

  async run(input: MemoryReadInput, ctx: ToolContext): Promise<ToolResult> {
    try {
      const root = selectToolRoot(input.folder, ctx.roots);
      const snapshot = await readMemory(root, ctx.agentName);
      const budget = ctx.limits.maxResultChars;
      if (input.file === undefined) {
        const text = formatMemoryForPrompt(snapshot, budget);
        const everything = formatMemoryForPrompt(snapshot, Number.MAX_SAFE_INTEGER);
        // Only files shown whole count as read, so citations into cut parts are still flagged.
        if (text === everything) for (const f of snapshot.files) if (f.exists) ctx.readSet.record(f.path, 1, lineCount(f.text));
        return { ok: true, text };
      }
      const file = snapshot.files.find((f) => f.kind === input.file);
      if (!file || !file.exists) {
        const where = file ? workspaceRelative(root, file.path) : input.file;
        return { ok: true, text: `${where} does not exist yet; memory_update (or decision_record for the log) creates it.` };
      }
      const header = `--- ${workspaceRelative(root, file.path)} (${lineCount(file.text)} lines)\n`;
      if (header.length + file.text.length <= budget) {
        ctx.readSet.record(file.path, 1, lineCount(file.text));
        return { ok: true, text: header + file.text };
      }
      // The log grows at the end, so its newest part is the tail; other files matter most at the top.
      const room = Math.max(0, budget - header.length - 200);
      const shown = file.kind === 'decisions-log' ? file.text.slice(file.text.length - room) : file.text.slice(0, room);
      const note = file.kind === 'decisions-log'
        ? `[older part cut: ${file.text.length - room} of ${file.text.length} characters at the start are not shown]\n`
        : `\n[cut: ${file.text.length - room} of ${file.text.length} characters at the end are not shown; read the file with Read for the rest]`;
      return { ok: true, text: file.kind === 'decisions-log' ? header + note + shown : header + shown + note };
    } catch (error) {
      return { ok: false, text: `memory_read failed: ${errorMessage(error)}` };
    }
  },
};

function lineCount(text: string): number {
  if (text.length === 0) return 1;
  const lines = text.split(/\r\n|\n|\r/).length;
  return /(\r\n|\n|\r)$/.test(text) ? lines - 1 : lines;
}
