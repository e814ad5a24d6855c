import type { CheckFinding, CheckReport, CheckRule, CheckSeverity } from './checkTypes';

export const SEVERITY_WEIGHT: Readonly<Record<CheckSeverity, number>> = { note: 1, warning: 2, error: 3 };

/** Where rule help lives; `#` + the rule id with `/` turned into `-` jumps to the rule. */
export const RULE_HELP_BASE = 'https://github.com/devops-agent/devops-agent/blob/main/docs/checks.md';

export function ruleHelpUri(ruleId: string): string {
  return `${RULE_HELP_BASE}#${ruleId.replace(/[^A-Za-z0-9-]/g, '-').toLowerCase()}`;
}

export interface CheckSummary {
  readonly files: number;
  readonly findings: number;
  readonly error: number;
  readonly warning: number;
  readonly note: number;
}

export function summarize(report: CheckReport): CheckSummary {
  const count = (severity: CheckSeverity): number => report.findings.filter((f) => f.severity === severity).length;
  return { files: report.files.length, findings: report.findings.length, error: count('error'), warning: count('warning'), note: count('note') };
}

/** True when some finding is at or above the threshold (`none` never fails). */
export function failsAt(report: CheckReport, threshold: CheckSeverity | 'none'): boolean {
  if (threshold === 'none') return false;
  return report.findings.some((f) => SEVERITY_WEIGHT[f.severity] >= SEVERITY_WEIGHT[threshold]);
}

/** One finding per line, compiler style, then a summary: `Dockerfile:1:6: warning: … [dockerfile/latest-tag DL3007]`. */
export function formatCheckText(report: CheckReport): string {
  const lines = report.findings.map((f) => `${f.file}:${f.range.line}:${f.range.column}: ${f.severity}: ${f.message} [${[f.ruleId, ...f.references].join(' ')}]`);
  const s = summarize(report);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  lines.push(`${plural(s.findings, 'finding')} (${plural(s.error, 'error')}, ${plural(s.warning, 'warning')}, ${plural(s.note, 'note')}) in ${plural(s.files, 'file')} checked`);
  for (const skipped of report.skipped ?? []) lines.push(`skipped ${skipped.path}: ${skipped.reason}`);
  return lines.join('\n');
}

export interface JsonFinding {
  readonly file: string;
  readonly line: number;
  readonly endLine: number;
  readonly column: number;
  readonly endColumn: number;
  readonly ruleId: string;
  readonly severity: CheckSeverity;
  readonly message: string;
  readonly references: readonly string[];
}

export function jsonFinding(f: CheckFinding): JsonFinding {
  return { file: f.file, line: f.range.line, endLine: f.range.endLine, column: f.range.column, endColumn: f.range.endColumn, ruleId: f.ruleId, severity: f.severity, message: f.message, references: f.references };
}

/** `{"findings":[…],"summary":{…}}` as the CLI prints it. */
export function formatCheckJson(report: CheckReport): string {
  return JSON.stringify({
    findings: report.findings.map(jsonFinding),
    summary: summarize(report),
    files: report.files,
    ...(report.skipped ? { skipped: report.skipped } : {}),
  });
}

/** The rule list for `--list-rules`: id, severity, references and title, one per line. */
export function formatRuleList(rules: readonly CheckRule[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  return rules.map((r) => `${r.id.padEnd(width)}  ${r.severity.padEnd(7)}  ${r.title}${r.references.length > 0 ? ` (${r.references.join(', ')})` : ''}`).join('\n');
}

/** docs/checks.md: every rule with its anchor (the help link of diagnostics and SARIF), severity, references and help. */
export function formatRulesMarkdown(rules: readonly CheckRule[]): string {
  const out = [
    '# DevOps checks',
    '',
    'Generated from the rule definitions by `npm run docs:checks`; do not edit by hand.',
    'Configure in `.devops-agent.yaml` (`checks: { ignore, ignorePaths, severity, trustedRegistries, allowedActionOwners }`),',
    'silence one line with `# devops-agent ignore=RULE` (or the suppressions of hadolint, zizmor and kube-linter).',
    '',
  ];
  for (const rule of rules) {
    const anchor = ruleHelpUri(rule.id).split('#')[1] as string;
    out.push(`<a id="${anchor}"></a>`, '', `## \`${rule.id}\` — ${rule.title}`, '');
    out.push(`Severity: **${rule.severity}**${rule.kinds.length > 0 ? ` · Files: ${rule.kinds.join(', ')}` : ''}${rule.references.length > 0 ? ` · Also known as: ${rule.references.map((r) => `\`${r}\``).join(', ')}` : ''}`, '');
    out.push(rule.help, '');
  }
  return out.join('\n');
}
