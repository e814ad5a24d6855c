import * as path from 'node:path';
import { parseCitations } from '../citations/parseCitations';
import type { CitationCheck } from '../citations/verifyCitations';
import { LineIndexCache } from '../citations/lineIndexCache';
import { verifyCitations } from '../citations/verifyCitations';
import type { ReadSet } from '../session/readSet';

export interface EvidenceCitationOptions {
  /** Workspace folders; relative evidence paths start at the first. */
  readonly roots: readonly string[];
  /** What the session read; without it (the CLI) nothing counts as unread. */
  readonly readSet?: ReadSet;
}

export interface EvidenceCitationReport {
  /** Every citation found in the evidence, with its check. */
  readonly checks: readonly { readonly index: number; readonly check: CitationCheck }[];
  /** The checks that did not verify. */
  readonly failures: readonly { readonly index: number; readonly check: CitationCheck }[];
}

/**
 * Checks the `path:line` references in certificate evidence against the files (existence, line range, quoted code,
 * read in this session). Entries without a citation (test results, metrics) are left alone.
 */
export async function verifyEvidenceCitations(evidence: readonly string[], options: EvidenceCitationOptions): Promise<EvidenceCitationReport> {
  const parseOptions = { roots: options.roots, folderNames: options.roots.map((r) => path.basename(r)) };
  const found = evidence.flatMap((entry, index) => parseCitations(entry, parseOptions).map((citation) => ({ index, citation })));
  const results = await verifyCitations(found.map((f) => f.citation), {
    roots: options.roots,
    cache: new LineIndexCache(),
    ...(options.readSet ? { readSet: options.readSet } : {}),
  });
  const checks = results.map((check, i) => ({ index: found[i]?.index ?? 0, check }));
  return { checks, failures: checks.filter((c) => c.check.status !== 'verified') };
}

/** One line per failed citation: `- evidence[1] "src/app.ts:300": line 300 out of range, file has 120 lines (line-out-of-range)`. */
export function describeEvidenceFailures(failures: EvidenceCitationReport['failures']): string {
  return failures.map(({ index, check }) => `- evidence[${index}] "${check.citation.text}": ${check.message} (${check.status})`).join('\n');
}
