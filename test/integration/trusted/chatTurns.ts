import * as vscode from 'vscode';
import type { TurnMetadata } from '../../../src/core/runtime/turnMetadata';
import type { DevopsAgentApi } from '../../../src/extension';

/** Resolves with the metadata of the next @devops turn that finishes. */
export function nextTurn(api: DevopsAgentApi, timeoutMs: number): Promise<TurnMetadata> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { listener.dispose(); reject(new Error(`no @devops turn finished within ${timeoutMs} ms`)); }, timeoutMs);
    const listener = api.onDidFinishTurn((meta) => { clearTimeout(timer); listener.dispose(); resolve(meta); });
  });
}

/** Waits until our OpenAI-compatible provider lists the model (it reads the settings asynchronously). */
export async function waitForModel(id: string): Promise<vscode.LanguageModelChat> {
  for (let i = 0; i < 100; i++) {
    const [model] = await vscode.lm.selectChatModels({ vendor: 'devops-agent', id });
    if (model) return model;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`model ${id} never appeared from the devops-agent provider`);
}
