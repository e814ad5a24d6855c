import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runChecks } from '../../../../src/core/checks/runChecks';
import { toSarif } from '../../../../src/core/checks/sarifReport';
import { REPO_ROOT } from './checkFixtures';

interface SarifRule { id: string; shortDescription: { text: string }; fullDescription: { text: string }; help: { text: string }; helpUri: string; defaultConfiguration: { level: string } }
interface SarifResult {
  ruleId: string; ruleIndex: number; level: string; message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number; endLine: number; endColumn: number } } }[];
  partialFingerprints: Record<string, string>;
  fixes?: unknown[];
}
interface SarifLog { version: string; runs: { tool: { driver: { name: string; rules: SarifRule[] } }; results: SarifResult[] }[] }

describe('core/checks/sarifReport', () => {
  let tmp: string;
  let demo: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sarif-')));
    demo = path.join(tmp, 'demo');
    execFileSync('bash', [path.join(REPO_ROOT, 'demo', 'make-demo-workspace.sh'), demo], { stdio: 'ignore' });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('has what GitHub code scanning requires: version, driver name, rules with descriptions and help, results with level and region', async () => {
    const report = await runChecks({ root: demo });
    const log = JSON.parse(JSON.stringify(toSarif(report, { version: '1.2.3' }))) as SarifLog;
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.ok(run);
    assert.equal(run.tool.driver.name, 'DevOps Agent');
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), report.rules.map((r) => r.id));
    for (const rule of run.tool.driver.rules) {
      assert.ok(rule.shortDescription.text && rule.fullDescription.text && rule.help.text, rule.id);
      assert.ok(['error', 'warning', 'note'].includes(rule.defaultConfiguration.level));
      assert.match(rule.helpUri, /^https:\/\/.*#[a-z0-9-]+$/);
    }
    assert.equal(run.results.length, report.findings.length);
    for (const [i, result] of run.results.entries()) {
      const finding = report.findings[i];
      assert.ok(finding);
      assert.equal(result.ruleId, finding.ruleId);
      assert.equal(run.tool.driver.rules[result.ruleIndex]?.id, result.ruleId);
      assert.equal(result.level, finding.severity);
      const location = result.locations[0]?.physicalLocation;
      assert.equal(location?.artifactLocation.uri, finding.file);
      assert.equal(location?.region.startLine, finding.range.line);
      assert.ok((location?.region.endColumn ?? 0) > (location?.region.startColumn ?? 0) || (location?.region.endLine ?? 0) > finding.range.line);
      assert.match(result.partialFingerprints.primaryLocationLineHash ?? '', /^[0-9a-f]{32}$/);
    }
  });

  it('makes URIs repository-relative when the root is a subfolder, and carries fixes', async () => {
    const report = await runChecks({ root: demo });
    const log = toSarif(report, { version: '1.2.3', rootInRepository: 'services/api/' }) as unknown as SarifLog;
    const uris = new Set(log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri));
    assert.ok(uris.has('services/api/Dockerfile'));
    assert.ok(uris.has('services/api/.env'));
    const withFix = toSarif({
      ...report,
      findings: [{ ...(report.findings[0] as (typeof report.findings)[number]), fix: { title: 'Add -y', edits: [{ range: { line: 1, column: 5, endLine: 1, endColumn: 5 }, newText: ' -y' }] } }],
    }, { version: '1' }) as unknown as SarifLog;
    assert.equal(withFix.runs[0]?.results[0]?.fixes?.length, 1);
  });
});
