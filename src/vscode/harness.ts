import * as os from 'node:os';
import type * as vscode from 'vscode';
import { GuardOverrides } from '../core/policy/guardOverrides';
import type { TurnMetadata } from '../core/runtime/turnMetadata';
import { HARNESS_TOOLS } from '../core/tools/toolRegistry';
import { AgentCatalog } from './agentCatalog';
import type { AgentsTreeProvider } from './agentsView';
import { registerAgentsView } from './agentsView';
import { registerCertificateDecorations } from './certificateDecorations';
import type { CertificatesTreeProvider } from './certificatesView';
import { registerCertificatesView } from './certificatesView';
import { registerCitationLinks } from './citationLinkProvider';
import type { ContributionRegistrar } from './deferredContributions';
import type { DeliveryMetricsViewProvider } from './deliveryMetricsView';
import { registerDeliveryMetricsView } from './deliveryMetricsView';
import { auditSinkFactory, registerHarnessCommands } from './harnessCommands';
import type { MemoryTreeProvider } from './memoryView';
import { registerMemoryView } from './memoryView';
import { registerModelSetupGuide } from './modelSetup';
import { registerParticipant } from './participant';
import { registerReviewWorkspace } from './reviewWorkspace';
import { registerHarnessTools } from './toolAdapter';
import { ToolSessionRegistry, windowSessionFactory } from './toolSessions';
import { runWorkspaceChecks } from './workspaceCheckRunner';

/** What the loaded harness hands back to the extension API: the tree providers, for tests and other extensions. */
export interface HarnessParts {
  readonly agentsView: AgentsTreeProvider;
  readonly memoryView: MemoryTreeProvider;
  readonly certificatesView: CertificatesTreeProvider;
  /** The Delivery Metrics webview: its last report or error. */
  readonly deliveryMetricsView: DeliveryMetricsViewProvider;
}

/**
 * The harness: participant, tools, views, commands, decorations and citation links. Bundled apart from the entry
 * (dist/harness.js) and loaded on the first use of any of them; everything it registers goes through `registrar`.
 */
export function startHarness(context: vscode.ExtensionContext, registrar: ContributionRegistrar, finished: (metadata: TurnMetadata) => void): HarnessParts {
  const catalog = new AgentCatalog({ userHome: os.homedir() });
  const overrides = new GuardOverrides();
  const audit = auditSinkFactory(context);
  const sessions = new ToolSessionRegistry(windowSessionFactory({ overrides, audit, tools: HARNESS_TOOLS }));
  context.subscriptions.push(catalog);
  registerHarnessTools(context, registrar, HARNESS_TOOLS, sessions);
  registerParticipant(context, registrar, { catalog, sessions, overrides, tools: HARNESS_TOOLS, audit, finished, runChecks: runWorkspaceChecks });
  registerReviewWorkspace(context, registrar, runWorkspaceChecks);
  registerModelSetupGuide(context, registrar);
  const agentsView = registerAgentsView(context, registrar, catalog);
  const memoryView = registerMemoryView(context, registrar);
  const certificatesView = registerCertificatesView(context, registrar);
  const deliveryMetricsView = registerDeliveryMetricsView(context, registrar);
  registerCertificateDecorations(context, registrar);
  registerCitationLinks(context, registrar);
  registerHarnessCommands(context, registrar, overrides);
  return { agentsView, memoryView, certificatesView, deliveryMetricsView };
}
