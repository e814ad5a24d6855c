// zizmor's security audits of a workflow or action: template injection, GITHUB_ENV writes, persisted checkout
// credentials, unpinned actions and images, dangerous triggers, broad permissions, inherited secrets.
import type { Node, Scalar, YAMLMap } from 'yaml';
import type { CheckFix, RuleFinding } from '../checkTypes';
import { imagePinning, imageRegistry, isTrustedImage } from '../imageReference';
import type { YamlEntry } from '../yaml/yamlSource';
import type { ActionsDocument, StepContext } from './actionsDocument';
import { DANGEROUS_TRIGGERS } from './actionsDocument';
import { ACTIONS_RULE_IDS as ids } from './actionsRules';
import { contextPaths, findExpressions, isAttackerControlled } from './workflowExpressions';

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

export function checkStep(doc: ActionsDocument, step: StepContext): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const uses = doc.src.entry(step.node, 'uses');
  const run = doc.src.entry(step.node, 'run');
  const first = step.node.items[0]?.key as Node | undefined;
  const stepRange = first ? doc.src.range(first) : doc.src.range(step.node);
  if (uses && run) findings.push(doc.finding(ids.invalidStep, stepRange, 'This step has both `uses` and `run`; a step does one or the other.'));
  else if (!uses && !run) findings.push(doc.finding(ids.invalidStep, stepRange, 'This step has neither `uses` nor `run`.'));
  if (run?.value) findings.push(...runScript(doc, run.value, step));
  const usesText = doc.src.str(uses?.value);
  const sinks = usesText ? SCRIPT_INPUTS.get(usesText.split('@')[0]?.toLowerCase() ?? '') : undefined;
  for (const input of doc.src.entries(doc.src.get(step.node, 'with'))) {
    if (sinks?.includes(input.key.toLowerCase()) && input.value) findings.push(...templateInjection(doc, input.value, `with.${input.key}`));
  }
  if (usesText && /^actions\/checkout@/i.test(usesText) && uses) findings.push(...artipacked(doc, step.node, uses));
  return findings;
}

function runScript(doc: ActionsDocument, run: Node, step: StepContext): RuleFinding[] {
  const findings = templateInjection(doc, run, 'run');
  const writesAreDangerous = !doc.isWorkflow || doc.hasDangerousTrigger();
  if (writesAreDangerous) findings.push(...githubEnv(doc, run, step));
  return findings;
}

// zizmor: template-injection

function templateInjection(doc: ActionsDocument, node: Node, where: string): RuleFinding[] {
  const span = node.range;
  if (!span) return [];
  const raw = doc.src.text.slice(span[0], span[1]);
  const findings: RuleFinding[] = [];
  for (const expression of findExpressions(raw)) {
    // a composite action's inputs come from whichever workflow calls it
    const dangerous = contextPaths(expression.body).filter((path) => isAttackerControlled(path) || (!doc.isWorkflow && path.startsWith('inputs.')));
    if (dangerous.length === 0) continue;
    const range = doc.src.offsetRange(span[0] + expression.start, span[0] + expression.end);
    const path = dangerous[0] as string;
    const who = path.startsWith('inputs.') ? 'is chosen by whichever workflow calls this action' : 'can be set by an outsider';
    findings.push(doc.finding(ids.templateInjection, range,
      `\`${path}\` ${who} and is expanded straight into \`${where}\`; pass it through \`env:\` and use the variable instead.`));
  }
  return findings;
}

// zizmor: github-env

function githubEnv(doc: ActionsDocument, run: Node, _step: StepContext): RuleFinding[] {
  const span = run.range;
  if (!span) return [];
  const raw = doc.src.text.slice(span[0], span[1]);
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
        const range = doc.src.offsetRange(start, span[0] + offset + line.trimEnd().length);
        findings.push(doc.finding(ids.githubEnv, range,
          `Writes a computed value to GITHUB_${which}${doc.isWorkflow ? ' in a workflow with a privileged trigger' : ' in an action any workflow may call'}; later steps run with it.`));
      }
    }
    offset += line.length + 1;
  }
  return findings;
}

// zizmor: artipacked

function artipacked(doc: ActionsDocument, step: YAMLMap, uses: YamlEntry): RuleFinding[] {
  const withEntry = doc.src.entry(step, 'with');
  const persist = doc.src.get(withEntry?.value, 'persist-credentials');
  if (persist) return [];
  const range = doc.src.range(uses.value);
  return [doc.finding(ids.artipacked, range, 'actions/checkout does not set `persist-credentials: false`; the token stays in .git/config for every later step.',
    persistCredentialsFix(doc, step, uses, withEntry))];
}

