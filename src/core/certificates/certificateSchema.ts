/** The certificate statuses of the agent definition, in its order. */
export const CERTIFICATE_STATUSES = [
  'APPROVED',
  'CONDITIONALLY_APPROVED',
  'REJECTED',
  'REQUIRES_REMEDIATION',
  'GO',
  'NO_GO',
  'RECOMMEND',
  'DO_NOT_RECOMMEND',
  'ADVISORY_ONLY',
  'NEEDS_FURTHER_REVIEW',
  'EMERGENCY_STOP',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

/** What each status means, worded as in the agent definition. */
export const CERTIFICATE_STATUS_MEANINGS: Readonly<Record<CertificateStatus, string>> = {
  APPROVED: 'Full approval with no conditions',
  CONDITIONALLY_APPROVED: 'Approved with specific conditions that must be met',
  REJECTED: 'Not approved, significant issues prevent acceptance',
  REQUIRES_REMEDIATION: 'Issues identified that must be fixed before re-evaluation',
  GO: 'Proceed with the proposed action/implementation',
  NO_GO: 'Do not proceed, blocking issues identified',
  RECOMMEND: 'Agent recommends this approach/solution',
  DO_NOT_RECOMMEND: 'Agent advises against this approach/solution',
  ADVISORY_ONLY: 'Information provided for consideration, no formal decision',
  NEEDS_FURTHER_REVIEW: 'Insufficient information to make final determination',
  EMERGENCY_STOP: 'No non-high risk paths to resolve the issue are available',
};

/** The `##` sections every certificate has, in order. */
export const CERTIFICATE_SECTIONS = ['REVIEW SCOPE', 'FINDINGS', 'DECISION/OUTCOME', 'EVIDENCE', 'SIGNATURE'] as const;

/** What certificate_create takes; the renderer turns it into the agent definition's exact Markdown. */
export interface CertificateInput {
  /** Brief description of the work, e.g. `deployment_review`; names the file and the title. */
  readonly descriptor: string;
  /** What was reviewed, e.g. `ci_cd_pipeline`. */
  readonly component: string;
  readonly scope: readonly string[];
  readonly filesExamined: readonly string[];
  readonly testsPerformed: readonly string[];
  readonly findings: readonly string[];
  readonly issues: readonly string[];
  readonly recommendations: readonly string[];
  readonly status: CertificateStatus;
  readonly rationale: string;
  /** Required for CONDITIONALLY_APPROVED. */
  readonly conditions?: string;
  /** File references with line numbers (`path:line`), test results, metrics. */
  readonly evidence: readonly string[];
}

export interface CertificateInputProblem {
  /** The input field, e.g. `status` or `evidence[2]`. */
  readonly field: string;
  readonly message: string;
}

export type CertificateInputValidation =
  | { readonly ok: true; readonly input: CertificateInput }
  | { readonly ok: false; readonly problems: readonly CertificateInputProblem[] };

const LIST_FIELDS = ['scope', 'filesExamined', 'testsPerformed', 'findings', 'issues', 'recommendations', 'evidence'] as const;
const MAX_ITEMS = 500;
const MAX_ITEM_CHARS = 4_000;
const MAX_TEXT_CHARS = 20_000;

export function isCertificateStatus(value: string): value is CertificateStatus {
  return (CERTIFICATE_STATUSES as readonly string[]).includes(value);
}

/** `conditionally approved`, `No-Go` and `[GO]` name statuses too; undefined when the text names none. */
export function normalizeCertificateStatus(text: string): CertificateStatus | undefined {
  const value = text.trim().replace(/^[[`*_\s]+|[\]`*_\s.]+$/g, '').trim().toUpperCase().replace(/[\s-]+/g, '_');
  return isCertificateStatus(value) ? value : undefined;
}

/** `deployment review` → `deployment_review`: lower case, runs of anything but [a-z0-9] become one `_`. */
export function slugForCertificate(text: string, maxLength = 60): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, maxLength).replace(/_+$/, '');
}

/**
 * Checks raw input (from the model or a JSON file) against CertificateInput. Every problem is reported at once,
 * each naming the field and what to write instead.
 */
