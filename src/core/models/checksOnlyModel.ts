import type { ProviderModelInfo } from './endpointSettings';

/** The id of the provider entry that is not a language model: `@devops` answers with the DevOps checks alone. */
export const CHECKS_ONLY_MODEL_ID = 'no-language-model';
export const CHECKS_ONLY_MODEL_NAME = 'No language model — checks only';

/** The README heading that explains how to get a model (Ollama, LM Studio, Copilot). */
export const MODEL_SETUP_README_HEADING = 'Configure a model';

/** The entry the provider offers when no endpoint gives it real models; its name says what it is. */
export function checksOnlyModelInfo(): ProviderModelInfo {
  return {
    id: CHECKS_ONLY_MODEL_ID,
    name: CHECKS_ONLY_MODEL_NAME,
    family: 'checks-only',
    version: '1',
    detail: 'not a language model',
    tooltip: '@devops runs the DevOps checks, working memory and certificates without a model. Configure an OpenAI-compatible endpoint (Ollama, LM Studio, vLLM) or use Copilot for answers that need reasoning.',
    // the chat asks for limits; a request never reaches a model, so any positive numbers do
    maxInputTokens: 100_000,
    maxOutputTokens: 4_096,
  };
}

/** True for the checks-only entry (by vendor and id, as request.model carries them). */
export function isChecksOnlyModel(model: { readonly vendor: string; readonly id: string } | undefined, vendor: string): boolean {
  return model !== undefined && model.vendor === vendor && model.id === CHECKS_ONLY_MODEL_ID;
}

/**
 * The provider's whole answer when anyone but @devops sends a request to the checks-only entry (Copilot agent mode,
 * another extension): plain text that says what it is and how to get a model. Never an invented answer.
 */
export function checksOnlyAnswerText(): string {
  return [
    `"${CHECKS_ONLY_MODEL_NAME}" is not a language model, so it cannot answer this request.`,
    '',
    'It exists so that @devops works without a model: `@devops /review`, `/docker` and `/pipeline` run the DevOps checks and write a certificate, `/memory` shows and updates working memory, `/certify` opens the New Certificate form.',
    '',
    'To get answers from a model, pick another one in the model picker, or connect one:',
    '- run "DevOps Agent: Configure Model Provider" and set the base URL of an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:1234/v1 (LM Studio);',
    '- run "DevOps Agent: Set API Key" when the endpoint needs a key;',
    '- or sign in to GitHub Copilot where your editor offers it.',
  ].join('\n');
}

/**
 * The models the provider lists: the endpoint's models when there are any, else the checks-only entry alone, so a
 * picker is never empty and the entry never competes with a real model of ours.
 */
export function withChecksOnlyEntry<T extends ProviderModelInfo>(models: readonly T[]): (T | ProviderModelInfo)[] {
  return models.length > 0 ? [...models] : [checksOnlyModelInfo()];
}
