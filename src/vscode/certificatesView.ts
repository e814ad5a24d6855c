import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { guarded } from './commandErrors';
import { pollWhileVisible } from './visibleViewPoller';
import { certificateAppearance, hasCertificateProblems, statusAppearance } from '../core/certificates/certificateAppearance';
import { UNRECOGNIZED_STATUS } from '../core/certificates/certificateIndex';
import { certificateDescription, certificateLabel, certificateTooltipMarkdown, groupTooltip } from '../core/certificates/certificateItemText';
import { CERTIFICATE_STATUSES, CERTIFICATE_STATUS_MEANINGS, isCertificateStatus } from '../core/certificates/certificateSchema';
import type { CertificateFilterKey, CertificateGroup, CertificateGroupBy } from '../core/certificates/certificateTree';
import {
  attentionBreakdown,
  describeAttention,
  filterCertificates,
  groupCertificates,
  isCertificateGroupBy,
  normalizeCertificateFilter,
  statusLabel,
} from '../core/certificates/certificateTree';
import { describeCertificateCheck, describeCertificateChecks, summarizeCertificateChecks } from '../core/certificates/certificateVerification';
import type { ParsedCertificate } from '../core/certificates/parseCertificate';
import { CertificateDiagnostics } from './certificateDiagnostics';
import { runNewCertificateFlow } from './newCertificateFlow';
import type { WorkspaceCertificates } from './workspaceCertificates';
import { workspaceCertificatesFor } from './workspaceCertificates';
import { pickWorkspaceFolder } from './workspaceFolderPick';

const CERTIFICATES_VIEW_ID = 'devops-agent.certificates';
const GROUP_BY_SETTING = 'certificates.groupBy';
const FILTER_STATE_KEY = 'devopsAgent.certificates.filter';
/** Context keys for menus: the current grouping and whether a status filter is on. */
const GROUP_BY_CONTEXT_KEY = 'devopsAgent.certificates.groupBy';
const FILTERED_CONTEXT_KEY = 'devopsAgent.certificates.filtered';

export type CertificateNode =
  | { readonly kind: 'group'; readonly by: CertificateGroupBy; readonly group: CertificateGroup<ParsedCertificate> }
  | { readonly kind: 'certificate'; readonly certificate: ParsedCertificate };

/** Plain data of what the tree shows, for integration tests (exposed through the extension API). */
export interface CertificatesTreeSnapshot {
  readonly groupBy: CertificateGroupBy;
  readonly filter: readonly CertificateFilterKey[];
  readonly badge: number | undefined;
  readonly message: string | undefined;
  readonly groups: readonly {
    readonly key: string;
    readonly label: string;
    readonly certificates: readonly { readonly file: string; readonly label: string; readonly description: string; readonly status: string | undefined; readonly contextValue: string }[];
  }[];
}

