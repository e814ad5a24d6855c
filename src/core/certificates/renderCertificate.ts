import { randomBytes } from 'node:crypto';
import { formatUtcTimestamp } from '../time/utcTimestamp';
import { CERTIFICATE_HASH_LABEL, certificateHashOf } from './certificateHash';
import type { CertificateInput } from './certificateSchema';

export interface RenderedCertificate {
  /** The whole Markdown file, LF line endings, ending with a newline. */
  readonly text: string;
  readonly id: string;
  /** `sha256:<hex>` as written on the Certificate Hash line. */
  readonly hash: string;
  /** `YYYY-MM-DD HH:MM:SS UTC`. */
  readonly date: string;
}

export interface RenderCertificateOptions {
  readonly agent: string;
  readonly now: Date;
  /** Fixed ID for previews and tests; normally a fresh one from newCertificateId. */
  readonly id?: string;
}

/** `CERT-<yyyymmddhhmmss>-<8 hex>`: sortable by time, with 32 random bits so two certificates in one second differ. */
export function newCertificateId(now: Date): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 14);
  return `CERT-${stamp}-${randomBytes(4).toString('hex')}`;
}

/**
 * The `{DESCRIPTOR}` of the title: the descriptor upper-cased with underscores and runs of spaces shown as one
 * space (`deployment_review` → `DEPLOYMENT REVIEW`), so the title reads as words while the file name keeps the slug.
 */
export function certificateTitle(descriptor: string): string {
  const words = descriptor.trim().replace(/[_\s]+/g, ' ').trim().toUpperCase();
  return words.endsWith(' CERTIFICATE') ? words.slice(0, -' CERTIFICATE'.length) : words;
}

/**
 * Renders the certificate in exactly the layout of the agent definition's "Required Certificate Content", ending
 * with a `Certificate Hash: sha256:<hex>` line over the canonical text above it (see canonicalCertificateText).
 */
export function renderCertificate(input: CertificateInput, options: RenderCertificateOptions): RenderedCertificate {
  const id = options.id ?? newCertificateId(options.now);
  const date = formatUtcTimestamp(options.now);
  const parts: string[] = [
    `# ${certificateTitle(input.descriptor)} CERTIFICATE`,
    '',
    `**Component**: ${oneLine(input.component)}`,
    `**Agent**: ${options.agent}`,
    `**Date**: ${date}`,
    `**Certificate ID**: ${id}`,
    '',
    '## REVIEW SCOPE',
    ...input.scope.map((item) => bullet(item, 0)),
    ...group('Files examined', input.filesExamined),
    ...group('Tests performed', input.testsPerformed),
    '',
    '## FINDINGS',
    ...group('Key findings', input.findings),
    ...group('Issues identified', input.issues),
    ...group('Recommendations', input.recommendations),
    '',
    '## DECISION/OUTCOME',
    `**Status**: ${input.status}`,
    `**Rationale**: ${paragraph(input.rationale)}`,
    `**Conditions**: ${input.conditions ? paragraph(input.conditions) : 'None'}`,
    '',
    '## EVIDENCE',
    ...input.evidence.map((item) => bullet(item, 0)),
    '',
    '## SIGNATURE',
    `Agent: ${options.agent}`,
    `Timestamp: ${date}`,
  ];
  const lines = parts.flatMap((part) => part.split('\n'));
  const hash = certificateHashOf(lines);
  return { text: `${[...lines, `${CERTIFICATE_HASH_LABEL} ${hash}`].join('\n')}\n`, id, hash, date };
}

function group(label: string, items: readonly string[]): string[] {
  if (items.length === 0) return [`- ${label}: none`];
  return [`- ${label}:`, ...items.map((item) => bullet(item, 1))];
}

/** A bullet whose continuation lines are indented under it, so no line of an item can open a section. */
function bullet(item: string, depth: number): string {
  const indent = '  '.repeat(depth);
  const [first = '', ...rest] = item.trim().split(/\r\n|\n|\r/);
  return [`${indent}- ${first.trimEnd()}`, ...rest.map((l) => (l.trim().length > 0 ? `${indent}  ${l.trimEnd()}` : ''))].join('\n');
}

/** Multi-line text after a `**Label**:`; lines that would read as a heading or another field are escaped. */
function paragraph(text: string): string {
  return text
    .trim()
    .split(/\r\n|\n|\r/)
    .map((l, i) => (i > 0 && /^(#|\*\*[^*]+\*\*\s*:|Agent:|Timestamp:|Certificate Hash:)/i.test(l) ? `\\${l.trimEnd()}` : l.trimEnd()))
    .join('\n');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
