import { createHash } from 'node:crypto';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckFinding, CheckReport } from '../../../../src/core/checks/checkTypes';
import { CheckRequestError, checkText, isTrackedByGit, runChecks } from '../../../../src/core/checks/runChecks';
import { REPO_ROOT } from './checkFixtures';

const summary = (report: CheckReport): string[] => report.findings.map((f) => `${f.file}:${f.range.line} ${f.ruleId}`);
const git = (cwd: string, ...args: string[]): void => {
  execFileSync('git', args, { cwd, stdio: 'ignore', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.invalid', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.invalid' } });
};

describe('core/checks/runChecks', () => {
  let tmp: string;
  let demo: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'run-checks-')));
    demo = path.join(tmp, 'demo');
    execFileSync('bash', [path.join(REPO_ROOT, 'demo', 'make-demo-workspace.sh'), demo], { stdio: 'ignore' });
  });

  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('finds the planted problems of the demo workspace (a real git repository) on their lines', async () => {
    const report = await runChecks({ root: demo });
    const found = summary(report);
    for (const expected of ['.env:3 secrets/committed-secret', 'Dockerfile:1 dockerfile/latest-tag', 'Dockerfile:1 dockerfile/no-user']) {
      assert.ok(found.includes(expected), `${expected} in\n${found.join('\n')}`);
    }
    assert.deepEqual(report.files.map((f) => ({ path: f.path, kind: f.kind })), [
      { path: '.env', kind: 'secrets-file' },
      { path: '.github/workflows/ci.yml', kind: 'github-workflow' },
      { path: 'Dockerfile', kind: 'dockerfile' },
      { path: 'k8s/deployment.yaml', kind: 'kubernetes' },
    ]);
    for (const file of report.files) {
      const text = fs.readFileSync(path.join(demo, file.path), 'utf8');
      assert.equal(file.sha256, createHash('sha256').update(text).digest('hex'), `${file.path}: the hash of the text checked`);
    }
    const token = fs.readFileSync(path.join(demo, '.env'), 'utf8').split('\n')[2]?.split('=')[1] as string;
    for (const f of report.findings) assert.ok(!f.message.includes(token), 'messages never repeat the secret');
    const latest = report.findings.find((f) => f.ruleId === 'dockerfile/latest-tag') as CheckFinding;
    assert.deepEqual([latest.severity, latest.references, latest.range.column], ['warning', ['DL3007'], 11]);
    assert.ok(report.rules.some((r) => r.id === 'dockerfile/latest-tag'));
  });

  it('checks only what git tracks or would track: an ignored Dockerfile is skipped unless named, an untracked .env is not a committed secret', async () => {
    const repo = path.join(tmp, 'ignored');
    fs.mkdirSync(path.join(repo, 'build'), { recursive: true });
    git(repo, 'init', '-q');
    fs.writeFileSync(path.join(repo, '.gitignore'), 'build/\n.env.local\n');
    fs.writeFileSync(path.join(repo, 'build', 'Dockerfile'), 'FROM alpine:latest\n');
    fs.writeFileSync(path.join(repo, '.env.local'), `API_TOKEN=Zq8xW2vN7mK4pR9tY3uE6iO1\n`);
    fs.writeFileSync(path.join(repo, '.env'), `API_TOKEN=Zq8xW2vN7mK4pR9tY3uE6iO1\n`);
    assert.deepEqual(summary(await runChecks({ root: repo })), []);
    git(repo, 'add', '.env');
    assert.deepEqual(summary(await runChecks({ root: repo })), ['.env:1 secrets/committed-secret']);
    assert.deepEqual(summary(await runChecks({ root: repo, paths: ['build/Dockerfile'] })), ['build/Dockerfile:1 dockerfile/no-user', 'build/Dockerfile:1 dockerfile/latest-tag']);
    assert.equal(await isTrackedByGit(repo, '.env'), true);
    assert.equal(await isTrackedByGit(repo, path.join(repo, '.env.local')), false);
  });

  it('without git (an untrusted workspace): walks the folder with its .gitignore, and leaves secrets files alone', async () => {
    const report = await runChecks({ root: demo, git: false });
    assert.deepEqual(report.files.map((f) => f.path), ['.github/workflows/ci.yml', 'Dockerfile', 'k8s/deployment.yaml']);
    assert.ok(!report.findings.some((f) => f.file === '.env'));
  });

  it('checks the requested folders only, and refuses paths outside the root or missing', async () => {
    const report = await runChecks({ root: demo, paths: ['k8s'] });
    assert.deepEqual(report.files.map((f) => f.path), ['k8s/deployment.yaml']);
    await assert.rejects(runChecks({ root: demo, paths: ['../elsewhere'] }), CheckRequestError);
    await assert.rejects(runChecks({ root: demo, paths: ['nope'] }), /nope does not exist/);
    await assert.rejects(runChecks({ root: path.join(demo, 'missing') }), /does not exist/);
  });

  it('applies .devops-agent.yaml: ignored rules and paths, severity overrides; a malformed entry is a finding on its line', async () => {
    const repo = path.join(tmp, 'configured');
    fs.mkdirSync(path.join(repo, 'vendor'), { recursive: true });
    fs.writeFileSync(path.join(repo, 'Dockerfile'), 'FROM node:latest\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n');
    fs.writeFileSync(path.join(repo, 'vendor', 'Dockerfile'), 'FROM alpine:latest\n');
    fs.writeFileSync(path.join(repo, '.devops-agent.yaml'), 'checks:\n  ignore: [DL3015]\n  ignorePaths: [vendor]\n  severity: { DL3007: error, dockerfile/no-user: off }\n  severty: x\n');
    const report = await runChecks({ root: repo });
    assert.deepEqual(report.findings.map((f) => `${f.file}:${f.range.line} ${f.ruleId} ${f.severity}`), [
      '.devops-agent.yaml:5 config/invalid error',
      'Dockerfile:1 dockerfile/latest-tag error',
      'Dockerfile:2 dockerfile/apt-unpinned warning',
    ]);
  });

  it('honours # devops-agent ignore= on the next line (by id or reference) and ignore-file=', async () => {
    const root = path.join(tmp, 'inline');
    fs.mkdirSync(root);
    const text = '# devops-agent ignore=DL3007\nFROM node:latest\nRUN apt-get install -y \\\n  curl && rm -rf /var/lib/apt/lists/*\nUSER node\n';
    assert.deepEqual(checkText('Dockerfile', text, root).map((f) => f.ruleId).sort(), ['dockerfile/apt-no-install-recommends', 'dockerfile/apt-unpinned']);
    const ignored = text.replace('USER node\n', 'USER node\n').replace('RUN apt-get', '# devops-agent ignore=dockerfile/apt-unpinned\nRUN apt-get');
    assert.deepEqual(checkText('Dockerfile', ignored, root).map((f) => f.ruleId), ['dockerfile/apt-no-install-recommends']);
    assert.deepEqual(checkText('Dockerfile', `# devops-agent ignore-file=DL3015\n${ignored}`, root), []);
  });

  it('checkText: secrets files only when tracked; the config file reports its own problems', () => {
    const root = path.join(tmp, 'text');
    fs.mkdirSync(root);
    const env = 'API_TOKEN=Zq8xW2vN7mK4pR9tY3uE6iO1\n';
    assert.deepEqual(checkText('.env', env, root), []);
    assert.deepEqual(checkText(path.join(root, '.env'), env, root, { trackedByGit: true }).map((f) => `${f.file}:${f.range.line}`), ['.env:1']);
    fs.writeFileSync(path.join(root, '.devops-agent.yaml'), 'checks: [1]\n');
    assert.deepEqual(checkText('.devops-agent.yaml', 'checks: [1]\n', root).map((f) => f.ruleId), ['config/invalid']);
    assert.deepEqual(checkText('README.md', '# hi\n', root), []);
  });

  it('works in a folder that is not a git repository, skips binary and huge files with a reason', async () => {
    const root = path.join(tmp, 'plain');
    fs.mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM alpine:latest\nUSER app\n');
    fs.writeFileSync(path.join(root, 'node_modules', 'x', 'Dockerfile'), 'FROM alpine:latest\n');
    fs.writeFileSync(path.join(root, 'Containerfile'), Buffer.from([0x46, 0x52, 0x00, 0x01]));
    fs.writeFileSync(path.join(root, 'Dockerfile.big'), `FROM alpine:3.20\n${'# padding line\n'.repeat(300_000)}`);
    const report = await runChecks({ root });
    assert.deepEqual(summary(report), ['Dockerfile:1 dockerfile/latest-tag']);
    assert.deepEqual(report.skipped, [{ path: 'Containerfile', reason: 'binary content' }, { path: 'Dockerfile.big', reason: 'larger than 4 MiB' }]);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(runChecks({ root: demo, signal: controller.signal }), (error: Error) => error.name === 'AbortError' || /abort/i.test(error.message));
  });

  it('a rule set that throws gives one finding and the others still run', async () => {
    const report = await runChecks({
      root: demo,
      ruleSets: [{ kinds: ['dockerfile'], rules: [], check: () => { throw new Error('boom'); } }],
    });
    assert.deepEqual(summary(report), ['Dockerfile:1 dockerfile/internal-error']);
    assert.match((report.findings[0] as CheckFinding).message, /boom/);
  });
});
