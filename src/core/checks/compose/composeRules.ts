// The Compose file rules as data.
import type { CheckFileKind, CheckRule } from '../checkTypes';

const KINDS: readonly CheckFileKind[] = ['compose'];

export const COMPOSE_RULE_IDS = {
  yamlSyntax: 'compose/yaml-syntax',
  privileged: 'compose/privileged',
  dockerSock: 'compose/docker-sock',
  hostNamespace: 'compose/host-namespace',
  unpinnedImage: 'compose/unpinned-image',
  plainTextSecret: 'compose/plain-text-secret',
  untrustedRegistry: 'compose/untrusted-registry',
} as const;

const ids = COMPOSE_RULE_IDS;

export const COMPOSE_RULES: readonly CheckRule[] = [
  {
    id: ids.yamlSyntax, title: 'Compose file is not valid YAML', severity: 'error', kinds: KINDS, references: [],
    help: 'docker compose refuses a file that is not valid YAML (duplicate keys included). Fix the syntax at the reported line; nothing else in the file was checked.',
  },
  {
    id: ids.privileged, title: 'Privileged service', severity: 'error', kinds: KINDS, references: ['privileged-container'],
    help: '`privileged: true` gives the container every capability and the host\'s devices; escaping to the host is trivial. Remove it and add only the capabilities needed with `cap_add`.',
  },
  {
    id: ids.dockerSock, title: 'Docker socket mounted into a service', severity: 'error', kinds: KINDS, references: ['docker-sock'],
    help: 'A container that can reach /var/run/docker.sock can start a privileged container on the host: the mount is root on the host. Remove it, or put a socket proxy that allows only the calls needed in front of it.',
  },
  {
    id: ids.hostNamespace, title: 'Service shares a host namespace', severity: 'warning', kinds: KINDS,
    references: ['host-network', 'host-pid', 'host-ipc'],
    help: '`network_mode: host`, `pid: host` or `ipc: host` remove the isolation between the service and the host: it can bind host ports, reach services on localhost, or see host processes. Publish ports with `ports:` instead.',
  },
  {
    id: ids.unpinnedImage, title: 'Image with no tag or `:latest`', severity: 'warning', kinds: KINDS,
    references: ['latest-tag', 'DL3007'],
    help: 'An image without a tag (which means `latest`) or with `:latest` changes whenever someone pushes: two machines running the same file get different software. Use a versioned tag, ideally with its digest (`postgres:16.4@sha256:…`).',
  },
  {
    id: ids.plainTextSecret, title: 'Password or token written in `environment:`', severity: 'warning', kinds: KINDS,
    references: ['env-var-secret', 'CKV_SECRET_6'],
    help: 'A password or token written in the Compose file is in git for everyone who can read the repository. Use variable substitution from an untracked `.env` (`POSTGRES_PASSWORD: ${POSTGRES_PASSWORD}`) or Compose `secrets:`.',
  },
  {
    id: ids.untrustedRegistry, title: 'Image from a registry that is not trusted', severity: 'error', kinds: KINDS,
    references: ['DL3026'],
    help: 'The workspace lists trusted registries in .devops-agent.yaml (`trustedRegistries`); this service image comes from another one. Pull it from a trusted registry (mirror it there) or add the registry to the list.',
  },
];
