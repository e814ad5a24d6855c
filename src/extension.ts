import * as os from 'node:os';
import type * as vscode from 'vscode';
import { GuardOverrides } from './core/policy/guardOverrides';
import { parsePermissionRules } from './core/policy/permissions';
import { ReadSet } from './core/tools/readSet';
import { HARNESS_TOOLS } from './core/tools/toolRegistry';
import { ActivationClock } from './vscode/activationClock';
import { AgentCatalog } from './vscode/agentCatalog';
import { registerAgentsView } from './vscode/agentsView';
import { registerCertificateDecorations } from './vscode/certificateDecorations';
import { registerCertificatesView } from './vscode/certificatesView';
import { registerCitationLinks } from './vscode/citationLinkProvider';
import { auditSinkFactory, registerHarnessCommands } from './vscode/harnessCommands';
import { registerMemoryView } from './vscode/memoryView';
import { registerOpenAiCompatibleProvider } from './vscode/openAiCompatibleProvider';
import { registerParticipant } from './vscode/participant';
import { readSettings } from './vscode/settings';
import { registerHarnessTools } from './vscode/toolAdapter';
import { ToolSessionRegistry } from './vscode/toolSessions';

/** What activate() returns: used by the integration tests and the activation benchmark. */
export interface DevopsAgentApi {
  readonly activationMs: number;
}

export function activate(context: vscode.ExtensionContext): DevopsAgentApi {
  const clock = new ActivationClock();
  const catalog = new AgentCatalog({ userHome: os.homedir() });
  const overrides = new GuardOverrides();
  const audit = auditSinkFactory(context);
  const windowReadSet = new ReadSet();
  // calls from Copilot's agent mode or # references run as the default agent with all tools, in one window session
  const sessions = new ToolSessionRegistry(() => {
    const settings = readSettings();
    const vscodeApi = require('vscode') as typeof vscode;
    const sink = audit(settings.defaultAgent);
    return {
      session: {
        agentName: settings.defaultAgent,
        allowedTools: new Set(HARNESS_TOOLS.map((t) => t.name)),
        readSet: windowReadSet,
        rules: parsePermissionRules(settings.permissions, 'settings').rules,
        trusted: vscodeApi.workspace.isTrusted,
        guards: { noMock: settings.noMockGuard, maxDeletedLines: settings.maxDeletedLines, maxDeletedFraction: 0.3 },
        overrides,
        ...(sink ? { audit: sink } : {}),
        homeDir: os.homedir(),
      },
      progress: () => undefined,
      onOutcome: () => undefined,
    };
  });
  context.subscriptions.push(catalog);
  registerHarnessTools(context, HARNESS_TOOLS, sessions);
  registerParticipant(context, { catalog, sessions, overrides, tools: HARNESS_TOOLS, audit });
  registerOpenAiCompatibleProvider(context);
  registerAgentsView(context, catalog);
  registerMemoryView(context);
  registerCertificatesView(context);
  registerCertificateDecorations(context);
  registerCitationLinks(context);
  registerHarnessCommands(context, overrides);
  clock.stop();
  return { activationMs: clock.milliseconds ?? 0 };
}

export function deactivate(): void {
  // disposables are released through context.subscriptions
}
