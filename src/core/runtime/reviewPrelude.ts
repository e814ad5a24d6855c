import { checkScopeFor } from '../checks/checkScope';
import type { ToolCallPart } from './chatModel';

/** The name the devops_check tool goes by in agent tool lists and tool calls. */
export const DEVOPS_CHECK_TOOL_NAME = 'devops_check';

/**
 * The devops_check call the harness makes itself before the model's first turn of a `/review`, so the review starts
 * from the checks' findings as verified `path:line` citations. Undefined for other commands or agents without the tool.
 */
export function reviewPreludeCall(command: string | undefined, prompt: string, exists: (relativePath: string) => boolean, toolNames: readonly string[]): ToolCallPart | undefined {
  if (command !== 'review' || !toolNames.includes(DEVOPS_CHECK_TOOL_NAME)) return undefined;
  const scope = checkScopeFor(command, prompt, exists);
  return {
    kind: 'toolCall',
    callId: 'harness-review-devops-check',
    name: DEVOPS_CHECK_TOOL_NAME,
    input: { ...(scope.paths.length > 0 ? { paths: [...scope.paths] } : {}), ...(scope.kinds.length > 0 ? { kinds: [...scope.kinds] } : {}) },
  };
}
