import * as vscode from 'vscode';
import type { CheckRunner } from '../core/checks/reviewWithChecks';

/**
 * The DevOps check engine as the harness calls it: loaded on the first check (dist/checkEngine.js), and never
 * running git in an untrusted workspace, whose git config could run programs.
 */
export const runWorkspaceChecks: CheckRunner = async (options) =>
  (await import('../core/checks/runChecks')).runChecks({ ...options, git: options.git !== false && vscode.workspace.isTrusted });
