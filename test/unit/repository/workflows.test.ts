import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseDocument } from 'yaml';
import { runChecks } from '../../../src/core/checks/runChecks';

// Our own GitHub workflows cannot run on this machine, so their promises are checked here: timeouts, SHA-pinned
// actions, no persisted credentials, least privilege, no secrets in pull-request jobs, guarded publishing.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const WORKFLOWS = path.join(REPO_ROOT, '.github', 'workflows');

interface Step { uses?: string; with?: Record<string, unknown>; run?: string }
interface Job { 'runs-on'?: unknown; 'timeout-minutes'?: number; uses?: string; steps?: Step[]; environment?: unknown; if?: string; permissions?: unknown }
interface Workflow { on: unknown; permissions?: unknown; concurrency?: unknown; jobs: Record<string, Job> }

function loadWorkflows(): { file: string; text: string; workflow: Workflow }[] {
  return fs.readdirSync(WORKFLOWS).filter((f) => /\.ya?ml$/.test(f)).map((file) => {
    const text = fs.readFileSync(path.join(WORKFLOWS, file), 'utf8');
    const doc = parseDocument(text);
    assert.deepEqual(doc.errors.map((e) => e.message), [], `${file} parses`);
    return { file, text, workflow: doc.toJS() as Workflow };
  });
}

function triggers(workflow: Workflow): string[] {
  const on = workflow.on;
  if (typeof on === 'string') return [on];
  if (Array.isArray(on)) return on.map(String);
  return Object.keys(on as object);
}

describe('repository/.github/workflows', () => {
  const workflows = loadWorkflows();

  it('has the CI and release workflows', () => {
    assert.deepEqual(workflows.map((w) => w.file).sort(), ['ci.yml', 'release.yml']);
  });

  for (const { file, text, workflow } of workflows) {
    describe(file, () => {
      it('declares least-privilege permissions at the top and never write-all', () => {
        assert.ok(workflow.permissions !== undefined, 'top-level permissions');
        assert.doesNotMatch(text, /write-all/);
        assert.deepEqual(workflow.permissions, { contents: 'read' });
      });

      it('has a concurrency group', () => {
        assert.ok(workflow.concurrency, 'concurrency');
      });

      it('gives every job a timeout (reusable-workflow calls take the called jobs\' timeouts)', () => {
        for (const [name, job] of Object.entries(workflow.jobs)) {
          if (job.uses) continue;
          assert.ok(typeof job['timeout-minutes'] === 'number' && job['timeout-minutes'] <= 60, `${name} timeout-minutes`);
        }
      });

      it('pins every action to a full commit SHA with its version in a comment', () => {
        const lines = text.split('\n').filter((l) => /^\s*-?\s*uses:/.test(l));
        assert.ok(lines.length > 0);
        for (const line of lines) {
          const ref = line.replace(/^\s*-?\s*uses:\s*/, '');
          if (ref.startsWith('./')) continue;
          assert.match(ref, /^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+){0,2}$/, line.trim());
        }
      });

      it('checks out without persisting credentials', () => {
        for (const [name, job] of Object.entries(workflow.jobs)) {
          for (const step of job.steps ?? []) {
            if (step.uses?.startsWith('actions/checkout@')) assert.equal(step.with?.['persist-credentials'], false, `${name} checkout`);
          }
        }
      });

      it('caches npm keyed on the lockfile wherever Node is set up', () => {
        for (const job of Object.values(workflow.jobs)) {
          for (const step of job.steps ?? []) {
            if (!step.uses?.startsWith('actions/setup-node@')) continue;
            assert.equal(step.with?.cache, 'npm');
            assert.equal(step.with?.['cache-dependency-path'], 'package-lock.json');
          }
        }
      });

      if (triggers(workflow).some((t) => t.startsWith('pull_request'))) {
        it('lets no secret reach a pull-request job', () => {
          assert.doesNotMatch(text, /secrets\./);
          assert.ok(!triggers(workflow).includes('pull_request_target'), 'no pull_request_target');
        });
      }
    });
  }

  it('publishes only from a version tag of this repository, in an environment that requires approval', () => {
    const release = workflows.find((w) => w.file === 'release.yml')!.workflow;
    assert.deepEqual(release.on, { push: { tags: ['v[0-9]+.[0-9]+.[0-9]+'] } });
    const publish = release.jobs.publish!;
    assert.equal(publish.if, "github.repository == 'devops-agent/devops-agent'");
    assert.equal((publish.environment as { name: string }).name, 'marketplaces');
    assert.deepEqual(publish.permissions, { contents: 'write' });
    assert.equal(release.jobs.ci!.uses, './.github/workflows/ci.yml');
    const runs = (publish.steps ?? []).map((s) => s.run ?? '').join('\n');
    for (const command of ['scripts/release-notes.mjs', 'vsce publish', 'ovsx publish', 'gh release create']) assert.ok(runs.includes(command), command);
  });

  it('runs the desktop VS Code suite on three systems, stable and insiders, and .ci/run in Debian', () => {
    const ci = workflows.find((w) => w.file === 'ci.yml')!;
    const matrix = (ci.workflow.jobs.desktop as unknown as { strategy: { matrix: { os: string[]; vscode: string[] } } }).strategy.matrix;
    assert.equal(matrix.os.length, 3);
    assert.deepEqual(matrix.vscode, ['stable', 'insiders']);
    assert.ok(ci.text.includes('xvfb-run -a npm run -s test:electron'));
    assert.ok(ci.text.includes('bash .ci/run'));
  });

  it('passes our own DevOps checks at warning level, as the CI job "devops-checks" requires', async () => {
    const report = await runChecks({ root: REPO_ROOT, paths: ['.github'] });
    assert.ok(report.files.some((f) => f.path === '.github/workflows/ci.yml' && f.kind === 'github-workflow'));
    assert.deepEqual(report.findings.filter((f) => f.severity !== 'note').map((f) => `${f.file}:${f.range.line} ${f.ruleId}`), []);
    // the one suppression carries its reason on the lines above it
    const ci = workflows.find((w) => w.file === 'ci.yml')!.text.split('\n');
    const at = ci.findIndex((l) => l.includes('devops-agent ignore='));
    assert.match(ci.slice(at - 2, at).join(' '), /Dependabot does\s*#?\s*not update digests/);
  });

  it('keeps Dependabot on npm and GitHub Actions with a cooldown', () => {
    const config = parseDocument(fs.readFileSync(path.join(REPO_ROOT, '.github', 'dependabot.yml'), 'utf8')).toJS() as { updates: { 'package-ecosystem': string; cooldown?: { 'default-days': number } }[] };
    assert.deepEqual(config.updates.map((u) => u['package-ecosystem']).sort(), ['github-actions', 'npm']);
    for (const update of config.updates) assert.ok((update.cooldown?.['default-days'] ?? 0) >= 3);
  });
});
