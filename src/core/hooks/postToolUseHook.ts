import { redactSecrets } from '../policy/redactSecrets';
import type { PostToolUseEvent } from './claudeCodeEvent';
import type { HookAnswer } from './hookAnswer';
import { blockAnswer, SILENT } from './hookAnswer';

/**
 * PostToolUse: Claude Code cannot take secrets back out of a tool's output, so the hook says what leaked (the kinds
 * and how many, never the values) and tells Claude not to repeat or use them.
 */
export function answerPostToolUse(event: PostToolUseEvent): HookAnswer {
  const response = event.toolResponse;
  const text = typeof response === 'string' ? response : JSON.stringify(response ?? '');
  const redacted = redactSecrets(text);
  if (redacted.total === 0) return SILENT;
  const kinds = Object.entries(redacted.counts).sort(([a], [b]) => a.localeCompare(b)).map(([kind, n]) => `${kind} ×${n}`).join(', ');
  return blockAnswer(
    `The output of ${event.toolName} contained ${redacted.total} secret${redacted.total === 1 ? '' : 's'} (${kinds}). `
    + 'Do not repeat, quote, store or use these values; refer to them by name only (for example "the GitHub token in the output"), '
    + 'and tell the user which secret was exposed so they can rotate it if this output went anywhere it should not.',
  );
}
