import type { CertificateStatus, CertificateInputValidation } from './certificateSchema';
import { validateCertificateInput } from './certificateSchema';

/** What the New Certificate form collects, each answer as typed. */
export interface CertificateFormAnswers {
  readonly descriptor: string;
  readonly component: string;
  /** Items separated by semicolons. */
  readonly scope: string;
  readonly status: CertificateStatus;
  readonly rationale: string;
  /** Empty when there are none. */
  readonly conditions: string;
  /** Findings, issues and recommendations separated by semicolons. */
  readonly findings: string;
  /** Citations separated by commas or semicolons. */
  readonly evidence: string;
}

/** `a; b; c` → items: findings and scope split on semicolons only, since commas are common inside a sentence. */
export function splitOnSemicolons(text: string): string[] {
  return text.split(';').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Evidence citations split on commas or semicolons: `src/a.ts:12, Dockerfile:3`. */
export function splitCitations(text: string): string[] {
  return text.split(/[;,]/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Turns the form's answers into a CertificateInput and validates it exactly as certificate_create does. */
export function certificateInputFromForm(answers: CertificateFormAnswers): CertificateInputValidation {
  return validateCertificateInput({
    descriptor: answers.descriptor,
    component: answers.component,
    scope: splitOnSemicolons(answers.scope),
    findings: splitOnSemicolons(answers.findings),
    status: answers.status,
    rationale: answers.rationale,
    ...(answers.conditions.trim().length > 0 ? { conditions: answers.conditions } : {}),
    evidence: splitCitations(answers.evidence),
  });
}