export function validateCertificateInput(value: unknown): CertificateInputValidation {
  const problems: CertificateInputProblem[] = [];
  const add = (field: string, message: string): void => { problems.push({ field, message }); };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, problems: [{ field: '(input)', message: 'Expected an object with descriptor, component, scope, findings, status, rationale and evidence.' }] };
  }
  const raw = value as Record<string, unknown>;

  const name = (field: 'descriptor' | 'component', example: string, maxLength: number): string => {
    const text = raw[field];
    if (typeof text !== 'string' || text.trim().length === 0) {
      add(field, `Required: a short name such as "${example}".`);
      return '';
    }
    if (/[\r\n]/.test(text)) add(field, 'Must be one line.');
    else if (text.length > maxLength) add(field, `At most ${maxLength} characters (got ${text.length}).`);
    else if (slugForCertificate(text).length === 0) add(field, `Must contain letters or digits (it names the file), e.g. "${example}".`);
    return text.trim();
  };
  const descriptor = name('descriptor', 'deployment_review', 80);
  const component = name('component', 'ci_cd_pipeline', 120);

  const lists: Partial<Record<(typeof LIST_FIELDS)[number], string[]>> = {};
  for (const field of LIST_FIELDS) {
    const list = raw[field];
    if (list === undefined || list === null) {
      lists[field] = [];
      continue;
    }
    if (!Array.isArray(list)) {
      add(field, `Must be an array of strings (got ${typeof list}).`);
      lists[field] = [];
      continue;
    }
    if (list.length > MAX_ITEMS) add(field, `At most ${MAX_ITEMS} entries (got ${list.length}).`);
    const items: string[] = [];
    list.forEach((item: unknown, i: number) => {
      if (typeof item !== 'string') add(`${field}[${i}]`, `Must be a string (got ${item === null ? 'null' : typeof item}).`);
      else if (item.length > MAX_ITEM_CHARS) add(`${field}[${i}]`, `At most ${MAX_ITEM_CHARS} characters (got ${item.length}).`);
      else if (item.trim().length > 0) items.push(item.trim());
    });
    lists[field] = items;
  }
  if ((lists.scope ?? []).length === 0) add('scope', 'Required: at least one entry saying what was reviewed or assessed.');
  if ([...(lists.findings ?? []), ...(lists.issues ?? []), ...(lists.recommendations ?? [])].length === 0) {
    add('findings', 'Required: at least one finding, issue or recommendation.');
  }
  if ((lists.evidence ?? []).length === 0) add('evidence', 'Required: at least one piece of evidence (a `path:line` reference, a test result or a metric).');

  let status: CertificateStatus | undefined;
  if (typeof raw.status !== 'string' || raw.status.trim().length === 0) {
    add('status', `Required: one of ${CERTIFICATE_STATUSES.join(', ')}.`);
  } else {
    status = normalizeCertificateStatus(raw.status);
    if (!status) add('status', `"${raw.status}" is not a certificate status; use one of ${CERTIFICATE_STATUSES.join(', ')}.`);
  }

  const rationale = typeof raw.rationale === 'string' ? raw.rationale.trim() : '';
  if (typeof raw.rationale !== 'string' || rationale.length === 0) add('rationale', 'Required: a clear explanation of the decision.');
  else if (rationale.length > MAX_TEXT_CHARS) add('rationale', `At most ${MAX_TEXT_CHARS} characters (got ${rationale.length}).`);

  let conditions: string | undefined;
  if (raw.conditions !== undefined && raw.conditions !== null) {
    if (typeof raw.conditions !== 'string') add('conditions', 'Must be a string.');
    else if (raw.conditions.length > MAX_TEXT_CHARS) add('conditions', `At most ${MAX_TEXT_CHARS} characters.`);
    else if (raw.conditions.trim().length > 0) conditions = raw.conditions.trim();
  }
  if (status === 'CONDITIONALLY_APPROVED' && conditions === undefined) {
    add('conditions', 'Required for CONDITIONALLY_APPROVED: the specific conditions that must be met.');
  }

  const known = new Set<string>(['descriptor', 'component', 'status', 'rationale', 'conditions', 'folder', ...LIST_FIELDS]);
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) add(key, `Unknown field; the fields are ${[...known].filter((k) => k !== 'folder').join(', ')}.`);
  }

  if (problems.length > 0 || !status) return { ok: false, problems };
  return {
    ok: true,
    input: {
      descriptor,
      component,
      scope: lists.scope ?? [],
      filesExamined: lists.filesExamined ?? [],
      testsPerformed: lists.testsPerformed ?? [],
      findings: lists.findings ?? [],
      issues: lists.issues ?? [],
      recommendations: lists.recommendations ?? [],
      status,
      rationale,
      ...(conditions !== undefined ? { conditions } : {}),
      evidence: lists.evidence ?? [],
    },
  };
}

/** Problems as one message, one line each, for errors shown to the model or the CLI user. */
export function describeCertificateInputProblems(problems: readonly CertificateInputProblem[]): string {
  return problems.map((p) => `- ${p.field}: ${p.message}`).join('\n');
}
