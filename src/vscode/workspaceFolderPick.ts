import * as vscode from 'vscode';

/**
 * The workspace folder a command acts on: the one given (a tree item's folder), the only one, or the user's pick
 * when there are several. Undefined (after saying why) when no folder is open or the pick was cancelled.
 */
export async function pickWorkspaceFolder(placeHolder: string, given?: vscode.Uri): Promise<vscode.WorkspaceFolder | undefined> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (given) {
    const owner = vscode.workspace.getWorkspaceFolder(given);
    if (owner) return owner;
  }
  if (folders.length === 0) {
    void vscode.window.showWarningMessage(vscode.l10n.t('Open a folder first: the agent keeps its memory and certificates inside the workspace.'));
    return undefined;
  }
  if (folders.length === 1) return folders[0];
  return vscode.window.showWorkspaceFolderPick({ placeHolder, ignoreFocusOut: true });
}

