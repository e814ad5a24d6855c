import { bounded } from '../text/bounded';

/** What the hook process does: its exit code and what it prints. */
export interface HookAnswer {
  /** 0: Claude Code reads stdout. 1: a hook error that never blocks the user (exit 2 would block, so it is never used). */
  readonly exitCode: 0 | 1;
  readonly stdout?: string;
  readonly stderr?: string;
}

/** Claude Code reads at most this much hook output. */
export const MAX_HOOK_OUTPUT_CHARS = 10_000;

export const SILENT: HookAnswer = { exitCode: 0 };

/** Stop, SubagentStop and PostToolUse: `{"decision":"block","reason":…}` makes Claude read the reason and go on. */
export function blockAnswer(reason: string): HookAnswer {
  return { exitCode: 0, stdout: JSON.stringify({ decision: 'block', reason: boundedOutput(reason) }) };
}

/** PreToolUse: the call is refused and Claude is told why. */
export function denyToolAnswer(reason: string): HookAnswer {
  return {
    exitCode: 0,
    stdout: JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: 'deny', permissionDecisionReason: boundedOutput(reason) } }),
  };
}

/** A non-blocking hook error: the session goes on and the user sees the message. */
export function hookError(message: string): HookAnswer {
  return { exitCode: 1, stderr: `devops-agent hook claude-code: ${message}` };
}

/** Leaves room for the JSON around the text. */
function boundedOutput(text: string): string {
  return bounded(text, MAX_HOOK_OUTPUT_CHARS - 400);
}
