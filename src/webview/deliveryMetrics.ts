// The Delivery Metrics webview: figures, weekly charts (uPlot, bundled) and the deployments of the window.
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricsViewRequest, MetricsViewText, MetricsViewUpdate, MetricsWindow } from '../core/metrics/deliveryMetricsMessages';
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
/** The texts in the display language, from the extension (vscode.l10n); `{0}`… are filled in by format(). */
const text = JSON.parse(byId('view-text').textContent ?? '{}') as MetricsViewText;
const format = (template: string, ...args: (string | number)[]): string => template.replace(/\{(\d+)\}/g, (match, index: string) => {
  const value = args[Number(index)];
  return value === undefined ? match : String(value);
});
const status = byId<HTMLParagraphElement>('status');
const folderSelect = byId<HTMLSelectElement>('folder');
const windowSelect = byId<HTMLSelectElement>('window');
const sinceInput = byId<HTMLInputElement>('since');
const untilInput = byId<HTMLInputElement>('until');
const customRange = byId<HTMLSpanElement>('custom-range');
const content = byId<HTMLDivElement>('content');
let charts: uPlot[] = [];
let lastReport: DoraReport | undefined;

for (const days of PRESET_DAYS) windowSelect.append(element('option', { value: String(days) }, format(text.lastDays, days)));
windowSelect.append(element('option', { value: 'custom' }, text.dates));

function showWindow(window: MetricsWindow): void {
  if ('days' in window) {
    if (!PRESET_DAYS.includes(window.days)) windowSelect.append(element('option', { value: String(window.days) }, format(text.lastDays, window.days)));
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
  else status.textContent = text.giveBothDates;
});
folderSelect.addEventListener('change', () => post({ type: 'setFolder', index: Number(folderSelect.value) }));
byId<HTMLButtonElement>('refresh').addEventListener('click', () => post({ type: 'refresh' }));

function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.body).getPropertyValue(name).trim() || fallback;
}

/** The colour the view is painted on (markers get a halo of it, so they stand out on bars and lines). */
function backgroundColor(): string {
  const painted = getComputedStyle(document.body).backgroundColor;
  return painted && painted !== 'rgba(0, 0, 0, 0)' && painted !== 'transparent' ? painted : cssColor('--vscode-sideBar-background', cssColor('--vscode-editor-background', '#1e1e1e'));
}

const BAR_OPACITY = 0.6;
const colorProbe = document.createElement('canvas').getContext('2d');

/** A theme colour (any CSS form) with the given opacity, for bar fills that let what is drawn on them show. */
function withAlpha(color: string, alpha: number): string {
  if (!colorProbe) return color;
  colorProbe.fillStyle = '#000000';
  colorProbe.fillStyle = color;
  const normal = String(colorProbe.fillStyle);
  const hex = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(normal);
  if (hex) return `rgba(${parseInt(hex[1] ?? '0', 16)}, ${parseInt(hex[2] ?? '0', 16)}, ${parseInt(hex[3] ?? '0', 16)}, ${alpha})`;
  const rgba = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(normal);
  return rgba ? `rgba(${rgba[1]},${rgba[2]},${rgba[3]}, ${alpha})` : color;
}

/** Diamond markers (not the default dots): a shape that differs from bars and circles, and not by colour only. */
function diamondPoints(u: uPlot, seriesIdx: number, idx0: number, idx1: number): uPlot.Series.Paths {
  const series = u.series[seriesIdx];
  const xs = u.data[0];
  const ys = u.data[seriesIdx];
  const path = new Path2D();
  const radius = ((series?.points?.size ?? 10) / 2) * devicePixelRatio;
  for (let i = idx0; i <= idx1; i += 1) {
    const xValue = xs[i];
    const yValue = ys?.[i];
    if (xValue === undefined || yValue === null || yValue === undefined || !series?.scale) continue;
    const cx = u.valToPos(xValue, 'x', true);
    const cy = u.valToPos(yValue, series.scale, true);
    path.moveTo(cx, cy - radius);
    path.lineTo(cx + radius, cy);
    path.lineTo(cx, cy + radius);
    path.lineTo(cx - radius, cy);
    path.closePath();
  }
  return { stroke: path, fill: path };
}

const hours = (value: number | null): string => (value === null ? '—' : value < 48 ? format(text.hours, value.toFixed(1)) : format(text.days, (value / 24).toFixed(1)));
const percent = (value: number | null): string => (value === null ? '—' : format(text.percent, (value * 100).toFixed(1)));

function tile(title: string, value: string, detail: string, level: FigureLevel | null): HTMLElement {
  const badge = level ? element('span', { class: `level level-${level.level ?? 'none'}`, title: level.thresholds }, level.level ?? text.noLevel) : element('span', { class: 'level level-none' }, text.noDoraLevel);
  return element('div', { class: 'tile', role: 'group', 'aria-label': title }, element('div', { class: 'tile-title' }, title), element('div', { class: 'tile-value' }, value), element('div', { class: 'tile-detail' }, detail), badge);
}

