import * as vscode from 'vscode';

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
  };
}
