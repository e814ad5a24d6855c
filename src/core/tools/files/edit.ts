import type { ConfinedPath } from '../../policy/confinement';
import { PathRefusedError, resolveConfinedPath } from '../../policy/confinement';
import { countLines, diffPreview } from './changePreview';
import { prepareConfinedWrite, resolveWriteTarget } from './confinedWrite';
import { formatCount } from '../framework/resultBudget';
import type { ProposedFileChange, Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';
import { errorCode } from '../../errors/errorText';

export interface EditInput {
  readonly path: string;
  readonly oldString: string;
  readonly newString: string;
  readonly replaceAll: boolean;
  /** Why existing text is removed, when the preserve-work guard asks for it. */
  readonly reason?: string;
}

/** Lines of context shown around the change in the result. */
const RESULT_CONTEXT_LINES = 2;
const MAX_RESULT_SNIPPET_LINES = 60;
const MAX_LISTED_OCCURRENCES = 20;

function parseEditInput(input: unknown): EditInput {
  const fields = new ToolInputFields('Edit', input, '{"path": "src/app.ts", "old_string": "port: 80", "new_string": "port: 8080"}');
  rejectUnknownFields('Edit', input, ['path', 'old_string', 'new_string', 'replace_all', 'reason']);
  const filePath = fields.requiredString('path', 'the file to edit, relative to the workspace folder');
  const text = (key: string, what: string): string => {
    const value = fields.raw(key);
    if (value === undefined) throw new ToolInputError(`Edit: "${key}" is required: ${what}.`);
    if (typeof value !== 'string') throw new ToolInputError(`Edit: "${key}" must be a string.`);
    return value;
  };
  const oldString = text('old_string', 'the exact text to replace, copied from the file (whitespace included)');
  const newString = text('new_string', 'the text to put in its place ("" deletes it)');
  if (oldString === '') throw new ToolInputError('Edit: "old_string" is empty; copy the exact text to replace from the file (to create a file, use Write).');
  if (oldString === newString) throw new ToolInputError('Edit: "old_string" and "new_string" are identical, so there is nothing to change.');
  const replaceAll = fields.optionalBoolean('replace_all') ?? false;
  const reason = fields.optionalString('reason');
  return { path: filePath, oldString, newString, replaceAll, ...(reason !== undefined ? { reason } : {}) };
}

type EditOutcome =
  | { readonly ok: true; readonly after: string; readonly occurrences: number; readonly firstLine: number; readonly lastLine: number }
  | { readonly ok: false; readonly message: string };

/**
 * Applies an exact replacement. In a CRLF file the model's '\n' (Read shows lines without '\r') is matched and
 * written as '\r\n'. Missing or ambiguous text is an error that says how to fix the call.
 */
function applyEdit(text: string, input: EditInput, shown: string): EditOutcome {
  const crlf = isCrlfText(text);
  const candidates: [string, string][] = [];
  if (crlf && !input.oldString.includes('\r')) candidates.push([input.oldString.replace(/\r?\n/g, '\r\n'), input.newString.replace(/\r?\n/g, '\r\n')]);
  candidates.push([input.oldString, input.newString]);
  for (const [oldString, newString] of candidates) {
    const positions = occurrencesOf(text, oldString);
    if (positions.length === 0) continue;
    const lines = lineNumbersAt(text, positions);
    if (positions.length > 1 && !input.replaceAll) {
      const listed = lines.slice(0, MAX_LISTED_OCCURRENCES).join(', ') + (lines.length > MAX_LISTED_OCCURRENCES ? ', …' : '');
      return {
        ok: false,
        message: `old_string was found ${positions.length} times in ${shown}, at lines ${listed}; add surrounding lines to old_string so it matches exactly once, or set replace_all to true to change every one.`,
      };
    }
    const pieces: string[] = [];
    let from = 0;
    for (const position of positions) {
      pieces.push(text.slice(from, position), newString);
      from = position + oldString.length;
    }
    pieces.push(text.slice(from));
    const after = pieces.join('');
    const delta = newString.length - oldString.length;
    const lastStart = (positions[positions.length - 1] as number) + delta * (positions.length - 1);
    const lastLine = lineNumbersAt(after, [lastStart])[0] as number;
    const newBody = newString.endsWith('\n') ? newString.slice(0, -1) : newString;
    return { ok: true, after, occurrences: positions.length, firstLine: lines[0] as number, lastLine: lastLine + (newBody.split('\n').length - 1) };
  }
  return { ok: false, message: notFoundMessage(text, input.oldString, shown) };
}

function isCrlfText(text: string): boolean {
  const crlf = text.split('\r\n').length - 1;
  const lf = text.split('\n').length - 1;
  return crlf > 0 && crlf * 2 >= lf;
}

function occurrencesOf(text: string, needle: string): number[] {
  const positions: number[] = [];
  let at = text.indexOf(needle);
  while (at !== -1) {
    positions.push(at);
    at = text.indexOf(needle, at + needle.length);
  }
  return positions;
}

/** 1-based line numbers of ascending character positions. */
function lineNumbersAt(text: string, positions: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let scanned = 0;
  for (const position of positions) {
    for (let i = scanned; i < position; i++) if (text.charCodeAt(i) === 10) line++;
    scanned = position;
    lines.push(line);
  }
  return lines;
}

function notFoundMessage(text: string, oldString: string, shown: string): string {
  const base = `old_string was not found in ${shown}; re-Read the file and copy the text exactly: whitespace, indentation and line breaks must match.`;
  const words = oldString.trim().split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0 || oldString.length > 5000) return base;
  const loose = new RegExp(words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
  const near = loose.exec(text);
  if (near === null) return base;
  const line = lineNumbersAt(text, [near.index])[0] as number;
  return `${base} Text that differs only in whitespace starts at line ${line}.`;
}

/** The changed lines with a little context, numbered like Read, so the model can check the result. */
function changedSnippet(after: string, firstLine: number, lastLine: number): { text: string; from: number; to: number } {
  const lines = after.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const from = Math.max(1, firstLine - RESULT_CONTEXT_LINES);
  const to = Math.min(lines.length, lastLine + RESULT_CONTEXT_LINES, from + MAX_RESULT_SNIPPET_LINES - 1);
  const width = Math.max(5, String(to).length);
  const text = lines
    .slice(from - 1, to)
    .map((line, index) => `${String(from + index).padStart(width)}\t${line.endsWith('\r') ? line.slice(0, -1) : line}`)
    .join('\n');
  return { text, from, to };
}

interface EditTarget {
  readonly target: ConfinedPath;
  readonly shown: string;
  readonly text: string;
}

async function editableTarget(input: EditInput, ctx: ToolContext): Promise<EditTarget | { refusal: string }> {
  const resolved = await resolveWriteTarget(ctx.roots, input.path);
  if ('refusal' in resolved) return resolved;
  const { target, shown } = resolved;
  let text: string | undefined;
  try {
    text = target.exists ? await ctx.files.readText(target.absolute) : undefined;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EISDIR') return { refusal: `${shown} is a folder; Edit changes files.` };
    throw error;
  }
  if (text === undefined) return { refusal: `${shown} does not exist; use Write to create it, or Glob to find the file you meant.` };
  return { target, shown, text };
}

async function runEdit(input: EditInput, ctx: ToolContext): Promise<ToolResult> {
  const resolved = await editableTarget(input, ctx);
  if ('refusal' in resolved) return { ok: false, text: resolved.refusal };
  const { target, shown, text } = resolved;
  const outcome = applyEdit(text, input, shown);
  if (!outcome.ok) return { ok: false, text: outcome.message };
  try {
    await prepareConfinedWrite(target, ctx.roots);
  } catch (error) {
    if (error instanceof PathRefusedError) return { ok: false, text: error.message };
    throw error;
  }
  await ctx.files.writeText(target.absolute, outcome.after);
  const snippet = changedSnippet(outcome.after, outcome.firstLine, outcome.lastLine);
  ctx.readSet.record(target.absolute, snippet.from, Math.max(snippet.from, snippet.to));
  const range = outcome.firstLine === outcome.lastLine ? `line ${outcome.firstLine}` : `lines ${outcome.firstLine}-${outcome.lastLine}`;
  const total = countLines(outcome.after);
  const times = outcome.occurrences === 1 ? '1 occurrence' : `${formatCount(outcome.occurrences)} occurrences`;
  return {
    ok: true,
    text: `Replaced ${times} in ${shown}; changed ${range} (the file now has ${formatCount(total)} lines). Lines ${snippet.from}-${snippet.to} now read:\n${snippet.text}`,
  };
}

export const editTool: Tool<EditInput> = {
  name: 'Edit',
  id: 'devops_edit',
  description:
    'Replace exact text in a file. old_string must match the file exactly (copy it from Read output without the line-number prefix; ' +
    'whitespace and indentation included) and must occur once, unless replace_all is true. Include enough surrounding lines to make it unique. ' +
    'Read the file first. The user sees a diff before the change is made.',
  inputSchema: {
    type: 'object',
    properties: {
      path: { type: 'string', description: 'File path relative to the workspace folder.' },
      old_string: { type: 'string', description: 'The exact text to replace.' },
      new_string: { type: 'string', description: 'The replacement text ("" deletes old_string).' },
      replace_all: { type: 'boolean', description: 'Replace every occurrence instead of requiring exactly one (default false).' },
      reason: { type: 'string', description: 'Only when asked: why existing lines must be removed.' },
    },
    required: ['path', 'old_string', 'new_string'],
    additionalProperties: false,
  },
  risk: 'write',
  parse: parseEditInput,
  riskOf: () => 'write',
  subjectOf: (input) => input.path,
  pathsOf: (input) => [input.path],
  async preview(input: EditInput, ctx: ToolContext): Promise<ToolPreview> {
    const resolved = await editableTarget(input, ctx);
    if ('refusal' in resolved) return { title: `Edit ${input.path}`, detail: `This call will fail: ${resolved.refusal}` };
    const outcome = applyEdit(resolved.text, input, resolved.shown);
    if (!outcome.ok) return { title: `Edit ${resolved.shown}`, detail: `This call will fail: ${outcome.message}` };
    return { title: `Edit ${resolved.shown}`, detail: diffPreview(resolved.shown, resolved.text, outcome.after) };
  },
  async proposedChange(input: EditInput, ctx: ToolContext): Promise<ProposedFileChange> {
    const target = await resolveConfinedPath(ctx.roots, input.path);
    const before = target.exists ? await ctx.files.readText(target.absolute).catch(() => undefined) : undefined;
    const outcome = before === undefined ? undefined : applyEdit(before, input, target.relative);
    return {
      absolutePath: target.absolute, relativePath: target.relative, before,
      after: outcome?.ok ? outcome.after : (before ?? ''),
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
    };
  },
  run: runEdit,
};
