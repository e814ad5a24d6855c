import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runChecks } from '../../../../src/core/checks/runChecks';
import { toSarif } from '../../../../src/core/checks/sarifReport';
import { REPO_ROOT } from './checkFixtures';
import { githubCodeScanningProblems, sarifSchemaErrors } from './sarifSchema';

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

  describe('against the official SARIF 2.1.0 schema and what GitHub code scanning requires', () => {
    /** The SARIF the CLI writes for a root: repository-relative URIs and fingerprints from the real lines. */
    async function sarifOf(root: string, rootInRepository: string): Promise<{ log: unknown; severities: Set<string>; findings: number; fixes: number }> {
      const report = await runChecks({ root });
      const lineText = (file: string, line: number): string | undefined => fs.readFileSync(path.join(root, file), 'utf8').split(/\r\n|\n|\r/)[line - 1];
      // through JSON text, as a consumer reads it (undefined fields vanish)
      const log: unknown = JSON.parse(JSON.stringify(toSarif(report, { version: '0.1.0', rootInRepository, lineText })));
      return { log, severities: new Set(report.findings.map((f) => f.severity)), findings: report.findings.length, fixes: report.findings.filter((f) => f.fix).length };
    }

    it('is valid for every kind of file we check: findings of all three severities, with fixes', async function () {
      this.timeout(60_000);
      const { log, severities, findings, fixes } = await sarifOf(path.join(REPO_ROOT, 'test', 'fixtures', 'checks'), 'test/fixtures/checks');
      assert.deepEqual([...severities].sort(), ['error', 'note', 'warning']);
      assert.ok(findings > 100 && fixes > 0, `${findings} findings, ${fixes} with fixes`);
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.deepEqual(githubCodeScanningProblems(log), []);
    });

    it('is valid for the demo workspace, its root a subfolder of the repository', async () => {
      const { log, severities } = await sarifOf(demo, 'services/api');
      assert.ok(severities.has('error') && severities.has('warning'));
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.deepEqual(githubCodeScanningProblems(log), []);
    });

    it('is valid for a run with no findings: every rule listed, results empty', async () => {
      const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
      fs.writeFileSync(path.join(empty, 'README.md'), 'nothing to check\n');
      const { log, findings } = await sarifOf(empty, '');
      assert.equal(findings, 0);
      assert.deepEqual((log as SarifLog).runs[0]?.results, []);
      assert.ok(((log as SarifLog).runs[0]?.tool.driver.rules.length ?? 0) > 50);
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.deepEqual(githubCodeScanningProblems(log), []);
    });

    it('percent-encodes each path segment, so # ? : and spaces in names cannot turn into a fragment, query or scheme', async () => {
      const odd = fs.mkdtempSync(path.join(tmp, 'odd-'));
      const names = ['svc #1', 'a:b?c', 'x%20y'];
      for (const name of names) {
        fs.mkdirSync(path.join(odd, name));
        fs.writeFileSync(path.join(odd, name, 'Dockerfile'), 'FROM node:latest\n');
      }
      const { log } = await sarifOf(odd, '');
      const uris = [...new Set((log as SarifLog).runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))].sort();
      assert.deepEqual(uris, ['a%3Ab%3Fc/Dockerfile', 'svc%20%231/Dockerfile', 'x%2520y/Dockerfile']);
      assert.deepEqual(uris.map((uri) => new URL(uri ?? '', 'file:///repo/').pathname).map(decodeURIComponent).sort(), names.map((name) => `/repo/${name}/Dockerfile`).sort());
      assert.deepEqual(sarifSchemaErrors(log), []);
      assert.deepEqual(githubCodeScanningProblems(log), []);
    });

    it('the validators reject what GitHub would: a wrong level, line 0, an absolute or backslashed URI, a rule without help', async () => {
      const { log } = await sarifOf(demo, '');
      const broken = JSON.parse(JSON.stringify(log)) as SarifLog;
      const run = broken.runs[0] as SarifLog['runs'][number];
      const [first, second] = run.results as [SarifResult, SarifResult];
      first.level = 'fatal';
      (first.locations[0] as SarifResult['locations'][number]).physicalLocation.region.startLine = 0;
      (second.locations[0] as SarifResult['locations'][number]).physicalLocation.artifactLocation.uri = '/home/me/demo/Dockerfile';
      (run.results[2] as SarifResult).locations[0]!.physicalLocation.artifactLocation.uri = 'k8s\\deployment.yaml';
      delete (run.tool.driver.rules[0] as Partial<SarifRule>).help;
      const schemaErrors = sarifSchemaErrors(broken).join('\n');
      assert.match(schemaErrors, /\/runs\/0\/results\/0\/level must be equal to one of the allowed values/);
      assert.match(schemaErrors, /\/runs\/0\/results\/0\/locations\/0\/physicalLocation\/region\/startLine must be >= 1/);
      const problems = githubCodeScanningProblems(broken).join('\n');
      assert.match(problems, /startLine 0 is not ≥ 1/);
      assert.match(problems, /uri \/home\/me\/demo\/Dockerfile is not repository-relative/);
      assert.match(problems, /uri k8s\\deployment\.yaml is not repository-relative/);
      assert.match(problems, /no help\.text/);
    });
  });
});
