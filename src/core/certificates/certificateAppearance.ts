import type { ParsedCertificate } from './parseCertificate';
import type { CertificateStatus } from './certificateSchema';

/** How a status reads at a glance: go ahead, go ahead with care, stop, or stop everything. */
export type CertificateTone = 'passed' | 'caution' | 'failed' | 'emergency' | 'unknown';

/** Editor-neutral look of a status: a codicon id, a theme colour id and an Explorer badge of at most two letters. */
export interface CertificateAppearance {
  readonly tone: CertificateTone;
  /** Codicon id, e.g. `pass-filled` (the glue turns it into a ThemeIcon). */
  readonly icon: string;
  /** Theme colour id, e.g. `testing.iconPassed` (the glue turns it into a ThemeColor). */
  readonly color: string;
  /** One or two characters for the Explorer file decoration. */
  readonly badge: string;
}

export const CERTIFICATE_STATUS_APPEARANCE: Readonly<Record<CertificateStatus, CertificateAppearance>> = {
  APPROVED: { tone: 'passed', icon: 'pass-filled', color: 'testing.iconPassed', badge: 'A' },
  GO: { tone: 'passed', icon: 'debug-start', color: 'testing.iconPassed', badge: 'G' },
  RECOMMEND: { tone: 'passed', icon: 'thumbsup', color: 'testing.iconPassed', badge: 'R+' },
  CONDITIONALLY_APPROVED: { tone: 'caution', icon: 'pass', color: 'editorWarning.foreground', badge: 'CA' },
  ADVISORY_ONLY: { tone: 'caution', icon: 'info', color: 'charts.yellow', badge: 'AO' },
  NEEDS_FURTHER_REVIEW: { tone: 'caution', icon: 'question', color: 'charts.yellow', badge: 'NR' },
  REJECTED: { tone: 'failed', icon: 'error', color: 'testing.iconFailed', badge: 'RJ' },
  NO_GO: { tone: 'failed', icon: 'circle-slash', color: 'testing.iconFailed', badge: 'NG' },
  DO_NOT_RECOMMEND: { tone: 'failed', icon: 'thumbsdown', color: 'errorForeground', badge: 'R-' },
  REQUIRES_REMEDIATION: { tone: 'failed', icon: 'tools', color: 'errorForeground', badge: 'RM' },
  EMERGENCY_STOP: { tone: 'emergency', icon: 'flame', color: 'errorForeground', badge: 'ES' },
};

/** A file that names no status from the list. */
export const UNKNOWN_STATUS_APPEARANCE: CertificateAppearance = { tone: 'unknown', icon: 'question', color: 'descriptionForeground', badge: '?' };
/** The hash does not match: the certificate was changed after its hash was written. */
export const TAMPERED_APPEARANCE: CertificateAppearance = { tone: 'failed', icon: 'warning', color: 'errorForeground', badge: '!' };
/** Structure problems (missing sections, placeholders, bad date) without tampering. */
export const INVALID_APPEARANCE: CertificateAppearance = { tone: 'caution', icon: 'warning', color: 'editorWarning.foreground', badge: '!' };

/** Statuses severest first: the order of the status groups, so what blocks work is on top. */
export const CERTIFICATE_STATUS_SEVERITY_ORDER: readonly CertificateStatus[] = [
  'EMERGENCY_STOP',
  'NO_GO',
  'REJECTED',
  'REQUIRES_REMEDIATION',
  'DO_NOT_RECOMMEND',
  'NEEDS_FURTHER_REVIEW',
  'CONDITIONALLY_APPROVED',
  'ADVISORY_ONLY',
  'RECOMMEND',
  'GO',
  'APPROVED',
];

export function statusAppearance(status: CertificateStatus | undefined): CertificateAppearance {
  return status === undefined ? UNKNOWN_STATUS_APPEARANCE : CERTIFICATE_STATUS_APPEARANCE[status];
}

/** A certificate with problems shows the warning look (so it stands out inside its status group); otherwise its status look. */
export function certificateAppearance(certificate: Pick<ParsedCertificate, 'status' | 'integrity' | 'valid'>): CertificateAppearance {
  if (certificate.integrity === 'tampered') return TAMPERED_APPEARANCE;
  if (!certificate.valid) return INVALID_APPEARANCE;
  return statusAppearance(certificate.status);
}

/** True when the certificate has problems to show: invalid structure or a hash that does not match. */
export function hasCertificateProblems(certificate: Pick<ParsedCertificate, 'integrity' | 'valid'>): boolean {
  return certificate.integrity === 'tampered' || !certificate.valid;
}
