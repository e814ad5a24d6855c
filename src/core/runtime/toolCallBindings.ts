import { canonicalJson } from '../policy/guardOverrides';
import { callKey } from './toolExecutor';

/**
 * Which chat turn a tool call belongs to. The turn binds each call it is about to make, with the invocation token
 * VS Code gave its request; the tool's invoke() receives that token again and looks the binding up by token and call.
 * Two chats (or Copilot's agent mode) making the same call at once therefore never get each other's allowed tools,
 * read set or audit identity: a call whose token no turn bound is nobody's turn.
 */
export class ToolCallBindings<T> {
  /** Token key → call key → bindings (the same call twice in one turn binds twice). */
  private readonly byToken = new Map<string, Map<string, T[]>>();

  /** Binds a call made with this token; the returned function unbinds it. A call without a token cannot be bound. */
  bind(token: unknown, toolName: string, input: unknown, binding: T): () => void {
    const owner = invocationTokenKey(token);
    if (owner === undefined) return () => undefined;
    const call = callKey(toolName, input);
    const calls = this.byToken.get(owner) ?? new Map<string, T[]>();
    this.byToken.set(owner, calls);
    calls.set(call, [...(calls.get(call) ?? []), binding]);
    return () => {
      const remaining = (calls.get(call) ?? []).filter((b) => b !== binding);
      if (remaining.length) calls.set(call, remaining);
      else calls.delete(call);
      if (calls.size === 0 && this.byToken.get(owner) === calls) this.byToken.delete(owner);
    };
  }

  /** The binding of the call being invoked with this token, or undefined for a call no turn bound. */
  lookup(token: unknown, toolName: string, input: unknown): T | undefined {
    const owner = invocationTokenKey(token);
    return owner === undefined ? undefined : this.byToken.get(owner)?.get(callKey(toolName, input))?.[0];
  }

  /** Every turn with this call pending, for prepareInvocation, which VS Code calls without the token. */
  candidates(toolName: string, input: unknown): T[] {
    const call = callKey(toolName, input);
    return [...this.byToken.values()].flatMap((calls) => calls.get(call) ?? []);
  }
}

/**
 * What identifies the chat a token belongs to: its session (a resource URI in current VS Code, an id in older
 * ones). The token a tool receives is a copy made on the way through VS Code (the URI revived, with more fields),
 * so it is compared by that identity, not as an object.
 */
export function invocationTokenKey(token: unknown): string | undefined {
  if (token === undefined || token === null || typeof token !== 'object') return undefined;
  const fields = token as { sessionResource?: unknown; sessionId?: unknown };
  if (typeof fields.sessionId === 'string') return `id:${fields.sessionId}`;
  const resource = fields.sessionResource;
  if (typeof resource === 'string') return `uri:${resource}`;
  if (typeof resource === 'object' && resource !== null) {
    const uri = resource as { scheme?: unknown; authority?: unknown; path?: unknown; query?: unknown; fragment?: unknown };
    if (typeof uri.scheme === 'string' && typeof uri.path === 'string') {
      return `uri:${uri.scheme}://${String(uri.authority ?? '')}${uri.path}?${String(uri.query ?? '')}#${String(uri.fragment ?? '')}`;
    }
  }
  return `json:${canonicalJson(token)}`;
}
