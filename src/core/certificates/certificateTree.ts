import * as path from 'node:path';
import { CERTIFICATE_STATUS_SEVERITY_ORDER } from './certificateAppearance';
import type { CertificateStatus } from './certificateSchema';
import { isCertificateStatus, slugForCertificate } from './certificateSchema';
import { UNRECOGNIZED_STATUS } from './certificateIndex';
import type { ParsedCertificate } from './parseCertificate';

const CERTIFICATE_GROUP_BY_VALUES = ['status', 'component', 'date'] as const;
export type CertificateGroupBy = (typeof CERTIFICATE_GROUP_BY_VALUES)[number];

/** A status, or UNRECOGNIZED for files that name none from the list: the keys of the status groups and of the filter. */
export type CertificateFilterKey = CertificateStatus | typeof UNRECOGNIZED_STATUS;

/** The parts of a parsed certificate the tree needs; the glue may carry more (such as the workspace folder). */
export type CertificateFacts = Pick<ParsedCertificate, 'file' | 'status' | 'component' | 'dateMs' | 'integrity' | 'valid'>;

export interface CertificateGroup<T extends CertificateFacts> {
  /** Stable within one grouping (`APPROVED`, `ci_cd_pipeline`, `today`, `2025-03`, …): tree item ids build on it. */
  readonly key: string;
  readonly label: string;
  /** Newest first; certificates without any date last, by file name. */
  readonly certificates: readonly T[];
  /** How many of them have problems (invalid or tampered). */
  readonly problems: number;
}

export interface GroupCertificatesOptions {
  /** Only these statuses; empty or absent shows every certificate. */
  readonly filter?: readonly CertificateFilterKey[];
  /** The moment date buckets are relative to (local time); defaults to now. */
  readonly now?: Date;
}

const ATTENTION_STATUSES: ReadonlySet<CertificateStatus> = new Set<CertificateStatus>(['REJECTED', 'NO_GO', 'EMERGENCY_STOP']);
const FILE_STAMP = /_(\d{4})(\d{2})(\d{2})_(\d{2})(\d{2})(\d{2})(?:_\d+)?\.md$/i;

export function isCertificateGroupBy(value: unknown): value is CertificateGroupBy {
  return typeof value === 'string' && (CERTIFICATE_GROUP_BY_VALUES as readonly string[]).includes(value);
}

/** Drops anything that is not a status or UNRECOGNIZED (settings and saved state may hold stale values). */
export function normalizeCertificateFilter(value: unknown): CertificateFilterKey[] {
  if (!Array.isArray(value)) return [];
  const keys = value.filter((v): v is CertificateFilterKey => typeof v === 'string' && (v === UNRECOGNIZED_STATUS || isCertificateStatus(v)));
  return [...new Set(keys)];
}

function filterKeyOf(certificate: Pick<ParsedCertificate, 'status'>): CertificateFilterKey {
  return certificate.status ?? UNRECOGNIZED_STATUS;
}

export function filterCertificates<T extends CertificateFacts>(list: readonly T[], filter: readonly CertificateFilterKey[] | undefined): T[] {
  if (!filter || filter.length === 0) return [...list];
  const wanted = new Set<string>(filter);
  return list.filter((c) => wanted.has(filterKeyOf(c)));
}

/**
 * When the certificate was issued: its Date line, else the `YYYYMMDD_HHMMSS` (UTC) stamp of its file name, so a
 * certificate with a broken header still sorts and buckets by when it was written.
 */
export function certificateTimeMs(certificate: Pick<ParsedCertificate, 'file' | 'dateMs'>): number | undefined {
  if (certificate.dateMs !== undefined) return certificate.dateMs;
  const match = FILE_STAMP.exec(path.basename(certificate.file));
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  const back = new Date(ms);
  return back.getUTCMonth() === month - 1 && back.getUTCDate() === day && hour < 24 && minute < 60 && second < 60 ? ms : undefined;
}

