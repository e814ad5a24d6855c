import type { CheckFinding, CheckReport, CheckSeverity } from '../checks/checkTypes';
import { redactSecrets } from '../policy/redactSecrets';
import type { CertificateInput, CertificateStatus } from './certificateSchema';

export interface CertificateFromChecksOptions {
  /** What was checked, for people: `Dockerfile`, `the whole workspace`. */
  readonly scope: string;
  /** What was reviewed, e.g. `docker_config`; names the file. */
  readonly component: string;
  /** The text of a line of a checked file (path relative to the check root, 1-based); undefined when unknown. */
  lineText(file: string, line: number): string | undefined;
}

/** The certificate lists stay readable and within the schema's limits; the rest is counted. */
const MAX_LISTED = 100;
const MAX_QUOTE_CHARS = 160;

const SEVERITY_ORDER: readonly CheckSeverity[] = ['error', 'warning', 'note'];
// redactSecrets marks a secret as `[REDACTED:kind]`
const REDACTION_START = '[REDACTED:';

/** error → REQUIRES_REMEDIATION, warning → CONDITIONALLY_APPROVED, notes or nothing → APPROVED. */
export function statusForFindings(findings: readonly Pick<CheckFinding, 'severity'>[]): CertificateStatus {
  if (findings.some((f) => f.severity === 'error')) return 'REQUIRES_REMEDIATION';
  if (findings.some((f) => f.severity === 'warning')) return 'CONDITIONALLY_APPROVED';
  return 'APPROVED';
}

/** `2 errors, 1 warning, 0 notes`. */
export function describeSeverityCounts(findings: readonly Pick<CheckFinding, 'severity'>[]): string {
  return SEVERITY_ORDER.map((s) => plural(findings.filter((f) => f.severity === s).length, s)).join(', ');
}

/**
 * `Dockerfile:1` followed by the line's code in backticks, exactly as the file has it, so the certificate's evidence
 * and the chat's links verify against the file. Lines holding a backtick (or none at all) are cited without a quote.
 */
export function findingCitation(finding: Pick<CheckFinding, 'file' | 'range'>, lineText: CertificateFromChecksOptions['lineText']): string {
  const reference = `${finding.file}:${finding.range.line}`;
  const line = lineText(finding.file, finding.range.line)?.trim() ?? '';
  // a line holding a token is quoted only up to the secret, so neither the chat nor the certificate repeats it
  const redacted = redactSecrets(line);
  const code = redacted.total === 0 ? line : redacted.text.slice(0, redacted.text.indexOf(REDACTION_START)).trim();
  if (code.length < 3 || code.includes('`')) return reference;
  const quote = code.length > MAX_QUOTE_CHARS ? code.slice(0, MAX_QUOTE_CHARS).trimEnd() : code;
  return `${reference} \`${quote}\``;
}

/**
 * The certificate for a run of the DevOps checks: status from the worst finding, every finding with its rule and
 * public ids, evidence that cites the real lines. Pure: the caller writes it (createCertificate) after verifying.
 */
export function certificateFromChecks(report: CheckReport, options: CertificateFromChecksOptions): CertificateInput {
  const findings = [...report.findings].sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.file.localeCompare(b.file) || a.range.line - b.range.line);
  const status = statusForFindings(findings);
  const counts = describeSeverityCounts(findings);
  const files = report.files.map((f) => f.path);
  const rules = report.rules.filter((r) => report.files.some((f) => r.kinds.includes(f.kind)));

  const describe = (f: CheckFinding): string => `${f.file}:${f.range.line} ${f.severity} ${f.ruleId}${f.references.length ? ` (${f.references.join(', ')})` : ''}: ${oneLine(f.message)}`;
  const keyFindings = findings.length === 0
    ? [`No findings: ${plural(files.length, 'file')} ${files.length === 1 ? 'passes' : 'pass'} the ${plural(rules.length, 'rule')} that apply.`]
    : capped(findings.map(describe), 'finding');
  const issues = capped(findings.filter((f) => f.severity !== 'note').map(describe), 'issue');
  const recommendations = capped(distinct(findings.filter((f) => f.severity !== 'note').map((f) => {
    const rule = report.rules.find((r) => r.id === f.ruleId);
    return `${f.ruleId}: ${oneLine(f.fix?.title ?? firstSentence(rule?.help) ?? rule?.title ?? f.message)}`;
  })), 'recommendation');
  const summary = `DevOps checks over ${plural(files.length, 'file')} with ${plural(rules.length, 'rule')}: ${counts}.`;
  const evidence = findings.length === 0 ? [summary] : capped(findings.map((f) => `${findingCitation(f, options.lineText)} — ${f.ruleId}`), 'citation');

  const worst = findings[0];
  const rationale = status === 'APPROVED'
    ? `The deterministic DevOps checks found no errors or warnings in ${options.scope}${findings.length ? ` (${plural(findings.length, 'note')} for information)` : ''}. This certificate covers what the rules check; judgement beyond them needs a language model or a person.`
    : `The deterministic DevOps checks found ${counts} in ${options.scope}. The worst: ${worst ? `${worst.file}:${worst.range.line} ${worst.ruleId}: ${oneLine(worst.message)}` : ''}. ` +
      (status === 'REQUIRES_REMEDIATION' ? 'Errors must be fixed before this is approved; re-run the review afterwards.' : 'No errors; the warnings are conditions of approval.');
  const conditions = status === 'CONDITIONALLY_APPROVED'
    ? `Fix or consciously accept (with a suppression comment that says why) each warning: ${distinct(findings.filter((f) => f.severity === 'warning').map((f) => f.ruleId)).join(', ')}.`
    : undefined;

  return {
    descriptor: 'devops_checks_review',
    component: options.component,
    scope: [`DevOps checks of ${options.scope}`],
    filesExamined: capped(files, 'file'),
    testsPerformed: [summary],
    findings: keyFindings,
    issues,
    recommendations,
    status,
    rationale,
    ...(conditions ? { conditions } : {}),
    evidence,
  };
}

/** A component name from what was checked: one kind gives its name, several give `devops_config`. */
export function componentForReport(report: Pick<CheckReport, 'files'>): string {
  const kinds = distinct(report.files.map((f) => f.kind));
  if (kinds.length !== 1) return 'devops_config';
  const kind = kinds[0];
  return kind === 'dockerfile' || kind === 'compose' ? 'docker_config' : kind === 'kubernetes' ? 'kubernetes_manifests' : kind === 'secrets-file' ? 'committed_secrets' : 'ci_cd_pipeline';
}

function capped(items: readonly string[], noun: string): string[] {
  if (items.length <= MAX_LISTED) return [...items];
  return [...items.slice(0, MAX_LISTED), `… and ${plural(items.length - MAX_LISTED, `more ${noun}`)} (see the check report)`];
}

function distinct(items: readonly string[]): string[] {
  return [...new Set(items)];
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

function firstSentence(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  if (!trimmed) return undefined;
  const end = /[.!?](\s|$)/.exec(trimmed);
  return end ? trimmed.slice(0, end.index + 1) : trimmed;
}

function plural(count: number, noun: string): string {
  if (count === 1) return `1 ${noun}`;
  const last = noun.split(' ').pop() ?? noun;
  const pluralLast = /(s|sh|ch|x)$/.test(last) ? `${last}es` : /[^aeiou]y$/.test(last) ? `${last.slice(0, -1)}ies` : `${last}s`;
  return `${count} ${noun.slice(0, noun.length - last.length)}${pluralLast}`;
}
