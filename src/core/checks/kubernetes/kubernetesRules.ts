// The Kubernetes manifest rules as data: kube-linter's default checks (and kube-score's probes) under our own ids.
import type { CheckFileKind, CheckRule } from '../checkTypes';

const KINDS: readonly CheckFileKind[] = ['kubernetes'];

export const KUBERNETES_RULE_IDS = {
  yamlSyntax: 'kubernetes/yaml-syntax',
  latestTag: 'kubernetes/latest-tag',
  privilegedContainer: 'kubernetes/privileged-container',
  privilegeEscalation: 'kubernetes/privilege-escalation-container',
  runAsNonRoot: 'kubernetes/run-as-non-root',
  readOnlyRootFs: 'kubernetes/no-read-only-root-fs',
  hostNetwork: 'kubernetes/host-network',
  hostPid: 'kubernetes/host-pid',
  hostIpc: 'kubernetes/host-ipc',
  dockerSock: 'kubernetes/docker-sock',
  unsetCpu: 'kubernetes/unset-cpu-requirements',
  unsetMemory: 'kubernetes/unset-memory-requirements',
  envVarSecret: 'kubernetes/env-var-secret',
  noLivenessProbe: 'kubernetes/no-liveness-probe',
  noReadinessProbe: 'kubernetes/no-readiness-probe',
  untrustedRegistry: 'kubernetes/untrusted-registry',
} as const;

const ids = KUBERNETES_RULE_IDS;

export const KUBERNETES_RULES: readonly CheckRule[] = [
  {
    id: ids.yamlSyntax, title: 'Manifest is not valid YAML', severity: 'error', kinds: KINDS, references: [],
    help: 'kubectl and Helm refuse a manifest that is not valid YAML (duplicate keys included). Fix the syntax at the reported line; nothing else in the file was checked.',
  },
  {
    id: ids.latestTag, title: 'Container image with no tag or `:latest`', severity: 'warning', kinds: KINDS,
    references: ['latest-tag', 'container-image-tag'],
    help: 'An image without a tag (which means `latest`) or with `:latest` changes whenever someone pushes, so two pods of the same Deployment can run different code and a rollback does not roll back. Use a versioned tag, ideally with its digest: `image: app:1.4.2@sha256:…`.',
  },
  {
    id: ids.privilegedContainer, title: 'Privileged container', severity: 'error', kinds: KINDS,
    references: ['privileged-container', 'container-security-context-privileged'],
    help: 'A privileged container has every capability and the host\'s devices; escaping to the node is trivial. Remove `securityContext.privileged: true` and add only the capabilities the process needs.',
  },
  {
    id: ids.privilegeEscalation, title: 'Container allows privilege escalation', severity: 'warning', kinds: KINDS,
    references: ['privilege-escalation-container'],
    help: '`allowPrivilegeEscalation: true` lets a process gain more privileges than its parent (setuid binaries, file capabilities). Set `securityContext.allowPrivilegeEscalation: false`.',
  },
  {
    id: ids.runAsNonRoot, title: 'Container may run as root', severity: 'warning', kinds: KINDS,
    references: ['run-as-non-root', 'container-security-context-user-group-id'],
    help: 'Unless `runAsNonRoot: true` or a non-zero `runAsUser` is set (on the container or the pod), the container runs as the image\'s user, often root, and a container escape lands as root on the node. Set `securityContext.runAsNonRoot: true` with a non-zero `runAsUser`, and avoid `runAsGroup: 0`.',
  },
  {
    id: ids.readOnlyRootFs, title: 'Root file system is writable', severity: 'warning', kinds: KINDS,
    references: ['no-read-only-root-fs', 'container-security-context-readonlyrootfilesystem'],
    help: 'A writable root file system lets an intruder change binaries and configuration inside the container. Set `securityContext.readOnlyRootFilesystem: true` and mount an `emptyDir` where the process must write.',
  },
  {
    id: ids.hostNetwork, title: 'Pod shares the host network', severity: 'error', kinds: KINDS, references: ['host-network'],
    help: '`hostNetwork: true` puts the pod on the node\'s network stack: it can bind node ports and reach services listening on localhost. Remove it and expose ports through a Service.',
  },
  {
    id: ids.hostPid, title: 'Pod shares the host process namespace', severity: 'error', kinds: KINDS, references: ['host-pid'],
    help: '`hostPID: true` lets the pod see and signal every process on the node, and read their environment. Remove it.',
  },
  {
    id: ids.hostIpc, title: 'Pod shares the host IPC namespace', severity: 'error', kinds: KINDS, references: ['host-ipc'],
    help: '`hostIPC: true` gives the pod the node\'s shared memory and semaphores, visible to every other process on the node. Remove it.',
  },
  {
    id: ids.dockerSock, title: 'Docker socket mounted into the pod', severity: 'error', kinds: KINDS, references: ['docker-sock'],
    help: 'Whoever can talk to /var/run/docker.sock can start a privileged container on the node: mounting it is root on the node. Use a rootless builder (BuildKit, kaniko) or the Kubernetes API instead.',
  },
  {
    id: ids.unsetCpu, title: 'No CPU request', severity: 'warning', kinds: KINDS,
    references: ['unset-cpu-requirements', 'container-resources'],
    help: 'Without `resources.requests.cpu` the scheduler places the pod as if it needed no CPU, so nodes get overcommitted and the pod is the first to be starved. Set a CPU request that matches normal load.',
  },
  {
    id: ids.unsetMemory, title: 'No memory limit', severity: 'warning', kinds: KINDS,
    references: ['unset-memory-requirements', 'container-resources'],
    help: 'Without `resources.limits.memory` one leaking container can use all of the node\'s memory and get other pods killed. Set a memory limit (and a request).',
  },
  {
    id: ids.envVarSecret, title: 'Secret written as a plain environment value', severity: 'error', kinds: KINDS,
    references: ['env-var-secret'],
    help: 'An environment variable named like a secret (password, token, secret, key) with a literal `value:` puts the secret in the manifest, in git and in `kubectl describe`. Store it in a Secret and use `valueFrom.secretKeyRef`.',
  },
  {
    id: ids.noLivenessProbe, title: 'No liveness probe', severity: 'note', kinds: KINDS,
    references: ['no-liveness-probe', 'pod-probes'],
    help: 'Without a liveness probe a container that hangs (deadlock, stuck event loop) keeps receiving traffic and is never restarted. Add a `livenessProbe` that fails only when a restart would help.',
  },
  {
    id: ids.noReadinessProbe, title: 'No readiness probe', severity: 'warning', kinds: KINDS,
    references: ['no-readiness-probe', 'pod-probes'],
    help: 'Without a readiness probe a pod receives traffic as soon as its process starts, before it can serve, and during rollouts requests fail. Add a `readinessProbe` on the port it serves.',
  },
  {
    id: ids.untrustedRegistry, title: 'Image from a registry that is not trusted', severity: 'error', kinds: KINDS,
    references: ['DL3026'],
    help: 'The workspace lists trusted registries in .devops-agent.yaml (`trustedRegistries`); this container image comes from another one. Pull it from a trusted registry (mirror it there) or add the registry to the list.',
  },
];