interface ChartSeries {
  readonly label: string;
  readonly values: (number | null)[];
  readonly color: string;
  readonly bars?: boolean;
  readonly scale?: string;
  /** Large diamond markers with a halo, drawn above the bars, and a dashed line: for a series plotted over bars. */
  readonly markers?: 'diamond';
}

function chart(target: HTMLElement, title: string, report: DoraReport, series: readonly ChartSeries[]): void {
  const foreground = cssColor('--vscode-foreground', '#cccccc');
  const halo = backgroundColor();
  const grid = cssColor('--vscode-editorWidget-border', 'rgba(128,128,128,0.3)');
  const x = report.weekly.map((w) => Date.parse(`${w.weekStart}T00:00:00Z`) / 1000);
  const bars = uPlot.paths.bars ? uPlot.paths.bars({ size: [0.6, 40] }) : undefined;
  const scales = [...new Set(series.map((s) => s.scale ?? 'y'))];
  const options: uPlot.Options = {
    title,
    width: Math.max(200, target.clientWidth || content.clientWidth || 300),
    height: 160,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    // a marker series gets more headroom than the bars, so its points never sit exactly on the bars' top edges
    scales: Object.fromEntries(scales.map((key) => {
      const headroom = series.some((s) => (s.scale ?? 'y') === key && s.markers) ? 1.5 : 1.1;
      return [key, { range: (_u: uPlot, _min: number, max: number): uPlot.Range.MinMax => [0, Math.max(1, max * headroom)] }];
    })),
    axes: [
      { stroke: foreground, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } },
      ...scales.map((s, i) => ({ scale: s, side: i === 0 ? 3 : 1, stroke: foreground, grid: { show: i === 0, stroke: grid, width: 1 }, ticks: { stroke: grid }, size: 44 }) as uPlot.Axis),
    ],
    series: [
      { label: text.weekOf, value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
      // uPlot draws the series in this order, each with its markers: a series with markers comes after the bars, so on top
      ...series.map((s) => ({
        label: s.label,
        scale: s.scale ?? 'y',
        stroke: s.color,
        width: s.bars ? 0 : s.markers ? 1.5 : 2,
        // bars are see-through, so a marker or line drawn over them keeps its own colour
        fill: s.bars ? withAlpha(s.color, BAR_OPACITY) : undefined,
        spanGaps: !s.bars,
        ...(s.markers ? { dash: [4, 3] } : {}),
        points: s.markers
          ? { show: true, size: 11, width: 2, stroke: halo, fill: s.color, paths: diamondPoints }
          : { show: !s.bars, size: 5, fill: s.color },
        ...(s.bars && bars ? { paths: bars } : {}),
      }) as uPlot.Series),
    ],
    legend: { show: true },
    cursor: { drag: { x: false, y: false } },
  };
  const plot = new uPlot(options, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, target);
  // the legend shows each series' marker as drawn: a diamond for marker series, a filled swatch for bars
  const legendRows = plot.root.querySelectorAll<HTMLElement>('.u-legend .u-series');
  series.forEach((s, i) => {
    const marker = legendRows[i + 1]?.querySelector<HTMLElement>('.u-marker');
    if (!marker) return;
    if (s.markers === 'diamond') {
      marker.classList.add('marker-diamond');
      marker.style.background = s.color;
      marker.style.borderColor = halo;
    } else if (s.bars) {
      marker.style.background = withAlpha(s.color, BAR_OPACITY);
    }
  });
  charts.push(plot);
}

/** The weekly figures the charts draw, as a table: keyboard and screen-reader users get every value. */
function weeklyTable(report: DoraReport): HTMLElement {
  const number = (value: number | null, digits = 0): string => (value === null ? '—' : value.toFixed(digits));
  const rows = report.weekly.map((w) => element('tr', {},
    element('th', { scope: 'row', class: 'week' }, w.weekStart),
    element('td', { class: 'number' }, String(w.deployments)),
    element('td', { class: 'number' }, number(w.leadTimeMedianHours, 1)),
    element('td', { class: 'number' }, String(w.failures)),
    element('td', { class: 'number' }, number(w.recoveryMedianHours, 1))));
  const table = element('table', { class: 'weekly' },
    element('caption', { class: 'source' }, text.tableCaption),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, text.columnWeek),
      element('th', { scope: 'col', class: 'number' }, text.columnDeployments),
      element('th', { scope: 'col', class: 'number', title: text.columnLeadTimeTitle }, text.columnLeadTime),
      element('th', { scope: 'col', class: 'number', title: text.columnFailuresTitle }, text.columnFailures),
      element('th', { scope: 'col', class: 'number', title: text.columnRecoveryTitle }, text.columnRecovery))),
    element('tbody', {}, ...rows));
  // a narrow side bar scrolls the table sideways: the scrolling box takes focus, so arrow keys scroll it too
  const scroller = element('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': text.tableRegion }, table);
  return element('details', { class: 'weekly-figures' }, element('summary', {}, text.tableSummary), scroller);
}

