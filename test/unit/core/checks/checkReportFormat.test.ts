import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { failsAt, formatCheckJson, formatCheckText, formatRulesMarkdown, ruleHelpUri, summarize } from '../../../../src/core/checks/checkReportFormat';
import type { CheckReport } from '../../../../src/core/checks/checkTypes';
import { allRules } from '../../../../src/core/checks/runChecks';
import { REPO_ROOT } from './checkFixtures';

const report: CheckReport = {
  findings: [
    { file: 'Dockerfile', ruleId: 'dockerfile/latest-tag', severity: 'warning', references: ['DL3007'], message: 'm1', range: { line: 1, column: 11, endLine: 1, endColumn: 17 } },
    { file: '.env', ruleId: 'secrets/committed-secret', severity: 'error', references: [], message: 'm2', range: { line: 3, column: 20, endLine: 3, endColumn: 54 } },
  ],
  files: [{ path: 'Dockerfile', kind: 'dockerfile' }, { path: '.env', kind: 'secrets-file' }],
  rules: [],
};

describe('core/checks/checkReportFormat', () => {
  it('text: one compiler-style line per finding and a summary', () => {
    assert.equal(formatCheckText(report), [
      'Dockerfile:1:11: warning: m1 [dockerfile/latest-tag DL3007]',
      '.env:3:20: error: m2 [secrets/committed-secret]',
      '2 findings (1 error, 1 warning, 0 notes) in 2 files checked',
    ].join('\n'));
  });

  it('json and summary', () => {
    const json = JSON.parse(formatCheckJson(report)) as { findings: unknown[]; summary: unknown };
    assert.deepEqual(json.findings[0], { file: 'Dockerfile', line: 1, endLine: 1, column: 11, endColumn: 17, ruleId: 'dockerfile/latest-tag', severity: 'warning', message: 'm1', references: ['DL3007'] });
    assert.deepEqual(summarize(report), { files: 2, findings: 2, error: 1, warning: 1, note: 0 });
  });

  it('fail thresholds', () => {
    assert.equal(failsAt(report, 'error'), true);
    assert.equal(failsAt({ ...report, findings: report.findings.slice(0, 1) }, 'error'), false);
    assert.equal(failsAt({ ...report, findings: report.findings.slice(0, 1) }, 'warning'), true);
    assert.equal(failsAt(report, 'none'), false);
  });

  it('docs/checks.md is generated from the rules and has an anchor for every help link (npm run docs:checks)', () => {
    const rules = allRules();
    const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'checks.md'), 'utf8');
    assert.equal(doc, formatRulesMarkdown(rules), 'docs/checks.md is stale: run npm run docs:checks');
    for (const rule of rules) assert.ok(doc.includes(`<a id="${ruleHelpUri(rule.id).split('#')[1]}"></a>`), rule.id);
  });
});
