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

const hours = (value: number | null): string => (value === null ? '—' : value < 48 ? `${value.toFixed(1)} h` : `${(value / 24).toFixed(1)} days`);
const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);

function tile(title: string, value: string, detail: string, level: FigureLevel | null): HTMLElement {
  const badge = level ? element('span', { class: `level level-${level.level ?? 'none'}`, title: level.thresholds }, level.level ?? 'no level') : element('span', { class: 'level level-none' }, 'no DORA level');
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
      { label: 'week of' , value: (_u: uPlot, v: number | null) => (v === null ? '—' : new Date(v * 1000).toISOString().slice(0, 10)) },
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
    element('caption', { class: 'source' }, 'Weekly figures of the charts above; — where a week has no value.'),
    element('thead', {}, element('tr', {},
      element('th', { scope: 'col' }, 'Week of'),
      element('th', { scope: 'col', class: 'number' }, 'Deployments'),
      element('th', { scope: 'col', class: 'number', title: 'median lead time for changes, hours' }, 'Lead time (h)'),
      element('th', { scope: 'col', class: 'number', title: 'failed deployments' }, 'Failures'),
      element('th', { scope: 'col', class: 'number', title: 'median time to recover from a failed deployment, hours' }, 'Recovery (h)'))),
    element('tbody', {}, ...rows));
  // a narrow side bar scrolls the table sideways: the scrolling box takes focus, so arrow keys scroll it too
  const scroller = element('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': 'Chart data' }, table);
  return element('details', { class: 'weekly-figures' }, element('summary', {}, 'Chart data as a table'), scroller);
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
  // recovery is drawn over the red failure bars: blue, not orange, so the two never blend (red/blue stay apart for red-green colour blindness too)
  const failures = report.weekly.reduce((sum, w) => sum + w.failures, 0);
  const recovered = report.weekly.filter((w) => w.recoveryMedianHours !== null).length;
  const chartBoxes = [
    ['chart-deployments', `Deployments per week: ${report.deployments.count} in the window. The values are in the table below the charts.`],
    ['chart-lead-time', 'Lead time, median hours per week. The values are in the table below the charts.'],
    ['chart-failures', `Failed deployments per week (${failures} in all) as bars, and recovery time, median hours, as diamonds in ${recovered} week${recovered === 1 ? '' : 's'}. The values are in the table below the charts.`],
  ].map(([id, label]) => element('div', { id, class: 'chart', role: 'img', 'aria-label': label }));
  content.append(...chartBoxes);
  chart(chartBoxes[0] as HTMLElement, 'Deployments per week', report, [{ label: 'deployments', values: report.weekly.map((w) => w.deployments), color: blue, bars: true }]);
  chart(chartBoxes[1] as HTMLElement, 'Lead time, median hours per week', report, [{ label: 'lead time (h)', values: report.weekly.map((w) => w.leadTimeMedianHours), color: green }]);
  chart(chartBoxes[2] as HTMLElement, 'Failures and recovery', report, [
    { label: 'failed deployments', values: report.weekly.map((w) => w.failures), color: red, bars: true },
    { label: 'recovery, median (h)', values: report.weekly.map((w) => w.recoveryMedianHours), color: blue, scale: 'h', markers: 'diamond' },
  ]);
  content.append(weeklyTable(report));

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
