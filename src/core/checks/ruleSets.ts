import { actionsRuleSet } from './actions/actionsRuleSet';
import type { CheckRuleSet } from './checkTypes';
import { composeRuleSet } from './compose/composeRuleSet';
import { dockerfileRuleSet } from './dockerfile/dockerfileRuleSet';
import { gitlabRuleSet } from './gitlab/gitlabRuleSet';
import { kubernetesRuleSet } from './kubernetes/kubernetesRuleSet';
import { secretsRuleSet } from './secrets/secretsRuleSet';

/** Every rule set the engine runs; a file goes to the sets whose kinds include its kind. */
export const RULE_SETS: readonly CheckRuleSet[] = [
  dockerfileRuleSet,
  actionsRuleSet,
  kubernetesRuleSet,
  composeRuleSet,
  gitlabRuleSet,
  secretsRuleSet,
];
