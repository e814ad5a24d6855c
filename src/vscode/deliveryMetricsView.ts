import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { MetricsViewRequest, MetricsViewText, MetricsViewUpdate, MetricsWindow } from '../core/metrics/deliveryMetricsMessages';
import type { DoraReport } from '../core/metrics/doraReport';
import type { DoraSettingsInput } from '../core/metrics/doraSettings';
import type { ContributionRegistrar } from './deferredContributions';

export const DELIVERY_METRICS_VIEW_ID = 'devops-agent.deliveryMetrics';
const COMMIT_SCHEME = 'devops-agent-commit';
const MAX_COMMIT_TEXT = 2_000_000;

/** Text for HTML content and attribute values (translations may hold `<`, `&` or quotes). */
function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The page's texts in the display language; `{0}`… are filled in by the page. */
function viewText(): MetricsViewText {
  return {
    lastDays: vscode.l10n.t('Last {0} days'),
    dates: vscode.l10n.t('Dates…'),
    giveBothDates: vscode.l10n.t('Give both dates: since (included) and until (excluded).'),
    hours: vscode.l10n.t('{0} h'),
    days: vscode.l10n.t('{0} days'),
    percent: vscode.l10n.t('{0} %'),
    noLevel: vscode.l10n.t('no level'),
    noDoraLevel: vscode.l10n.t('no DORA level'),
    weekOf: vscode.l10n.t('week of'),
    windowStatus: vscode.l10n.t('{0} to {1} (until excluded) · {2}'),
    tagsDeployments: vscode.l10n.t('tags {0}'),
    mergesDeployments: vscode.l10n.t('merges on {0}'),
    deployments: vscode.l10n.t('Deployments'),
    deploymentsDetail: vscode.l10n.t('{0} per week · Four Keys: {1}'),
    leadTime: vscode.l10n.t('Lead time'),
    leadTimeDetail: vscode.l10n.t('median of {0} changes · p90 {1}'),
    changeFailureRate: vscode.l10n.t('Change failure rate'),
    changeFailureRateDetail: vscode.l10n.t('{0} of {1} deployments'),
    recoveryTime: vscode.l10n.t('Recovery time'),
    recoveryTimeDetailOne: vscode.l10n.t('median of 1 failure'),
    recoveryTimeDetail: vscode.l10n.t('median of {0} failures'),
    reworkRate: vscode.l10n.t('Rework rate'),
    reworkRateDetail: vscode.l10n.t('patch releases'),
    levelsSource: vscode.l10n.t('Levels: {0}'),
    deploymentsChartTitle: vscode.l10n.t('Deployments per week'),
    deploymentsChartLabel: vscode.l10n.t('Deployments per week: {0} in the window. The values are in the table below the charts.'),
    deploymentsSeries: vscode.l10n.t('deployments'),
    leadTimeChartTitle: vscode.l10n.t('Lead time, median hours per week'),
    leadTimeChartLabel: vscode.l10n.t('Lead time, median hours per week. The values are in the table below the charts.'),
    leadTimeSeries: vscode.l10n.t('lead time (h)'),
    failuresChartTitle: vscode.l10n.t('Failures and recovery'),
    failuresChartLabelOne: vscode.l10n.t('Failed deployments per week ({0} in all) as bars, and recovery time, median hours, as diamonds in 1 week. The values are in the table below the charts.'),
    failuresChartLabel: vscode.l10n.t('Failed deployments per week ({0} in all) as bars, and recovery time, median hours, as diamonds in {1} weeks. The values are in the table below the charts.'),
    failuresSeries: vscode.l10n.t('failed deployments'),
    recoverySeries: vscode.l10n.t('recovery, median (h)'),
    tableSummary: vscode.l10n.t('Chart data as a table'),
    tableRegion: vscode.l10n.t('Chart data'),
    tableCaption: vscode.l10n.t('Weekly figures of the charts above; — where a week has no value.'),
    columnWeek: vscode.l10n.t('Week of'),
    columnDeployments: vscode.l10n.t('Deployments'),
    columnLeadTime: vscode.l10n.t('Lead time (h)'),
    columnLeadTimeTitle: vscode.l10n.t('median lead time for changes, hours'),
    columnFailures: vscode.l10n.t('Failures'),
    columnFailuresTitle: vscode.l10n.t('failed deployments'),
    columnRecovery: vscode.l10n.t('Recovery (h)'),
    columnRecoveryTitle: vscode.l10n.t('median time to recover from a failed deployment, hours'),
    openCommit: vscode.l10n.t('Open commit {0} of {1}'),
    failedFixedBy: vscode.l10n.t('failed: fixed by {0} ({1}) after {2}'),
    deploymentsHeading: vscode.l10n.t('Deployments ({0})'),
    columnDeployment: vscode.l10n.t('Deployment'),
    columnDate: vscode.l10n.t('Date'),
    columnChanges: vscode.l10n.t('Changes'),
    columnFailure: vscode.l10n.t('Failure'),
    historyRead: vscode.l10n.t('{0} commits read; {1} deployments in all.'),
    historyReadCached: vscode.l10n.t('{0} commits read (cached: refs unchanged); {1} deployments in all.'),
    readingHistory: vscode.l10n.t('Reading the git history…'),
  };
}

