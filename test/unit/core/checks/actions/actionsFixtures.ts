import type { CheckFileKind } from '../../../../../src/core/checks/checkTypes';
import { actionsRuleSet } from '../../../../../src/core/checks/actions/actionsRuleSet';
import { check, fixture } from '../checkFixtures';

export const ZIZMOR = 'actions/zizmor';
export const ACTIONLINT = 'actions/actionlint';

/** The findings of the Actions rule set on a fixture file; `action.yml` files are checked as actions. */
export function run(relative: string, kind: CheckFileKind = relative.endsWith('action.yml') || relative.endsWith('action.yaml') ? 'github-action' : 'github-workflow') {
  return check(actionsRuleSet, relative, kind);
}

/** The lines actionlint reports in its recorded `.out` for a check kind, e.g. `job-needs`. */
export function actionlintLines(name: string, pattern: RegExp): number[] {
  return fixture(`${ACTIONLINT}/${name}.out`).split('\n').filter((line) => pattern.test(line))
    .map((line) => Number(/^test\.yaml:(\d+):/.exec(line)?.[1])).sort((a, b) => a - b);
}