function persistCredentialsFix(doc: ActionsDocument, step: YAMLMap, uses: YamlEntry, withEntry: YamlEntry | undefined): CheckFix | undefined {
  const keyRange = doc.src.range(uses.keyNode);
  const indent = ' '.repeat(keyRange.column - 1);
  if (withEntry) {
    const withMap = doc.src.map(withEntry.value);
    const firstKey = withMap?.items[0]?.key as Scalar | undefined;
    if (!withMap || !firstKey || withMap.flow) return undefined;
    const at = doc.src.range(firstKey);
    const insert = { line: at.line, column: 1, endLine: at.line, endColumn: 1 };
    return { title: 'Set persist-credentials: false', edits: [{ range: insert, newText: `${' '.repeat(at.column - 1)}persist-credentials: false\n` }] };
  }
  if (step.flow) return undefined;
  const valueRange = doc.src.range(uses.value);
  const lineEnd = doc.lineEnd(valueRange.endLine);
  const at = { line: valueRange.endLine, column: lineEnd, endLine: valueRange.endLine, endColumn: lineEnd };
  return { title: 'Set persist-credentials: false', edits: [{ range: at, newText: `\n${indent}with:\n${indent}  persist-credentials: false` }] };
}

export function uses(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const { value, text, isJob } of doc.allUses()) {
    const range = doc.src.range(value);
    const uses = text.trim();
    if (uses.includes('${{')) {
      findings.push(doc.finding(ids.malformedUses, range, `\`uses: ${uses}\` contains an expression; GitHub resolves \`uses:\` before expressions are evaluated.`));
      continue;
    }
    if (uses.startsWith('./')) continue;
    if (uses.startsWith('docker://')) {
      if (isJob || uses.length <= 'docker://'.length || uses.endsWith(':')) {
        findings.push(doc.finding(ids.malformedUses, range, isJob ? 'A job can only call a reusable workflow, not `docker://`.' : `\`${uses}\` needs an image name and, after \`:\`, a tag.`));
        continue;
      }
      const image = uses.slice('docker://'.length);
      const pinning = imagePinning(image);
      if (pinning !== 'digest' && pinning !== 'templated') {
        findings.push(doc.finding(ids.unpinnedUses, range, `\`${uses}\` is not pinned by digest (\`@sha256:…\`); the image behind the tag can change.`));
      }
      if (!isTrustedImage(image, doc.options.trustedRegistries)) {
        findings.push(doc.finding(ids.untrustedRegistry, range, `\`${uses}\` comes from ${imageRegistry(image)}, which is not in trustedRegistries (${doc.options.trustedRegistries.join(', ')}).`));
      }
      continue;
    }
    const match = REMOTE_USES.exec(uses);
    if (!match) {
      const expected = isJob ? '`owner/repo/.github/workflows/file.yml@ref` or `./.github/workflows/file.yml`' : '`owner/repo@ref`, `owner/repo/path@ref`, `./path` or `docker://image`';
      findings.push(doc.finding(ids.malformedUses, range, `\`uses: ${uses}\` is malformed; expected ${expected}.`));
      continue;
    }
    const owner = match[1] as string;
    const repo = match[2] as string;
    const ref = match[4] as string;
    if (isJob && !/\.ya?ml$/.test(match[3] ?? '')) {
      findings.push(doc.finding(ids.malformedUses, range, `\`uses: ${uses}\` on a job must name a workflow file (\`owner/repo/.github/workflows/file.yml@ref\`).`));
      continue;
    }
    if (FULL_SHA.test(ref)) continue;
    if (ownerAllowed(doc, owner, repo)) continue;
    const what = isJob ? 'reusable workflow' : 'action';
    const hint = /^[0-9a-f]{7,39}$/i.test(ref) ? ' (an abbreviated SHA can be made ambiguous)' : '';
    findings.push(doc.finding(ids.unpinnedUses, range,
      `The ${what} \`${owner}/${repo}${match[3] ?? ''}\` is pinned to \`${ref}\`${hint}, not to a full 40-character commit SHA.`));
  }
  return findings;
}

function ownerAllowed(doc: ActionsDocument, owner: string, repo: string): boolean {
  const wanted = owner.toLowerCase();
  return doc.options.allowedActionOwners.some((allowed) => {
    const entry = allowed.trim().toLowerCase().replace(/\/\*$/, '');
    return entry === wanted || entry === `${wanted}/${repo.toLowerCase()}`;
  });
}

// zizmor: dangerous-triggers

export function dangerousTriggers(doc: ActionsDocument): RuleFinding[] {
  return doc.triggerNames()
    .filter((trigger) => DANGEROUS_TRIGGERS.includes(trigger.name))
    .map((trigger) => doc.finding(ids.dangerousTriggers, doc.src.range(trigger.node),
      `\`${trigger.name}\` runs with the base repository's secrets and a write token on events from forks; never check out or run the incoming code here.`));
}

// zizmor: excessive-permissions

