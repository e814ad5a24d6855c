import { errorMessage } from '../errors/errorText';
/** The hook events `devops-agent hook claude-code` answers, in the shape Claude Code sends them on stdin. */
export type ClaudeCodeHookEvent = StopEvent | PreToolUseEvent | PostToolUseEvent | OtherHookEvent;

interface CommonFields {
  readonly sessionId?: string;
  /** The conversation's JSONL transcript; may be missing or unreadable. */
  readonly transcriptPath?: string;
  readonly cwd: string;
}

export interface StopEvent extends CommonFields {
  readonly kind: 'Stop' | 'SubagentStop';
  /** True when a Stop hook already made Claude continue: blocking again would loop. */
  readonly stopHookActive: boolean;
  readonly lastAssistantMessage?: string;
  /** SubagentStop: the subagent's own transcript. */
  readonly agentTranscriptPath?: string;
  readonly agentType?: string;
}

export interface PreToolUseEvent extends CommonFields {
  readonly kind: 'PreToolUse';
  readonly toolName: string;
  readonly toolInput: Readonly<Record<string, unknown>>;
}

export interface PostToolUseEvent extends CommonFields {
  readonly kind: 'PostToolUse';
  readonly toolName: string;
  readonly toolInput: Readonly<Record<string, unknown>>;
  readonly toolResponse: unknown;
}

/** Events this hook has nothing to say about (UserPromptSubmit, SessionStart, …): answered silently. */
export interface OtherHookEvent extends CommonFields {
  readonly kind: 'other';
  readonly name: string;
}

/** The input is not a hook event; the message says what is wrong. */
export class HookInputError extends Error {
  override readonly name = 'HookInputError';
}

/** Parses stdin text into an event, or throws HookInputError saying what is missing. */
export function parseClaudeCodeHookEvent(text: string): ClaudeCodeHookEvent {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const head = text.trim() === '' ? 'stdin was empty' : `stdin is not valid JSON (${errorMessage(error)})`;
    throw new HookInputError(`${head}; expected one Claude Code hook event object`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HookInputError('stdin is not a JSON object; expected one Claude Code hook event object');
  const v = value as Record<string, unknown>;
  const name = v.hook_event_name;
  if (typeof name !== 'string' || name === '') throw new HookInputError('"hook_event_name" is missing');
  if (typeof v.cwd !== 'string' || v.cwd === '') throw new HookInputError(`"cwd" is missing from the ${name} event`);
  const common: CommonFields = {
    cwd: v.cwd,
    ...(typeof v.session_id === 'string' ? { sessionId: v.session_id } : {}),
    ...(typeof v.transcript_path === 'string' && v.transcript_path !== '' ? { transcriptPath: v.transcript_path } : {}),
  };
  switch (name) {
    case 'Stop':
    case 'SubagentStop':
      return {
        ...common, kind: name, stopHookActive: v.stop_hook_active === true,
        ...(typeof v.last_assistant_message === 'string' ? { lastAssistantMessage: v.last_assistant_message } : {}),
        ...(typeof v.agent_transcript_path === 'string' && v.agent_transcript_path !== '' ? { agentTranscriptPath: v.agent_transcript_path } : {}),
        ...(typeof v.agent_type === 'string' ? { agentType: v.agent_type } : {}),
      };
    case 'PreToolUse':
    case 'PostToolUse': {
      if (typeof v.tool_name !== 'string' || v.tool_name === '') throw new HookInputError(`"tool_name" is missing from the ${name} event`);
      const input = v.tool_input ?? {};
      if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new HookInputError(`"tool_input" of the ${name} event is not an object`);
      const toolInput = input as Record<string, unknown>;
      return name === 'PreToolUse'
        ? { ...common, kind: name, toolName: v.tool_name, toolInput }
        : { ...common, kind: name, toolName: v.tool_name, toolInput, toolResponse: v.tool_response };
    }
    default:
      return { ...common, kind: 'other', name };
  }
}
