import * as assert from 'node:assert/strict';
import { GITLAB_RULE_IDS as ids } from '../../../../../src/core/checks/gitlab/gitlabRules';
import { gitlabRuleSet } from '../../../../../src/core/checks/gitlab/gitlabRuleSet';
import { check, checkText, fixture, linesOf } from '../checkFixtures';

const LARAVEL = 'gitlab/gitlab-templates/Laravel.gitlab-ci.yml';

describe('core/checks/gitlab/gitlabRuleSet', () => {
  it('declares every rule it reports', () => {
    const declared = new Set(gitlabRuleSet.rules.map((rule) => rule.id));
    for (const id of Object.values(ids)) assert.ok(declared.has(id), id);
  });

  it('GitLab\'s Laravel template: php:latest and mysql:latest, and MYSQL_ROOT_PASSWORD in variables', () => {
    const findings = check(gitlabRuleSet, LARAVEL, 'gitlab-ci');
    const lines = fixture(LARAVEL).split('\n');
    assert.deepEqual(linesOf(findings, ids.unpinnedImage), [8, 14]);
    assert.match(lines[7] ?? '', /php:latest/);
    assert.deepEqual(linesOf(findings, ids.secretInVariables), [18]);
    assert.match(lines[17] ?? '', /MYSQL_ROOT_PASSWORD/);
    assert.deepEqual(linesOf(findings, ids.onlyExcept), []);
  });

  it('only/except per job, image objects, job variables with value:, and references left alone', () => {
    const text = [
      'default:', '  image: { name: "ruby:3.3" }',
      'build:', '  image: { name: "node" }', '  only:', '    - main', '  variables:', '    DEPLOY_TOKEN: { value: "glpat-AbCdEfGhIjKlMnOpQrSt", description: "x" }', '    API_TOKEN: $CI_JOB_TOKEN',
      '  script: [make]',
      '.template:', '  except: [tags]', '  script: [true]', '',
    ].join('\n');
    const findings = checkText(gitlabRuleSet, text, 'gitlab-ci');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]).sort(), [[ids.onlyExcept, 12], [ids.onlyExcept, 5], [ids.secretInVariables, 8], [ids.unpinnedImage, 4]].sort());
  });

  it('untrusted-registry: the Laravel template\'s Docker Hub images when only GitLab\'s registry is trusted', () => {
    const options = { trustedRegistries: ['registry.gitlab.com'], allowedActionOwners: [] };
    assert.deepEqual(linesOf(check(gitlabRuleSet, LARAVEL, 'gitlab-ci', options), ids.untrustedRegistry), [8, 14]);
    assert.deepEqual(linesOf(check(gitlabRuleSet, LARAVEL, 'gitlab-ci', { trustedRegistries: ['docker.io'], allowedActionOwners: [] }), ids.untrustedRegistry), []);
  });

  it('a file that does not parse gives one finding at its line', () => {
    const findings = checkText(gitlabRuleSet, 'test:\n  script:\n    - make\n  script: [again]\n', 'gitlab-ci');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]), [[ids.yamlSyntax, 4]]);
  });
});