export function permissions(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const workflowPermissions = doc.src.entry(doc.root, 'permissions');
  const jobs = doc.jobs();
  const reusableOnly = doc.triggerNames().length > 0 && doc.triggerNames().every((trigger) => trigger.name === 'workflow_call');
  if (workflowPermissions) {
    findings.push(...broadPermissions(doc, workflowPermissions, 'the workflow'));
    const scopes = doc.src.entries(workflowPermissions.value);
    if (jobs.length > 1) {
      for (const scope of scopes) {
        if (doc.src.str(scope.value) === 'write') {
          findings.push(doc.finding(ids.excessivePermissions, doc.src.spanRange(scope.keyNode, scope.value),
            `\`${scope.key}: write\` at the workflow level gives all ${jobs.length} jobs write access; grant it in the job that needs it.`));
        }
      }
    }
  } else if (!reusableOnly) {
    for (const job of jobs) {
      if (doc.src.get(job.value, 'uses')) continue;
      if (doc.src.entry(job.value, 'permissions')) continue;
      findings.push(doc.finding(ids.excessivePermissions, doc.src.range(job.keyNode),
        `Job "${job.key}" runs with the repository's default token permissions: there is no \`permissions:\` block in the workflow or the job.`));
    }
  }
  for (const job of jobs) {
    const jobPermissions = doc.src.entry(job.value, 'permissions');
    if (jobPermissions) findings.push(...broadPermissions(doc, jobPermissions, `job "${job.key}"`));
  }
  return findings;
}

function broadPermissions(doc: ActionsDocument, entry: YamlEntry, where: string): RuleFinding[] {
  const value = doc.src.str(entry.value);
  if (value !== 'write-all' && value !== 'read-all') return [];
  const fix: CheckFix = { title: 'Replace with contents: read', edits: [{ range: doc.src.range(entry.value), newText: '{ contents: read }' }] };
  return [doc.finding(ids.excessivePermissions, doc.src.spanRange(entry.keyNode, entry.value),
    `\`permissions: ${value}\` in ${where} grants every scope${value === 'write-all' ? ' with write access' : ''}; list only the scopes needed.`, fix)];
}

// zizmor: unpinned-images, hardcoded-container-credentials

export function containers(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const job of doc.jobs()) {
    const container = doc.src.get(job.value, 'container');
    if (container) findings.push(...containerFindings(doc, container, `job "${job.key}"`));
    for (const service of doc.src.entries(doc.src.get(job.value, 'services'))) {
      if (service.value) findings.push(...containerFindings(doc, service.value, `service "${service.key}" of job "${job.key}"`));
    }
  }
  return findings;
}

function containerFindings(doc: ActionsDocument, container: Node, where: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const imageNode = doc.src.str(container) !== undefined ? container : doc.src.get(container, 'image');
  const image = doc.src.str(imageNode);
  if (imageNode && image !== undefined) findings.push(...imageFindings(doc, imageNode, image, where));
  const password = doc.src.at(container, 'credentials', 'password');
  const passwordText = doc.src.str(password);
  if (password && passwordText !== undefined && passwordText !== '' && !passwordText.includes('${{')) {
    findings.push(doc.finding(ids.hardcodedContainerCredentials, doc.src.range(password),
      `The registry password of ${where} is written in the workflow; use \`\${{ secrets.… }}\`.`));
  }
  return findings;
}

function imageFindings(doc: ActionsDocument, node: Node, image: string, where: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  if (image.trim() === '') return findings;
  const pinning = imagePinning(image);
  if (pinning !== 'digest' && pinning !== 'templated') {
    const how = pinning === 'latest' ? 'uses the floating `latest` tag' : pinning === 'untagged' ? 'has no tag (so `latest`)' : 'is pinned by tag, not by digest';
    findings.push(doc.finding(ids.unpinnedImages, doc.src.range(node), `The image \`${image}\` of ${where} ${how}.`));
  }
  if (!isTrustedImage(image, doc.options.trustedRegistries)) {
    findings.push(doc.finding(ids.untrustedRegistry, doc.src.range(node), `The image \`${image}\` of ${where} comes from ${imageRegistry(image)}, which is not in trustedRegistries (${doc.options.trustedRegistries.join(', ')}).`));
  }
  return findings;
}

export function dockerActionImage(doc: ActionsDocument): RuleFinding[] {
  const runs = doc.src.get(doc.root, 'runs');
  if (doc.src.str(doc.src.get(runs, 'using')) !== 'docker') return [];
  const imageNode = doc.src.get(runs, 'image');
  const image = doc.src.str(imageNode);
  if (!imageNode || image === undefined || !image.startsWith('docker://')) return [];
  return imageFindings(doc, imageNode, image.slice('docker://'.length), 'this Docker action');
}

// zizmor: secrets-inherit

export function secretsInherit(doc: ActionsDocument): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const job of doc.jobs()) {
    const secrets = doc.src.entry(job.value, 'secrets');
    if (secrets && doc.src.str(secrets.value) === 'inherit') {
      findings.push(doc.finding(ids.secretsInherit, doc.src.spanRange(secrets.keyNode, secrets.value),
        `Job "${job.key}" passes every secret of this repository to the reusable workflow it calls.`));
    }
  }
  return findings;
}
