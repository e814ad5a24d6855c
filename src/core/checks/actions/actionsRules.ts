// The GitHub Actions rules as data: zizmor's security audits and actionlint's correctness checks, under our own ids.
import type { CheckFileKind, CheckRule } from '../checkTypes';

const KINDS: readonly CheckFileKind[] = ['github-workflow', 'github-action'];
const WORKFLOW: readonly CheckFileKind[] = ['github-workflow'];

export const ACTIONS_RULE_IDS = {
  yamlSyntax: 'actions/yaml-syntax',
  templateInjection: 'actions/template-injection',
  dangerousTriggers: 'actions/dangerous-triggers',
  excessivePermissions: 'actions/excessive-permissions',
  unpinnedUses: 'actions/unpinned-uses',
  artipacked: 'actions/artipacked',
  secretsInherit: 'actions/secrets-inherit',
  githubEnv: 'actions/github-env',
  unpinnedImages: 'actions/unpinned-images',
  hardcodedContainerCredentials: 'actions/hardcoded-container-credentials',
  unknownKey: 'actions/unknown-key',
  needsUnknownJob: 'actions/needs-unknown-job',
  needsCycle: 'actions/needs-cycle',
  invalidCron: 'actions/invalid-cron',
  malformedUses: 'actions/malformed-uses',
  invalidStep: 'actions/invalid-step',
  missingKey: 'actions/missing-key',
  untrustedRegistry: 'actions/untrusted-registry',
  invalidPermission: 'actions/invalid-permission',
} as const;

const ids = ACTIONS_RULE_IDS;

