import * as assert from 'node:assert/strict';
import { ACTIONS_RULE_IDS as ids } from '../../../../../src/core/checks/actions/actionsRules';
import { actionsRuleSet } from '../../../../../src/core/checks/actions/actionsRuleSet';
import { check, checkText, fixture, linesOf } from '../checkFixtures';
import { ZIZMOR, run } from './actionsFixtures';

// zizmor's audits, run through the Actions rule set as users run them.
describe('core/checks/actions/actionsSecurityRules', () => {
  describe('template-injection (zizmor test data)', () => {
    it('finds the issue title expanded into github-script', () => {
      const findings = run(`${ZIZMOR}/template-injection.yml`);
      assert.deepEqual(linesOf(findings, ids.templateInjection), [19]);
      const finding = findings.find((f) => f.ruleId === ids.templateInjection);
      assert.equal(finding?.range.column, 36);
      assert.match(finding?.message ?? '', /github\.event\.issue\.title/);
    });
    it('finds sinks of script-running actions and composite-action inputs at zizmor\'s lines', () => {
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/pwsh-script.yml`), ids.templateInjection), [16]);
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/codeql-sinks.yml`), ids.templateInjection), [17]);
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/pr-425-backstop/action.yml`), ids.templateInjection), [14, 20, 26, 31]);
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/issue-883-repro/action.yml`), ids.templateInjection), [48, 60, 65]);
    });
    it('stays quiet on zizmor\'s false-positive menagerie and static env', () => {
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/false-positive-menagerie.yml`), ids.templateInjection), []);
      assert.deepEqual(linesOf(run(`${ZIZMOR}/template-injection/issue-22-repro.yml`), ids.templateInjection), []);
    });
  });

  it('dangerous-triggers: pull_request_target, not push', () => {
    assert.deepEqual(linesOf(run(`${ZIZMOR}/dangerous-triggers/actions-labeler.yml`), ids.dangerousTriggers), [5]);
    assert.deepEqual(linesOf(run(`${ZIZMOR}/artipacked.yml`), ids.dangerousTriggers), []);
  });

  describe('excessive-permissions (zizmor test data)', () => {
    it('flags write-all and read-all with a fix', () => {
      const writeAll = run(`${ZIZMOR}/excessive-permissions/workflow-write-all.yml`).filter((f) => f.ruleId === ids.excessivePermissions);
      assert.deepEqual(writeAll.map((f) => f.range.line), [5]);
      assert.equal(writeAll[0]?.fix?.edits[0]?.newText, '{ contents: read }');
      assert.deepEqual(linesOf(run(`${ZIZMOR}/excessive-permissions/workflow-read-all.yml`), ids.excessivePermissions), [5]);
    });
    it('flags jobs running with default permissions, and not an empty permissions block', () => {
      assert.deepEqual(linesOf(run(`${ZIZMOR}/excessive-permissions/workflow-default-perms.yml`), ids.excessivePermissions), [14]);
      assert.deepEqual(linesOf(run(`${ZIZMOR}/excessive-permissions/workflow-empty-perms.yml`), ids.excessivePermissions), []);
    });
  });

  describe('unpinned-uses', () => {
    it('flags every ref that is not a full SHA (zizmor menagerie)', () => {
      assert.deepEqual(linesOf(run(`${ZIZMOR}/unpinned-uses/menagerie-of-uses.yml`), ids.unpinnedUses), [12, 14, 22, 24, 26]);
    });
    it('allowedActionOwners relaxes it per owner, and only for those owners', () => {
      const findings = check(actionsRuleSet, `${ZIZMOR}/unpinned-uses/menagerie-of-uses.yml`, 'github-workflow', { trustedRegistries: [], allowedActionOwners: ['actions', 'github'] });
      assert.deepEqual(linesOf(findings, ids.unpinnedUses), [22]);
    });
    it('treats docker:// without a digest as unpinned and local ./ as pinned', () => {
      const findings = checkText(actionsRuleSet, [
        'on: push', 'permissions: {}', 'jobs:', '  a:', '    runs-on: ubuntu-latest', '    steps:',
        '      - uses: ./.github/actions/local', '      - uses: docker://alpine:3.20',
        '      - uses: docker://alpine@sha256:' + 'a'.repeat(64), '',
      ].join('\n'), 'github-workflow');
      assert.deepEqual(linesOf(findings, ids.unpinnedUses), [8]);
    });
    it('flags a reusable workflow on a branch (zizmor secrets-inherit data)', () => {
      assert.deepEqual(linesOf(run(`${ZIZMOR}/secrets-inherit.yml`), ids.unpinnedUses), [10, 16, 23, 28]);
    });
  });

  it('artipacked: checkout without persist-credentials: false, with an insertable fix', () => {
    const findings = run(`${ZIZMOR}/artipacked.yml`).filter((f) => f.ruleId === ids.artipacked);
    assert.deepEqual(findings.map((f) => f.range.line), [22]);
    const edit = findings[0]?.fix?.edits[0];
    assert.equal(edit?.newText, '\n        with:\n          persist-credentials: false');
    assert.equal(edit?.range.line, 22);
  });

  it('secrets-inherit: only the job that inherits', () => {
    assert.deepEqual(linesOf(run(`${ZIZMOR}/secrets-inherit.yml`), ids.secretsInherit), [12]);
  });

  it('github-env: dynamic writes in a composite action and under pull_request_target, not static ones', () => {
    assert.deepEqual(linesOf(run(`${ZIZMOR}/github-env/action.yml`), ids.githubEnv), [11, 16, 21]);
    assert.deepEqual(linesOf(run(`${ZIZMOR}/github-env/github-path.yml`), ids.githubEnv), [19]);
  });

  it('unpinned-images: untagged, latest and tag-only images of containers and services (zizmor data)', () => {
    assert.deepEqual(linesOf(run(`${ZIZMOR}/unpinned-images.yml`), ids.unpinnedImages), [23, 32, 40, 49, 57, 66]);
  });

  it('untrusted-registry: job, service and docker:// images outside trustedRegistries (zizmor data)', () => {
    const options = { trustedRegistries: ['docker.io'], allowedActionOwners: [] };
    const findings = check(actionsRuleSet, `${ZIZMOR}/unpinned-images.yml`, 'github-workflow', options);
    const lines = linesOf(findings, ids.untrustedRegistry);
    for (const line of [23, 32, 40, 49, 57, 66, 128]) assert.ok(lines.includes(line), `line ${line}`);
    assert.ok(!lines.includes(126), 'docker://ubuntu is on Docker Hub');
    assert.deepEqual(linesOf(run(`${ZIZMOR}/unpinned-images.yml`), ids.untrustedRegistry), []);
  });

  it('hardcoded-container-credentials: a literal password, not a secret reference', () => {
    assert.deepEqual(linesOf(run(`${ZIZMOR}/hardcoded-credentials.yml`), ids.hardcodedContainerCredentials), [22]);
  });

  it('honours # zizmor: ignore[rule] on the finding\'s line', () => {
    const findings = run(`${ZIZMOR}/inlined-ignores.yml`);
    for (const id of [ids.artipacked, ids.unpinnedImages, ids.hardcodedContainerCredentials, ids.unpinnedUses]) {
      assert.deepEqual(linesOf(findings, id), [], id);
    }
    const unignored = checkText(actionsRuleSet, fixture(`${ZIZMOR}/inlined-ignores.yml`).replace(/ # zizmor: ignore\[[^\]]*\]/g, ''), 'github-workflow');
    assert.deepEqual(linesOf(unignored, ids.unpinnedUses), [37]);
    assert.deepEqual(linesOf(unignored, ids.hardcodedContainerCredentials), [30]);
  });
});
