import type * as vscode from 'vscode';
import { ActivationClock } from './vscode/activationClock';

/** What activate() returns: used by the integration tests and the activation benchmark. */
export interface DevopsAgentApi {
  readonly activationMs: number;
}

export function activate(_context: vscode.ExtensionContext): DevopsAgentApi {
  const clock = new ActivationClock();
  clock.stop();
  return { activationMs: clock.milliseconds ?? 0 };
}

export function deactivate(): void {
  // disposables are released through context.subscriptions
}
