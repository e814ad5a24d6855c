import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { AGENT_MARKDOWN } from './deferredContributions';
import { parseCitations } from '../core/citations/parseCitations';
import type { CitationCheck } from '../core/citations/verifyCitations';
import { describeCitationCheck } from '../core/citations/citationReport';
import { LineIndexCache } from '../core/citations/lineIndexCache';
import { verifyCitations } from '../core/citations/verifyCitations';

const DEBOUNCE_MS = 300;

/** Makes citations in agent Markdown clickable and flags the ones that do not verify as warnings. */
export function registerCitationLinks(context: vscode.ExtensionContext, registrar: ContributionRegistrar): void {
  const checker = new AgentMarkdownCitations();
  context.subscriptions.push(
    checker,
    registrar.registerDocumentLinkProvider(AGENT_MARKDOWN, checker),
    vscode.workspace.onDidOpenTextDocument((document) => checker.schedule(document, 0)),
    vscode.workspace.onDidChangeTextDocument((event) => checker.schedule(event.document, DEBOUNCE_MS)),
    vscode.workspace.onDidCloseTextDocument((document) => checker.forget(document)),
    // A cited file saved or a folder added can turn a warning into a verified citation or the reverse.
    vscode.workspace.onDidSaveTextDocument(() => checker.scheduleAll()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => checker.scheduleAll()),
  );
  checker.scheduleAll();
}

class AgentMarkdownCitations implements vscode.DocumentLinkProvider, vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('devops-agent-citations');
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly results = new Map<string, { readonly version: number; readonly checks: Promise<readonly CitationCheck[]> }>();

  async provideDocumentLinks(document: vscode.TextDocument, token: vscode.CancellationToken): Promise<vscode.DocumentLink[]> {
    const checks = await this.checksFor(document);
    if (token.isCancellationRequested) return [];
    const links: vscode.DocumentLink[] = [];
    for (const check of checks) {
      if (check.absolutePath === undefined || check.status === 'missing-file' || check.status === 'outside-workspace') continue;
      const { startLine, endLine } = check.citation;
      const fragment = startLine === endLine ? `L${startLine}` : `L${startLine}-L${endLine}`;
      const link = new vscode.DocumentLink(rangeOf(document, check), vscode.Uri.file(check.absolutePath).with({ fragment }));
      link.tooltip = describeCitationCheck(check);
      links.push(link);
    }
    return links;
  }

  schedule(document: vscode.TextDocument, delayMs: number): void {
    if (vscode.languages.match(AGENT_MARKDOWN, document) === 0) return;
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.refresh(document);
    }, delayMs));
  }

  scheduleAll(): void {
    this.results.clear();
    for (const document of vscode.workspace.textDocuments) this.schedule(document, DEBOUNCE_MS);
  }

  forget(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    const pending = this.timers.get(key);
    if (pending !== undefined) clearTimeout(pending);
    this.timers.delete(key);
    this.results.delete(key);
    this.diagnostics.delete(document.uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.results.clear();
    this.diagnostics.dispose();
  }

  private async refresh(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    const version = document.version;
    const checks = await this.checksFor(document);
    if (document.isClosed || document.version !== version) return;
    this.diagnostics.set(document.uri, checks.filter((check) => check.status !== 'verified').map((check) => {
      const diagnostic = new vscode.Diagnostic(rangeOf(document, check), describeCitationCheck(check), vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'DevOps Agent citations';
      diagnostic.code = check.status;
      return diagnostic;
    }));
  }

  private checksFor(document: vscode.TextDocument): Promise<readonly CitationCheck[]> {
    const key = document.uri.toString();
    const known = this.results.get(key);
    if (known !== undefined && known.version === document.version) return known.checks;
    const roots = workspaceRoots();
    const citations = parseCitations(document.getText(), { roots, folderNames: roots.map((root) => path.basename(root)) });
    const checks = verifyCitations(citations, { roots, cache: new LineIndexCache() });
    this.results.set(key, { version: document.version, checks });
    return checks;
  }
}

function rangeOf(document: vscode.TextDocument, check: CitationCheck): vscode.Range {
  const { offset, length } = check.citation;
  return new vscode.Range(document.positionAt(offset), document.positionAt(offset + length));
}

function workspaceRoots(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter((folder) => folder.uri.scheme === 'file').map((folder) => {
    try {
      return fs.realpathSync.native(folder.uri.fsPath);
    } catch {
      return folder.uri.fsPath;
    }
  });
}