/** The `devopsAgent.dora.*` settings; a bad value falls back to the default. */
export function doraSettings(): { input: Omit<DoraSettingsInput, 'since' | 'until' | 'days'>; windowDays: number } {
  const config = vscode.workspace.getConfiguration('devopsAgent.dora');
  const tagPattern = config.get<unknown>('tagPattern');
  const failureWindowDays = config.get<unknown>('failureWindowDays');
  const branch = config.get<unknown>('branch');
  const windowDays = config.get<unknown>('windowDays');
  return {
    input: {
      deployments: config.get<unknown>('deployments') === 'merges' ? 'merges' : 'tags',
      ...(typeof tagPattern === 'string' && tagPattern.trim() ? { tagPattern: tagPattern.trim() } : {}),
      ...(typeof failureWindowDays === 'number' && failureWindowDays >= 0 ? { failureWindowDays } : {}),
      ...(typeof branch === 'string' && branch.trim() ? { branch: branch.trim() } : {}),
    },
    windowDays: typeof windowDays === 'number' && Number.isInteger(windowDays) && windowDays >= 1 ? windowDays : 90,
  };
}

/**
 * The "Delivery Metrics" webview: nothing is read until the view is first shown; it re-measures when the refs
 * of the repository change (file watcher, plus a cheap ref listing while visible, since watchers miss events here).
 */
