import type { CitationCheck, CitationStatus } from './verifyCitations';

/**
 * One check for a person: "✓ verified (quote matched): the quoted code is at line 3", "✓ verified (line exists): line 3
 * exists — no quote was given, so only the line was checked", or "⚠ line 300 out of range, file has 120 lines".
 */
export function describeCitationCheck(check: CitationCheck): string {
  if (check.status !== 'verified') return `⚠ ${check.message}`;
  return check.verifiedBy === 'quote' ? `✓ verified (quote matched): ${check.message}` : `✓ verified (line exists): ${check.message}; no quoted code to compare`;
}

const REPORT_ORDER: readonly CitationStatus[] = ['verified', 'missing-file', 'outside-workspace', 'ambiguous', 'line-out-of-range', 'line-drift', 'quote-mismatch', 'unread'];

function countLabel(status: CitationStatus, count: number): string {
  const plural = count === 1 ? '' : 's';
  switch (status) {
    case 'verified': return `${count} verified`;
    case 'missing-file': return `${count} missing file${plural}`;
    case 'outside-workspace': return `${count} outside the workspace`;
    case 'ambiguous': return `${count} ambiguous`;
    case 'line-out-of-range': return `${count} line${plural} out of range`;
    case 'line-drift': return `${count} drifted line${plural}`;
    case 'quote-mismatch': return `${count} quote mismatch${count === 1 ? '' : 'es'}`;
    case 'unread': return `${count} unread`;
  }
}

/**
 * One line for the end of an answer: "Citations: 5 verified (3 quote matched, 2 line exists), 1 line out of range,
 * 1 unread". The verified ones are split by what was checked, so a citation without a quote is not mistaken for one
 * whose code was compared.
 */
export function formatCitationReport(checks: readonly CitationCheck[]): string {
  if (checks.length === 0) return 'Citations: none';
  const counts = new Map<CitationStatus, number>();
  let quoted = 0;
  for (const check of checks) {
    counts.set(check.status, (counts.get(check.status) ?? 0) + 1);
    if (check.status === 'verified' && check.verifiedBy === 'quote') quoted++;
  }
  const verified = counts.get('verified') ?? 0;
  const parts = REPORT_ORDER.filter((status) => status === 'verified' || (counts.get(status) ?? 0) > 0).map((status) => {
    const label = countLabel(status, counts.get(status) ?? 0);
    return status === 'verified' && verified > 0 ? `${label} (${quoted} quote matched, ${verified - quoted} line exists)` : label;
  });
  return `Citations: ${parts.join(', ')}`;
}
