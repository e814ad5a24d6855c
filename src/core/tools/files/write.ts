import { promises as fs } from 'node:fs';
import type { ConfinedPath } from '../../policy/confinement';
import { PathRefusedError, resolveConfinedPath } from '../../policy/confinement';
import { contentPreview, countLines, diffPreview } from './changePreview';
import { prepareConfinedWrite, resolveWriteTarget } from './confinedWrite';
import { formatCount } from '../framework/resultBudget';
import type { ProposedFileChange, Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { diffLines } from '../../text/unifiedDiff';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface WriteInput {
  readonly path: string;
  /** The whole new file text (may be empty). */
  readonly content: string;
  /** Why existing text is removed, when the preserve-work guard asks for it. */
  readonly reason?: string;
}

function parseWriteInput(input: unknown): WriteInput {
  const fields = new ToolInputFields('Write', input, '{"path": "Dockerfile", "content": "FROM node:20\\n"}');
  rejectUnknownFields('Write', input, ['path', 'content', 'reason']);
  const filePath = fields.requiredString('path', 'the file to create or overwrite, relative to the workspace folder');
  const content = fields.raw('content');
  if (content === undefined) throw new ToolInputError('Write: "content" is required: the complete new text of the file (use "" for an empty file).');
  if (typeof content !== 'string') throw new ToolInputError('Write: "content" must be a string holding the complete file text.');
  const reason = fields.optionalString('reason');
  return { path: filePath, content, ...(reason !== undefined ? { reason } : {}) };
}

/** The confined target, or the refusal the model sees. */
async function writableTarget(input: WriteInput, ctx: ToolContext): Promise<{ target: ConfinedPath; shown: string } | { refusal: string }> {
  const resolved = await resolveWriteTarget(ctx.roots, input.path);
  if ('refusal' in resolved) return resolved;
  const { target, shown } = resolved;
  if (target.exists && (await fs.stat(target.absolute)).isDirectory()) return { refusal: `${shown} is a folder; give a file path to write.` };
  return { target, shown };
}

async function currentText(target: ConfinedPath, ctx: ToolContext): Promise<string | undefined> {
  return target.exists ? ctx.files.readText(target.absolute) : undefined;
}

async function runWrite(input: WriteInput, ctx: ToolContext): Promise<ToolResult> {
  const resolved = await writableTarget(input, ctx);
  if ('refusal' in resolved) return { ok: false, text: resolved.refusal };
  const { target, shown } = resolved;
  const before = await currentText(target, ctx);
  const lines = countLines(input.content);
  if (before === input.content) {
    ctx.readSet.record(target.absolute, 1, Math.max(1, lines));
    return { ok: true, text: `${shown} already has exactly this content (${formatCount(lines)} line${lines === 1 ? '' : 's'}); nothing was written.` };
  }
  try {
    await prepareConfinedWrite(target, ctx.roots);
  } catch (error) {
    if (error instanceof PathRefusedError) return { ok: false, text: error.message };
    throw error;
  }
  await ctx.files.writeText(target.absolute, input.content);
  ctx.readSet.record(target.absolute, 1, Math.max(1, lines));
  if (before === undefined) return { ok: true, text: `Created ${shown} (${formatCount(lines)} line${lines === 1 ? '' : 's'}).` };
  const { added, removed } = diffLines(before, input.content);
  return { ok: true, text: `Overwrote ${shown}: now ${formatCount(lines)} line${lines === 1 ? '' : 's'} (+${formatCount(added)} −${formatCount(removed)}).` };
}

export const writeTool: Tool<WriteInput> = {
  name: 'Write',
  id: 'devops_write',
  description:
    'Create a file, or replace the whole content of an existing one, in the workspace. Missing folders are created. ' +
    'Read an existing file before overwriting it, and prefer Edit for changes to part of a file. ' +
    'The user sees a diff (or the new file) before it is written. Secret files (.env, keys, credentials) are refused.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'File path relative to the workspace folder, e.g. ".github/workflows/ci.yml".' },
      content: { type: 'string', description: 'The complete new text of the file.' },
      reason: { type: 'string', description: 'Only when asked: why existing lines must be removed.' },
    },
    required: ['path', 'content'],
    additionalProperties: false,
  },
  risk: 'write',
  parse: parseWriteInput,
  riskOf: () => 'write',
  subjectOf: (input) => input.path,
  pathsOf: (input) => [input.path],
  async preview(input: WriteInput, ctx: ToolContext): Promise<ToolPreview> {
    const resolved = await writableTarget(input, ctx);
    if ('refusal' in resolved) return { title: `Write ${input.path}`, detail: `This call will be refused: ${resolved.refusal}` };
    const { target, shown } = resolved;
    const before = await currentText(target, ctx);
    const lines = countLines(input.content);
    if (before === undefined) {
      return { title: `Create ${shown}`, detail: `New file, ${formatCount(lines)} line${lines === 1 ? '' : 's'}:\n\n${contentPreview(input.content, shown)}` };
    }
    const { added, removed } = diffLines(before, input.content);
    return { title: `Overwrite ${shown}`, detail: `+${formatCount(added)} −${formatCount(removed)} lines:\n\n${diffPreview(shown, before, input.content)}` };
  },
  async proposedChange(input: WriteInput, ctx: ToolContext): Promise<ProposedFileChange> {
    const target = await resolveConfinedPath(ctx.roots, input.path);
    const before = await currentText(target, ctx).catch(() => undefined);
    return { absolutePath: target.absolute, relativePath: target.relative, before, after: input.content, ...(input.reason !== undefined ? { reason: input.reason } : {}) };
  },
  run: runWrite,
};