/** Newest first, undated last, ties by file name (so the order never flickers); each time is worked out once. */
function sortNewestFirst<T extends CertificateFacts>(list: readonly T[]): T[] {
  const keyed = list.map((certificate) => ({ certificate, time: certificateTimeMs(certificate) ?? Number.NEGATIVE_INFINITY }));
  keyed.sort((a, b) => b.time - a.time || (a.certificate.file < b.certificate.file ? -1 : a.certificate.file > b.certificate.file ? 1 : 0));
  return keyed.map((k) => k.certificate);
}

/** Groups (and filters) certificates for the tree; only non-empty groups, in a fixed order per grouping. */
export function groupCertificates<T extends CertificateFacts>(
  list: readonly T[],
  by: CertificateGroupBy,
  options: GroupCertificatesOptions = {},
): CertificateGroup<T>[] {
  const shown = sortNewestFirst(filterCertificates(list, options.filter));
  switch (by) {
    case 'status':
      return groupByStatus(shown);
    case 'component':
      return groupByComponent(shown);
    case 'date':
      return groupByDate(shown, options.now ?? new Date());
  }
}

/** `CONDITIONALLY_APPROVED` → `Conditionally Approved`. */
export function statusLabel(key: CertificateFilterKey): string {
  if (key === UNRECOGNIZED_STATUS) return 'Unrecognized Status';
  return key.split('_').map((w) => w.charAt(0) + w.slice(1).toLowerCase()).join(' ');
}

function makeGroup<T extends CertificateFacts>(key: string, label: string, certificates: T[]): CertificateGroup<T> {
  return { key, label, certificates, problems: certificates.filter((c) => c.integrity === 'tampered' || !c.valid).length };
}

function groupByStatus<T extends CertificateFacts>(sorted: readonly T[]): CertificateGroup<T>[] {
  const buckets = new Map<CertificateFilterKey, T[]>();
  for (const c of sorted) {
    const key = filterKeyOf(c);
    const bucket = buckets.get(key);
    if (bucket) bucket.push(c);
    else buckets.set(key, [c]);
  }
  const order: CertificateFilterKey[] = [...CERTIFICATE_STATUS_SEVERITY_ORDER, UNRECOGNIZED_STATUS];
  return order.flatMap((key) => {
    const bucket = buckets.get(key);
    return bucket ? [makeGroup(key, statusLabel(key), bucket)] : [];
  });
}

function groupByComponent<T extends CertificateFacts>(sorted: readonly T[]): CertificateGroup<T>[] {
  // `CI/CD pipeline` and `ci_cd_pipeline` are one component; the label is the newest spelling.
  const buckets = new Map<string, { label: string; list: T[] }>();
  const slugs = new Map<string, string>();
  for (const c of sorted) {
    const written = c.component?.trim() ?? '';
    let key = slugs.get(written);
    if (key === undefined) {
      key = slugForCertificate(written, 200);
      slugs.set(written, key);
    }
    const bucket = buckets.get(key);
    if (bucket) bucket.list.push(c);
    else buckets.set(key, { label: key === '' ? 'No Component' : written, list: [c] });
  }
  return [...buckets.entries()]
    .sort(([a, x], [b, y]) => (a === '' ? 1 : b === '' ? -1 : x.label.localeCompare(y.label, 'en', { sensitivity: 'base' }) || (a < b ? -1 : 1)))
    .map(([key, { label, list }]) => makeGroup(key === '' ? '(none)' : key, label, list));
}

/** Date buckets in local time: Today, Yesterday, Earlier This Week (2–6 days ago), Last 30 Days, then one per month, then Undated. */
export function dateBucketOf(timeMs: number | undefined, now: Date): { key: string; label: string } {
  const bucket = dateBucketer(now);
  const key = bucket(timeMs);
  return { key, label: dateBucketLabel(key) };
}

