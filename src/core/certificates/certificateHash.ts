import { createHash } from 'node:crypto';

/** The prefix of the hash line in the SIGNATURE section. */
export const CERTIFICATE_HASH_LABEL = 'Certificate Hash:';

/**
 * The text a certificate hash covers: every line above the hash line, with CRLF/CR turned into LF, trailing
 * whitespace trimmed from each line and a leading byte-order mark dropped. Editors that re-save with other line
 * endings or strip trailing spaces therefore do not break the hash; any other change does.
 */
export function canonicalCertificateText(linesAboveHash: readonly string[]): string {
  return linesAboveHash.map((line, i) => `${(i === 0 ? line.replace(/^\uFEFF/, '') : line).trimEnd()}\n`).join('');
}

/** `sha256:<64 hex>` of the canonical text of the lines above the hash line. */
export function certificateHashOf(linesAboveHash: readonly string[]): string {
  return hashCanonicalText(canonicalCertificateText(linesAboveHash));
}

/** `sha256:<64 hex>` of text that is already canonical. */
export function hashCanonicalText(canonical: string): string {
  return `sha256:${createHash('sha256').update(canonical, 'utf8').digest('hex')}`;
}

/**
 * The canonical text straight from the file text when it needs no normalizing (LF only, no BOM, no trailing
 * whitespace), which is how the renderer writes it; undefined otherwise. Saves splitting and joining every line.
 */
export function canonicalTextAsWritten(text: string, hashLineOffset: number): string | undefined {
  if (text.charCodeAt(0) === 0xfeff || text.includes('\r')) return undefined;
  const head = text.slice(0, hashLineOffset);
  if (head.length > 0 && !head.endsWith('\n')) return undefined;
  return /[^\S\n]\n/.test(head) ? undefined : head;
}
