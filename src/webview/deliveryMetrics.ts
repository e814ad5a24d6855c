// The Delivery Metrics webview: figures, weekly charts (uPlot, bundled) and the deployments of the window.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsViewRequest, MetricsViewUpdate, MetricsWindow } from '../core/metrics/deliveryMetricsMessages';
import type { DoraReport, FigureLevel } from '../core/metrics/doraReport';

interface VsCodeApi {
  postMessage(message: MetricsViewRequest): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const post = (message: MetricsViewRequest): void => vscode.postMessage(message);
const PRESET_DAYS = [30, 90, 180, 365, 730];

function element<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<Record<string, string>> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) if (value !== undefined) node.setAttribute(key, value);
  node.append(...children);
  return node;
}

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const status = byId<HTMLParagraphElement>('status');
const folderSelect = byId<HTMLSelectElement>('folder');
const windowSelect = byId<HTMLSelectElement>('window');
const sinceInput = byId<HTMLInputElement>('since');
const untilInput = byId<HTMLInputElement>('until');
const customRange = byId<HTMLSpanElement>('custom-range');
const content = byId<HTMLDivElement>('content');
let charts: uPlot[] = [];
let lastReport: DoraReport | undefined;

for (const days of PRESET_DAYS) windowSelect.append(element('option', { value: String(days) }, `Last ${days} days`));
windowSelect.append(element('option', { value: 'custom' }, 'Dates…'));

function showWindow(window: MetricsWindow): void {
  if ('days' in window) {
    if (!PRESET_DAYS.includes(window.days)) windowSelect.append(element('option', { value: String(window.days) }, `Last ${window.days} days`));
    windowSelect.value = String(window.days);
    customRange.hidden = true;
  } else {
    windowSelect.value = 'custom';
    sinceInput.value = window.since;
    untilInput.value = window.until;
    customRange.hidden = false;
  }
}

windowSelect.addEventListener('change', () => {
  if (windowSelect.value === 'custom') {
    customRange.hidden = false;
    if (lastReport && !sinceInput.value) {
      sinceInput.value = lastReport.window.since;
      untilInput.value = lastReport.window.until;
    }
    sinceInput.focus();
    return;
  }
  customRange.hidden = true;
  post({ type: 'setWindow', window: { days: Number(windowSelect.value) } });
});
byId<HTMLButtonElement>('apply-range').addEventListener('click', () => {
  if (sinceInput.value && untilInput.value) post({ type: 'setWindow', window: { since: sinceInput.value, until: untilInput.value } });
  else status.textContent = 'Give both dates: since (included) and until (excluded).';
});
folderSelect.addEventListener('change', () => post({ type: 'setFolder', index: Number(folderSelect.value) }));
byId<HTMLButtonElement>('refresh').addEventListener('click', () => post({ type: 'refresh' }));

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

