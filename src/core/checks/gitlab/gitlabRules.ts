// The GitLab CI (`.gitlab-ci.yml`) rules as data.
import type { CheckFileKind, CheckRule } from '../checkTypes';

const KINDS: readonly CheckFileKind[] = ['gitlab-ci'];

export const GITLAB_RULE_IDS = {
  yamlSyntax: 'gitlab/yaml-syntax',
  unpinnedImage: 'gitlab/unpinned-image',
  onlyExcept: 'gitlab/only-except',
  secretInVariables: 'gitlab/secret-in-variables',
  untrustedRegistry: 'gitlab/untrusted-registry',
} as const;

const ids = GITLAB_RULE_IDS;

export const GITLAB_RULES: readonly CheckRule[] = [
  {
    id: ids.yamlSyntax, title: '.gitlab-ci.yml is not valid YAML', severity: 'error', kinds: KINDS, references: [],
    help: 'GitLab refuses a pipeline file that is not valid YAML (duplicate keys included). Fix the syntax at the reported line; nothing else in the file was checked.',
  },
  {
    id: ids.unpinnedImage, title: 'Job image with no tag or `:latest`', severity: 'warning', kinds: KINDS,
    references: ['latest-tag', 'DL3007'],
    help: 'An `image:` or `services:` entry without a tag (which means `latest`) or with `:latest` changes whenever someone pushes, so the same commit can pass today and fail tomorrow. Use a versioned tag, ideally with its digest.',
  },
  {
    id: ids.onlyExcept, title: '`only`/`except` instead of `rules`', severity: 'note', kinds: KINDS, references: ['only-except'],
    help: '`only` and `except` are deprecated in favour of `rules:`, which can express the same conditions, combine them, and set `when`/`allow_failure` per case; the two cannot be mixed in one job. Rewrite the conditions as `rules:` entries.',
  },
  {
    id: ids.secretInVariables, title: 'Password or token written in `variables:`', severity: 'error', kinds: KINDS,
    references: ['env-var-secret'],
    help: 'A secret written in .gitlab-ci.yml is readable by everyone with access to the repository and stays in its history. Define it as a masked, protected CI/CD variable in the project settings and reference it by name; rotate the exposed one.',
  },
  {
    id: ids.untrustedRegistry, title: 'Image from a registry that is not trusted', severity: 'error', kinds: KINDS,
    references: ['DL3026'],
    help: 'The workspace lists trusted registries in .devops-agent.yaml (`trustedRegistries`); this job image comes from another one. Pull it from a trusted registry (mirror it there) or add the registry to the list.',
  },
];
