import * as path from 'node:path';
import type { ParsedCertificate } from './parseCertificate';

/** Counts over a set of certificates: ok + tampered + unsigned = total; invalid counts structure problems of untampered ones. */
export interface CertificateCheckSummary {
  readonly total: number;
  readonly ok: number;
  readonly tampered: number;
  readonly unsigned: number;
  readonly invalid: number;
}

export function summarizeCertificateChecks(list: readonly Pick<ParsedCertificate, 'integrity' | 'valid'>[]): CertificateCheckSummary {
  let ok = 0;
  let tampered = 0;
  let unsigned = 0;
  let invalid = 0;
  for (const c of list) {
    if (c.integrity === 'ok') ok += 1;
    else if (c.integrity === 'tampered') tampered += 1;
    else unsigned += 1;
    if (!c.valid && c.integrity !== 'tampered') invalid += 1;
  }
  return { total: list.length, ok, tampered, unsigned, invalid };
}

/** `Verified 12 certificates: 10 ok, 1 tampered, 1 unsigned, 2 invalid.` */
export function describeCertificateChecks(summary: CertificateCheckSummary): string {
  if (summary.total === 0) return 'No certificates found under docs/ai/agents/*/certificates/.';
  return `Verified ${summary.total} certificate${summary.total === 1 ? '' : 's'}: ` +
    `${summary.ok} ok, ${summary.tampered} tampered, ${summary.unsigned} unsigned, ${summary.invalid} invalid.`;
}

export type CertificateCheckSeverity = 'info' | 'warning';

/** What Verify Integrity says about one certificate: info when the hash matches and nothing else is wrong. */
export function describeCertificateCheck(certificate: ParsedCertificate): { severity: CertificateCheckSeverity; message: string } {
  const name = certificate.id ?? path.basename(certificate.file);
  const problems = certificate.problems.map((p) => `line ${p.line}: ${p.message}`);
  const detail = problems.length > 0 ? ` ${problems.slice(0, 5).join(' ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}` : '';
  if (certificate.integrity === 'ok' && certificate.valid) return { severity: 'info', message: `Integrity ok — ${name}` };
  if (certificate.integrity === 'ok') return { severity: 'warning', message: `Integrity ok but the certificate has problems — ${name}.${detail}` };
  if (certificate.integrity === 'tampered') return { severity: 'warning', message: `Tampered — ${name}: the text no longer matches its Certificate Hash.${detail}` };
  return { severity: 'warning', message: `No hash — ${name} has no Certificate Hash, so changes cannot be detected.${detail}` };
}
