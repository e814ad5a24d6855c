import type { DoraReport, FigureLevel } from './doraReport';

const hours = (value: number | null): string => {
  if (value === null) return '—';
  if (value < 48) return `${value.toFixed(1)} h`;
  return `${value.toFixed(1)} h (${(value / 24).toFixed(1)} days)`;
};
const percent = (value: number | null): string => (value === null ? '—' : `${(value * 100).toFixed(1)} %`);
const level = (figure: FigureLevel): string => figure.level ?? '—';

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((r) => (r[column] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** A readable text report: the figures with their levels, then the deployments of the window. */
export function formatDoraReport(report: DoraReport, maxDeployments = 50): string {
  const source = report.settings.deployments === 'tags' ? `release tags matching ${report.settings.tagPattern}` : `first-parent merges on ${report.settings.branch ?? 'main'}`;
  const lines = [
    `Delivery metrics for ${report.repository}`,
    `Window ${report.window.since} to ${report.window.until} (until excluded, ${report.window.days} days); deployments are ${source}; a fix within ${report.settings.failureWindowDays} days marks a failure.`,
    '',
    table([
      ['Figure', 'Value', 'Based on', 'DORA level'],
      ['Deployment frequency', `${report.deployments.count} (${report.deployments.perWeek} per week, Four Keys: ${report.deployments.frequencyBucket})`, `${report.deployments.count} deployments`, level(report.levels.deploymentFrequency)],
      ['Lead time for changes', `median ${hours(report.leadTime.medianHours)}, p90 ${hours(report.leadTime.p90Hours)}`, `${report.leadTime.changes} changes`, level(report.levels.leadTime)],
      ['Change failure rate', percent(report.changeFailureRate), `${report.recoveryTime.failures} failed of ${report.deployments.count}`, level(report.levels.changeFailureRate)],
      ['Recovery time', `median ${hours(report.recoveryTime.medianHours)}`, `${report.recoveryTime.failures} failure${report.recoveryTime.failures === 1 ? '' : 's'}`, level(report.levels.recoveryTime)],
      ['Rework rate', percent(report.reworkRate), 'patch releases', '(no published levels)'],
    ]),
    `Levels: ${report.levels.source}`,
  ];
  if (report.deployments.list.length > 0) {
    const shown = report.deployments.list.slice(Math.max(0, report.deployments.list.length - maxDeployments));
    lines.push('', table([
      ['Deployment', 'Time (UTC)', 'Changes', 'Commit', 'Failed'],
      ...shown.map((d) => [d.name.length > 50 ? `${d.name.slice(0, 49)}…` : d.name, d.time.slice(0, 16).replace('T', ' '), String(d.changes), d.sha.slice(0, 10), d.failed ? `fixed by ${d.fixedBy} (${d.fixKind}) after ${hours(d.recoveryHours)}` : '']),
    ]));
    if (shown.length < report.deployments.list.length) lines.push(`(${report.deployments.list.length - shown.length} earlier deployments not shown; --json lists all)`);
  }
  for (const note of report.notes) lines.push('', `Note: ${note}`);
  lines.push('', `History: ${report.history.commits} commits, ${report.history.deploymentsAllTime} deployments in all${report.history.fromCache ? ' (read from cache: refs unchanged)' : ''}.`);
  return lines.join('\n');
}
