import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { CHECKS_ONLY_MODEL_ID, checksOnlyAnswerText, withChecksOnlyEntry } from '../core/models/checksOnlyModel';
import { describeProviderModels, parseConfiguredModels, validateBaseUrl } from '../core/models/endpointSettings';
import { listModels, streamChatCompletion } from '../core/models/openAiCompatibleClient';
import type { PlainChatMessage } from '../core/models/openAiMessages';
import { estimateTokenCount, plainPartFromUnknown, readSamplingOptions, toOpenAiMessages, toOpenAiTools, toolCallInput } from '../core/models/openAiMessages';
import { errorMessage } from '../core/errors/errorText';

export const VENDOR = 'devops-agent';
const SETTINGS_SECTION = 'devopsAgent.openai';
const API_KEY_SECRET = 'devopsAgent.openai.apiKey';
const SET_API_KEY_COMMAND = 'devopsAgent.setApiKey';
const CONFIGURE_COMMAND = 'devopsAgent.configureModelProvider';

/**
 * Registers the `devops-agent` language model provider (any OpenAI-compatible endpoint: Ollama, LM Studio,
 * vLLM, LiteLLM) and its two commands. Malformed tool-call arguments are reported as a tool call whose input
 * is `{ __malformedArguments: raw }` (see MALFORMED_ARGUMENTS_KEY), never thrown.
 */
export function registerOpenAiCompatibleProvider(context: vscode.ExtensionContext, registrar: ContributionRegistrar): void {
  const log = vscode.window.createOutputChannel('DevOps Agent: Model Provider', { log: true });
  const provider = new OpenAiCompatibleChatProvider(context.secrets, log);
  context.subscriptions.push(
    log,
    provider,
    registrar.registerLanguageModelChatProvider(VENDOR, provider),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(SETTINGS_SECTION)) provider.refresh();
    }),
    context.secrets.onDidChange((e) => {
      if (e.key === API_KEY_SECRET) provider.refresh();
    }),
    registrar.registerCommand(SET_API_KEY_COMMAND, () => promptForApiKey(context.secrets)),
    registrar.registerCommand(CONFIGURE_COMMAND, () => configureProvider(context.secrets)),
  );
}

class OpenAiCompatibleChatProvider implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  refresh(): void {
    this.changed.fire();
  }

  dispose(): void {
    this.changed.dispose();
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    const models = await this.endpointModels(options, token);
    // without an endpoint the picker still offers one honest entry, so @devops runs its checks instead of the chat refusing
    return withChecksOnlyEntry(models).map((info) => ({ ...info, capabilities: { toolCalling: true, imageInput: false } }));
  }

  private async endpointModels(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<ReturnType<typeof describeProviderModels>> {
    const baseUrl = currentBaseUrl();
    if (baseUrl === '') return [];
    const invalid = validateBaseUrl(baseUrl);
    if (invalid) return this.warn(options.silent, `devopsAgent.openai.baseUrl: ${invalid}`);
    const { models: configured, problems } = parseConfiguredModels(vscode.workspace.getConfiguration(SETTINGS_SECTION).get<unknown>('models'));
    for (const problem of problems) this.log.warn(problem);
    let entries: { id: string }[] = configured;
    if (entries.length === 0) {
      const cancel = abortOnCancel(token);
      try {
        entries = await listModels({ baseUrl, apiKey: await this.secrets.get(API_KEY_SECRET), signal: cancel.signal });
      } catch (error) {
        return token.isCancellationRequested ? [] : this.warn(options.silent, errorMessage(error));
      } finally {
        cancel.dispose();
      }
    }
    return describeProviderModels(entries, baseUrl);
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    if (model.id === CHECKS_ONLY_MODEL_ID) {
      // Copilot agent mode or another extension asked the checks-only entry: say what it is, never invent an answer
      progress.report(new vscode.LanguageModelTextPart(checksOnlyAnswerText()));
      return;
    }
    const converted = toOpenAiMessages(messages.map(toPlainMessage));
    for (const note of converted.notes) this.log.info(`${model.id}: ${note}`);
    const tools = toOpenAiTools((options.tools ?? []).map((t) => ({ name: t.name, description: t.description, ...(t.inputSchema ? { inputSchema: t.inputSchema } : {}) })));
    const cancel = abortOnCancel(token);
    try {
      const apiKey = await this.secrets.get(API_KEY_SECRET);
      const stream = streamChatCompletion({
        baseUrl: currentBaseUrl(),
        ...(apiKey ? { apiKey } : {}),
        model: model.id,
        messages: converted.messages,
        tools,
        ...(options.toolMode === vscode.LanguageModelChatToolMode.Required ? { toolChoice: 'required' as const } : {}),
        ...readSamplingOptions(options.modelOptions),
        signal: cancel.signal,
      });
      for await (const event of stream) {
        if (event.type === 'text') progress.report(new vscode.LanguageModelTextPart(event.text));
        else if (event.type === 'tool_call') progress.report(new vscode.LanguageModelToolCallPart(event.id, event.name, toolCallInput(event.argumentsJson)));
      }
    } catch (error) {
      if (token.isCancellationRequested) return;
      this.log.error(`${model.id}: ${errorMessage(error)}`);
      throw error;
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    return estimateTokenCount(typeof text === 'string' ? text : toPlainMessage(text));
  }

  private warn(silent: boolean, message: string): [] {
    this.log.warn(message);
    if (!silent) void vscode.window.showWarningMessage(vscode.l10n.t('DevOps Agent models: {0}', message));
    return [];
  }
}

function toPlainMessage(message: vscode.LanguageModelChatRequestMessage): PlainChatMessage {
  const role = message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : 'system';
  return { role, parts: message.content.map(plainPartFromUnknown), ...(message.name ? { name: message.name } : {}) };
}

function currentBaseUrl(): string {
  return (vscode.workspace.getConfiguration(SETTINGS_SECTION).get<string>('baseUrl') ?? '').trim();
}

async function promptForApiKey(secrets: vscode.SecretStorage): Promise<void> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('DevOps Agent: API key for the OpenAI-compatible endpoint'),
    prompt: vscode.l10n.t('Stored in VS Code secret storage. Leave empty to remove the stored key.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  if (value.trim() === '') {
    await secrets.delete(API_KEY_SECRET);
    void vscode.window.showInformationMessage(vscode.l10n.t('DevOps Agent: API key removed.'));
  } else {
    await secrets.store(API_KEY_SECRET, value.trim());
    void vscode.window.showInformationMessage(vscode.l10n.t('DevOps Agent: API key stored.'));
  }
}

