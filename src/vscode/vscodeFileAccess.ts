import * as vscode from 'vscode';
import type { FileAccess } from '../core/tools/framework/tool';

/**
 * Write and Edit go through a WorkspaceEdit so that undo works and an editor's unsaved text is what gets edited.
 * A document that had no unsaved changes is saved afterwards, so the file on disk matches what the agent wrote.
 */
export const vscodeFileAccess: FileAccess = {
  async readText(absolutePath: string): Promise<string | undefined> {
    const uri = vscode.Uri.file(absolutePath);
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      if (error instanceof vscode.FileSystemError && error.code === 'FileNotFound') return undefined;
      throw error;
    }
  },

  async writeText(absolutePath: string, content: string): Promise<void> {
    const uri = vscode.Uri.file(absolutePath);
    let exists = true;
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      exists = false;
    }
    const edit = new vscode.WorkspaceEdit();
    if (!exists) {
      edit.createFile(uri, { ignoreIfExists: true });
      edit.insert(uri, new vscode.Position(0, 0), content);
    } else {
      const document = await vscode.workspace.openTextDocument(uri);
      const whole = new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length));
      edit.replace(uri, whole, content);
    }
    const wasDirty = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString())?.isDirty ?? false;
    if (!(await vscode.workspace.applyEdit(edit))) throw new Error(`VS Code refused the edit to ${absolutePath}`);
    if (!wasDirty) {
      const document = await vscode.workspace.openTextDocument(uri);
      if (!(await document.save())) throw new Error(`could not save ${absolutePath}`);
    }
  },
};