function render(report: DoraReport): void {
  lastReport = report;
  for (const c of charts) c.destroy();
  charts = [];
  content.replaceChildren();
  const deployments = report.settings.deployments === 'tags' ? format(text.tagsDeployments, report.settings.tagPattern) : format(text.mergesDeployments, report.settings.branch ?? 'main');
  status.textContent = format(text.windowStatus, report.window.since, report.window.until, deployments);

  const figures = element('div', { class: 'tiles' },
    tile(text.deployments, `${report.deployments.count}`, format(text.deploymentsDetail, report.deployments.perWeek, report.deployments.frequencyBucket), report.levels.deploymentFrequency),
    tile(text.leadTime, hours(report.leadTime.medianHours), format(text.leadTimeDetail, report.leadTime.changes, hours(report.leadTime.p90Hours)), report.levels.leadTime),
    tile(text.changeFailureRate, percent(report.changeFailureRate), format(text.changeFailureRateDetail, report.recoveryTime.failures, report.deployments.count), report.levels.changeFailureRate),
    tile(text.recoveryTime, hours(report.recoveryTime.medianHours), report.recoveryTime.failures === 1 ? text.recoveryTimeDetailOne : format(text.recoveryTimeDetail, report.recoveryTime.failures), report.levels.recoveryTime),
    tile(text.reworkRate, percent(report.reworkRate), text.reworkRateDetail, null),
  );
  content.append(figures, element('p', { class: 'source' }, format(text.levelsSource, report.levels.source)));

  const blue = cssColor('--vscode-charts-blue', '#3794ff');
  const red = cssColor('--vscode-charts-red', '#f14c4c');
  const green = cssColor('--vscode-charts-green', '#89d185');
  // recovery is drawn over the red failure bars: blue, not orange, so the two never blend (red/blue stay apart for red-green colour blindness too)
  const failures = report.weekly.reduce((sum, w) => sum + w.failures, 0);
  const recovered = report.weekly.filter((w) => w.recoveryMedianHours !== null).length;
  const chartBoxes = [
    ['chart-deployments', format(text.deploymentsChartLabel, report.deployments.count)],
    ['chart-lead-time', text.leadTimeChartLabel],
    ['chart-failures', recovered === 1 ? format(text.failuresChartLabelOne, failures) : format(text.failuresChartLabel, failures, recovered)],
  ].map(([id, label]) => element('div', { id, class: 'chart', role: 'img', 'aria-label': label }));
  content.append(...chartBoxes);
  chart(chartBoxes[0] as HTMLElement, text.deploymentsChartTitle, report, [{ label: text.deploymentsSeries, values: report.weekly.map((w) => w.deployments), color: blue, bars: true }]);
  chart(chartBoxes[1] as HTMLElement, text.leadTimeChartTitle, report, [{ label: text.leadTimeSeries, values: report.weekly.map((w) => w.leadTimeMedianHours), color: green }]);
  chart(chartBoxes[2] as HTMLElement, text.failuresChartTitle, report, [
    { label: text.failuresSeries, values: report.weekly.map((w) => w.failures), color: red, bars: true },
    { label: text.recoverySeries, values: report.weekly.map((w) => w.recoveryMedianHours), color: blue, scale: 'h', markers: 'diamond' },
  ]);
  content.append(weeklyTable(report));

  const rows = [...report.deployments.list].reverse().map((d) => {
    const open = element('button', { class: 'link', title: format(text.openCommit, d.sha.slice(0, 10), d.name), 'data-sha': d.sha }, d.name);
    open.addEventListener('click', () => post({ type: 'openDeployment', sha: d.sha, name: d.name }));
    const failed = d.failed ? format(text.failedFixedBy, d.fixedBy ?? '', d.fixKind ?? '', hours(d.recoveryHours)) : '';
    return element('tr', { class: d.failed ? 'failed' : '' }, element('td', {}, open), element('td', {}, d.time.slice(0, 10)), element('td', { class: 'number' }, String(d.changes)), element('td', {}, failed));
  });
  content.append(element('h3', {}, format(text.deploymentsHeading, report.deployments.count)));
  if (rows.length > 0) {
    content.append(element('table', { class: 'deployments' }, element('thead', {}, element('tr', {}, element('th', {}, text.columnDeployment), element('th', {}, text.columnDate), element('th', { class: 'number' }, text.columnChanges), element('th', {}, text.columnFailure))), element('tbody', {}, ...rows)));
  }
  for (const note of report.notes) content.append(element('p', { class: 'note' }, note));
  content.append(element('p', { class: 'source' }, format(report.history.fromCache ? text.historyReadCached : text.historyRead, report.history.commits, report.history.deploymentsAllTime)));
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
      status.textContent = text.readingHistory;
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