/** The Certificates tree: groups (by status, component or date) of certificates from every workspace folder. */
export class CertificatesTreeProvider implements vscode.TreeDataProvider<CertificateNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<CertificateNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private view: vscode.TreeView<CertificateNode> | undefined;
  private filter: CertificateFilterKey[];
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly certificates: WorkspaceCertificates,
    private readonly state: vscode.Memento,
    readonly diagnostics: CertificateDiagnostics,
  ) {
    this.filter = normalizeCertificateFilter(state.get<unknown>(FILTER_STATE_KEY));
    this.subscriptions.push(certificates.onDidChange(({ files }) => {
      if (files) {
        for (const file of files) {
          if (!this.diagnostics.has(file)) continue;
          const parsed = certificates.list().find((c) => c.file === file);
          if (parsed) this.diagnostics.update(parsed);
          else this.diagnostics.remove(file);
        }
      }
      this.changed.fire(undefined);
    }));
  }

  attach(view: vscode.TreeView<CertificateNode>): void {
    this.view = view;
    void this.updateContextKeys();
  }

  get groupBy(): CertificateGroupBy {
    const value = vscode.workspace.getConfiguration('devopsAgent').get<unknown>(GROUP_BY_SETTING);
    return isCertificateGroupBy(value) ? value : 'status';
  }

  get activeFilter(): readonly CertificateFilterKey[] {
    return this.filter;
  }

  async setFilter(filter: readonly CertificateFilterKey[]): Promise<void> {
    this.filter = normalizeCertificateFilter(filter);
    await this.state.update(FILTER_STATE_KEY, this.filter.length > 0 ? this.filter : undefined);
    await this.updateContextKeys();
    this.changed.fire(undefined);
  }

  async updateContextKeys(): Promise<void> {
    await vscode.commands.executeCommand('setContext', GROUP_BY_CONTEXT_KEY, this.groupBy);
    await vscode.commands.executeCommand('setContext', FILTERED_CONTEXT_KEY, this.filter.length > 0);
  }

  /** Rescans all folders (stat only; changed files are re-read) and redraws. */
  async refresh(): Promise<void> {
    await this.certificates.rescan();
  }

  redraw(): void {
    this.changed.fire(undefined);
  }

  async getChildren(element?: CertificateNode): Promise<CertificateNode[]> {
    if (element) return element.kind === 'group' ? element.group.certificates.map((certificate) => ({ kind: 'certificate', certificate })) : [];
    await this.certificates.ensureLoaded();
    const all = this.certificates.list();
    this.updateViewChrome(all);
    // No certificates at all: an empty tree lets the contributed welcome view (New Certificate) show.
    if (all.length === 0) return [];
    const by = this.groupBy;
    return groupCertificates(all, by, { filter: this.filter }).map((group) => ({ kind: 'group', by, group }));
  }

  getTreeItem(element: CertificateNode): vscode.TreeItem {
    return element.kind === 'group' ? this.groupItem(element) : this.certificateItem(element.certificate);
  }

  /** The Markdown tooltip is built on hover only: building it for thousands of items on every redraw is wasted work. */
  resolveTreeItem(item: vscode.TreeItem, element: CertificateNode): vscode.TreeItem {
    if (element.kind === 'certificate' && item.tooltip === undefined) {
      item.tooltip = new vscode.MarkdownString(certificateTooltipMarkdown(element.certificate), true);
    }
    return item;
  }

  /** What the tree shows right now, as plain data. */
  async snapshot(): Promise<CertificatesTreeSnapshot> {
    const roots = await this.getChildren();
    const groups = await Promise.all(roots.map(async (root) => {
      const item = this.getTreeItem(root);
      const children = await this.getChildren(root);
      return {
        key: root.kind === 'group' ? root.group.key : '',
        label: typeof item.label === 'string' ? item.label : item.label?.label ?? '',
        certificates: children.flatMap((child) => {
          if (child.kind !== 'certificate') return [];
          const childItem = this.getTreeItem(child);
          return [{
            file: child.certificate.file,
            label: typeof childItem.label === 'string' ? childItem.label : childItem.label?.label ?? '',
            description: typeof childItem.description === 'string' ? childItem.description : '',
            status: child.certificate.status,
            contextValue: childItem.contextValue ?? '',
          }];
        }),
      };
    }));
    // An untouched TreeView reports '' as its message; a cleared one undefined: both mean none.
    return { groupBy: this.groupBy, filter: this.filter, badge: this.view?.badge?.value, message: this.view?.message || undefined, groups };
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }

  private updateViewChrome(all: readonly ParsedCertificate[]): void {
    const view = this.view;
    if (!view) return;
    const attention = attentionBreakdown(all);
    view.badge = attention.total > 0 ? { value: attention.total, tooltip: describeAttention(attention) } : undefined;
    view.description = all.length > 0 ? vscode.l10n.t('by {0}', this.groupBy) : undefined;
    // With no certificates at all the message stays empty, or it would hide the welcome view.
    if (this.filter.length > 0 && all.length > 0) {
      const shown = filterCertificates(all, this.filter).length;
      view.message = vscode.l10n.t('Filtered to {0}: {1} of {2} certificates. Run "Filter Certificates by Status" and clear the selection to show all.', this.filter.map(statusLabel).join(', '), shown, all.length);
    } else {
      view.message = undefined;
    }
  }

  private groupItem(node: Extract<CertificateNode, { kind: 'group' }>): vscode.TreeItem {
    const { group, by } = node;
    const item = new vscode.TreeItem(group.label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `group:${by}:${group.key}`;
    const count = group.certificates.length;
    item.description = group.problems > 0 ? vscode.l10n.t('{0} · {1} with problems', count, group.problems) : String(count);
    if (by === 'status') {
      const status = isCertificateStatus(group.key) ? group.key : undefined;
      const look = statusAppearance(status);
      item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
      item.tooltip = `${group.label}: ${groupTooltip(group.key, count, group.problems)}`;
    } else {
      item.iconPath = new vscode.ThemeIcon(by === 'date' ? 'calendar' : 'symbol-class');
      item.tooltip = `${group.label}: ${groupTooltip(group.key, count, group.problems)}`;
    }
    item.contextValue = `certificate-group-${by}`;
    return item;
  }

  private certificateItem(certificate: ParsedCertificate): vscode.TreeItem {
    const uri = vscode.Uri.file(certificate.file);
    const item = new vscode.TreeItem(certificateLabel(certificate), vscode.TreeItemCollapsibleState.None);
    item.id = `certificate:${uri.toString()}`;
    const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
    const folder = multiRoot ? this.certificates.folderOf(certificate.file)?.name : undefined;
    item.description = [certificateDescription(certificate), folder].filter((p) => !!p).join(' · ');
    const look = certificateAppearance(certificate);
    item.iconPath = new vscode.ThemeIcon(look.icon, new vscode.ThemeColor(look.color));
    item.contextValue = hasCertificateProblems(certificate) ? 'certificate-problem' : 'certificate';
    item.command = { command: 'devopsAgent.openCertificate', title: vscode.l10n.t('Open Certificate'), arguments: [uri] };
    item.accessibilityInformation = { label: `${item.label as string}, ${certificate.status ?? vscode.l10n.t('unrecognized status')}, ${item.description}` };
    return item;
  }
}