async function configureProvider(secrets: vscode.SecretStorage): Promise<void> {
  const baseUrl = currentBaseUrl();
  const hasKey = (await secrets.get(API_KEY_SECRET)) !== undefined;
  const choice = await vscode.window.showQuickPick(
    [
      { id: 'baseUrl', label: vscode.l10n.t('Set base URL…'), description: baseUrl || vscode.l10n.t('not set: @devops runs checks only') },
      { id: 'apiKey', label: vscode.l10n.t('Set API key…'), description: hasKey ? vscode.l10n.t('stored') : vscode.l10n.t('not set') },
      { id: 'settings', label: vscode.l10n.t('Open settings'), description: SETTINGS_SECTION },
    ],
    { title: vscode.l10n.t('DevOps Agent: OpenAI-compatible model provider') },
  );
  if (choice?.id === 'apiKey') await promptForApiKey(secrets);
  else if (choice?.id === 'settings') await vscode.commands.executeCommand('workbench.action.openSettings', SETTINGS_SECTION);
  else if (choice?.id === 'baseUrl') await promptForBaseUrl(secrets, baseUrl);
}

async function promptForBaseUrl(secrets: vscode.SecretStorage, current: string): Promise<void> {
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('DevOps Agent: OpenAI-compatible base URL'),
    prompt: vscode.l10n.t('e.g. http://127.0.0.1:11434/v1 (Ollama), http://127.0.0.1:1234/v1 (LM Studio). Empty turns the provider off.'),
    value: current || 'http://127.0.0.1:11434/v1',
    ignoreFocusOut: true,
    validateInput: validateBaseUrl,
  });
  if (value === undefined) return;
  const baseUrl = value.trim();
  await vscode.workspace.getConfiguration(SETTINGS_SECTION).update('baseUrl', baseUrl, vscode.ConfigurationTarget.Global);
  if (baseUrl === '') return;
  try {
    const apiKey = await secrets.get(API_KEY_SECRET);
    const models = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('DevOps Agent: asking {0} for its models…', baseUrl), cancellable: true },
      async (_progress, token) => {
        const cancel = abortOnCancel(token);
        try {
          return await listModels({ baseUrl, ...(apiKey ? { apiKey } : {}), signal: cancel.signal });
        } finally {
          cancel.dispose();
        }
      },
    );
    void vscode.window.showInformationMessage(models.length > 0
      ? vscode.l10n.t('DevOps Agent: {0} offers {1} model(s): {2}.', baseUrl, models.length, models.slice(0, 5).map((m) => m.id).join(', '))
      : vscode.l10n.t('DevOps Agent: {0} offers {1} model(s).', baseUrl, 0));
  } catch (error) {
    // cancelled by the user: the URL is saved, nothing to report
    if (error instanceof Error && error.name === 'AbortError') return;
    void vscode.window.showWarningMessage(vscode.l10n.t('DevOps Agent: saved, but {0}', errorMessage(error)));
  }
}

function abortOnCancel(token: vscode.CancellationToken): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  if (token.isCancellationRequested) controller.abort();
  const subscription = token.onCancellationRequested(() => controller.abort());
  return { signal: controller.signal, dispose: () => subscription.dispose() };
}