export class DeliveryMetricsViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  private view: vscode.WebviewView | undefined;
  private window: MetricsWindow | undefined;
  private folderIndex = 0;
  private running: AbortController | undefined;
  private refsListing: string | undefined;
  private stale = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** The last report shown, for tests and the e2e screenshot check. */
  lastReport: DoraReport | undefined;
  lastError: string | undefined;
  private readonly updated = new vscode.EventEmitter<void>();
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly extensionUri: vscode.Uri) {}

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    const dist = vscode.Uri.joinPath(this.extensionUri, 'dist');
    view.webview.options = { enableScripts: true, localResourceRoots: [dist] };
    view.webview.html = this.html(view.webview, dist);
    this.disposables.push(
      view.webview.onDidReceiveMessage((message: MetricsViewRequest) => void this.handle(message)),
      view.onDidChangeVisibility(() => {
        if (view.visible && this.stale) void this.refresh();
        this.schedulePoll();
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.running?.abort();
      }),
    );
    this.watchRefs();
  }

  private html(webview: vscode.Webview, dist: vscode.Uri): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'deliveryMetricsView.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'deliveryMetricsView.css'));
    const csp = `default-src 'none'; img-src ${webview.cspSource} data:; style-src ${webview.cspSource} 'nonce-${nonce}'; script-src 'nonce-${nonce}'; font-src ${webview.cspSource};`;
    return `<!DOCTYPE html>
<html lang="${escapeHtml(vscode.env.language)}">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<style nonce="${nonce}">
  body { padding: 0 8px 12px; color: var(--vscode-foreground); font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); }
  .toolbar { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 8px 0; }
  select, input, button { font: inherit; color: var(--vscode-input-foreground); background: var(--vscode-input-background); border: 1px solid var(--vscode-input-border, transparent); padding: 2px 4px; }
  button { color: var(--vscode-button-secondaryForeground); background: var(--vscode-button-secondaryBackground); cursor: pointer; }
  button.link { background: none; border: none; padding: 0; color: var(--vscode-textLink-foreground); text-decoration: underline; }
  :focus-visible { outline: 1px solid var(--vscode-focusBorder); }
  #status, .source, .tile-detail { color: var(--vscode-descriptionForeground); }
  .source { font-size: 0.9em; }
  .tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(118px, 1fr)); gap: 6px; }
  .tile { border: 1px solid var(--vscode-widget-border, var(--vscode-editorWidget-border)); border-radius: 4px; padding: 6px; }
  .tile-title { font-weight: 600; }
  .tile-value { font-size: 1.5em; margin: 2px 0; }
  .level { display: inline-block; margin-top: 4px; padding: 0 6px; border-radius: 8px; font-size: 0.85em; color: var(--vscode-badge-foreground); background: var(--vscode-badge-background); }
  .level-elite { background: var(--vscode-charts-green); color: var(--vscode-editor-background); }
  .level-high { background: var(--vscode-charts-blue); color: var(--vscode-editor-background); }
  .level-medium { background: var(--vscode-charts-yellow); color: var(--vscode-editor-background); }
  .level-low { background: var(--vscode-charts-red); color: var(--vscode-editor-background); }
  .chart { margin-top: 10px; }
  .u-title { font-size: 1em; font-weight: 600; color: var(--vscode-foreground); }
  .u-legend { color: var(--vscode-foreground); font-size: 0.9em; }
  .u-legend .u-marker.marker-diamond { transform: rotate(45deg) scale(0.8); }
  details.weekly-figures { margin-top: 8px; }
  details.weekly-figures summary { cursor: pointer; }
  table.weekly caption { text-align: left; }
  table.weekly th.week { font-weight: normal; white-space: nowrap; }
  .table-scroll { overflow-x: auto; }
  table.deployments, table.weekly { border-collapse: collapse; width: 100%; }
  table.deployments th, table.deployments td, table.weekly th, table.weekly td { text-align: left; padding: 2px 6px 2px 0; border-bottom: 1px solid var(--vscode-widget-border, transparent); }
  .number, table.deployments .number, table.weekly .number { text-align: right; }
  tr.failed td:last-child { color: var(--vscode-errorForeground); }
  .error { color: var(--vscode-errorForeground); white-space: pre-wrap; }
  .note { color: var(--vscode-editorWarning-foreground); }
</style>
<title>${escapeHtml(vscode.l10n.t('Delivery Metrics'))}</title>
</head>
<body>
<div class="toolbar" role="toolbar" aria-label="${escapeHtml(vscode.l10n.t('Delivery metrics window'))}">
  <select id="folder" aria-label="${escapeHtml(vscode.l10n.t('Repository'))}" hidden></select>
  <select id="window" aria-label="${escapeHtml(vscode.l10n.t('Window'))}"></select>
  <span id="custom-range" hidden>
    <input id="since" type="date" aria-label="${escapeHtml(vscode.l10n.t('Since (included)'))}">
    <input id="until" type="date" aria-label="${escapeHtml(vscode.l10n.t('Until (excluded)'))}">
    <button id="apply-range">${escapeHtml(vscode.l10n.t('Apply'))}</button>
  </span>
  <button id="refresh" title="${escapeHtml(vscode.l10n.t('Measure again'))}">${escapeHtml(vscode.l10n.t('Refresh'))}</button>
</div>
<p id="status" aria-live="polite">${escapeHtml(vscode.l10n.t('Loading…'))}</p>
<div id="content"></div>
<script id="view-text" type="application/json">${JSON.stringify(viewText()).replace(/</g, '\\u003c')}</script>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  private folders(): readonly vscode.WorkspaceFolder[] {
    return vscode.workspace.workspaceFolders ?? [];
  }

  private post(message: MetricsViewUpdate): void {
    void this.view?.webview.postMessage(message);
  }

  private currentWindow(): MetricsWindow {
    return this.window ?? { days: doraSettings().windowDays };
  }

  private async handle(message: MetricsViewRequest): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.post({ type: 'state', folders: this.folders().map((f) => f.name), folderIndex: this.folderIndex, window: this.currentWindow() });
        if (this.lastReport && !this.stale) this.post({ type: 'report', report: this.lastReport });
        else await this.refresh();
        return;
      case 'refresh':
        await this.refresh();
        return;
      case 'setWindow':
        this.window = message.window;
        await this.refresh();
        return;
      case 'setFolder':
        if (message.index >= 0 && message.index < this.folders().length) {
          this.folderIndex = message.index;
          this.refsListing = undefined;
          this.watchRefs();
          await this.refresh();
        }
        return;
      case 'openDeployment':
        await this.openDeploymentCommit(message.sha, message.name);
        return;
    }
  }

  /** Measures again (cancelling a measurement still running) and shows the report or the error. */
  async refresh(): Promise<void> {
    const folder = this.folders()[this.folderIndex];
    if (!this.view) {
      this.stale = true;
      return;
    }
    if (!this.view.visible) {
      this.stale = true;
      return;
    }
    this.stale = false;
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    if (!folder) {
      this.show({ error: vscode.l10n.t('Open a folder that is a git repository to measure its delivery metrics.') });
      return;
    }
    this.post({ type: 'loading' });
    // The metrics code is loaded on first use, never at activation.
    const [{ measureDora }, { DoraError }] = await Promise.all([import('../core/metrics/measureDora'), import('../core/metrics/doraError')]);
    const window = this.currentWindow();
    const { input } = doraSettings();
    try {
      const report = await vscode.window.withProgress({ location: { viewId: DELIVERY_METRICS_VIEW_ID } }, () =>
        measureDora(folder.uri.fsPath, { ...input, ...('days' in window ? { days: window.days } : { since: window.since, until: window.until }) }, { signal: controller.signal, onRefs: (listing) => { this.refsListing = listing; } }));
      if (controller.signal.aborted) return;
      this.show({ report });
    } catch (error) {
      if (controller.signal.aborted) return;
      this.show({ error: error instanceof DoraError ? error.message : vscode.l10n.t('Delivery metrics failed: {0}', error instanceof Error ? error.message : String(error)) });
    }
    this.schedulePoll();
  }

  private show(result: { report: DoraReport } | { error: string }): void {
    if ('report' in result) {
      this.lastReport = result.report;
      this.lastError = undefined;
      this.post({ type: 'report', report: result.report });
    } else {
      this.lastReport = undefined;
      this.lastError = result.error;
      this.post({ type: 'error', message: result.error });
    }
    this.updated.fire();
  }

  private refsWatcher: vscode.Disposable | undefined;

  private watchRefs(): void {
    this.refsWatcher?.dispose();
    const folder = this.folders()[this.folderIndex];
    if (!folder) return;
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, '.git/{HEAD,packed-refs,refs/**}'));
    let debounce: NodeJS.Timeout | undefined;
    const changed = (): void => {
      if (debounce) clearTimeout(debounce);
      debounce = setTimeout(() => void this.refresh(), 500);
    };
    const subscriptions = [watcher, watcher.onDidChange(changed), watcher.onDidCreate(changed), watcher.onDidDelete(changed)];
    this.refsWatcher = new vscode.Disposable(() => {
      if (debounce) clearTimeout(debounce);
      for (const s of subscriptions) s.dispose();
    });
  }

  /** While visible, lists the refs now and then (cheap) and measures again when they changed. */
  private schedulePoll(): void {
    if (this.pollTimer || !this.view?.visible) return;
    this.pollTimer = setTimeout(async () => {
      const started = Date.now();
      let interval = 5_000;
      try {
        const folder = this.folders()[this.folderIndex];
        const { locateRepository, readRefs } = await import('../core/metrics/gitHistory');
        if (folder && this.refsListing !== undefined) {
          const location = await locateRepository(folder.uri.fsPath);
          const listing = (await readRefs(location.gitDir)).listing;
          if (listing !== this.refsListing) {
            this.refsListing = listing;
            await this.refresh();
          }
        }
        interval = Math.max(5_000, (Date.now() - started) * 20);
      } catch {
        // a failed poll is retried next time; the view keeps what it shows
      }
      this.pollTimer = setTimeout(() => {
        this.pollTimer = undefined;
        this.schedulePoll();
      }, interval);
    }, 5_000);
  }

  /** Opens the deployment's commit (message, stat and patch) in a read-only editor. */
  async openDeploymentCommit(sha: string, name: string): Promise<void> {
    const folder = this.folders()[this.folderIndex];
    if (!folder || !/^[0-9a-f]{40}$/.test(sha)) return;
    const uri = vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${name.replace(/[/\\]/g, '_').slice(0, 80)} ${sha.slice(0, 10)}.diff`, query: JSON.stringify({ root: folder.uri.fsPath, sha }) });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document, { preview: true });
  }

  dispose(): void {
    this.running?.abort();
    this.refsWatcher?.dispose();
    if (this.pollTimer) clearTimeout(this.pollTimer);
    for (const d of this.disposables) d.dispose();
    this.updated.dispose();
  }
}

