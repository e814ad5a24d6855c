import * as vscode from 'vscode';
import type { SandboxSettings } from '../core/sandbox/sandboxSettings';
import { parseAllowedHosts } from '../core/sandbox/sandboxSettings';

/** The `devopsAgent.*` settings, read once per request and validated: a bad value falls back to the default. */
export interface HarnessSettings {
  readonly defaultAgent: string;
  readonly maxToolRounds: number;
  readonly bashTimeoutMs: number;
  readonly maxResultChars: number;
  readonly citationRepair: boolean;
  readonly enforceCertificates: boolean;
  readonly permissions: { readonly allow: unknown; readonly ask: unknown; readonly deny: unknown };
  readonly noMockGuard: boolean;
  readonly maxDeletedLines: number;
  readonly auditLocation: 'workspace' | 'extensionStorage';
  readonly sandbox: SandboxSettings;
  /** Entries of devopsAgent.sandbox.allowedHosts that are not host names (ignored, reported). */
  readonly sandboxProblems: readonly string[];
}

/**
 * The sandbox settings from the user's own settings only: a workspace's .vscode/settings.json is written by whoever
 * wrote the workspace (or by a command in it), so it can neither turn the sandbox off nor open the network.
 */
function userSandboxSettings(config: vscode.WorkspaceConfiguration): { sandbox: SandboxSettings; problems: string[] } {
  const enabled = config.inspect<unknown>('sandbox.enabled');
  const hosts = config.inspect<unknown>('sandbox.allowedHosts');
  const parsed = parseAllowedHosts(hosts?.globalValue ?? hosts?.defaultValue);
  const value = enabled?.globalValue ?? enabled?.defaultValue;
  return { sandbox: { enabled: typeof value === 'boolean' ? value : true, allowedHosts: parsed.hosts }, problems: parsed.problems };
}

export function readSettings(): HarnessSettings {
  const config = vscode.workspace.getConfiguration('devopsAgent');
  const int = (key: string, fallback: number, min: number, max: number): number => {
    const value = config.get<unknown>(key);
    return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : fallback;
  };
  const bool = (key: string, fallback: boolean): boolean => {
    const value = config.get<unknown>(key);
    return typeof value === 'boolean' ? value : fallback;
  };
  const name = config.get<unknown>('defaultAgent');
  const sandbox = userSandboxSettings(config);
  return {
    defaultAgent: typeof name === 'string' && name.trim() ? name.trim() : 'devops-engineer',
    maxToolRounds: int('maxToolRounds', 20, 1, 100),
    bashTimeoutMs: int('tools.bashTimeoutSeconds', 120, 1, 3600) * 1000,
    maxResultChars: int('tools.maxResultCharacters', 30_000, 2_000, 500_000),
    citationRepair: bool('citations.repairRound', true),
    enforceCertificates: bool('certificates.enforce', true),
    permissions: { allow: config.get('permissions.allow'), ask: config.get('permissions.ask'), deny: config.get('permissions.deny') },
    noMockGuard: bool('guards.noMock', true),
    maxDeletedLines: int('guards.maxDeletedLines', 40, 1, 1_000_000),
    auditLocation: config.get<unknown>('audit.location') === 'extensionStorage' ? 'extensionStorage' : 'workspace',
    sandbox: sandbox.sandbox,
    sandboxProblems: sandbox.problems,
  };
}