/** The certificate file a command is about: a tree node, a Uri, a path, or the active editor's certificate. */
function certificateFileOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string' && arg.length > 0) return path.resolve(arg);
  if (typeof arg === 'object' && arg !== null && 'kind' in arg && (arg as CertificateNode).kind === 'certificate') {
    return (arg as Extract<CertificateNode, { kind: 'certificate' }>).certificate.file;
  }
  const active = vscode.window.activeTextEditor?.document.uri;
  return active?.scheme === 'file' ? active.fsPath : undefined;
}

function requireCertificateFile(arg: unknown): string | undefined {
  const file = certificateFileOf(arg);
  if (!file) void vscode.window.showWarningMessage(vscode.l10n.t('Select a certificate in the Certificates view first.'));
  return file;
}

async function openCertificate(arg: unknown): Promise<void> {
  const file = requireCertificateFile(arg);
  if (!file) return;
  await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
}

async function verifyCertificate(certificates: WorkspaceCertificates, diagnostics: CertificateDiagnostics, arg: unknown): Promise<void> {
  const file = requireCertificateFile(arg);
  if (!file) return;
  const parsed = await certificates.reparse(file);
  if (!parsed) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a certificate: certificates live in docs/ai/agents/<agent>/certificates/.', vscode.workspace.asRelativePath(file)));
    return;
  }
  diagnostics.update(parsed);
  const { severity, message } = describeCertificateCheck(parsed);
  if (severity === 'info') void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
}

async function copyCertificateId(certificates: WorkspaceCertificates, arg: unknown): Promise<void> {
  const file = requireCertificateFile(arg);
  if (!file) return;
  const parsed = await certificates.lookup(file);
  if (!parsed?.id) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} has no readable "**Certificate ID**:" line.', path.basename(file)));
    return;
  }
  await vscode.env.clipboard.writeText(parsed.id);
  void vscode.window.showInformationMessage(vscode.l10n.t('Copied {0}', parsed.id));
}

async function revealCertificate(arg: unknown): Promise<void> {
  const file = requireCertificateFile(arg);
  if (!file) return;
  await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(file));
}

