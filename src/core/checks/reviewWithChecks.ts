import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { certificateFromChecks, componentForReport } from '../certificates/certificateFromChecks';
import type { CertificateStatus } from '../certificates/certificateSchema';
import { createCertificate } from '../certificates/certificateStore';
import { describeEvidenceFailures, verifyEvidenceCitations } from '../certificates/evidenceCitations';
import { splitLines } from '../markdown/markdownHeadings';
import type { CheckScope } from './checkScope';
import { narrowReportToKinds } from './checkScope';
import type { CheckFinding, CheckReport } from './checkTypes';

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
  const texts = await readFindingFiles(root, report.findings);
  const lines = new Map([...texts].map(([file, text]) => [file, splitLines(text)]));
  const lineText = (file: string, line: number): string | undefined => lines.get(file)?.[line - 1];
  if (report.files.length === 0) return { report, lineText };
  options.signal?.throwIfAborted();
  const changed = report.files.filter((f) => f.sha256 !== undefined && texts.has(f.path) && sha256(texts.get(f.path) as string) !== f.sha256).map((f) => f.path);
  if (changed.length > 0) {
    return { report, lineText, notWritten: `${changed.join(', ')} changed after ${changed.length === 1 ? 'it was' : 'they were'} checked, so the findings' lines may no longer be there; run the review again.` };
  }
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
/** The lines of each file that has findings, by relative path, for quoting them. */
export async function readLinesOfFindings(root: string, findings: readonly CheckFinding[]): Promise<Map<string, string[]>> {
  const texts = await readFindingFiles(root, findings);
  return new Map([...texts].map(([file, text]) => [file, splitLines(text)]));
}

async function readFindingFiles(root: string, findings: readonly CheckFinding[]): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (const file of new Set(findings.map((f) => f.file))) {
    try {
      texts.set(file, await fs.readFile(path.join(root, ...file.split('/')), 'utf8'));
    } catch {
      // a file deleted since the check: its finding is still listed, cited without a quote
    }
  }
  return texts;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
