import * as assert from 'node:assert/strict';
import { ACTIONS_RULE_IDS as ids } from '../../../../../src/core/checks/actions/actionsRules';
import { linesOf } from '../checkFixtures';
import { ACTIONLINT, ZIZMOR, actionlintLines, run } from './actionsFixtures';

// actionlint-class correctness, run through the Actions rule set as users run them.
describe('core/checks/actions/actionsStructureRules', () => {
  it('needs: unknown jobs and cycles on actionlint\'s files', () => {
    assert.deepEqual(linesOf(run(`${ACTIONLINT}/invalid_ids_in_needs.yaml`), ids.needsUnknownJob), [9]);
    assert.equal(linesOf(run(`${ACTIONLINT}/minimal_cycle_in_needs.yaml`), ids.needsCycle).length, 1);
    assert.equal(linesOf(run(`${ACTIONLINT}/random_order_cycle_in_needs.yaml`), ids.needsCycle).length, 1);
    assert.equal(linesOf(run(`${ACTIONLINT}/cyclic_deps_needs.yaml`), ids.needsCycle).length, 1);
    assert.deepEqual(linesOf(run(`${ZIZMOR}/artipacked.yml`), ids.needsCycle), []);
  });
  it('invalid cron at actionlint\'s line, valid ones pass', () => {
    assert.deepEqual(linesOf(run(`${ACTIONLINT}/cron_schedule_check.yaml`), ids.invalidCron), [4]);
  });
  it('malformed uses: the four lines actionlint reports', () => {
    assert.deepEqual(linesOf(run(`${ACTIONLINT}/invalid_action_format.yaml`), ids.malformedUses), actionlintLines('invalid_action_format', /\[action\]/));
  });
  it('unknown keys at workflow, job and step level where actionlint reports them', () => {
    assert.deepEqual(linesOf(run(`${ACTIONLINT}/unexpected_keys.yaml`), ids.unknownKey), [53, 54, 56]);
    const steps = run(`${ACTIONLINT}/invalid_steps.yaml`);
    const expected = actionlintLines('invalid_steps', /unexpected key "(?!run"|uses")/);
    for (const line of expected) assert.ok(linesOf(steps, ids.unknownKey).includes(line), `line ${line}`);
    for (const line of [8, 11, 17, 25, 27, 28, 29]) assert.ok(linesOf(steps, ids.invalidStep).includes(line), `step at line ${line}`);
  });
  it('permission scopes and values where actionlint reports them', () => {
    const findings = run(`${ACTIONLINT}/err/invalid_permissions.yaml`);
    const lines = [...linesOf(findings, ids.unknownKey), ...linesOf(findings, ids.invalidPermission)].sort((a, b) => a - b);
    assert.deepEqual(lines, actionlintLines('err/invalid_permissions', /\[permissions\]/));
  });
  it('unknown events under on', () => {
    const findings = run(`${ACTIONLINT}/examples/webhook_checks.yaml`);
    assert.ok(findings.some((f) => f.ruleId === ids.unknownKey && /Unknown event "pullreq"/.test(f.message)));
    assert.deepEqual(linesOf(run(`${ZIZMOR}/artipacked.yml`), ids.unknownKey), []);
  });
  it('missing runs-on and steps', () => {
    assert.deepEqual(linesOf(run(`${ACTIONLINT}/missing_required_keys.yaml`), ids.missingKey), [17, 17]);
    assert.deepEqual(linesOf(run(`${ZIZMOR}/invalid/invalid-workflow.yml`), ids.missingKey), [10]);
  });
});
