import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { GuardOverrides } from '../core/policy/guardOverrides';
import { parsePermissionRules } from '../core/policy/permissions';
import type { AuditSink, ToolSession } from '../core/runtime/toolExecutor';
import { ReadSet } from '../core/session/readSet';
import { ToolCallBindings } from '../core/runtime/toolCallBindings';
import { findBundledRipgrep } from '../core/tools/search/ripgrepLocation';
import type { Tool, ToolContext, ToolEnvironment } from '../core/tools/framework/tool';
import { DEFAULT_TOOL_LIMITS } from '../core/tools/framework/tool';
import { readSettings } from './settings';
import { vscodeFileAccess } from './vscodeFileAccess';
import { createToolSession } from '../core/runtime/toolSession';

/** What a tool call reports back to the chat turn that made it. */
export interface ToolOutcome {
  readonly toolName: string;
  readonly ok: boolean;
  readonly text: string;
  readonly redactions: number;
  readonly refusedByGuard?: { readonly guard: string; readonly overrideKey?: string };
  /** The call's audit-log entry could not be written, and why. */
  readonly auditFailure?: string;
}

export interface SessionBinding {
  readonly session: ToolSession;
  progress(message: string): void;
  onOutcome(outcome: ToolOutcome): void;
}

/**
 * Connects a tool invocation to the chat turn that asked for it. The participant binds each call (its request's
 * invocation token, tool and exact input) before `vscode.lm.invokeTool`; invoke() finds it by the token it receives.
 * Calls from elsewhere (Copilot agent mode, # references) get the window's own session.
 */
export class ToolSessionRegistry {
  private readonly bindings = new ToolCallBindings<SessionBinding>();
  private ripgrep: string | null | undefined;

  constructor(private readonly fallback: () => SessionBinding) {}

  bind(token: vscode.ChatParticipantToolToken | undefined, toolName: string, input: unknown, binding: SessionBinding): vscode.Disposable {
    return new vscode.Disposable(this.bindings.bind(token, toolName, input, binding));
  }

  /** The session of a call being invoked, by its invocation token. */
  lookup(token: vscode.ChatParticipantToolToken | undefined, toolName: string, input: unknown): SessionBinding {
    return this.bindings.lookup(token, toolName, input) ?? this.fallback();
  }

  /** The sessions a call being prepared may belong to (prepareInvocation gets no token): every turn with it pending, else the window's. */
  candidates(toolName: string, input: unknown): SessionBinding[] {
    const pending = this.bindings.candidates(toolName, input);
    return pending.length > 0 ? pending : [this.fallback()];
  }

  /** The context a tool runs in: real workspace roots, the session's read set, limits from settings. */
  context(binding: SessionBinding, token: vscode.CancellationToken): ToolContext {
    const settings = readSettings();
    const controller = new AbortController();
    if (token.isCancellationRequested) controller.abort();
    token.onCancellationRequested(() => controller.abort());
    for (const problem of settings.sandboxProblems) binding.progress(vscode.l10n.t('Ignored: {0}', problem));
    return {
      agentName: binding.session.agentName,
      roots: workspaceRoots(),
      signal: controller.signal,
      readSet: binding.session.readSet,
      limits: { ...DEFAULT_TOOL_LIMITS, bashTimeoutMs: settings.bashTimeoutMs, maxResultChars: settings.maxResultChars },
      files: vscodeFileAccess,
      environment: { ...this.environment(), sandbox: settings.sandbox },
      progress: (message) => binding.progress(message),
    };
  }

  private environment(): ToolEnvironment {
    if (this.ripgrep === undefined) this.ripgrep = findBundledRipgrep(vscode.env.appRoot) ?? null;
    const exclude = vscode.workspace.getConfiguration('files').get<Record<string, unknown>>('exclude') ?? {};
    const dockerHost = vscode.workspace.getConfiguration('devopsAgent').get<unknown>('docker.host');
    return {
      ...(this.ripgrep ? { ripgrepPath: this.ripgrep } : {}),
      ...(typeof dockerHost === 'string' && dockerHost.trim() ? { dockerHost: dockerHost.trim() } : {}),
      excludeGlobs: Object.entries(exclude).filter(([, on]) => on === true).map(([glob]) => glob),
      runGit: vscode.workspace.isTrusted,
    };
  }
}

/** Real paths of the workspace folders (symlinked folders resolved, so confinement compares like with like). */
export function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => {
    try {
      return fs.realpathSync(f.uri.fsPath);
    } catch {
      return f.uri.fsPath;
    }
  });
}

/**
 * Tool calls that come from outside @devops (Copilot's agent mode, # references) run as the default agent with
 * every harness tool, under the same settings-based policy, sharing one read set for the window.
 */
export function windowSessionFactory(deps: { overrides: GuardOverrides; audit: (agent: string) => AuditSink | undefined; tools: readonly Tool[] }): () => SessionBinding {
  const readSet = new ReadSet();
  return () => {
    const settings = readSettings();
    const audit = deps.audit(settings.defaultAgent);
    return {
      session: createToolSession({
        agentName: settings.defaultAgent,
        allowedTools: deps.tools.map((t) => t.name),
        readSet,
        rules: parsePermissionRules(settings.permissions, 'settings').rules,
        trusted: vscode.workspace.isTrusted,
        guards: { noMock: settings.noMockGuard, maxDeletedLines: settings.maxDeletedLines },
        overrides: deps.overrides,
        ...(audit ? { audit } : {}),
      }),
      progress: () => undefined,
      onOutcome: () => undefined,
    };
  };
}
