import type { CheckRuleSet } from './checkTypes';
import { dockerfileRuleSet } from './dockerfile/dockerfileRuleSet';
import { secretsRuleSet } from './secrets/secretsRuleSet';

/** Every rule set the engine runs; a file goes to the sets whose kinds include its kind. */
export const RULE_SETS: readonly CheckRuleSet[] = [
  dockerfileRuleSet,
  secretsRuleSet,
];
