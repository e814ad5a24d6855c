import * as assert from 'node:assert/strict';
import { confirmKind, kindByPath } from '../../../../src/core/checks/fileKinds';
import { fixture } from './checkFixtures';

describe('core/checks/fileKinds', () => {
  it('classifies by path', () => {
    const cases: [string, string | undefined][] = [
      ['Dockerfile', 'dockerfile'], ['svc/Dockerfile.prod', 'dockerfile'], ['api.Dockerfile', 'dockerfile'], ['Containerfile', 'dockerfile'],
      ['Dockerfile.md', undefined], ['Dockerfile.template', undefined], ['docs/dockerfile.txt', undefined],
      ['.github/workflows/ci.yml', 'github-workflow'], ['.github/workflows/release.yaml', 'github-workflow'], ['.github/workflows/sub/x.yml', 'yaml'],
      ['action.yml', 'github-action'], ['actions/setup/action.yaml', 'github-action'],
      ['.gitlab-ci.yml', 'gitlab-ci'], ['compose.yaml', 'compose'], ['docker-compose.yml', 'compose'], ['docker-compose.prod.yml', 'compose'], ['compose.override.yaml', 'compose'],
      ['k8s/deployment.yaml', 'yaml'],
      ['.env', 'secrets-file'], ['.env.production', 'secrets-file'], ['config/prod.env', 'secrets-file'], ['certs/server.pem', 'secrets-file'], ['tls.key', 'secrets-file'], ['.ssh/id_rsa', 'secrets-file'], ['.npmrc', 'secrets-file'],
      ['src/env.ts', undefined], ['README.md', undefined], ['environment.yml', 'yaml'],
    ];
    for (const [file, kind] of cases) assert.equal(kindByPath(file), kind, file);
  });

  it('confirms by content: Kubernetes needs apiVersion and kind in one document; Helm templates are not manifests', () => {
    assert.equal(confirmKind('k8s/deployment.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n'), 'kubernetes');
    assert.equal(confirmKind('k8s/multi.yaml', '# c\nfoo: 1\n---\napiVersion: v1\nkind: Service\n'), 'kubernetes');
    assert.equal(confirmKind('conf/app.yaml', 'apiVersion: 1\nname: not k8s\n'), undefined);
    assert.equal(confirmKind('chart/templates/d.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n'), undefined);
    assert.equal(confirmKind('environment.yml', 'name: base\ndependencies:\n  - python=3.12\n'), undefined);
  });

  it('confirms by content: loose Dockerfile names need a FROM, canonical names do not, templates are refused', () => {
    assert.equal(confirmKind('Dockerfile', ''), 'dockerfile');
    assert.equal(confirmKind('Dockerfile.prod', 'FROM alpine:3.20\n'), 'dockerfile');
    assert.equal(confirmKind('Dockerfile.notes', 'just some notes\n'), undefined);
    assert.equal(confirmKind('Dockerfile.prod', 'FROM alpine:3.20\n{{#each ports}}\nEXPOSE {{ . }}\n{{/each}}\n'), undefined);
    assert.equal(confirmKind('Dockerfile', 'FROM x\0'), undefined);
  });

  it('confirms by content: workflows, actions and compose need their top-level keys', () => {
    assert.equal(confirmKind('.github/workflows/ci.yml', 'name: ci\non: push\njobs: {}\n'), 'github-workflow');
    assert.equal(confirmKind('.github/workflows/notes.yml', 'just: data\n'), undefined);
    assert.equal(confirmKind('action.yml', "name: x\nruns:\n  using: 'node20'\n"), 'github-action');
    assert.equal(confirmKind('compose.yaml', 'services:\n  web:\n    image: nginx:1.27\n'), 'compose');
    assert.equal(confirmKind('compose.yaml', 'name: only\n'), undefined);
  });

  it('keeps every real Dockerfile fixture that has a FROM', () => {
    assert.equal(confirmKind('svc/Dockerfile.runner', fixture('dockerfiles/docker-library__node__0.10_Dockerfile')), 'dockerfile');
  });
});
