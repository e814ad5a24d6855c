// GitHub Actions workflows (.github/workflows/*.yml) and composite/Docker actions (action.yml): zizmor's security
// audits and actionlint's correctness checks over one `yaml` parse with source positions.
import type { Node, Scalar, YAMLMap } from 'yaml';
import type { CheckFix, CheckOptions, CheckRange, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import { imagePinning, imageRegistry, isTrustedImage } from '../imageReference';
import type { YamlEntry } from '../yaml/yamlSource';
import { YamlSource, parseYamlSource, runRuleFunctions, yamlSyntaxFinding } from '../yaml/yamlSource';
import { ACTIONS_RULES, ACTIONS_RULE_IDS as ids } from './actionsRules';
import { cronError } from './cronSchedule';
import { contextPaths, findExpressions, isAttackerControlled } from './workflowExpressions';

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
const DANGEROUS_TRIGGERS = ['pull_request_target', 'workflow_run'];
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
// Actions whose inputs are code they run (zizmor's template-injection sinks): action (lower case) → inputs.
const SCRIPT_INPUTS: ReadonlyMap<string, readonly string[]> = new Map([
  ['actions/github-script', ['script']],
  ['amadevus/pwsh-script', ['script']],
  ['azure/cli', ['inlinescript']],
  ['azure/powershell', ['inlinescript']],
  ['mikefarah/yq', ['cmd']],
  ['addnab/docker-run-action', ['run']],
  ['appleboy/ssh-action', ['script']],
  ['jannekem/run-python-script-action', ['script']],
]);
const FULL_SHA = /^[0-9a-f]{40}$/;
const REMOTE_USES = /^([^/@\s]+)\/([^/@\s]+)((?:\/[^@\s]+)?)@([^@\s]+)$/;

/** A step (or reusable-workflow job) with where it sits. */
interface StepContext {
  readonly node: YAMLMap;
  readonly jobNode: YAMLMap | undefined;
}

class ActionsFileChecker {
  private readonly isWorkflow: boolean;
  private readonly root: YAMLMap;

  constructor(
    private readonly src: YamlSource, root: YAMLMap, file: CheckedFile, private readonly options: CheckOptions,
  ) {
    this.root = root;
    this.isWorkflow = file.kind === 'github-workflow';
  }

  run(): RuleFinding[] {
    const checks: (() => RuleFinding[])[] = [
      () => this.unknownKeys(),
      () => this.steps().flatMap((step) => this.checkStep(step)),
      () => this.uses(),
      () => this.missingKeys(),
      () => this.emptySteps(),
    ];
    if (this.isWorkflow) {
      checks.push(
        () => this.dangerousTriggers(),
        () => this.permissions(),
        () => this.needs(),
        () => this.cron(),
        () => this.containers(),
        () => this.secretsInherit(),
      );
    } else {
      checks.push(() => this.dockerActionImage());
    }
    return runRuleFunctions(checks, ids.yamlSyntax);
  }

  private finding(ruleId: string, range: CheckRange, message: string, fix?: CheckFix): RuleFinding {
    return fix ? { ruleId, range, message, fix } : { ruleId, range, message };
  }

  private jobList: YamlEntry[] | undefined;
  private stepList: StepContext[] | undefined;

  private jobs(): YamlEntry[] {
    this.jobList ??= this.isWorkflow ? this.src.entries(this.src.get(this.root, 'jobs')) : [];
    return this.jobList;
  }

  private steps(): StepContext[] {
    this.stepList ??= this.collectSteps();
    return this.stepList;
  }

  private collectSteps(): StepContext[] {
    const out: StepContext[] = [];
    if (this.isWorkflow) {
      for (const job of this.jobs()) {
        const jobNode = this.src.map(job.value);
        for (const step of this.src.items(this.src.get(jobNode, 'steps'))) {
          const node = this.src.map(step);
          if (node) out.push({ node, jobNode });
        }
      }
    } else {
      for (const step of this.src.items(this.src.at(this.root, 'runs', 'steps'))) {
        const node = this.src.map(step);
        if (node) out.push({ node, jobNode: undefined });
      }
    }
    return out;
  }

  private triggers(): YamlEntry[] | Node[] {
    const on = this.src.get(this.root, 'on');
    const asMap = this.src.entries(on);
    if (asMap.length > 0) return asMap;
    const seq = this.src.items(on);
    if (seq.length > 0) return seq;
    return on ? [on] : [];
  }

  private triggerNames(): { name: string; node: Node }[] {
    return this.triggers().map((trigger) => {
      if ('keyNode' in trigger) return { name: trigger.key, node: trigger.keyNode };
      return { name: this.src.str(trigger) ?? '', node: trigger };
    });
  }

  private hasDangerousTrigger(): boolean {
    return this.triggerNames().some((trigger) => DANGEROUS_TRIGGERS.includes(trigger.name));
  }

  // ---- actionlint: structure ----

  private unknownKeysIn(node: unknown, allowed: readonly string[], where: string): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const entry of this.src.entries(node)) {
      if (allowed.includes(entry.key) || entry.key === '<<') continue;
      findings.push(this.finding(ids.unknownKey, this.src.range(entry.keyNode),
        `Unknown key "${entry.key}" in ${where}; expected one of ${allowed.join(', ')}.`));
    }
    return findings;
  }

  /** Scopes GitHub knows, each with a value it accepts (`id-token` cannot be read, `models` cannot be written). */
  private permissionScopes(permissions: Node | null, where: string): RuleFinding[] {
    const findings = this.unknownKeysIn(permissions, PERMISSION_SCOPES, where);
    for (const scope of this.src.entries(permissions)) {
      if (!PERMISSION_SCOPES.includes(scope.key)) continue;
      const value = this.src.str(scope.value);
      const allowed = scope.key === 'id-token' ? ['write', 'none'] : scope.key === 'models' ? ['read', 'none'] : ['read', 'write', 'none'];
      if (value !== undefined && !allowed.includes(value)) {
        findings.push(this.finding(ids.invalidPermission, this.src.range(scope.value), `"${value}" is not a permission of \`${scope.key}\`; use ${allowed.join(', ')}.`));
      }
    }
    return findings;
  }

  /** Trigger names GitHub does not know (`pull-request`, `pullrequest`, a typo) never fire. */
  private unknownEvents(): RuleFinding[] {
    return this.triggerNames()
      .filter((trigger) => trigger.name !== '' && !EVENTS.includes(trigger.name))
      .map((trigger) => this.finding(ids.unknownKey, this.src.range(trigger.node), `Unknown event "${trigger.name}" under \`on\`; it never triggers the workflow.`));
  }

  private unknownKeys(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    if (this.isWorkflow) {
      findings.push(...this.unknownKeysIn(this.root, WORKFLOW_KEYS, 'the workflow'));
      findings.push(...this.unknownEvents());
      findings.push(...this.permissionScopes(this.src.get(this.root, 'permissions'), '`permissions`'));
      for (const job of this.jobs()) {
        findings.push(...this.unknownKeysIn(job.value, JOB_KEYS, `job "${job.key}"`));
        findings.push(...this.permissionScopes(this.src.get(job.value, 'permissions'), `the permissions of job "${job.key}"`));
      }
    } else {
      findings.push(...this.unknownKeysIn(this.root, ACTION_KEYS, 'the action'));
      findings.push(...this.unknownKeysIn(this.src.get(this.root, 'runs'), ACTION_RUNS_KEYS, '`runs`'));
    }
    for (const step of this.steps()) {
      const uses = this.src.entry(step.node, 'uses');
      const run = this.src.entry(step.node, 'run');
      if (uses && !run) findings.push(...this.unknownKeysIn(step.node, USES_STEP_KEYS, 'a step that runs an action'));
      else if (run && !uses) findings.push(...this.unknownKeysIn(step.node, RUN_STEP_KEYS, 'a step that runs a script'));
      else findings.push(...this.unknownKeysIn(step.node, STEP_KEYS, 'a step'));
    }
    return findings;
  }

  private stepLists(): Node[] {
    if (!this.isWorkflow) {
      const steps = this.src.at(this.root, 'runs', 'steps');
      return steps ? [steps] : [];
    }
    return this.jobs().map((job) => this.src.get(job.value, 'steps')).filter((steps): steps is Node => steps !== null);
  }

  /** Steps that are not mappings (`- null`, a bare `-`): GitHub refuses them. */
  private emptySteps(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const list of this.stepLists()) {
      const seq = this.src.seq(list);
      for (const item of seq?.items ?? []) {
        if (this.src.map(item)) continue;
        const node = item as Node | null;
        const range = node?.range ? this.src.range(node) : this.src.range(seq ?? null);
        findings.push(this.finding(ids.invalidStep, range, 'This step is empty; a step must have `uses` or `run`.'));
      }
    }
    return findings;
  }

  private missingKeys(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const require = (node: YAMLMap, at: Node, keys: readonly string[], where: string): void => {
      const missing = keys.filter((key) => !this.src.entry(node, key));
      if (missing.length > 0) {
        findings.push(this.finding(ids.missingKey, this.src.range(at), `${where} has no ${missing.map((key) => `\`${key}\``).join(' or ')}.`));
      }
    };
    const firstKey = (this.root.items[0]?.key as Node | undefined) ?? this.root;
    if (!this.isWorkflow) {
      require(this.root, firstKey, ['runs'], 'The action');
      const runs = this.src.map(this.src.get(this.root, 'runs'));
      if (runs) require(runs, this.src.entry(this.root, 'runs')?.keyNode ?? runs, ['using'], '`runs`');
      return findings;
    }
    require(this.root, firstKey, ['on', 'jobs'], 'The workflow');
    for (const job of this.jobs()) {
      const jobMap = this.src.map(job.value);
      if (!jobMap || this.src.entry(jobMap, 'uses')) continue;
      require(jobMap, job.keyNode, ['runs-on'], `Job "${job.key}"`);
      require(jobMap, job.keyNode, ['steps'], `Job "${job.key}"`);
    }
    return findings;
  }

  private checkStep(step: StepContext): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const uses = this.src.entry(step.node, 'uses');
    const run = this.src.entry(step.node, 'run');
    const first = step.node.items[0]?.key as Node | undefined;
    const stepRange = first ? this.src.range(first) : this.src.range(step.node);
    if (uses && run) findings.push(this.finding(ids.invalidStep, stepRange, 'This step has both `uses` and `run`; a step does one or the other.'));
    else if (!uses && !run) findings.push(this.finding(ids.invalidStep, stepRange, 'This step has neither `uses` nor `run`.'));
    if (run?.value) findings.push(...this.runScript(run.value, step));
    const usesText = this.src.str(uses?.value);
    const sinks = usesText ? SCRIPT_INPUTS.get(usesText.split('@')[0]?.toLowerCase() ?? '') : undefined;
    for (const input of this.src.entries(this.src.get(step.node, 'with'))) {
      if (sinks?.includes(input.key.toLowerCase()) && input.value) findings.push(...this.templateInjection(input.value, `with.${input.key}`));
    }
    if (usesText && /^actions\/checkout@/i.test(usesText) && uses) findings.push(...this.artipacked(step.node, uses));
    return findings;
  }

  private runScript(run: Node, step: StepContext): RuleFinding[] {
    const findings = this.templateInjection(run, 'run');
    const writesAreDangerous = !this.isWorkflow || this.hasDangerousTrigger();
    if (writesAreDangerous) findings.push(...this.githubEnv(run, step));
    return findings;
  }

  // ---- zizmor: template-injection ----

  private templateInjection(node: Node, where: string): RuleFinding[] {
    const span = node.range;
    if (!span) return [];
    const raw = this.src.text.slice(span[0], span[1]);
    const findings: RuleFinding[] = [];
    for (const expression of findExpressions(raw)) {
      // a composite action's inputs come from whichever workflow calls it
      const dangerous = contextPaths(expression.body).filter((path) => isAttackerControlled(path) || (!this.isWorkflow && path.startsWith('inputs.')));
      if (dangerous.length === 0) continue;
      const range = this.src.offsetRange(span[0] + expression.start, span[0] + expression.end);
      const path = dangerous[0] as string;
      const who = path.startsWith('inputs.') ? 'is chosen by whichever workflow calls this action' : 'can be set by an outsider';
      findings.push(this.finding(ids.templateInjection, range,
        `\`${path}\` ${who} and is expanded straight into \`${where}\`; pass it through \`env:\` and use the variable instead.`));
    }
    return findings;
  }

  // ---- zizmor: github-env ----

  private githubEnv(run: Node, _step: StepContext): RuleFinding[] {
    const span = run.range;
    if (!span) return [];
    const raw = this.src.text.slice(span[0], span[1]);
    const findings: RuleFinding[] = [];
    const target = /(\$\{?GITHUB_(ENV|PATH)\b\}?|\$env:GITHUB_(ENV|PATH)\b|%GITHUB_(ENV|PATH)%)/i;
    let offset = 0;
    for (const line of raw.split('\n')) {
      const match = target.exec(line);
      if (match && /(>>?|\btee\b|Out-File|Add-Content|Set-Content)/i.test(line)) {
        const rest = line.replace(target, '');
        // a wholly static line (`echo FOO=bar >> $GITHUB_ENV`) cannot carry someone else's value
        if (/\$|%[A-Za-z_][A-Za-z0-9_]*%|`/.test(rest)) {
          const which = (match[2] ?? match[3] ?? match[4] ?? 'ENV').toUpperCase();
          const start = span[0] + offset + (line.length - line.trimStart().length);
          const range = this.src.offsetRange(start, span[0] + offset + line.trimEnd().length);
          findings.push(this.finding(ids.githubEnv, range,
            `Writes a computed value to GITHUB_${which}${this.isWorkflow ? ' in a workflow with a privileged trigger' : ' in an action any workflow may call'}; later steps run with it.`));
        }
      }
      offset += line.length + 1;
    }
    return findings;
  }

  // ---- zizmor: artipacked ----

  private artipacked(step: YAMLMap, uses: YamlEntry): RuleFinding[] {
    const withEntry = this.src.entry(step, 'with');
    const persist = this.src.get(withEntry?.value, 'persist-credentials');
    if (persist) return [];
    const range = this.src.range(uses.value);
    return [this.finding(ids.artipacked, range, 'actions/checkout does not set `persist-credentials: false`; the token stays in .git/config for every later step.',
      this.persistCredentialsFix(step, uses, withEntry))];
  }

  private persistCredentialsFix(step: YAMLMap, uses: YamlEntry, withEntry: YamlEntry | undefined): CheckFix | undefined {
    const keyRange = this.src.range(uses.keyNode);
    const indent = ' '.repeat(keyRange.column - 1);
    if (withEntry) {
      const withMap = this.src.map(withEntry.value);
      const firstKey = withMap?.items[0]?.key as Scalar | undefined;
      if (!withMap || !firstKey || withMap.flow) return undefined;
      const at = this.src.range(firstKey);
      const insert = { line: at.line, column: 1, endLine: at.line, endColumn: 1 };
      return { title: 'Set persist-credentials: false', edits: [{ range: insert, newText: `${' '.repeat(at.column - 1)}persist-credentials: false\n` }] };
    }
    if (step.flow) return undefined;
    const valueRange = this.src.range(uses.value);
    const lineEnd = this.lineEnd(valueRange.endLine);
    const at = { line: valueRange.endLine, column: lineEnd, endLine: valueRange.endLine, endColumn: lineEnd };
    return { title: 'Set persist-credentials: false', edits: [{ range: at, newText: `\n${indent}with:\n${indent}  persist-credentials: false` }] };
  }

  private lines: string[] | undefined;

  /** One-based column just after the last character of a line. */
  private lineEnd(line: number): number {
    this.lines ??= this.src.text.split('\n');
    const lines = this.lines;
    const text = (lines[line - 1] ?? '').replace(/\r$/, '');
    return text.length + 1;
  }

  // ---- zizmor: unpinned-uses, actionlint: malformed uses ----

  private allUses(): { value: Node; text: string; isJob: boolean }[] {
    const out: { value: Node; text: string; isJob: boolean }[] = [];
    for (const step of this.steps()) {
      const value = this.src.get(step.node, 'uses');
      const text = this.src.str(value);
      if (value && text !== undefined) out.push({ value, text, isJob: false });
    }
    for (const job of this.jobs()) {
      const value = this.src.get(job.value, 'uses');
      const text = this.src.str(value);
      if (value && text !== undefined) out.push({ value, text, isJob: true });
    }
    return out;
  }

  private uses(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const { value, text, isJob } of this.allUses()) {
      const range = this.src.range(value);
      const uses = text.trim();
      if (uses.includes('${{')) {
        findings.push(this.finding(ids.malformedUses, range, `\`uses: ${uses}\` contains an expression; GitHub resolves \`uses:\` before expressions are evaluated.`));
        continue;
      }
      if (uses.startsWith('./')) continue;
      if (uses.startsWith('docker://')) {
        if (isJob || uses.length <= 'docker://'.length || uses.endsWith(':')) {
          findings.push(this.finding(ids.malformedUses, range, isJob ? 'A job can only call a reusable workflow, not `docker://`.' : `\`${uses}\` needs an image name and, after \`:\`, a tag.`));
          continue;
        }
        const image = uses.slice('docker://'.length);
        const pinning = imagePinning(image);
        if (pinning !== 'digest' && pinning !== 'templated') {
          findings.push(this.finding(ids.unpinnedUses, range, `\`${uses}\` is not pinned by digest (\`@sha256:…\`); the image behind the tag can change.`));
        }
        if (!isTrustedImage(image, this.options.trustedRegistries)) {
          findings.push(this.finding(ids.untrustedRegistry, range, `\`${uses}\` comes from ${imageRegistry(image)}, which is not in trustedRegistries (${this.options.trustedRegistries.join(', ')}).`));
        }
        continue;
      }
      const match = REMOTE_USES.exec(uses);
      if (!match) {
        const expected = isJob ? '`owner/repo/.github/workflows/file.yml@ref` or `./.github/workflows/file.yml`' : '`owner/repo@ref`, `owner/repo/path@ref`, `./path` or `docker://image`';
        findings.push(this.finding(ids.malformedUses, range, `\`uses: ${uses}\` is malformed; expected ${expected}.`));
        continue;
      }
      const owner = match[1] as string;
      const repo = match[2] as string;
      const ref = match[4] as string;
      if (isJob && !/\.ya?ml$/.test(match[3] ?? '')) {
        findings.push(this.finding(ids.malformedUses, range, `\`uses: ${uses}\` on a job must name a workflow file (\`owner/repo/.github/workflows/file.yml@ref\`).`));
        continue;
      }
      if (FULL_SHA.test(ref)) continue;
      if (this.ownerAllowed(owner, repo)) continue;
      const what = isJob ? 'reusable workflow' : 'action';
      const hint = /^[0-9a-f]{7,39}$/i.test(ref) ? ' (an abbreviated SHA can be made ambiguous)' : '';
      findings.push(this.finding(ids.unpinnedUses, range,
        `The ${what} \`${owner}/${repo}${match[3] ?? ''}\` is pinned to \`${ref}\`${hint}, not to a full 40-character commit SHA.`));
    }
    return findings;
  }

  private ownerAllowed(owner: string, repo: string): boolean {
    const wanted = owner.toLowerCase();
    return this.options.allowedActionOwners.some((allowed) => {
      const entry = allowed.trim().toLowerCase().replace(/\/\*$/, '');
      return entry === wanted || entry === `${wanted}/${repo.toLowerCase()}`;
    });
  }

  // ---- zizmor: dangerous-triggers ----

  private dangerousTriggers(): RuleFinding[] {
    return this.triggerNames()
      .filter((trigger) => DANGEROUS_TRIGGERS.includes(trigger.name))
      .map((trigger) => this.finding(ids.dangerousTriggers, this.src.range(trigger.node),
        `\`${trigger.name}\` runs with the base repository's secrets and a write token on events from forks; never check out or run the incoming code here.`));
  }

  // ---- zizmor: excessive-permissions ----

  private permissions(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const workflowPermissions = this.src.entry(this.root, 'permissions');
    const jobs = this.jobs();
    const reusableOnly = this.triggerNames().length > 0 && this.triggerNames().every((trigger) => trigger.name === 'workflow_call');
    if (workflowPermissions) {
      findings.push(...this.broadPermissions(workflowPermissions, 'the workflow'));
      const scopes = this.src.entries(workflowPermissions.value);
      if (jobs.length > 1) {
        for (const scope of scopes) {
          if (this.src.str(scope.value) === 'write') {
            findings.push(this.finding(ids.excessivePermissions, this.src.spanRange(scope.keyNode, scope.value),
              `\`${scope.key}: write\` at the workflow level gives all ${jobs.length} jobs write access; grant it in the job that needs it.`));
          }
        }
      }
    } else if (!reusableOnly) {
      for (const job of jobs) {
        if (this.src.get(job.value, 'uses')) continue;
        if (this.src.entry(job.value, 'permissions')) continue;
        findings.push(this.finding(ids.excessivePermissions, this.src.range(job.keyNode),
          `Job "${job.key}" runs with the repository's default token permissions: there is no \`permissions:\` block in the workflow or the job.`));
      }
    }
    for (const job of jobs) {
      const jobPermissions = this.src.entry(job.value, 'permissions');
      if (jobPermissions) findings.push(...this.broadPermissions(jobPermissions, `job "${job.key}"`));
    }
    return findings;
  }

  private broadPermissions(entry: YamlEntry, where: string): RuleFinding[] {
    const value = this.src.str(entry.value);
    if (value !== 'write-all' && value !== 'read-all') return [];
    const fix: CheckFix = { title: 'Replace with contents: read', edits: [{ range: this.src.range(entry.value), newText: '{ contents: read }' }] };
    return [this.finding(ids.excessivePermissions, this.src.spanRange(entry.keyNode, entry.value),
      `\`permissions: ${value}\` in ${where} grants every scope${value === 'write-all' ? ' with write access' : ''}; list only the scopes needed.`, fix)];
  }

  // ---- actionlint: needs ----

  private needs(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const jobs = this.jobs();
    const known = new Map(jobs.map((job) => [job.key.toLowerCase(), job.key]));
    const graph = new Map<string, { target: string; node: Node }[]>();
    for (const job of jobs) {
      const needsNode = this.src.get(job.value, 'needs');
      const items = this.src.items(needsNode);
      const list = items.length > 0 ? items : needsNode && this.src.str(needsNode) !== undefined ? [needsNode] : [];
      const edges: { target: string; node: Node }[] = [];
      for (const item of list) {
        const name = this.src.str(item);
        if (name === undefined) continue;
        if (!known.has(name.toLowerCase())) {
          findings.push(this.finding(ids.needsUnknownJob, this.src.range(item),
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
            findings.push(this.finding(ids.needsCycle, this.src.range(edge.node), `Jobs wait for each other in a cycle: ${names.join(' → ')}.`));
          }
        } else if (seen === undefined) {
          state.set(edge.target, 'visiting');
          stack.push({ job: edge.target, next: 0 });
        }
      }
    }
    return findings;
  }

  // ---- actionlint: cron ----

  private cron(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const schedule = this.src.get(this.src.get(this.root, 'on'), 'schedule');
    for (const item of this.src.items(schedule)) {
      const cronNode = this.src.get(item, 'cron');
      const expression = this.src.str(cronNode);
      if (!cronNode || expression === undefined) continue;
      const error = cronError(expression);
      if (error) findings.push(this.finding(ids.invalidCron, this.src.range(cronNode), `Invalid cron "${expression}": ${error}.`));
    }
    return findings;
  }

  // ---- zizmor: unpinned-images, hardcoded-container-credentials ----

  private containers(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const job of this.jobs()) {
      const container = this.src.get(job.value, 'container');
      if (container) findings.push(...this.containerFindings(container, `job "${job.key}"`));
      for (const service of this.src.entries(this.src.get(job.value, 'services'))) {
        if (service.value) findings.push(...this.containerFindings(service.value, `service "${service.key}" of job "${job.key}"`));
      }
    }
    return findings;
  }

  private containerFindings(container: Node, where: string): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const imageNode = this.src.str(container) !== undefined ? container : this.src.get(container, 'image');
    const image = this.src.str(imageNode);
    if (imageNode && image !== undefined) findings.push(...this.imageFindings(imageNode, image, where));
    const password = this.src.at(container, 'credentials', 'password');
    const passwordText = this.src.str(password);
    if (password && passwordText !== undefined && passwordText !== '' && !passwordText.includes('${{')) {
      findings.push(this.finding(ids.hardcodedContainerCredentials, this.src.range(password),
        `The registry password of ${where} is written in the workflow; use \`\${{ secrets.… }}\`.`));
    }
    return findings;
  }

  private imageFindings(node: Node, image: string, where: string): RuleFinding[] {
    const findings: RuleFinding[] = [];
    if (image.trim() === '') return findings;
    const pinning = imagePinning(image);
    if (pinning !== 'digest' && pinning !== 'templated') {
      const how = pinning === 'latest' ? 'uses the floating `latest` tag' : pinning === 'untagged' ? 'has no tag (so `latest`)' : 'is pinned by tag, not by digest';
      findings.push(this.finding(ids.unpinnedImages, this.src.range(node), `The image \`${image}\` of ${where} ${how}.`));
    }
    if (!isTrustedImage(image, this.options.trustedRegistries)) {
      findings.push(this.finding(ids.untrustedRegistry, this.src.range(node), `The image \`${image}\` of ${where} comes from ${imageRegistry(image)}, which is not in trustedRegistries (${this.options.trustedRegistries.join(', ')}).`));
    }
    return findings;
  }

  private dockerActionImage(): RuleFinding[] {
    const runs = this.src.get(this.root, 'runs');
    if (this.src.str(this.src.get(runs, 'using')) !== 'docker') return [];
    const imageNode = this.src.get(runs, 'image');
    const image = this.src.str(imageNode);
    if (!imageNode || image === undefined || !image.startsWith('docker://')) return [];
    return this.imageFindings(imageNode, image.slice('docker://'.length), 'this Docker action');
  }

  // ---- zizmor: secrets-inherit ----

  private secretsInherit(): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const job of this.jobs()) {
      const secrets = this.src.entry(job.value, 'secrets');
      if (secrets && this.src.str(secrets.value) === 'inherit') {
        findings.push(this.finding(ids.secretsInherit, this.src.spanRange(secrets.keyNode, secrets.value),
          `Job "${job.key}" passes every secret of this repository to the reusable workflow it calls.`));
      }
    }
    return findings;
  }
}

