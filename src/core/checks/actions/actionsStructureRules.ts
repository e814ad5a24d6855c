// actionlint's correctness checks of a workflow or action: unknown keys and events, missing keys, empty steps, `needs`
// to unknown jobs and cycles, invalid cron schedules.
import type { Node, YAMLMap } from 'yaml';
import type { RuleFinding } from '../checkTypes';
import type { ActionsDocument } from './actionsDocument';
import { ACTIONS_RULE_IDS as ids } from './actionsRules';
import { cronError } from './cronSchedule';

const WORKFLOW_KEYS = ['name', 'run-name', 'on', 'permissions', 'env', 'defaults', 'concurrency', 'jobs'];
const JOB_KEYS = [
  'name', 'permissions', 'needs', 'if', 'runs-on', 'environment', 'concurrency', 'outputs', 'env', 'defaults', 'steps',
  'timeout-minutes', 'strategy', 'continue-on-error', 'container', 'services', 'uses', 'with', 'secrets', 'snapshot',
];
const STEP_KEYS = ['id', 'if', 'name', 'uses', 'run', 'shell', 'with', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory'];
// A step that runs an action takes no shell keys; a step that runs a script takes no `with`.
const USES_STEP_KEYS = ['id', 'if', 'name', 'uses', 'with', 'env', 'continue-on-error', 'timeout-minutes'];
const RUN_STEP_KEYS = ['id', 'if', 'name', 'run', 'shell', 'env', 'continue-on-error', 'timeout-minutes', 'working-directory'];
const ACTION_KEYS = ['name', 'author', 'description', 'inputs', 'outputs', 'runs', 'branding'];
const ACTION_RUNS_KEYS = [
  'using', 'steps', 'main', 'pre', 'post', 'pre-if', 'post-if', 'image', 'entrypoint', 'args', 'env', 'pre-entrypoint',
  'post-entrypoint',
];
// The events a workflow can run on (GitHub's "Events that trigger workflows").
const EVENTS = [
  'branch_protection_rule', 'check_run', 'check_suite', 'create', 'delete', 'deployment', 'deployment_status',
  'discussion', 'discussion_comment', 'fork', 'gollum', 'image_version', 'issue_comment', 'issues', 'label',
  'merge_group', 'milestone', 'page_build', 'project', 'project_card', 'project_column', 'public', 'pull_request',
  'pull_request_review', 'pull_request_review_comment', 'pull_request_target', 'push', 'registry_package', 'release',
  'repository_dispatch', 'schedule', 'status', 'watch', 'workflow_call', 'workflow_dispatch', 'workflow_run',
];
const PERMISSION_SCOPES = [
  'actions', 'artifact-metadata', 'attestations', 'checks', 'contents', 'deployments', 'discussions', 'id-token', 'issues', 'models',
  'packages', 'pages', 'pull-requests', 'repository-projects', 'security-events', 'statuses',
];

// actionlint: structure

function unknownKeysIn(doc: ActionsDocument, node: unknown, allowed: readonly string[], where: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const entry of doc.src.entries(node)) {
    if (allowed.includes(entry.key) || entry.key === '<<') continue;
    findings.push(doc.finding(ids.unknownKey, doc.src.range(entry.keyNode),
      `Unknown key "${entry.key}" in ${where}; expected one of ${allowed.join(', ')}.`));
  }
  return findings;
}

/** Scopes GitHub knows, each with a value it accepts (`id-token` cannot be read, `models` cannot be written). */
function permissionScopes(doc: ActionsDocument, permissions: Node | null, where: string): RuleFinding[] {
  const findings = unknownKeysIn(doc, permissions, PERMISSION_SCOPES, where);
  for (const scope of doc.src.entries(permissions)) {
    if (!PERMISSION_SCOPES.includes(scope.key)) continue;
    const value = doc.src.str(scope.value);
    const allowed = scope.key === 'id-token' ? ['write', 'none'] : scope.key === 'models' ? ['read', 'none'] : ['read', 'write', 'none'];
    if (value !== undefined && !allowed.includes(value)) {
      findings.push(doc.finding(ids.invalidPermission, doc.src.range(scope.value), `"${value}" is not a permission of \`${scope.key}\`; use ${allowed.join(', ')}.`));
    }
  }
  return findings;
}

/** Trigger names GitHub does not know (`pull-request`, `pullrequest`, a typo) never fire. */
function unknownEvents(doc: ActionsDocument): RuleFinding[] {
  return doc.triggerNames()
    .filter((trigger) => trigger.name !== '' && !EVENTS.includes(trigger.name))
    .map((trigger) => doc.finding(ids.unknownKey, doc.src.range(trigger.node), `Unknown event "${trigger.name}" under \`on\`; it never triggers the workflow.`));
}

export function unknownKeys(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (doc.isWorkflow) {
    findings.push(...unknownKeysIn(doc, doc.root, WORKFLOW_KEYS, 'the workflow'));
    findings.push(...unknownEvents(doc));
    findings.push(...permissionScopes(doc, doc.src.get(doc.root, 'permissions'), '`permissions`'));
    for (const job of doc.jobs()) {
      findings.push(...unknownKeysIn(doc, job.value, JOB_KEYS, `job "${job.key}"`));
      findings.push(...permissionScopes(doc, doc.src.get(job.value, 'permissions'), `the permissions of job "${job.key}"`));
    }
  } else {
    findings.push(...unknownKeysIn(doc, doc.root, ACTION_KEYS, 'the action'));
    findings.push(...unknownKeysIn(doc, doc.src.get(doc.root, 'runs'), ACTION_RUNS_KEYS, '`runs`'));
  }
  for (const step of doc.steps()) {
    const uses = doc.src.entry(step.node, 'uses');
    const run = doc.src.entry(step.node, 'run');
    if (uses && !run) findings.push(...unknownKeysIn(doc, step.node, USES_STEP_KEYS, 'a step that runs an action'));
    else if (run && !uses) findings.push(...unknownKeysIn(doc, step.node, RUN_STEP_KEYS, 'a step that runs a script'));
    else findings.push(...unknownKeysIn(doc, step.node, STEP_KEYS, 'a step'));
  }
  return findings;
}

