import type { Deployment } from './deployments';
import { formatVersion } from './deployments';
import type { DoraLevel } from './doraLevels';
import { CHANGE_FAILURE_RATE, DAYS_BETWEEN_DEPLOYMENTS, DORA_LEVEL_SOURCE, LEAD_TIME_HOURS, RECOVERY_HOURS, levelOf } from './doraLevels';
import type { DoraSettings } from './doraSettings';
import { DAY_MS, isoDate } from './doraSettings';
import type { CommitGraph } from './gitHistory';

/** Four Keys' deployment frequency buckets (dora-team/fourkeys). */
export type FrequencyBucket = 'daily' | 'weekly' | 'monthly' | 'yearly';

export interface DeploymentEntry {
  readonly name: string;
  readonly tags: readonly string[];
  readonly version: string | null;
  readonly sha: string;
  /** ISO time (UTC). */
  readonly time: string;
  readonly changes: number;
  readonly failed: boolean;
  /** Name of the deployment that fixed it. */
  readonly fixedBy: string | null;
  readonly fixKind: 'patch' | 'revert' | null;
  readonly recoveryHours: number | null;
}

export interface WeekPoint {
  /** Monday of the week (UTC), YYYY-MM-DD. */
  readonly weekStart: string;
  readonly deployments: number;
  readonly leadTimeMedianHours: number | null;
  readonly failures: number;
  readonly recoveryMedianHours: number | null;
}

export interface FigureLevel {
  readonly level: DoraLevel | null;
  readonly thresholds: string;
}

export interface DoraReport {
  readonly repository: string;
  readonly window: { readonly since: string; readonly until: string; readonly days: number };
  readonly settings: { readonly deployments: 'tags' | 'merges'; readonly tagPattern: string; readonly branch: string | null; readonly failureWindowDays: number };
  readonly deployments: {
    readonly count: number;
    readonly perWeek: number;
    readonly frequencyBucket: FrequencyBucket;
    readonly list: readonly DeploymentEntry[];
  };
  readonly leadTime: { readonly medianHours: number | null; readonly p90Hours: number | null; readonly changes: number; readonly changesWithoutPositiveLeadTime: number };
  /** Failed deployments / deployments in the window, 0-1; null without deployments. */
  readonly changeFailureRate: number | null;
  readonly recoveryTime: { readonly medianHours: number | null; readonly failures: number };
  /** Deployments with a patch number above 0 / deployments in the window, 0-1; null when none has a version (merges). */
  readonly reworkRate: number | null;
  readonly levels: {
    readonly deploymentFrequency: FigureLevel;
    readonly leadTime: FigureLevel;
    readonly changeFailureRate: FigureLevel;
    readonly recoveryTime: FigureLevel;
    readonly source: string;
  };
  readonly weekly: readonly WeekPoint[];
  /** Things a reader must know to trust the figures (pending failure windows, the latest deployment before an empty window). */
  readonly notes: readonly string[];
  readonly history: { readonly commits: number; readonly deploymentsAllTime: number; readonly fromCache: boolean };
}