async function verifyAllCertificates(certificates: WorkspaceCertificates, diagnostics: CertificateDiagnostics): Promise<void> {
  const list = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Verifying certificates') },
    async () => {
      await certificates.rebuild();
      return certificates.list();
    },
  );
  diagnostics.replaceAll(list);
  const summary = summarizeCertificateChecks(list);
  const message = describeCertificateChecks(summary);
  const problems = summary.tampered + summary.invalid;
  if (problems === 0) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  const show = vscode.l10n.t('Show Problems');
  void vscode.window.showWarningMessage(message, show).then((choice) => (choice === show ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
}

async function setGroupBy(provider: CertificatesTreeProvider, by: CertificateGroupBy): Promise<void> {
  const target = (vscode.workspace.workspaceFolders?.length ?? 0) > 0 ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await vscode.workspace.getConfiguration('devopsAgent').update(GROUP_BY_SETTING, by, target);
  await provider.updateContextKeys();
  provider.redraw();
}

interface FilterPick extends vscode.QuickPickItem {
  readonly key: CertificateFilterKey;
}

async function filterByStatus(provider: CertificatesTreeProvider, certificates: WorkspaceCertificates): Promise<void> {
  await certificates.ensureLoaded();
  const counts = new Map<string, number>();
  for (const c of certificates.list()) counts.set(c.status ?? UNRECOGNIZED_STATUS, (counts.get(c.status ?? UNRECOGNIZED_STATUS) ?? 0) + 1);
  const keys: CertificateFilterKey[] = [...CERTIFICATE_STATUSES, UNRECOGNIZED_STATUS];
  const active = new Set(provider.activeFilter);
  const items: FilterPick[] = keys.map((key) => ({
    key,
    label: `$(${statusAppearance(isCertificateStatus(key) ? key : undefined).icon}) ${key}`,
    description: `${counts.get(key) ?? 0}`,
    detail: isCertificateStatus(key) ? CERTIFICATE_STATUS_MEANINGS[key] : vscode.l10n.t('The file names no status from the list'),
    picked: active.has(key),
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: vscode.l10n.t('Filter Certificates by Status'),
    placeHolder: vscode.l10n.t('Show only these statuses (clear every box to show all)'),
    matchOnDetail: true,
  });
  if (!picked) return;
  await provider.setFilter(picked.map((p) => p.key));
}

/**
 * Registers the Certificates view and its commands. No file is read until the view is first shown (or a command
 * runs). Returns the provider so the extension API can hand `snapshot()` to integration tests.
 */
export function registerCertificatesView(context: vscode.ExtensionContext, registrar: ContributionRegistrar): CertificatesTreeProvider {
  const certificates = workspaceCertificatesFor(context);
  const diagnostics = new CertificateDiagnostics();
  const provider = new CertificatesTreeProvider(certificates, context.workspaceState, diagnostics);
  const view = registrar.createTreeView(CERTIFICATES_VIEW_ID, { treeDataProvider: provider, showCollapseAll: true });
  provider.attach(view);
  context.subscriptions.push(
    pollWhileVisible(view, () => certificates.poll()),
    diagnostics,
    provider,
    view,
    registrar.registerCommand('devopsAgent.refreshCertificates', guarded(() => provider.refresh())),
    registrar.registerCommand('devopsAgent.openCertificate', guarded((arg?: unknown) => openCertificate(arg))),
    registrar.registerCommand('devopsAgent.verifyCertificate', guarded((arg?: unknown) => verifyCertificate(certificates, diagnostics, arg))),
    registrar.registerCommand('devopsAgent.copyCertificateId', guarded((arg?: unknown) => copyCertificateId(certificates, arg))),
    registrar.registerCommand('devopsAgent.revealCertificate', guarded((arg?: unknown) => revealCertificate(arg))),
    registrar.registerCommand('devopsAgent.verifyAllCertificates', guarded(() => verifyAllCertificates(certificates, diagnostics))),
    registrar.registerCommand('devopsAgent.certificates.groupByStatus', guarded(() => setGroupBy(provider, 'status'))),
    registrar.registerCommand('devopsAgent.certificates.groupByComponent', guarded(() => setGroupBy(provider, 'component'))),
    registrar.registerCommand('devopsAgent.certificates.groupByDate', guarded(() => setGroupBy(provider, 'date'))),
    registrar.registerCommand('devopsAgent.certificates.filterByStatus', guarded(() => filterByStatus(provider, certificates))),
    registrar.registerCommand('devopsAgent.certificates.clearFilter', guarded(() => provider.setFilter([]))),
    registrar.registerCommand('devopsAgent.newCertificate', guarded(async () => {
      const folder = await pickWorkspaceFolder(vscode.l10n.t('Write the certificate in which folder?'));
      if (!folder) return;
      const created = await runNewCertificateFlow(folder);
      if (!created) return;
      await certificates.reparse(created.file);
      provider.redraw();
      await vscode.window.showTextDocument(vscode.Uri.file(created.file), { preview: false });
      void vscode.window.showInformationMessage(vscode.l10n.t('Certificate {0} written to {1}.', created.id, vscode.workspace.asRelativePath(created.file)));
    })),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration(`devopsAgent.${GROUP_BY_SETTING}`)) {
        void provider.updateContextKeys();
        provider.redraw();
      }
    }),
  );
  return provider;
}