/** zizmor's public audit id of each of our rules (for `# zizmor: ignore[…]`). */
function zizmorIds(ruleId: string): string[] {
  const rule = ACTIONS_RULES.find((candidate) => candidate.id === ruleId);
  return rule ? [...rule.references, ruleId.slice(ruleId.indexOf('/') + 1)] : [];
}

/** Drops findings with a `# zizmor: ignore[rule, …]` comment on one of their lines. */
function withoutIgnored(src: YamlSource, findings: RuleFinding[]): RuleFinding[] {
  return findings.filter((finding) => {
    const names = zizmorIds(finding.ruleId);
    for (const comment of src.commentsIn(finding.range)) {
      const match = /zizmor:\s*ignore\[([^\]]*)\]/.exec(comment.text);
      if (!match) continue;
      const ignored = (match[1] ?? '').split(',').map((name) => name.trim());
      if (ignored.some((name) => names.includes(name))) return false;
    }
    return true;
  });
}

function checkActionsFile(file: CheckedFile, options: CheckOptions): RuleFinding[] {
  const parsed = parseYamlSource(file.text);
  if (!(parsed instanceof YamlSource)) return [yamlSyntaxFinding(ids.yamlSyntax, parsed)];
  if (parsed.syntaxError) return [yamlSyntaxFinding(ids.yamlSyntax, parsed.syntaxError)];
  const roots = parsed.mappingDocuments();
  const root = roots[0];
  if (!root) {
    // an empty file or a comment-only file is a file GitHub would refuse, but it is not a file we can check further
    const nonEmpty = parsed.documents.some((doc) => doc.contents !== null);
    return nonEmpty ? [{ ruleId: ids.yamlSyntax, range: parsed.range(parsed.documents[0]?.contents ?? null), message: 'The top level of a workflow or action must be a mapping.' }] : [];
  }
  return withoutIgnored(parsed, new ActionsFileChecker(parsed, root, file, options).run());
}

export const actionsRuleSet: CheckRuleSet = {
  kinds: ['github-workflow', 'github-action'],
  rules: ACTIONS_RULES,
  check: checkActionsFile,
};
