import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { certificateFromChecks, componentForReport } from '../certificates/certificateFromChecks';
import type { CertificateStatus } from '../certificates/certificateSchema';
import { createCertificate } from '../certificates/certificateStore';
import { describeEvidenceFailures, verifyEvidenceCitations } from '../certificates/evidenceCitations';
import { splitLines } from '../markdown/markdownHeadings';
import type { CheckScope } from './checkScope';
import { narrowReportToKinds } from './checkScope';
import type { CheckReport } from './checkTypes';

/** How the DevOps check engine is called (src/core/checks/runChecks.ts). */
export type CheckRunner = (options: { root: string; paths?: readonly string[]; signal?: AbortSignal; git?: boolean }) => Promise<CheckReport>;

export interface ChecksReview {
  /** The run, narrowed to the scope's kinds. */
  readonly report: CheckReport;
  /** The text of each line of the files with findings, by relative path (for quoting them). */
  lineText(file: string, line: number): string | undefined;
  readonly certificate?: { readonly file: string; readonly id: string; readonly status: CertificateStatus; readonly hash: string };
  /** Why no certificate was written although files were checked (evidence that no longer matches the files). */
  readonly notWritten?: string;
}

export interface ChecksReviewOptions {
  readonly root: string;
  readonly agent: string;
  readonly scope: CheckScope;
  readonly runChecks: CheckRunner;
  readonly signal?: AbortSignal;
  progress?(message: string): void;
  readonly now?: Date;
  /** False in an untrusted workspace: the checks run, nothing is written. */
  readonly writeCertificate?: boolean;
}

/**
 * Runs the DevOps checks on a scope and, when files were checked, writes the certificate their findings decide,
 * after verifying that every evidence citation quotes the file as it is now. No files checked: no certificate.
 */
export async function reviewWithChecks(options: ChecksReviewOptions): Promise<ChecksReview> {
  const { root, scope } = options;
  options.progress?.(`Running the DevOps checks on ${scope.description}…`);
  const full = await options.runChecks({ root, ...(scope.paths.length > 0 ? { paths: scope.paths } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const report = narrowReportToKinds(full, scope.kinds);
  const lines = await readLinesOfFindings(root, report);
  const lineText = (file: string, line: number): string | undefined => lines.get(file)?.[line - 1];
  if (report.files.length === 0) return { report, lineText };
  options.signal?.throwIfAborted();
  const input = certificateFromChecks(report, { scope: scope.description, component: componentForReport(report), lineText });
  const evidence = await verifyEvidenceCitations(input.evidence, { roots: [root] });
  if (evidence.failures.length > 0) {
    // a file changed while it was checked: say so rather than certify lines that are not there
    return { report, lineText, notWritten: `some evidence no longer matches the files (they changed during the check):\n${describeEvidenceFailures(evidence.failures)}` };
  }
  if (options.writeCertificate === false) return { report, lineText, notWritten: 'this workspace is not trusted, so nothing is written into it (trust the workspace to get the certificate).' };
  options.progress?.('Writing the certificate…');
  const created = await createCertificate(root, options.agent, input, options.now);
  return { report, lineText, certificate: { file: created.file, id: created.id, status: input.status, hash: created.hash } };
}

/** The lines of every file with a finding; unreadable files are left out (their findings are cited without a quote). */
async function readLinesOfFindings(root: string, report: CheckReport): Promise<Map<string, string[]>> {
  const lines = new Map<string, string[]>();
  for (const file of new Set(report.findings.map((f) => f.file))) {
    try {
      lines.set(file, splitLines(await fs.readFile(path.join(root, ...file.split('/')), 'utf8')));
    } catch {
      // a file deleted since the check: its finding is still listed, cited without a quote
    }
  }
  return lines;
}
