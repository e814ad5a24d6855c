import type { ListedModel } from './openAiCompatibleClient';

/** One entry of the `devopsAgent.openai.models` setting. */
export interface ConfiguredModel {
  id: string;
  name?: string;
  maxInputTokens?: number;
  maxOutputTokens?: number;
}

/** What the VS Code provider reports for a model (LanguageModelChatInformation without capabilities). */
export interface ProviderModelInfo {
  id: string;
  name: string;
  family: string;
  version: string;
  detail: string;
  tooltip: string;
  maxInputTokens: number;
  maxOutputTokens: number;
}

/** Used when neither the setting nor the server states a limit; small enough for typical local models. */
export const DEFAULT_MAX_INPUT_TOKENS = 32_768;
export const DEFAULT_MAX_OUTPUT_TOKENS = 4_096;

/** Checks a base URL typed by the user: undefined when acceptable (empty turns the provider off), else why not. */
export function validateBaseUrl(input: string): string | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'Not a URL. Enter the OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:1234/v1 (LM Studio).';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'The base URL must start with http:// or https://.';
  if (url.username || url.password) return 'Do not put credentials in the URL; store the API key with "DevOps Agent: Set API Key".';
  if (url.search || url.hash) return 'The base URL takes no query or fragment; it usually ends in /v1.';
  return undefined;
}

/** Reads the `devopsAgent.openai.models` setting, keeping the valid entries and saying what was wrong with the rest. */
export function parseConfiguredModels(value: unknown): { models: ConfiguredModel[]; problems: string[] } {
  if (value === undefined || value === null) return { models: [], problems: [] };
  if (!Array.isArray(value)) return { models: [], problems: ['devopsAgent.openai.models must be a list of {"id": ...} entries'] };
  const models: ConfiguredModel[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  value.forEach((entry: unknown, i) => {
    const item = typeof entry === 'string' ? { id: entry } : typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : undefined;
    const id = typeof item?.id === 'string' ? item.id.trim() : '';
    if (!item || id === '') {
      problems.push(`devopsAgent.openai.models[${i}] needs an "id" (the model name the server knows)`);
      return;
    }
    if (seen.has(id)) {
      problems.push(`devopsAgent.openai.models[${i}]: "${id}" is listed twice`);
      return;
    }
    seen.add(id);
    const model: ConfiguredModel = { id };
    if (typeof item.name === 'string' && item.name.trim() !== '') model.name = item.name.trim();
    for (const key of ['maxInputTokens', 'maxOutputTokens'] as const) {
      const limit = item[key];
      if (limit === undefined) continue;
      if (typeof limit === 'number' && Number.isInteger(limit) && limit > 0) model[key] = limit;
      else problems.push(`devopsAgent.openai.models[${i}].${key} must be a positive whole number; using the default`);
    }
    models.push(model);
  });
  return { models, problems };
}

/** Model descriptions from configured entries or from the server's /models list. */
export function describeProviderModels(entries: readonly (ConfiguredModel | ListedModel)[], baseUrl: string): ProviderModelInfo[] {
  const host = hostOf(baseUrl);
  return entries.map((entry) => {
    const configured = entry as ConfiguredModel;
    const contextLength = (entry as ListedModel).contextLength;
    const maxOutputTokens = configured.maxOutputTokens ?? (contextLength ? Math.min(DEFAULT_MAX_OUTPUT_TOKENS, Math.floor(contextLength / 4)) : DEFAULT_MAX_OUTPUT_TOKENS);
    const maxInputTokens = configured.maxInputTokens ?? (contextLength ? Math.max(1, contextLength - maxOutputTokens) : DEFAULT_MAX_INPUT_TOKENS);
    // Ollama ids are name:tag; the name is the family and the tag the version.
    const colon = entry.id.indexOf(':');
    return {
      id: entry.id,
      name: configured.name ?? entry.id,
      family: colon > 0 ? entry.id.slice(0, colon) : entry.id,
      version: colon > 0 ? entry.id.slice(colon + 1) : 'default',
      detail: host,
      tooltip: `${entry.id} at ${baseUrl}`,
      maxInputTokens,
      maxOutputTokens,
    };
  });
}

function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}
