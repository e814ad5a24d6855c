// The entry bundle (dist/extension.js) only registers: stand-ins for what package.json contributes. The harness
// (dist/harness.js) and the model provider (dist/modelProvider.js) load on the first use of something they serve.
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { isCertificatePath } from './core/certificates/certificatePath';
import type { TurnMetadata } from './core/runtime/turnMetadata';
import type { LazyPart } from './vscode/deferredContributions';
import { DeferredContributions } from './vscode/deferredContributions';
import type { HarnessParts } from './vscode/harness';
import { registerMcpServerProvider } from './vscode/mcpServerProvider';

// the bundle's first statement sets this (esbuild banner); unbundled (plain-Node tests) it is unset
declare const DEVOPS_AGENT_LOAD_STARTED: number | undefined;
const loadStarted = typeof DEVOPS_AGENT_LOAD_STARTED === 'number' ? DEVOPS_AGENT_LOAD_STARTED : undefined;

/** What activate() returns: used by the integration tests and the activation benchmark. */
export interface DevopsAgentApi {
  /** Time spent inside activate(), in ms. */
  readonly activationMs: number;
  /** From the entry bundle's first statement to the end of activate(), in ms (undefined when run unbundled). */
  readonly loadAndActivationMs: number | undefined;
  /** Fires when an @devops turn ends, with what it kept in ChatResult.metadata. */
  readonly onDidFinishTurn: vscode.Event<TurnMetadata>;
  /** Whether the harness has been loaded (by the first use of a view, command, tool or the participant). */
  readonly harnessLoaded: () => boolean;
  /** Loads the harness, as the first use of any of its contributions does, and returns its tree providers. */
  harness(): Promise<HarnessParts>;
}

/** The model vendor and its commands are served by the model provider; everything else by the harness. */
const MODEL_PROVIDER_COMMANDS = new Set(['devopsAgent.setApiKey', 'devopsAgent.configureModelProvider']);

export function activate(context: vscode.ExtensionContext): DevopsAgentApi {
  const started = performance.now();
  const finishedTurns = new vscode.EventEmitter<TurnMetadata>();
  context.subscriptions.push(finishedTurns);
  let harness: Promise<HarnessParts> | undefined;
  let modelProvider: Promise<void> | undefined;
  const contributions = new DeferredContributions(context, (kind, id) => (kind === 'modelProvider' || (kind === 'command' && MODEL_PROVIDER_COMMANDS.has(id)) ? modelProviderPart : harnessPart));
  const harnessPart: LazyPart = {
    name: 'harness',
    load: () => loadHarness().then(() => undefined),
  };
  const modelProviderPart: LazyPart = {
    name: 'model provider',
    load: () => (modelProvider ??= import('./vscode/openAiCompatibleProvider').then((m) => m.registerOpenAiCompatibleProvider(context, contributions))),
  };
  const loadHarness = (): Promise<HarnessParts> =>
    (harness ??= import('./vscode/harness').then((m) => m.startHarness(context, contributions, (meta) => finishedTurns.fire(meta))));

  contributions.registerStandIns((context.extension.packageJSON as { contributes?: object }).contributes ?? {}, {
    participantIcon: vscode.Uri.joinPath(context.extensionUri, 'media', 'devops-agent.svg'),
    isCertificatePath,
  });
  // the MCP server definition is registration only: it points VS Code at dist/cli.js, which runs in its own process
  registerMcpServerProvider(context, String((context.extension.packageJSON as { version?: unknown }).version ?? '0.0.0'));
  // the first chat request fails unless the model list was asked for once; not awaited, activation stays instant
  void vscode.lm.selectChatModels().then(undefined, () => undefined);
  const ended = performance.now();
  return {
    activationMs: ended - started,
    loadAndActivationMs: loadStarted === undefined ? undefined : ended - loadStarted,
    onDidFinishTurn: finishedTurns.event,
    harnessLoaded: () => harness !== undefined,
    harness: loadHarness,
  };
}

export function deactivate(): void {
  // disposables are released through context.subscriptions
}