/** The bucket key for a time, with the day boundaries computed once per grouping (thousands of certificates). */
function dateBucketer(now: Date): (timeMs: number | undefined) => string {
  const daysAgo = (n: number): number => new Date(now.getFullYear(), now.getMonth(), now.getDate() - n).getTime();
  const today = daysAgo(0);
  const yesterday = daysAgo(1);
  const week = daysAgo(6);
  const month = daysAgo(29);
  return (timeMs) => {
    if (timeMs === undefined) return 'undated';
    if (timeMs >= today) return 'today';
    if (timeMs >= yesterday) return 'yesterday';
    if (timeMs >= week) return 'week';
    if (timeMs >= month) return 'month';
    const date = new Date(timeMs);
    return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}`;
  };
}

const RELATIVE_BUCKET_LABELS: Readonly<Record<string, string>> = {
  undated: 'Undated', today: 'Today', yesterday: 'Yesterday', week: 'Earlier This Week', month: 'Last 30 Days',
};

function dateBucketLabel(key: string): string {
  const relative = RELATIVE_BUCKET_LABELS[key];
  if (relative) return relative;
  const [year, month] = key.split('-').map(Number) as [number, number];
  return `${new Date(year, month - 1, 1).toLocaleString('en', { month: 'long' })} ${year}`;
}

function groupByDate<T extends CertificateFacts>(sorted: readonly T[], now: Date): CertificateGroup<T>[] {
  // Sorted newest first, so buckets come out in order: relative ones, then months descending, then undated.
  const bucket = dateBucketer(now);
  const buckets = new Map<string, T[]>();
  for (const c of sorted) {
    const key = bucket(certificateTimeMs(c));
    const list = buckets.get(key);
    if (list) list.push(c);
    else buckets.set(key, [c]);
  }
  return [...buckets.entries()].map(([key, list]) => makeGroup(key, dateBucketLabel(key), list));
}

/** What the view badge counts, by reason; a tampered REJECTED certificate counts once in total. */
export interface CertificateAttention {
  readonly total: number;
  readonly rejected: number;
  readonly noGo: number;
  readonly emergencyStop: number;
  readonly tampered: number;
}

function certificateNeedsAttention(certificate: Pick<ParsedCertificate, 'status' | 'integrity'>): boolean {
  return certificate.integrity === 'tampered' || (certificate.status !== undefined && ATTENTION_STATUSES.has(certificate.status));
}

export function attentionBreakdown(list: readonly Pick<ParsedCertificate, 'status' | 'integrity'>[]): CertificateAttention {
  let total = 0;
  let rejected = 0;
  let noGo = 0;
  let emergencyStop = 0;
  let tampered = 0;
  for (const c of list) {
    if (certificateNeedsAttention(c)) total += 1;
    if (c.status === 'REJECTED') rejected += 1;
    if (c.status === 'NO_GO') noGo += 1;
    if (c.status === 'EMERGENCY_STOP') emergencyStop += 1;
    if (c.integrity === 'tampered') tampered += 1;
  }
  return { total, rejected, noGo, emergencyStop, tampered };
}

/** The badge number: REJECTED + NO_GO + EMERGENCY_STOP + tampered certificates, each certificate counted once. */
export function attentionCount(list: readonly Pick<ParsedCertificate, 'status' | 'integrity'>[]): number {
  return list.reduce((n, c) => n + (certificateNeedsAttention(c) ? 1 : 0), 0);
}

/** The badge tooltip, e.g. `3 certificates need attention: 1 rejected, 1 emergency stop, 1 tampered`. */
export function describeAttention(attention: CertificateAttention): string {
  if (attention.total === 0) return 'No certificate needs attention';
  const parts = [
    [attention.emergencyStop, 'emergency stop'],
    [attention.noGo, 'no-go'],
    [attention.rejected, 'rejected'],
    [attention.tampered, 'tampered (hash does not match)'],
  ] as const;
  const reasons = parts.filter(([n]) => n > 0).map(([n, what]) => `${n} ${what}`).join(', ');
  return `${attention.total} certificate${attention.total === 1 ? ' needs' : 's need'} attention: ${reasons}`;
}

