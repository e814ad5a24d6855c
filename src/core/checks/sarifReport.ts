import { createHash } from 'node:crypto';
import type { CheckReport, CheckSeverity } from './checkTypes';
import { ruleHelpUri } from './checkReportFormat';

export interface SarifOptions {
  /** The tool version (the extension's). */
  readonly version: string;
  /**
   * Path of the check root inside the repository (`services/api`), so result URIs are repository-relative as GitHub
   * code scanning wants them; '' when the root is the repository's top.
   */
  readonly rootInRepository?: string;
  /** Lines of each checked file, to fingerprint results so they survive code moving up or down. */
  readonly lineText?: (file: string, line: number) => string | undefined;
}

// GitHub sorts alerts by security-severity: errors high, warnings medium, notes low.
const SECURITY_SEVERITY: Readonly<Record<CheckSeverity, string>> = { error: '7.5', warning: '5.0', note: '2.0' };

/** SARIF 2.1.0 that GitHub code scanning accepts: one run, every rule in driver.rules, one result per finding. */
export function toSarif(report: CheckReport, options: SarifOptions): Record<string, unknown> {
  const prefix = (options.rootInRepository ?? '').replace(/^\/+|\/+$/g, '');
  const ruleIndex = new Map(report.rules.map((rule, index) => [rule.id, index]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'DevOps Agent',
          fullName: 'DevOps Engineer Agent checks',
          version: options.version,
          semanticVersion: options.version,
          informationUri: 'https://github.com/devops-agent/devops-agent',
          rules: report.rules.map((rule) => ({
            id: rule.id,
            name: rule.id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()),
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.help },
            help: { text: `${rule.help}${rule.references.length > 0 ? `\n\nAlso known as: ${rule.references.join(', ')}.` : ''}`, markdown: `**${rule.title}**\n\n${rule.help}${rule.references.length > 0 ? `\n\nAlso known as: ${rule.references.map((r) => `\`${r}\``).join(', ')}.` : ''}` },
            helpUri: ruleHelpUri(rule.id),
            defaultConfiguration: { level: rule.severity },
            properties: { tags: ['devops', ...rule.kinds, ...rule.references], 'security-severity': SECURITY_SEVERITY[rule.severity], precision: 'high' },
          })),
        },
      },
      columnKind: 'utf16CodeUnits',
      results: report.findings.map((finding) => {
        const uri = prefix === '' ? finding.file : `${prefix}/${finding.file}`;
        const index = ruleIndex.get(finding.ruleId);
        const text = options.lineText?.(finding.file, finding.range.line);
        return {
          ruleId: finding.ruleId,
          ...(index === undefined ? {} : { ruleIndex: index }),
          level: finding.severity,
          message: { text: finding.message },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: uriReference(uri), uriBaseId: '%SRCROOT%' },
              region: { startLine: finding.range.line, startColumn: finding.range.column, endLine: finding.range.endLine, endColumn: Math.max(finding.range.endColumn, finding.range.line === finding.range.endLine ? finding.range.column + 1 : 1) },
            },
          }],
          partialFingerprints: {
            primaryLocationLineHash: createHash('sha256').update(`${finding.ruleId}\0${uri}\0${(text ?? String(finding.range.line)).trim()}`).digest('hex').slice(0, 32),
          },
          ...(finding.fix === undefined ? {} : {
            fixes: [{
              description: { text: finding.fix.title },
              artifactChanges: [{
                artifactLocation: { uri: uriReference(uri), uriBaseId: '%SRCROOT%' },
                replacements: finding.fix.edits.map((edit) => ({
                  deletedRegion: { startLine: edit.range.line, startColumn: edit.range.column, endLine: edit.range.endLine, endColumn: edit.range.endColumn },
                  insertedContent: { text: edit.newText },
                })),
              }],
            }],
          }),
        };
      }),
    }],
  };
}

/**
 * A relative path as a URI reference: each segment percent-encoded, so `#`, `?` and `:` in a file or folder name stay
 * part of the path instead of starting a fragment, a query or (in the first segment) a scheme.
 */
function uriReference(relativePath: string): string {
  return relativePath.split('/').map(encodeURIComponent).join('/');
}