function stepLists(doc: ActionsDocument): Node[] {
  if (!doc.isWorkflow) {
    const steps = doc.src.at(doc.root, 'runs', 'steps');
    return steps ? [steps] : [];
  }
  return doc.jobs().map((job) => doc.src.get(job.value, 'steps')).filter((steps): steps is Node => steps !== null);
}

/** Steps that are not mappings (`- null`, a bare `-`): GitHub refuses them. */
export function emptySteps(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const list of stepLists(doc)) {
    const seq = doc.src.seq(list);
    for (const item of seq?.items ?? []) {
      if (doc.src.map(item)) continue;
      const node = item as Node | null;
      const range = node?.range ? doc.src.range(node) : doc.src.range(seq ?? null);
      findings.push(doc.finding(ids.invalidStep, range, 'This step is empty; a step must have `uses` or `run`.'));
    }
  }
  return findings;
}

export function missingKeys(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const require = (node: YAMLMap, at: Node, keys: readonly string[], where: string): void => {
    const missing = keys.filter((key) => !doc.src.entry(node, key));
    if (missing.length > 0) {
      findings.push(doc.finding(ids.missingKey, doc.src.range(at), `${where} has no ${missing.map((key) => `\`${key}\``).join(' or ')}.`));
    }
  };
  const firstKey = (doc.root.items[0]?.key as Node | undefined) ?? doc.root;
  if (!doc.isWorkflow) {
    require(doc.root, firstKey, ['runs'], 'The action');
    const runs = doc.src.map(doc.src.get(doc.root, 'runs'));
    if (runs) require(runs, doc.src.entry(doc.root, 'runs')?.keyNode ?? runs, ['using'], '`runs`');
    return findings;
  }
  require(doc.root, firstKey, ['on', 'jobs'], 'The workflow');
  for (const job of doc.jobs()) {
    const jobMap = doc.src.map(job.value);
    if (!jobMap || doc.src.entry(jobMap, 'uses')) continue;
    require(jobMap, job.keyNode, ['runs-on'], `Job "${job.key}"`);
    require(jobMap, job.keyNode, ['steps'], `Job "${job.key}"`);
  }
  return findings;
}

// actionlint: needs

export function needs(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const jobs = doc.jobs();
  const known = new Map(jobs.map((job) => [job.key.toLowerCase(), job.key]));
  const graph = new Map<string, { target: string; node: Node }[]>();
  for (const job of jobs) {
    const needsNode = doc.src.get(job.value, 'needs');
    const items = doc.src.items(needsNode);
    const list = items.length > 0 ? items : needsNode && doc.src.str(needsNode) !== undefined ? [needsNode] : [];
    const edges: { target: string; node: Node }[] = [];
    for (const item of list) {
      const name = doc.src.str(item);
      if (name === undefined) continue;
      if (!known.has(name.toLowerCase())) {
        findings.push(doc.finding(ids.needsUnknownJob, doc.src.range(item),
          `Job "${job.key}" needs "${name}", which is not a job in this workflow${known.size > 0 ? ` (jobs: ${[...known.values()].join(', ')})` : ''}.`));
      } else {
        edges.push({ target: name.toLowerCase(), node: item });
      }
    }
    graph.set(job.key.toLowerCase(), edges);
  }
  // iterative depth-first search: a chain of thousands of jobs must not overflow the stack
  const state = new Map<string, 'visiting' | 'done'>();
  const reported = new Set<string>();
  for (const start of graph.keys()) {
    if (state.has(start)) continue;
    const stack: { job: string; next: number }[] = [{ job: start, next: 0 }];
    state.set(start, 'visiting');
    while (stack.length > 0) {
      const top = stack[stack.length - 1] as { job: string; next: number };
      const edges = graph.get(top.job) ?? [];
      if (top.next >= edges.length) {
        state.set(top.job, 'done');
        stack.pop();
        continue;
      }
      const edge = edges[top.next] as { target: string; node: Node };
      top.next += 1;
      const seen = state.get(edge.target);
      if (seen === 'visiting') {
        const cycle = [...stack.slice(stack.findIndex((frame) => frame.job === edge.target)).map((frame) => frame.job), edge.target];
        const key = [...new Set(cycle)].sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const names = cycle.map((name) => known.get(name) ?? name);
          findings.push(doc.finding(ids.needsCycle, doc.src.range(edge.node), `Jobs wait for each other in a cycle: ${names.join(' → ')}.`));
        }
      } else if (seen === undefined) {
        state.set(edge.target, 'visiting');
        stack.push({ job: edge.target, next: 0 });
      }
    }
  }
  return findings;
}

// actionlint: cron

export function cron(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const schedule = doc.src.get(doc.src.get(doc.root, 'on'), 'schedule');
  for (const item of doc.src.items(schedule)) {
    const cronNode = doc.src.get(item, 'cron');
    const expression = doc.src.str(cronNode);
    if (!cronNode || expression === undefined) continue;
    const error = cronError(expression);
    if (error) findings.push(doc.finding(ids.invalidCron, doc.src.range(cronNode), `Invalid cron "${expression}": ${error}.`));
  }
  return findings;
}
