import * as assert from 'node:assert/strict';
import { ACTIONS_RULE_IDS as ids } from '../../../../../src/core/checks/actions/actionsRules';
import { actionsRuleSet } from '../../../../../src/core/checks/actions/actionsRuleSet';
import { checkText, fixture, linesOf } from '../checkFixtures';
import { ACTIONLINT, ZIZMOR, run } from './actionsFixtures';

describe('core/checks/actions/actionsRuleSet', () => {
  it('declares every rule it reports, with help and public references', () => {
    const declared = new Set(actionsRuleSet.rules.map((rule) => rule.id));
    for (const id of Object.values(ids)) assert.ok(declared.has(id), id);
    for (const rule of actionsRuleSet.rules) {
      assert.match(rule.id, /^actions\/[a-z-]+$/);
      assert.ok(rule.help.length > 60, rule.id);
      assert.ok(rule.references.length > 0, rule.id);
    }
  });

  describe('files that do not parse', () => {
    it('gives one finding at the error\'s line', () => {
      for (const [file, line] of [[`${ACTIONLINT}/yaml_syntax_error.yaml`, 2], [`${ZIZMOR}/invalid/bad-yaml-2.yml`, 2], [`${ZIZMOR}/invalid/issue-1395-repro-duplicate-mapping-keys.yml`, 14], [`${ACTIONLINT}/duplicate_keys.yaml`, 12]] as const) {
        const findings = run(file);
        assert.equal(findings.length, 1, file);
        assert.equal(findings[0]?.ruleId, ids.yamlSyntax);
        assert.equal(findings[0]?.range.line, line, file);
      }
    });
    it('reports a top level that is not a mapping, and nothing for empty files', () => {
      assert.deepEqual(run(`${ZIZMOR}/invalid/bad-yaml-1.yml`).map((f) => f.ruleId), [ids.yamlSyntax]);
      for (const file of ['blank.yml', 'empty.yml', 'comment-only.yml']) assert.deepEqual(run(`${ZIZMOR}/invalid/${file}`), []);
    });
  });

  it('the demo workflow: actions/checkout@main and setup-node@v4 are reported as unpinned', () => {
    const findings = checkText(actionsRuleSet, fixture('../../../demo/files/.github/workflows/ci.yml'), 'github-workflow');
    assert.deepEqual(linesOf(findings, ids.unpinnedUses), [12, 13, 23]);
    assert.match(findings.find((f) => f.range.line === 12 && f.ruleId === ids.unpinnedUses)?.message ?? '', /`main`/);
  });
});