/** Text of `devops-agent-commit:` documents: `git show` of the commit, bounded. */
class CommitDocumentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const { root, sha } = JSON.parse(uri.query) as { root: string; sha: string };
    const { runGit } = await import('../core/metrics/gitHistory');
    const text = await runGit(root, ['show', '--format=fuller', '--stat', '--patch', '--first-parent', '--no-color', sha]);
    return text.length > MAX_COMMIT_TEXT ? `${text.slice(0, MAX_COMMIT_TEXT)}\n${vscode.l10n.t('… (cut at {0} characters; run git show {1} for the rest)', MAX_COMMIT_TEXT, sha)}\n` : text;
  }
}

export function registerDeliveryMetricsView(context: vscode.ExtensionContext, registrar: ContributionRegistrar): DeliveryMetricsViewProvider {
  const provider = new DeliveryMetricsViewProvider(context.extensionUri);
  context.subscriptions.push(
    provider,
    registrar.registerWebviewViewProvider(DELIVERY_METRICS_VIEW_ID, provider),
    vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, new CommitDocumentProvider()),
    registrar.registerCommand('devopsAgent.deliveryMetrics.refresh', () => provider.refresh()),
    registrar.registerCommand('devopsAgent.deliveryMetrics.show', () => vscode.commands.executeCommand(`${DELIVERY_METRICS_VIEW_ID}.focus`)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('devopsAgent.dora')) void provider.refresh();
    }),
  );
  return provider;
}
