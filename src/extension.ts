import * as os from 'node:os';
import * as vscode from 'vscode';
import { GuardOverrides } from './core/policy/guardOverrides';
import type { TurnMetadata } from './core/runtime/turnMetadata';
import { HARNESS_TOOLS } from './core/tools/toolRegistry';
import { ActivationClock } from './vscode/activationClock';
import { AgentCatalog } from './vscode/agentCatalog';
import type { AgentsTreeProvider } from './vscode/agentsView';
import { registerAgentsView } from './vscode/agentsView';
import { registerCertificateDecorations } from './vscode/certificateDecorations';
import type { CertificatesTreeProvider } from './vscode/certificatesView';
import { registerCertificatesView } from './vscode/certificatesView';
import { registerCitationLinks } from './vscode/citationLinkProvider';
import { auditSinkFactory, registerHarnessCommands } from './vscode/harnessCommands';
import type { MemoryTreeProvider } from './vscode/memoryView';
import { registerMemoryView } from './vscode/memoryView';
import { registerMcpServerProvider } from './vscode/mcpServerProvider';
import { registerModelSetupGuide } from './vscode/modelSetup';
import { registerOpenAiCompatibleProvider } from './vscode/openAiCompatibleProvider';
import { registerParticipant } from './vscode/participant';
import { registerHarnessTools } from './vscode/toolAdapter';
import { ToolSessionRegistry, windowSessionFactory } from './vscode/toolSessions';

/** What activate() returns: used by the integration tests and the activation benchmark. */
export interface DevopsAgentApi {
  readonly activationMs: number;
  /** Fires when an @devops turn ends, with what it kept in ChatResult.metadata. */
  readonly onDidFinishTurn: vscode.Event<TurnMetadata>;
  /** The tree providers, so tests (and other extensions) can read what the views show. */
  readonly memoryView: MemoryTreeProvider;
  readonly certificatesView: CertificatesTreeProvider;
  readonly agentsView: AgentsTreeProvider;
}

export function activate(context: vscode.ExtensionContext): DevopsAgentApi {
  const clock = new ActivationClock();
  const catalog = new AgentCatalog({ userHome: os.homedir() });
  const overrides = new GuardOverrides();
  const audit = auditSinkFactory(context);
  const sessions = new ToolSessionRegistry(windowSessionFactory({ overrides, audit, tools: HARNESS_TOOLS }));
  const finishedTurns = new vscode.EventEmitter<TurnMetadata>();
  context.subscriptions.push(catalog, finishedTurns);
  registerHarnessTools(context, HARNESS_TOOLS, sessions);
  registerParticipant(context, { catalog, sessions, overrides, tools: HARNESS_TOOLS, audit, finished: (m) => finishedTurns.fire(m) });
  registerOpenAiCompatibleProvider(context);
  registerModelSetupGuide(context);
  registerMcpServerProvider(context, String(context.extension.packageJSON.version ?? '0.0.0'));
  const agentsView = registerAgentsView(context, catalog);
  const memoryView = registerMemoryView(context);
  const certificatesView = registerCertificatesView(context);
  registerCertificateDecorations(context);
  registerCitationLinks(context);
  registerHarnessCommands(context, overrides);
  // the first chat request fails unless the model list was asked for once; not awaited, activation stays instant
  void vscode.lm.selectChatModels().then(undefined, () => undefined);
  clock.stop();
  return { activationMs: clock.milliseconds ?? 0, onDidFinishTurn: finishedTurns.event, memoryView, certificatesView, agentsView };
}

export function deactivate(): void {
  // disposables are released through context.subscriptions
}
