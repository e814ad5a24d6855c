import * as os from 'node:os';
import { GuardOverrides } from '../policy/guardOverrides';
import type { PermissionRules } from '../policy/permissions';
import { DEFAULT_PRESERVE_WORK_OPTIONS } from '../policy/preserveWorkGuard';
import { ReadSet } from '../session/readSet';
import type { AuditSink, ToolSession } from './toolExecutor';

/** The guards every front end starts from: no-mock on, and the preserve-work limits of preserveWorkGuard. */
export const DEFAULT_SESSION_GUARDS: ToolSession['guards'] = {
  noMock: true,
  maxDeletedLines: DEFAULT_PRESERVE_WORK_OPTIONS.maxDeletedLines,
  maxDeletedFraction: DEFAULT_PRESERVE_WORK_OPTIONS.maxDeletedFraction,
};

export interface ToolSessionOptions {
  readonly agentName: string;
  /** Agent-facing names of the tools the agent may use. */
  readonly allowedTools: Iterable<string>;
  readonly readSet?: ReadSet;
  /** Permission rules; none means every call follows the tools' own risk (reads run, the rest asks). */
  readonly rules?: PermissionRules;
  /** Workspace trust; true where there is no such notion (the CLI, the MCP server). */
  readonly trusted?: boolean;
  readonly guards?: Partial<ToolSession['guards']>;
  readonly overrides?: GuardOverrides;
  readonly audit?: AuditSink;
  readonly homeDir?: string;
}

/** One tool session with the harness defaults; the participant, the window's tools, the CLI and the MCP server use it. */
export function createToolSession(options: ToolSessionOptions): ToolSession {
  return {
    agentName: options.agentName,
    allowedTools: new Set(options.allowedTools),
    readSet: options.readSet ?? new ReadSet(),
    rules: options.rules ?? { allow: [], ask: [], deny: [] },
    trusted: options.trusted ?? true,
    guards: { ...DEFAULT_SESSION_GUARDS, ...options.guards },
    overrides: options.overrides ?? new GuardOverrides(),
    ...(options.audit ? { audit: options.audit } : {}),
    homeDir: options.homeDir ?? os.homedir(),
  };
}
