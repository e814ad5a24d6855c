import type * as vscode from 'vscode';

export function activate(_context: vscode.ExtensionContext): void {
  // wiring comes with the runtime
}

export function deactivate(): void {
  // disposables are released through context.subscriptions
}
