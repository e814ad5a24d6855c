import * as path from 'node:path';
import * as vscode from 'vscode';
import { CHECK_CONFIG_FILES, loadCheckConfig } from '../core/checks/checkConfig';
import type { LoadedCheckConfig } from '../core/checks/checkConfig';
import { ruleHelpUri } from '../core/checks/checkReportFormat';
import type { CheckFinding, CheckSeverity } from '../core/checks/checkTypes';
import { kindByPath } from '../core/checks/fileKinds';
import type * as CheckEngine from '../core/checks/runChecks';
import { runWorkspaceChecks } from './workspaceCheckRunner';

/** The `source` of every check diagnostic, as users see it in the Problems panel. */
export const CHECK_SOURCE = 'DevOps Agent';
/** Quiet time after the last keystroke before an open file is checked again. */
const DEBOUNCE_MS = 250;

let engine: Promise<typeof CheckEngine> | undefined;
/** The check engine is its own bundle (dist/checkEngine.js), shared with the devops_check tool; loaded once. */
function loadEngine(): Promise<typeof CheckEngine> {
  return (engine ??= import('../core/checks/runChecks'));
}

const SEVERITY: Readonly<Record<CheckSeverity, vscode.DiagnosticSeverity>> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  note: vscode.DiagnosticSeverity.Information,
};

export interface WorkspaceCheckResult {
  readonly files: number;
  readonly findings: number;
}

/** Findings of one file, with the document version they were computed for (fixes apply only to that version). */
interface FileFindings {
  readonly findings: readonly CheckFinding[];
  readonly version: number | undefined;
}

export function toDiagnostic(finding: CheckFinding): vscode.Diagnostic {
  const range = new vscode.Range(finding.range.line - 1, finding.range.column - 1, finding.range.endLine - 1, Math.max(0, finding.range.endColumn - 1));
  const diagnostic = new vscode.Diagnostic(range, finding.message, SEVERITY[finding.severity]);
  diagnostic.source = CHECK_SOURCE;
  diagnostic.code = { value: finding.ruleId, target: vscode.Uri.parse(ruleHelpUri(finding.ruleId)) };
  return diagnostic;
}

/** The rule id of one of our diagnostics, undefined for anyone else's. */
export function ruleIdOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== CHECK_SOURCE) return undefined;
  const code = diagnostic.code;
  if (typeof code === 'object' && code !== null) return String(code.value);
  return code === undefined ? undefined : String(code);
}

/**
 * DevOps check findings in the Problems panel: open files are checked as they are typed (debounced), the whole
 * workspace on activation, on demand and when `.devops-agent.yaml` changes.
 */