export const ACTIONS_RULES: readonly CheckRule[] = [
  {
    id: ids.yamlSyntax, title: 'Workflow or action is not valid YAML', severity: 'error', kinds: KINDS,
    references: ['syntax-check'],
    help: 'GitHub refuses to run a workflow or action file that is not valid YAML (duplicate keys included). Fix the syntax at the reported line; nothing else in the file was checked.',
  },
  {
    id: ids.templateInjection, title: 'Attacker-controlled expression expanded into a script', severity: 'error', kinds: KINDS,
    references: ['template-injection'],
    help: 'A `${{ … }}` expression is pasted into the script text before the shell runs it, so an issue title, comment, commit message or branch name containing `$(…)` or quotes runs as code with the job\'s token. Pass the value through an environment variable instead: `env: TITLE: ${{ github.event.issue.title }}` and use "$TITLE" in the script.',
  },
  {
    id: ids.dangerousTriggers, title: 'Workflow runs with write access on events from forks', severity: 'warning', kinds: WORKFLOW,
    references: ['dangerous-triggers'],
    help: '`pull_request_target` and `workflow_run` run in the context of the base repository, with its secrets and a write-capable token, on events anyone with a fork can cause. Checking out or building the pull request\'s code there hands that access to its author. Prefer `pull_request`; if you need the privileged trigger, never check out or run the head\'s code and keep `permissions:` minimal.',
  },
  {
    id: ids.excessivePermissions, title: 'GITHUB_TOKEN permissions broader than the job needs', severity: 'warning', kinds: WORKFLOW,
    references: ['excessive-permissions'],
    help: 'Without a `permissions:` block the token gets the repository default (often write to everything); `write-all`/`read-all` and write scopes at the workflow level give every job more than it uses. A compromised step can then push code, publish releases or approve pull requests. Set `permissions: {}` (or `contents: read`) at the top and grant each job only the scopes it needs.',
  },
  {
    id: ids.unpinnedUses, title: 'Action or reusable workflow not pinned to a full commit SHA', severity: 'warning', kinds: KINDS,
    references: ['unpinned-uses'],
    help: 'Tags and branches can be moved by whoever controls the action\'s repository (or steals its credentials), and the new code runs with your secrets; only a full 40-character commit SHA is immutable. Pin `uses: owner/repo@<sha> # vX.Y.Z` (Dependabot and Renovate keep such pins current). Owners you trust can be allowed in `.devops-agent.yaml` (`allowedActionOwners`).',
  },
  {
    id: ids.artipacked, title: 'actions/checkout leaves the token in .git/config', severity: 'warning', kinds: KINDS,
    references: ['artipacked'],
    help: 'By default actions/checkout writes the job\'s token into .git/config, where any later step (and any artifact that uploads the working directory) can read it. Set `persist-credentials: false` under `with:` unless a later step pushes with git.',
  },
  {
    id: ids.secretsInherit, title: 'Reusable workflow receives every secret', severity: 'warning', kinds: WORKFLOW,
    references: ['secrets-inherit'],
    help: '`secrets: inherit` passes all of the caller\'s secrets to the called workflow, whatever it needs. Pass only the secrets it uses: `secrets: { NPM_TOKEN: ${{ secrets.NPM_TOKEN }} }`.',
  },
  {
    id: ids.githubEnv, title: 'Untrusted value written to GITHUB_ENV or GITHUB_PATH', severity: 'error', kinds: KINDS,
    references: ['github-env'],
    help: 'Lines written to $GITHUB_ENV or $GITHUB_PATH set variables and executable paths for every later step; if the value can come from an outsider (a privileged trigger, a composite action\'s caller), `LD_PRELOAD`, `NODE_OPTIONS` or a PATH entry turns it into code execution. Use step outputs (`$GITHUB_OUTPUT`) or validate the value before writing it.',
  },
  {
    id: ids.unpinnedImages, title: 'Job container or service image not pinned', severity: 'warning', kinds: KINDS,
    references: ['unpinned-images'],
    help: 'An image without a tag or with `:latest` changes under you, and even a tag can be re-pushed; the job then runs whatever the registry serves. Pin the image by digest: `image: postgres:16@sha256:…`.',
  },
  {
    id: ids.hardcodedContainerCredentials, title: 'Registry password written in the workflow', severity: 'error', kinds: WORKFLOW,
    references: ['hardcoded-container-credentials'],
    help: 'A `credentials.password` written as plain text is readable by everyone who can read the repository and stays in its history. Store it as an encrypted secret and reference it: `password: ${{ secrets.REGISTRY_PASSWORD }}`; rotate the exposed one.',
  },
  {
    id: ids.unknownKey, title: 'Unknown key in workflow, job, step or action', severity: 'error', kinds: KINDS,
    references: ['syntax-check'],
    help: 'GitHub rejects a workflow with a key it does not know (a typo such as `runs_on` or `step:`), or silently ignores it in an action. Use one of the keys GitHub documents for that place.',
  },
  {
    id: ids.needsUnknownJob, title: '`needs` names a job that does not exist', severity: 'error', kinds: WORKFLOW,
    references: ['job-needs'],
    help: 'A job can only wait for a job defined in the same workflow; GitHub refuses the workflow otherwise. Fix the job id (ids are case-insensitive) or remove it from `needs`.',
  },
  {
    id: ids.needsCycle, title: 'Jobs wait for each other in a cycle', severity: 'error', kinds: WORKFLOW,
    references: ['job-needs'],
    help: 'Jobs whose `needs` form a cycle can never start, and GitHub refuses the workflow. Remove one dependency of the cycle.',
  },
  {
    id: ids.invalidCron, title: 'Invalid cron expression in on.schedule', severity: 'error', kinds: WORKFLOW,
    references: ['events'],
    help: 'GitHub accepts POSIX cron with five fields (minute 0-59, hour 0-23, day of month 1-31, month 1-12 or JAN-DEC, day of week 0-6 or SUN-SAT), with `*`, ranges, steps and lists. An invalid expression means the schedule never fires.',
  },
  {
    id: ids.malformedUses, title: 'Malformed `uses:` reference', severity: 'error', kinds: KINDS,
    references: ['action', 'syntax-check'],
    help: '`uses:` must be `owner/repo@ref`, `owner/repo/path@ref`, a local `./path`, or `docker://image`; expressions are not allowed there. A reference without `@ref` fails when the job starts.',
  },
  {
    id: ids.invalidStep, title: 'Step needs exactly one of `uses` and `run`', severity: 'error', kinds: KINDS,
    references: ['syntax-check'],
    help: 'Each step either runs an action (`uses:`) or a script (`run:`), never both and never neither; GitHub refuses the workflow otherwise. Split the step in two or add the missing key.',
  },
  {
    id: ids.missingKey, title: 'Required key missing', severity: 'error', kinds: KINDS,
    references: ['syntax-check'],
    help: 'A workflow needs `on` and `jobs`; a job needs `runs-on` and `steps` unless it calls a reusable workflow with `uses`; an action needs `runs` with `using`. GitHub refuses the file without them. Add the missing key.',
  },
  {
    id: ids.untrustedRegistry, title: 'Image from a registry that is not trusted', severity: 'error', kinds: KINDS,
    references: ['DL3026'],
    help: 'The workspace lists trusted registries in .devops-agent.yaml (`trustedRegistries`); this container, service or docker:// image comes from another one. Pull it from a trusted registry (mirror it there) or add the registry to the list.',
  },
  {
    id: ids.invalidPermission, title: 'Invalid value for a permission scope', severity: 'error', kinds: WORKFLOW,
    references: ['permissions'],
    help: 'Each scope of `permissions:` takes `read`, `write` or `none` (lower case); `id-token` takes only `write` or `none`, `models` only `read` or `none`. GitHub refuses the workflow otherwise.',
  },
];