/** Median (mean of the two middle values for an even count); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Nearest-rank percentile: the smallest value with at least p of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
}

const round2 = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);
const HOUR_MS = 3_600_000;

function mondayOf(time: number): number {
  const day = Math.floor(time / DAY_MS) * DAY_MS;
  return day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
}

function frequencyBucket(inWindow: readonly Deployment[], since: number, until: number): FrequencyBucket {
  const deployDays = new Set(inWindow.map((d) => Math.floor(d.time / DAY_MS)));
  const firstWeek = mondayOf(since);
  const weekCount = Math.ceil((until - firstWeek) / (7 * DAY_MS));
  const weekDays = new Array<number>(weekCount).fill(0);
  for (const day of deployDays) weekDays[Math.floor((day * DAY_MS - firstWeek) / (7 * DAY_MS))] += 1;
  const weekly = median(weekDays) ?? 0;
  if (weekly >= 3) return 'daily';
  if (weekly >= 1) return 'weekly';
  const first = new Date(since);
  const monthIndex = (time: number): number => {
    const date = new Date(time);
    return (date.getUTCFullYear() - first.getUTCFullYear()) * 12 + date.getUTCMonth() - first.getUTCMonth();
  };
  const monthDays = new Array<number>(monthIndex(until - 1) + 1).fill(0);
  for (const day of deployDays) monthDays[monthIndex(day * DAY_MS)] += 1;
  return (median(monthDays) ?? 0) >= 1 ? 'monthly' : 'yearly';
}

function leadHours(deployment: Deployment, graph: CommitGraph): number[] {
  return deployment.changes.map((c) => (deployment.time - (graph.committerTimes[c] as number) * 1000) / HOUR_MS);
}

/** The figures for the window, from the deployments of the whole history. */
export function buildDoraReport(repository: string, graph: CommitGraph, deployments: readonly Deployment[], settings: DoraSettings, fromCache: boolean, now: number = Date.now()): DoraReport {
  const inWindow = deployments.filter((d) => d.time >= settings.since && d.time < settings.until);
  const days = (settings.until - settings.since) / DAY_MS;
  const recovery = (d: Deployment): number | null => (d.fixedBy === undefined ? null : ((deployments[d.fixedBy] as Deployment).time - d.time) / HOUR_MS);

  const allLeads = inWindow.flatMap((d) => leadHours(d, graph));
  const leads = allLeads.filter((h) => h > 0);
  const failed = inWindow.filter((d) => d.fixedBy !== undefined);
  const recoveries = failed.map((d) => recovery(d) as number);
  const versioned = inWindow.filter((d) => d.version !== undefined);

  // Deployments bucketed by week once, so long windows stay linear.
  const firstWeek = mondayOf(settings.since);
  const byWeek = new Map<number, Deployment[]>();
  for (const d of inWindow) {
    const week = Math.floor((d.time - firstWeek) / (7 * DAY_MS));
    const list = byWeek.get(week);
    if (list) list.push(d);
    else byWeek.set(week, [d]);
  }
  const weekly: WeekPoint[] = [];
  for (let week = firstWeek, n = 0; week < settings.until; week += 7 * DAY_MS, n += 1) {
    const those = byWeek.get(n) ?? [];
    const weekFailed = those.filter((d) => d.fixedBy !== undefined);
    weekly.push({
      weekStart: isoDate(week),
      deployments: those.length,
      leadTimeMedianHours: round2(median(those.flatMap((d) => leadHours(d, graph)).filter((h) => h > 0))),
      failures: weekFailed.length,
      recoveryMedianHours: round2(median(weekFailed.map((d) => recovery(d) as number))),
    });
  }

  const notes: string[] = [];
  const failureWindowMs = settings.failureWindowDays * DAY_MS;
  const pending = inWindow.filter((d) => d.fixedBy === undefined && d.time + failureWindowMs > now);
  if (pending.length > 0) notes.push(`${pending.length} deployment(s) are less than ${settings.failureWindowDays} days old, so a fix may still mark them failed: ${pending.map((d) => d.name).join(', ')}.`);
  if (inWindow.length === 0) {
    const before = deployments.filter((d) => d.time < settings.since).at(-1);
    const after = deployments.find((d) => d.time >= settings.until);
    notes.push(`No deployment between ${isoDate(settings.since)} and ${isoDate(settings.until)} (until excluded).${before ? ` The last one before is ${before.name} on ${isoDate(before.time)}.` : ''}${after ? ` The next one after is ${after.name} on ${isoDate(after.time)}.` : ''} Widen the window (since/until) to measure.`);
  }
  if (allLeads.length > leads.length) notes.push(`${allLeads.length - leads.length} change(s) have a committer date at or after their deployment and are left out of the lead time.`);

  const changeFailureRate = inWindow.length === 0 ? null : failed.length / inWindow.length;
  const leadMedian = median(leads);
  const recoveryMedian = median(recoveries);
  return {
    repository,
    window: { since: isoDate(settings.since), until: isoDate(settings.until), days },
    settings: { deployments: settings.deployments, tagPattern: settings.tagPattern.source, branch: settings.branch ?? null, failureWindowDays: settings.failureWindowDays },
    deployments: {
      count: inWindow.length,
      perWeek: round2(inWindow.length / (days / 7)) as number,
      frequencyBucket: frequencyBucket(inWindow, settings.since, settings.until),
      list: inWindow.map((d) => ({
        name: d.name,
        tags: d.tags,
        version: formatVersion(d.version),
        sha: d.sha,
        time: new Date(d.time).toISOString(),
        changes: d.changes.length,
        failed: d.fixedBy !== undefined,
        fixedBy: d.fixedBy === undefined ? null : (deployments[d.fixedBy] as Deployment).name,
        fixKind: d.fixKind ?? null,
        recoveryHours: round2(recovery(d)),
      })),
    },
    leadTime: { medianHours: round2(leadMedian), p90Hours: round2(percentile(leads, 0.9)), changes: leads.length, changesWithoutPositiveLeadTime: allLeads.length - leads.length },
    changeFailureRate: changeFailureRate === null ? null : Math.round(changeFailureRate * 10_000) / 10_000,
    recoveryTime: { medianHours: round2(recoveryMedian), failures: failed.length },
    reworkRate: versioned.length === 0 ? null : Math.round((versioned.filter((d) => (d.version?.patch ?? 0) > 0).length / inWindow.length) * 10_000) / 10_000,
    levels: {
      deploymentFrequency: { level: inWindow.length === 0 ? null : levelOf(days / inWindow.length, DAYS_BETWEEN_DEPLOYMENTS, true), thresholds: DAYS_BETWEEN_DEPLOYMENTS.text },
      leadTime: { level: levelOf(leadMedian, LEAD_TIME_HOURS), thresholds: LEAD_TIME_HOURS.text },
      changeFailureRate: { level: levelOf(changeFailureRate, CHANGE_FAILURE_RATE, true), thresholds: CHANGE_FAILURE_RATE.text },
      recoveryTime: { level: levelOf(recoveryMedian, RECOVERY_HOURS), thresholds: RECOVERY_HOURS.text },
      source: DORA_LEVEL_SOURCE,
    },
    weekly,
    notes,
    history: { commits: graph.shas.length, deploymentsAllTime: deployments.length, fromCache },
  };
}
