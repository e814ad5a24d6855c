import { fileSystemFileAccess } from '../../../../src/core/tools/files/fileSystemFileAccess';
import { ReadSet } from '../../../../src/core/session/readSet';
import type { ToolContext, ToolEnvironment, ToolLimits } from '../../../../src/core/tools/framework/tool';
import { DEFAULT_TOOL_LIMITS } from '../../../../src/core/tools/framework/tool';

/**
 * Bash runs in the OS sandbox by default, as in the product; the sandbox is Linux-only, so on macOS and Windows
 * (the CI matrix) the general Bash tests run without it and bashSandbox.test.ts skips with a message.
 */
const TEST_ENVIRONMENT: ToolEnvironment = process.platform === 'linux' ? {} : { sandbox: { enabled: false, allowedHosts: [] } };

/** A real ToolContext for the Bash, Git and Docker tests: real file access, a fresh read set, recorded progress. */
export interface RecordingToolContext extends ToolContext {
  readonly progressLines: string[];
  readonly controller: AbortController;
}

export function processToolContext(
  roots: readonly string[],
  options: { limits?: Partial<ToolLimits>; environment?: ToolEnvironment; onProgress?: (line: string) => void } = {},
): RecordingToolContext {
  const controller = new AbortController();
  const progressLines: string[] = [];
  return {
    agentName: 'devops-engineer',
    roots,
    signal: controller.signal,
    readSet: new ReadSet(),
    limits: { ...DEFAULT_TOOL_LIMITS, ...options.limits },
    files: fileSystemFileAccess,
    environment: options.environment ?? TEST_ENVIRONMENT,
    progress(message: string): void {
      progressLines.push(message);
      options.onProgress?.(message);
    },
    progressLines,
    controller,
  };
}
