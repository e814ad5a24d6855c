import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import type { ConfinedPath } from '../policy/confinement';
import { defaultDeniedReason, PathRefusedError, resolveConfinedPath } from '../policy/confinement';
import { findIntroducedPlaceholderCode } from '../policy/noMockGuard';
import { checkPreservedWork, DEFAULT_PRESERVE_WORK_OPTIONS } from '../policy/preserveWorkGuard';
import type { PreToolUseEvent } from './claudeCodeEvent';
import type { HookAnswer } from './hookAnswer';
import { denyToolAnswer, SILENT } from './hookAnswer';
import { secretPathInCommand } from './shellSecretPaths';

/** Files larger than this are not read to judge an edit (the guards then see only the added text). */
const MAX_GUARDED_FILE_BYTES = 8 * 1024 * 1024;

/**
 * PreToolUse for Write, Edit, MultiEdit, Read and Bash: the guards the harness applies in VS Code — paths stay inside
 * cwd, files on the secret deny list are never opened, an edit may not add placeholder or mock code outside tests,
 * and may not throw away a large part of a file. A refusal is `permissionDecision: "deny"` with the reason; every
 * other call (and every other tool) passes silently, leaving the decision to Claude Code's own permissions.
 */
export async function answerPreToolUse(event: PreToolUseEvent, root: string, homeDir: string = os.homedir()): Promise<HookAnswer> {
  const input = event.toolInput;
  switch (event.toolName) {
    case 'Read':
    case 'Write':
    case 'Edit':
    case 'MultiEdit': {
      const filePath = input.file_path;
      if (typeof filePath !== 'string' || filePath === '') return SILENT; // Claude Code rejects the call itself
      let target: ConfinedPath;
      try {
        target = await resolveConfinedPath([root], filePath);
      } catch (error) {
        if (error instanceof PathRefusedError) return denyToolAnswer(`${event.toolName} ${error.message} (the workspace is ${root}).`);
        throw error;
      }
      const secret = defaultDeniedReason(target, homeDir);
      if (secret !== undefined) return denyToolAnswer(`Denied: ${secret}. Files on the secret deny list are never opened by the agent; ask the user for the value you need.`);
      if (event.toolName === 'Read') return SILENT;
      return judgeChange(event.toolName, input, target);
    }
    case 'Bash': {
      const command = input.command;
      if (typeof command !== 'string') return SILENT;
      const secret = secretPathInCommand(command, root, homeDir);
      if (secret !== undefined) return denyToolAnswer(`Denied: ${secret}. Files on the secret deny list are never opened by the agent; ask the user for the value you need.`);
      return SILENT;
    }
    default:
      return SILENT;
  }
}

async function judgeChange(toolName: string, input: Readonly<Record<string, unknown>>, target: ConfinedPath): Promise<HookAnswer> {
  const before = await currentText(target);
  const after = newText(toolName, input, before);
  if (after === undefined) return SILENT; // the edit does not apply; Claude Code reports that itself
  const hits = findIntroducedPlaceholderCode(target.relative, before, after);
  if (hits.length > 0) {
    const lines = hits.map((h) => `- line ${h.line} (${h.rule}): \`${h.excerpt}\` — ${h.explanation}`).join('\n');
    return denyToolAnswer(`Refused by the no-mock rule: ${target.relative} would get placeholder, mock or simulated code outside a test path:\n${lines}\nWrite a real implementation, or tell the user "Cannot implement: <reason>".`);
  }
  const work = checkPreservedWork(before, after, DEFAULT_PRESERVE_WORK_OPTIONS);
  if (work.needsConfirmation) {
    return denyToolAnswer(`Refused by the preserve-work rule: this change deletes ${work.deletedLines} lines (${Math.round(work.deletedFraction * 100)}% of ${target.relative}). Working code is not thrown away: make the minimal fix with Edit, or explain to the user why these lines must go and let them make or approve the change.`);
  }
  return SILENT;
}

async function currentText(target: ConfinedPath): Promise<string | undefined> {
  if (!target.exists) return undefined;
  try {
    const stat = await fs.stat(target.absolute);
    if (!stat.isFile() || stat.size > MAX_GUARDED_FILE_BYTES) return undefined;
    return await fs.readFile(target.absolute, 'utf8');
  } catch {
    return undefined;
  }
}

/** The file's text after the call, as Claude Code would apply it; undefined when it would not apply. */
function newText(toolName: string, input: Readonly<Record<string, unknown>>, before: string | undefined): string | undefined {
  if (toolName === 'Write') return typeof input.content === 'string' ? input.content : undefined;
  const edits: unknown[] = toolName === 'MultiEdit' ? (Array.isArray(input.edits) ? input.edits : []) : [input];
  // editing a file that does not exist yet (MultiEdit may create one with an empty old_string)
  let text = before ?? '';
  for (const edit of edits) {
    if (typeof edit !== 'object' || edit === null) return undefined;
    const { old_string: oldString, new_string: newString, replace_all: replaceAll } = edit as Record<string, unknown>;
    if (typeof oldString !== 'string' || typeof newString !== 'string') return undefined;
    if (oldString === '') {
      if (text !== '') return undefined;
      text = newString;
      continue;
    }
    if (!text.includes(oldString)) return undefined;
    text = replaceAll === true ? text.split(oldString).join(newString) : text.replace(oldString, () => newString);
  }
  return text;
}
