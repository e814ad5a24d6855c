import { DoraError } from './doraError';

export type DeploymentSource = 'tags' | 'merges';

/** What counts as a deployment and which window is measured. */
export interface DoraSettings {
  readonly deployments: DeploymentSource;
  /** Release tags; capture groups 1-3 (when present) are major, minor, patch. */
  readonly tagPattern: RegExp;
  /** Merges mode: the branch whose first-parent merge commits are deployments; undefined = main, else master. */
  readonly branch?: string;
  readonly failureWindowDays: number;
  /** Window start, inclusive, milliseconds (a UTC midnight). */
  readonly since: number;
  /** Window end, exclusive, milliseconds (a UTC midnight). */
  readonly until: number;
}

/** Settings as a user or a model gives them: strings, all optional. */
export interface DoraSettingsInput {
  readonly deployments?: string;
  readonly tagPattern?: string;
  readonly branch?: string;
  readonly failureWindowDays?: number;
  /** YYYY-MM-DD (UTC). */
  readonly since?: string;
  /** YYYY-MM-DD (UTC), exclusive. */
  readonly until?: string;
  /** Window length when `since` is not given. */
  readonly days?: number;
}

export const DEFAULT_TAG_PATTERN = '^v?(\\d+)\\.(\\d+)\\.(\\d+)$';
export const DEFAULT_FAILURE_WINDOW_DAYS = 14;
export const DEFAULT_WINDOW_DAYS = 90;
export const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseUtcDate(value: string, key: string): number {
  const match = DATE.exec(value.trim());
  const time = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
  if (!match || Number.isNaN(time) || new Date(time).toISOString().slice(0, 10) !== value.trim()) {
    throw new DoraError('bad-setting', `${key} must be a date YYYY-MM-DD (UTC); got ${JSON.stringify(value)}.`, `Give e.g. --${key} 2025-01-31.`);
  }
  return time;
}

/** Checks and completes settings; `now` decides the default window (the last 90 days, today included). */
export function resolveDoraSettings(input: DoraSettingsInput, now: number = Date.now()): DoraSettings {
  const deployments = input.deployments ?? 'tags';
  if (deployments !== 'tags' && deployments !== 'merges') {
    throw new DoraError('bad-setting', `deployments must be "tags" or "merges"; got ${JSON.stringify(deployments)}.`, 'Use --deployments tags (release tags) or --deployments merges (first-parent merges on a branch).');
  }
  let tagPattern: RegExp;
  try {
    tagPattern = new RegExp(input.tagPattern ?? DEFAULT_TAG_PATTERN);
  } catch (error) {
    throw new DoraError('bad-setting', `tag pattern ${JSON.stringify(input.tagPattern)} is not a regular expression: ${error instanceof Error ? error.message : String(error)}.`, `Give a JavaScript regular expression such as ${DEFAULT_TAG_PATTERN}.`);
  }
  const failureWindowDays = input.failureWindowDays ?? DEFAULT_FAILURE_WINDOW_DAYS;
  if (!Number.isFinite(failureWindowDays) || failureWindowDays < 0 || failureWindowDays > 3650) {
    throw new DoraError('bad-setting', `failure window must be a number of days from 0 to 3650; got ${failureWindowDays}.`, 'Use the default 14 unless your fixes take longer to ship.');
  }
  const days = input.days ?? DEFAULT_WINDOW_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 36_500) {
    throw new DoraError('bad-setting', `window length must be a whole number of days from 1 to 36500; got ${days}.`, 'Give e.g. 90.');
  }
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const until = input.until !== undefined && input.until !== '' ? parseUtcDate(input.until, 'until') : today + DAY_MS;
  const since = input.since !== undefined && input.since !== '' ? parseUtcDate(input.since, 'since') : until - days * DAY_MS;
  if (since >= until) {
    throw new DoraError('bad-setting', `the window is empty: since ${isoDate(since)} is not before until ${isoDate(until)} (until is exclusive).`, 'Give a since date earlier than the until date.');
  }
  const branch = input.branch?.trim();
  if (branch !== undefined && (branch === '' || branch.startsWith('-'))) {
    throw new DoraError('bad-setting', `branch must be a branch name; got ${JSON.stringify(input.branch)}.`, 'Give e.g. --branch main.');
  }
  return { deployments, tagPattern, failureWindowDays, since, until, ...(branch ? { branch } : {}) };
}

export function isoDate(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