export class CheckDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('devops-agent-checks');
  private readonly byUri = new Map<string, FileFindings>();
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly configs = new Map<string, LoadedCheckConfig>();
  private readonly tracked = new Map<string, Promise<boolean>>();
  private workspaceRun: Promise<WorkspaceCheckResult> | undefined;

  enabled(): boolean {
    return vscode.workspace.getConfiguration('devopsAgent').get<boolean>('checks.enabled', true) !== false;
  }

  /** The findings shown for a file and the document version they belong to (undefined: from disk). */
  findingsFor(uri: vscode.Uri): FileFindings | undefined {
    return this.byUri.get(uri.toString());
  }

  /** Checks a document after the debounce delay, when it is a file of a kind the engine knows. */
  schedule(document: vscode.TextDocument, delayMs = DEBOUNCE_MS): void {
    if (!this.enabled() || document.uri.scheme !== 'file') return;
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (folder === undefined) return;
    const relative = path.relative(folder.uri.fsPath, document.uri.fsPath).split(path.sep).join('/');
    if (kindByPath(relative) === undefined && !CHECK_CONFIG_FILES.some((name) => name === relative)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => {
      this.timers.delete(key);
      void this.checkDocument(document, folder.uri.fsPath);
    }, delayMs));
  }

  private async checkDocument(document: vscode.TextDocument, root: string): Promise<void> {
    if (document.isClosed) return;
    const relative = path.relative(root, document.uri.fsPath).split(path.sep).join('/');
    const trackedByGit = kindByPath(relative) === 'secrets-file' ? await this.isTracked(root, document.uri.fsPath) : false;
    const { checkText } = await loadEngine();
    if (document.isClosed) return;
    const findings = checkText(document.uri.fsPath, document.getText(), root, { config: this.configFor(root), trackedByGit });
    this.show(document.uri, findings, document.version);
  }

  private isTracked(root: string, file: string): Promise<boolean> {
    // git reads the repository's config, which can run commands: not in an untrusted workspace.
    if (!vscode.workspace.isTrusted) return Promise.resolve(false);
    let answer = this.tracked.get(file);
    if (answer === undefined) {
      answer = loadEngine().then((loaded) => loaded.isTrackedByGit(root, file));
      this.tracked.set(file, answer);
    }
    return answer;
  }

  private configFor(root: string): LoadedCheckConfig {
    let config = this.configs.get(root);
    if (config === undefined) {
      config = loadCheckConfig(root);
      this.configs.set(root, config);
    }
    return config;
  }

  private show(uri: vscode.Uri, findings: readonly CheckFinding[], version: number | undefined): void {
    this.byUri.set(uri.toString(), { findings, version });
    if (findings.length === 0) this.collection.delete(uri);
    else this.collection.set(uri, findings.map(toDiagnostic));
  }

  /** A file was saved or changed on disk: git may track it now, and `.devops-agent.yaml` changes every file. */
  onSaved(document: vscode.TextDocument): void {
    this.tracked.delete(document.uri.fsPath);
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    if (folder !== undefined && CHECK_CONFIG_FILES.some((name) => path.join(folder.uri.fsPath, name) === document.uri.fsPath)) {
      this.configs.delete(folder.uri.fsPath);
      void this.runWorkspace();
      return;
    }
    this.schedule(document, 0);
  }

  /** Checks every workspace folder; a run already going is joined rather than started twice. */
  runWorkspace(token?: vscode.CancellationToken): Promise<WorkspaceCheckResult> {
    this.workspaceRun ??= this.checkFolders(token).finally(() => {
      this.workspaceRun = undefined;
    });
    return this.workspaceRun;
  }

  private async checkFolders(token?: vscode.CancellationToken): Promise<WorkspaceCheckResult> {
    if (!this.enabled()) {
      this.collection.clear();
      this.byUri.clear();
      return { files: 0, findings: 0 };
    }
    const controller = new AbortController();
    const cancel = token?.onCancellationRequested(() => controller.abort());
    let files = 0;
    let findings = 0;
    try {
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        if (folder.uri.scheme !== 'file') continue;
        const root = folder.uri.fsPath;
        this.configs.delete(root);
        this.tracked.clear();
        const report = await runWorkspaceChecks({ root, signal: controller.signal });
        const perFile = new Map<string, CheckFinding[]>();
        for (const finding of report.findings) {
          const list = perFile.get(finding.file) ?? [];
          list.push(finding);
          perFile.set(finding.file, list);
        }
        // Entries of this folder that no longer have findings go; open documents keep their as-typed results.
        for (const key of [...this.byUri.keys()]) {
          const uri = vscode.Uri.parse(key);
          if (vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === folder.uri.toString()) this.show(uri, [], undefined);
        }
        for (const [file, list] of perFile) this.show(vscode.Uri.file(path.join(root, ...file.split('/'))), list, undefined);
        files += report.files.length;
        findings += report.findings.length;
      }
      for (const document of vscode.workspace.textDocuments) {
        if (document.isDirty) this.schedule(document, 0);
      }
    } finally {
      cancel?.dispose();
    }
    return { files, findings };
  }

  /** Settings changed: on → check everything, off → clear. */
  onSettingsChanged(): void {
    void this.runWorkspace();
  }

  forget(document: vscode.TextDocument): void {
    clearTimeout(this.timers.get(document.uri.toString()));
    this.timers.delete(document.uri.toString());
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.collection.dispose();
  }
}
