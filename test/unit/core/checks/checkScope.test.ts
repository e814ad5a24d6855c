import * as assert from 'node:assert/strict';
import { checkScopeFor, narrowReportToKinds } from '../../../../src/core/checks/checkScope';
import type { CheckReport } from '../../../../src/core/checks/checkTypes';

const existing = new Set(['Dockerfile', 'k8s', 'k8s/deployment.yaml', '.github/workflows/ci.yml', 'src', 'docker-compose.yml']);
const exists = (p: string): boolean => existing.has(p);

describe('core/checks/checkScope', () => {
  it('takes a file the request names as the scope: `/review the Dockerfile`', () => {
    const scope = checkScopeFor('review', 'the Dockerfile', exists);
    assert.deepEqual(scope.paths, ['Dockerfile']);
    assert.deepEqual(scope.kinds, []);
    assert.equal(scope.description, '`Dockerfile`');
  });

  it('reads paths in backticks, with ./ and trailing punctuation', () => {
    assert.deepEqual(checkScopeFor('pipeline', 'is `./.github/workflows/ci.yml` ok?', exists).paths, ['.github/workflows/ci.yml']);
    assert.deepEqual(checkScopeFor('review', 'k8s/, and Dockerfile.', exists).paths, ['k8s', 'Dockerfile']);
  });

  it('ignores words that are not existing paths, paths outside the folder and URLs', () => {
    const scope = checkScopeFor('review', 'look at ../etc/passwd /etc/hosts https://example.com/a.yml and missing.yml', exists);
    assert.deepEqual(scope.paths, []);
    assert.equal(scope.description, 'the whole workspace');
  });

  it('narrows to kinds the request names when it names no file', () => {
    const scope = checkScopeFor('review', 'the Kubernetes manifests and the workflows', () => false);
    assert.deepEqual(scope.paths, []);
    assert.deepEqual(scope.kinds, ['github-workflow', 'github-action', 'gitlab-ci', 'kubernetes']);
    assert.match(scope.description, /^the GitHub Actions workflows, composite actions, GitLab CI files and Kubernetes manifests in the workspace$/);
  });

  it('gives /docker and /pipeline their own kinds, and /review everything, when the request names nothing', () => {
    assert.deepEqual(checkScopeFor('docker', '', exists).kinds, ['dockerfile', 'compose']);
    assert.deepEqual(checkScopeFor('pipeline', 'please', exists).kinds, ['github-workflow', 'github-action', 'gitlab-ci']);
    assert.deepEqual(checkScopeFor('review', '', exists), { paths: [], kinds: [], description: 'the whole workspace' });
  });

  it('keeps the kind words next to a named folder: `/review the manifests in k8s`', () => {
    const scope = checkScopeFor('review', 'the manifests in k8s', exists);
    assert.deepEqual(scope.paths, ['k8s']);
    assert.deepEqual(scope.kinds, ['kubernetes']);
    assert.equal(scope.description, 'the Kubernetes manifests in `k8s`');
  });

  it('narrows a report to the kinds asked for, findings included', () => {
    const range = { line: 1, column: 1, endLine: 1, endColumn: 5 };
    const report: CheckReport = {
      files: [{ path: 'Dockerfile', kind: 'dockerfile' }, { path: 'k8s/deployment.yaml', kind: 'kubernetes' }],
      findings: [
        { file: 'Dockerfile', ruleId: 'dockerfile/latest-tag', severity: 'error', references: ['DL3007'], message: 'm', range },
        { file: 'k8s/deployment.yaml', ruleId: 'kubernetes/latest-tag', severity: 'warning', references: ['latest-tag'], message: 'm', range },
      ],
      rules: [],
    };
    const narrowed = narrowReportToKinds(report, ['kubernetes']);
    assert.deepEqual(narrowed.files.map((f) => f.path), ['k8s/deployment.yaml']);
    assert.deepEqual(narrowed.findings.map((f) => f.ruleId), ['kubernetes/latest-tag']);
    assert.equal(narrowReportToKinds(report, []), report);
  });
});
