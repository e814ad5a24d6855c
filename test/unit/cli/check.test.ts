import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { githubCodeScanningProblems, sarifSchemaErrors } from '../core/checks/sarifSchema';
import { bufferIo } from './bufferIo';

const REPO_ROOT = path.resolve(__dirname, '../../../..');

interface JsonOutput {
  findings: { file: string; line: number; endLine: number; column: number; ruleId: string; severity: string; message: string; references: string[] }[];
  summary: { files: number; findings: number; error: number; warning: number; note: number };
}

describe('cli/check', () => {
  let tmp: string;
  let demo: string;
  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'check-cli-')));
    demo = path.join(tmp, 'demo');
    execFileSync('bash', [path.join(REPO_ROOT, 'demo', 'make-demo-workspace.sh'), demo], { stdio: 'ignore' });
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('prints findings compiler-style with a summary and exits 1 on errors (the default threshold)', async () => {
    const io = bufferIo(demo);
    assert.equal(await runCli(['check'], io), 1);
    assert.match(io.stdout, /^Dockerfile:1:11: warning: node:latest uses the :latest tag.* \[dockerfile\/latest-tag DL3007\]$/m);
    assert.match(io.stdout, /^\.env:3:20: error: PAYMENTS_API_TOKEN holds a token value/m);
    assert.match(io.stdout, /^\d+ findings \(\d+ errors, \d+ warnings, \d+ notes?\) in 4 files checked$/m);
  });

  it('--fail-on decides the exit code', async () => {
    assert.equal(await runCli(['check', 'Dockerfile', '--fail-on', 'error'], bufferIo(demo)), 0);
    assert.equal(await runCli(['check', 'Dockerfile', '--fail-on', 'warning'], bufferIo(demo)), 1);
    assert.equal(await runCli(['check', '--fail-on', 'none'], bufferIo(demo)), 0);
  });

  it('--format json: files relative to --root with /, the fields the issue lists', async () => {
    const io = bufferIo(tmp);
    assert.equal(await runCli(['check', '--root', 'demo', '--format', 'json', '--fail-on', 'none'], io), 0);
    const output = JSON.parse(io.stdout) as JsonOutput;
    const latest = output.findings.find((f) => f.ruleId === 'dockerfile/latest-tag');
    assert.deepEqual(latest && { ...latest, message: '' }, { file: 'Dockerfile', line: 1, endLine: 1, column: 11, endColumn: 17, ruleId: 'dockerfile/latest-tag', severity: 'warning', message: '', references: ['DL3007'] });
    assert.equal(output.summary.findings, output.findings.length);
    assert.equal(output.summary.files, 4);
  });

  it('--format sarif prints SARIF 2.1.0 with repository-relative URIs', async () => {
    const io = bufferIo(demo);
    await runCli(['check', '--format', 'sarif', 'k8s', '.env'], io);
    const log = JSON.parse(io.stdout) as { version: string; runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.equal(log.version, '2.1.0');
    assert.deepEqual([...new Set(log.runs[0]?.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation.uri))].sort(), ['.env', 'k8s/deployment.yaml']);
    assert.deepEqual(sarifSchemaErrors(log), []);
    assert.deepEqual(githubCodeScanningProblems(log), []);
  });

  it('--list-rules [--json]', async () => {
    const text = bufferIo(demo);
    assert.equal(await runCli(['check', '--list-rules'], text), 0);
    assert.match(text.stdout, /^dockerfile\/latest-tag\s+warning\s+Base image uses :latest \(DL3007\)$/m);
    const json = bufferIo(demo);
    assert.equal(await runCli(['check', '--list-rules', '--json'], json), 0);
    const rules = (JSON.parse(json.stdout) as { rules: { id: string; help: string }[] }).rules;
    assert.ok(rules.some((r) => r.id === 'secrets/committed-secret' && r.help.length > 40));
  });

  it('exits 2 with a clear message on usage errors', async () => {
    for (const [args, message] of [
      [['check', '--format', 'xml'], /--format must be text, json or sarif/],
      [['check', '--fail-on', 'fatal'], /--fail-on must be error, warning, note or none/],
      [['check', 'missing.yml'], /missing.yml does not exist/],
      [['check', '--root', 'nowhere'], /--root .*nowhere does not exist/],
      [['check', '/'], /is outside the root/],
      [['check', '--bogus'], /Unknown option/],
      [['check', '--json'], /--json goes with --list-rules/],
    ] as const) {
      const io = bufferIo(demo);
      assert.equal(await runCli([...args], io), 2, args.join(' '));
      assert.match(io.stderr, message);
    }
  });
});