const hours = (value: number | null): string => (value === null ? '—' : value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} days`);
const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

function tile(title: string, value: string, detail: string, level: FigureLevel | null): HTMLElement {
  const badge = level ? element('span', { class: `level level-${level.level ?? 'none'}`, title: level.thresholds }, level.level ?? 'no level') : element('span', { class: 'level level-none' }, 'no DORA level');
  return element('div', { class: 'tile', role: 'group', 'aria-label': title }, element('div', { class: 'tile-title' }, title), element('div', { class: 'tile-value' }, value), element('div', { class: 'tile-detail' }, detail), badge);
}

function chart(target: HTMLElement, title: string, report: DoraReport, series: { label: string; values: (number | null)[]; color: string; bars?: boolean; scale?: string }[]): void {
  const foreground = cssColor('--vscode-foreground', '#cccccc');
  const grid = cssColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const x = report.weekly.map((w) => Date.parse(`${w.weekStart}T00:00:00Z`) / 1000);
  const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;
  const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
  const options: uPlot.Options = {
    title,
    width: Math.max(200, target.clientWidth || content.clientWidth || 300),
    height: 160,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: Object.fromEntries(scales.map((s) => [s, { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, max * 1.1)] }])),
    axes: [
      { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      ...scales.map((s, i) => ({ scale: s, side: i === 0 ? 3 : 1, stroke: foreground, grid: { show: i === 0, stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 44 }) as uPlot.Axis),
    ],
    series: [
      { label: 'week of' , value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      ...series.map((s) => ({
        label: s.label,
        scale: s.scale ?? 'y',
        stroke: s.color,
        width: s.bars ? 0 : 2,
        fill: s.bars ? s.color : undefined,
        spanGaps: !s.bars,
        points: { show: !s.bars, size: 5, fill: s.color },
        ...(s.bars && bars ? { paths: bars } : {}),
      }) as uPlot.Series),
    ],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  };
  charts.push(new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, target));
}

function render(report: DoraReport): void {
  lastReport = report;
  for (const c of charts) c.destroy();
  charts = [];
  content.replaceChildren();
  status.textContent = `${report.window.since} to ${report.window.until} (until excluded) · ${report.settings.deployments === 'tags' ? `tags ${report.settings.tagPattern}` : `merges on ${report.settings.branch ?? 'main'}`}`;

  const figures = element('div', { class: 'tiles' },
    tile('Deployments', `${report.deployments.count}`, `${report.deployments.perWeek} per week · Four Keys: ${report.deployments.frequencyBucket}`, report.levels.deploymentFrequency),
    tile('Lead time', hours(report.leadTime.medianHours), `median of ${report.leadTime.changes} changes · p90 ${hours(report.leadTime.p90Hours)}`, report.levels.leadTime),
    tile('Change failure rate', percent(report.changeFailureRate), `${report.recoveryTime.failures} of ${report.deployments.count} deployments`, report.levels.changeFailureRate),
    tile('Recovery time', hours(report.recoveryTime.medianHours), `median of ${report.recoveryTime.failures} failure${report.recoveryTime.failures === 1 ? '' : 's'}`, report.levels.recoveryTime),
    tile('Rework rate', percent(report.reworkRate), 'patch releases', null),
  );
  content.append(figures, element('p', { class: 'source' }, `Levels: ${report.levels.source}`));

  const blue = cssColor('--vscode-charts-blue', '#3794ff');
  const red = cssColor('--vscode-charts-red', '#f14c4c');
  const green = cssColor('--vscode-charts-green', '#89d185');
  const orange = cssColor('--vscode-charts-orange', '#d18616');
  const chartBoxes = ['chart-deployments', 'chart-lead-time', 'chart-failures'].map((id) => element('div', { id, class: 'chart' }));
  content.append(...chartBoxes);
  chart(chartBoxes[0] as HTMLElement, 'Deployments per week', report, [{ label: 'deployments', values: report.weekly.map((w) => w.deployments), color: blue, bars: true }]);
  chart(chartBoxes[1] as HTMLElement, 'Lead time, median hours per week', report, [{ label: 'lead time (h)', values: report.weekly.map((w) => w.leadTimeMedianHours), color: green }]);
  chart(chartBoxes[2] as HTMLElement, 'Failures and recovery', report, [
    { label: 'failed deployments', values: report.weekly.map((w) => w.failures), color: red, bars: true },
    { label: 'recovery (h)', values: report.weekly.map((w) => w.recoveryMedianHours), color: orange, scale: 'h' },
  ]);

  const rows = [...report.deployments.list].reverse().map((d) => {
    const open = element('button', { class: 'link', title: `Open commit ${d.sha.slice(0, 10)} of ${d.name}`, 'data-sha': d.sha }, d.name);
    open.addEventListener('click', () => post({ type: 'openDeployment', sha: d.sha, name: d.name }));
    const failed = d.failed ? `failed: fixed by ${d.fixedBy} (${d.fixKind}) after ${hours(d.recoveryHours)}` : '';
    return element('tr', { class: d.failed ? 'failed' : '' }, element('td', {}, open), element('td', {}, d.time.slice(0, 10)), element('td', { class: 'number' }, String(d.changes)), element('td', {}, failed));
  });
  content.append(element('h3', {}, `Deployments (${report.deployments.count})`));
  if (rows.length > 0) {
    content.append(element('table', { class: 'deployments' }, element('thead', {}, element('tr', {}, element('th', {}, 'Deployment'), element('th', {}, 'Date'), element('th', { class: 'number' }, 'Changes'), element('th', {}, 'Failure'))), element('tbody', {}, ...rows)));
  }
  for (const note of report.notes) content.append(element('p', { class: 'note' }, note));
  content.append(element('p', { class: 'source' }, `${report.history.commits} commits read${report.history.fromCache ? ' (cached: refs unchanged)' : ''}; ${report.history.deploymentsAllTime} deployments in all.`));
}

window.addEventListener('message', (event: MessageEvent<MetricsViewUpdate>) => {
  const message = event.data;
  switch (message.type) {
    case 'state':
      folderSelect.replaceChildren(...message.folders.map((f, i) => element('option', { value: String(i) }, f)));
      folderSelect.value = String(message.folderIndex);
      folderSelect.hidden = message.folders.length < 2;
      showWindow(message.window);
      break;
    case 'loading':
      status.textContent = 'Reading the git history…';
      document.body.setAttribute('aria-busy', 'true');
      break;
    case 'report':
      document.body.removeAttribute('aria-busy');
      render(message.report);
      break;
    case 'error':
      document.body.removeAttribute('aria-busy');
      for (const c of charts) c.destroy();
      charts = [];
      lastReport = undefined;
      status.textContent = '';
      content.replaceChildren(element('p', { class: 'error', role: 'alert' }, message.message));
      break;
  }
});

// Charts follow the view's width and the colour theme.
new ResizeObserver(() => {
  for (const c of charts) c.setSize({ width: Math.max(200, content.clientWidth), height: 160 });
}).observe(content);
new MutationObserver(() => {
  if (lastReport) render(lastReport);
}).observe(document.body, { attributes: true, attributeFilter: ['class'] });

post({ type: 'ready' });
