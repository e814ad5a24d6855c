import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { HookInputError, parseClaudeCodeHookEvent } from './claudeCodeEvent';
import type { HookAnswer } from './hookAnswer';
import { hookError, SILENT } from './hookAnswer';
import { answerPostToolUse } from './postToolUseHook';
import { answerPreToolUse } from './preToolUseHook';
import { answerStop } from './stopHook';

/** Hook input larger than this is refused unread (a Write of a whole file is the largest event there is). */
export const MAX_HOOK_INPUT_BYTES = 32 * 1024 * 1024;

export interface HookOptions {
  readonly homeDir?: string;
}

/**
 * Answers one Claude Code hook event (the text Claude Code wrote on stdin). Never throws and never answers with
 * exit code 2: bad input, a missing workspace and internal errors are non-blocking errors (exit 1, stderr).
 */
export async function answerClaudeCodeHook(stdin: string, options: HookOptions = {}): Promise<HookAnswer> {
  if (Buffer.byteLength(stdin) > MAX_HOOK_INPUT_BYTES) {
    return hookError(`the event on stdin is larger than ${MAX_HOOK_INPUT_BYTES / (1024 * 1024)} MB; it was not checked`);
  }
  try {
    const event = parseClaudeCodeHookEvent(stdin);
    if (event.kind === 'other') return SILENT;
    const cwd = path.resolve(event.cwd);
    let root: string;
    try {
      root = await fs.realpath(cwd);
      if (!(await fs.stat(root)).isDirectory()) return hookError(`cwd ${cwd} is not a folder, so nothing was checked`);
    } catch {
      return hookError(`the workspace folder ${cwd} (cwd) does not exist, so nothing was checked`);
    }
    switch (event.kind) {
      case 'Stop':
      case 'SubagentStop':
        return await answerStop(event, root);
      case 'PreToolUse':
        return await answerPreToolUse(event, root, options.homeDir ?? os.homedir());
      case 'PostToolUse':
        return answerPostToolUse(event);
    }
  } catch (error) {
    if (error instanceof HookInputError) return hookError(error.message);
    return hookError(`internal error, nothing was checked: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  }
}
