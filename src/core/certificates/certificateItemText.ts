import * as path from 'node:path';
import { certificateAppearance, statusAppearance } from './certificateAppearance';
import { CERTIFICATE_STATUS_MEANINGS } from './certificateSchema';
import type { CertificateFilterKey } from './certificateTree';
import { UNRECOGNIZED_STATUS } from './certificateIndex';
import { certificateTimeMs, statusLabel } from './certificateTree';
import type { ParsedCertificate } from './parseCertificate';
import { boundedLine } from '../text/bounded';

const ACRONYMS = new Set([
  'AKS', 'API', 'AWS', 'CD', 'CDN', 'CI', 'CVE', 'DB', 'DNS', 'EC2', 'ECS', 'EKS', 'GCP', 'GKE', 'HTTP', 'HTTPS', 'IAC',
  'IAM', 'JWT', 'K8S', 'OS', 'PR', 'QA', 'S3', 'SBOM', 'SLA', 'SLO', 'SQL', 'SSH', 'SSL', 'TLS', 'UI', 'VM', 'VPC',
]);
const FILE_STAMP = /_\d{8}_\d{6}(?:_\d+)?$/;
const MAX_TOOLTIP_TEXT = 600;
const MAX_TOOLTIP_PROBLEMS = 12;

/** `DEPLOYMENT REVIEW` or `deployment_review` → `Deployment Review`; known acronyms (`CI`, `API`, …) stay upper case. */
export function humanizeDescriptor(text: string): string {
  return text
    .replace(/[_\s]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => (ACRONYMS.has(w.toUpperCase()) ? w.toUpperCase() : w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()))
    .join(' ');
}

/** The tree label: the humanised title descriptor, or the file name without its time stamp when the title is broken. */
export function certificateLabel(certificate: Pick<ParsedCertificate, 'file' | 'descriptor'>): string {
  const fromTitle = certificate.descriptor?.trim();
  if (fromTitle) return humanizeDescriptor(fromTitle);
  const stem = path.basename(certificate.file).replace(/\.md$/i, '').replace(FILE_STAMP, '');
  return humanizeDescriptor(stem) || path.basename(certificate.file);
}

/** `2025-03-04 10:11` from the Date line (or the file-name stamp), in UTC as certificates are written. */
export function certificateShortDate(certificate: Pick<ParsedCertificate, 'file' | 'dateMs'>): string | undefined {
  const ms = certificateTimeMs(certificate);
  if (ms === undefined) return undefined;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/** `ci_cd_pipeline · 2025-03-04 10:11`, leaving out whatever is unknown. */
export function certificateDescription(certificate: Pick<ParsedCertificate, 'file' | 'dateMs' | 'component'>): string {
  return [certificate.component?.trim(), certificateShortDate(certificate)].filter((p): p is string => !!p).join(' · ');
}

/** Escapes Markdown (and `$(icon)` syntax) so file content shows as written inside a tooltip. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>$~]/g, '\\$&');
}


export function integrityText(integrity: ParsedCertificate['integrity']): string {
  switch (integrity) {
    case 'ok':
      return 'ok (the hash matches the text)';
    case 'tampered':
      return 'TAMPERED (changed after its hash was written)';
    case 'unsigned':
      return 'unsigned (no Certificate Hash)';
  }
}

/** The tooltip of a certificate item, as Markdown with `$(codicon)` icons (the glue enables theme icons). */
export function certificateTooltipMarkdown(certificate: ParsedCertificate): string {
  const look = certificateAppearance(certificate);
  const status = certificate.status;
  const lines: string[] = [];
  const head = status
    ? `$(${statusAppearance(status).icon}) **${statusLabel(status)}** — ${escapeMarkdown(CERTIFICATE_STATUS_MEANINGS[status])}`
    : `$(${look.icon}) **${statusLabel(UNRECOGNIZED_STATUS)}**${certificate.statusText ? ` (the file says "${escapeMarkdown(boundedLine(certificate.statusText, 80))}")` : ''}`;
  lines.push(head, '');
  lines.push(`**${escapeMarkdown(certificateLabel(certificate))}**${certificate.component ? ` · ${escapeMarkdown(certificate.component)}` : ''}`, '');
  const facts: [string, string | undefined][] = [
    ['ID', certificate.id],
    ['Date', certificate.date],
    ['Agent', certificate.agent],
  ];
  for (const [name, value] of facts) if (value) lines.push(`${name}: ${escapeMarkdown(value)}  `);
  lines.push(`Integrity: ${certificate.integrity === 'tampered' ? '$(warning) ' : ''}${escapeMarkdown(integrityText(certificate.integrity))}`, '');
  if (certificate.rationale) lines.push(`**Rationale**: ${escapeMarkdown(boundedLine(certificate.rationale, MAX_TOOLTIP_TEXT))}`, '');
  if (certificate.conditions && !/^none\.?$/i.test(certificate.conditions.trim())) {
    lines.push(`**Conditions**: ${escapeMarkdown(boundedLine(certificate.conditions, MAX_TOOLTIP_TEXT))}`, '');
  }
  if (certificate.problems.length > 0) {
    lines.push(`$(warning) **${certificate.problems.length} problem${certificate.problems.length === 1 ? '' : 's'}**:`, '');
    for (const p of certificate.problems.slice(0, MAX_TOOLTIP_PROBLEMS)) lines.push(`- line ${p.line}: ${escapeMarkdown(boundedLine(p.message, 300))}`);
    if (certificate.problems.length > MAX_TOOLTIP_PROBLEMS) lines.push(`- … and ${certificate.problems.length - MAX_TOOLTIP_PROBLEMS} more (run Verify Integrity)`);
    lines.push('');
  }
  lines.push(`\`${escapeMarkdown(path.basename(certificate.file)).replace(/`/g, '')}\``);
  return lines.join('\n');
}

/** Plain-text tooltip for the Explorer decoration: `Certificate: APPROVED — Full approval with no conditions`. */
export function certificateDecorationTooltip(certificate: Pick<ParsedCertificate, 'status' | 'statusText' | 'integrity' | 'valid' | 'problems'>): string {
  const status = certificate.status
    ? `${certificate.status} — ${CERTIFICATE_STATUS_MEANINGS[certificate.status]}`
    : `no valid status${certificate.statusText ? ` ("${boundedLine(certificate.statusText, 60)}")` : ''}`;
  const extra = certificate.integrity === 'tampered'
    ? '; TAMPERED: changed after its hash was written'
    : !certificate.valid ? `; ${certificate.problems.length} problem${certificate.problems.length === 1 ? '' : 's'}` : '';
  return `Certificate: ${status}${extra}`;
}

/** The tooltip of a status group: the status and what it means. */
export function groupTooltip(key: CertificateFilterKey | string, count: number, problems: number): string {
  const meaning = key !== UNRECOGNIZED_STATUS && key in CERTIFICATE_STATUS_MEANINGS
    ? ` — ${CERTIFICATE_STATUS_MEANINGS[key as keyof typeof CERTIFICATE_STATUS_MEANINGS]}`
    : key === UNRECOGNIZED_STATUS ? ' — the file names no status from the list' : '';
  const problemText = problems > 0 ? `, ${problems} with problems` : '';
  return `${count} certificate${count === 1 ? '' : 's'}${problemText}${meaning}`;
}
