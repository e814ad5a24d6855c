// Kubernetes manifests (any YAML whose documents carry apiVersion + kind, multi-document): kube-linter's default
// checks over every workload's pod template, honouring `ignore-check.kube-linter.io/<check>` annotations.
import type { Node, YAMLMap } from 'yaml';
import type { CheckFix, CheckOptions, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import { imagePinning, imageRegistry, isTrustedImage } from '../imageReference';
import { YamlSource, parseYamlSource, runRuleFunctions, yamlSyntaxFinding } from '../yaml/yamlSource';
import { KUBERNETES_RULES, KUBERNETES_RULE_IDS as ids } from './kubernetesRules';

// Where each workload kind keeps its pod spec.
const POD_SPEC_PATHS: ReadonlyMap<string, readonly string[]> = new Map([
  ['Pod', ['spec']],
  ['PodTemplate', ['template', 'spec']],
  ['Deployment', ['spec', 'template', 'spec']],
  ['StatefulSet', ['spec', 'template', 'spec']],
  ['DaemonSet', ['spec', 'template', 'spec']],
  ['ReplicaSet', ['spec', 'template', 'spec']],
  ['ReplicationController', ['spec', 'template', 'spec']],
  ['Job', ['spec', 'template', 'spec']],
  ['DeploymentConfig', ['spec', 'template', 'spec']],
  ['CronJob', ['spec', 'jobTemplate', 'spec', 'template', 'spec']],
]);
// Run-to-completion workloads: nothing sends them traffic, so probes do not apply.
const BATCH_KINDS = new Set(['Job', 'CronJob']);
const SECRET_ENV_NAME = /secret|password|passwd|token|api[_-]?key|private[_-]?key|credential/i;
const DOCKER_SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock', '/var/run/docker', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/var/run/crio/crio.sock']);

/** One Kubernetes object (a document, or an item of a `List`). */
interface KubeObject {
  readonly node: YAMLMap;
  readonly kind: string;
  readonly name: string;
}

interface Container {
  readonly node: YAMLMap;
  readonly name: string;
  readonly init: boolean;
}

class ManifestChecker {
  constructor(private readonly src: YamlSource, private readonly options: CheckOptions) {}

  objects(): KubeObject[] {
    const out: KubeObject[] = [];
    const add = (node: unknown, depth: number): void => {
      const map = this.src.map(node);
      if (!map) return;
      const apiVersion = this.src.str(this.src.get(map, 'apiVersion'));
      const kind = this.src.str(this.src.get(map, 'kind'));
      // documents without apiVersion + kind are not Kubernetes objects (any YAML reaches this rule set)
      if (!apiVersion || !kind) return;
      if (kind.endsWith('List') && depth === 0) {
        for (const item of this.src.items(this.src.get(map, 'items'))) add(item, depth + 1);
        return;
      }
      out.push({ node: map, kind, name: this.src.str(this.src.at(map, 'metadata', 'name')) ?? '(unnamed)' });
    };
    for (const root of this.src.mappingDocuments()) add(root, 0);
    return out;
  }

  check(object: KubeObject): RuleFinding[] {
    const path = POD_SPEC_PATHS.get(object.kind);
    if (!path) return [];
    const podSpec = this.src.map(this.src.at(object.node, ...path));
    if (!podSpec) return [];
    const containers = this.containers(podSpec);
    const label = `${object.kind} "${object.name}"`;
    const findings = runRuleFunctions([
      () => this.hostNamespaces(podSpec, label),
      () => this.dockerSocket(podSpec, label),
      () => containers.flatMap((container) => this.containerFindings(object, podSpec, container)),
    ], ids.yamlSyntax);
    // the pod template's own annotations count too (kube-score reads them there)
    const template = this.src.at(object.node, ...path.slice(0, -1), 'metadata', 'annotations');
    return withoutIgnoredChecks(this.src, [this.src.at(object.node, 'metadata', 'annotations'), template], findings);
  }

  private containers(podSpec: YAMLMap): Container[] {
    const out: Container[] = [];
    for (const [key, init] of [['initContainers', true], ['containers', false]] as const) {
      for (const item of this.src.items(this.src.get(podSpec, key))) {
        const node = this.src.map(item);
        if (node) out.push({ node, name: this.src.str(this.src.get(node, 'name')) ?? '(unnamed)', init });
      }
    }
    return out;
  }

  private anchor(container: Container): Node {
    return this.src.get(container.node, 'name') ?? (container.node.items[0]?.key as Node | undefined) ?? container.node;
  }

  private flip(node: Node, to: 'true' | 'false', title: string): CheckFix {
    return { title, edits: [{ range: this.src.range(node), newText: to }] };
  }

  private hostNamespaces(podSpec: YAMLMap, label: string): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const fields = [
      ['hostNetwork', ids.hostNetwork, 'network namespace'],
      ['hostPID', ids.hostPid, 'process namespace'],
      ['hostIPC', ids.hostIpc, 'IPC namespace'],
    ] as const;
    for (const [field, ruleId, what] of fields) {
      const value = this.src.get(podSpec, field);
      if (value && this.src.isTrue(value)) {
        findings.push({ ruleId, range: this.src.range(value), message: `${label} shares the host's ${what} (\`${field}: true\`).`, fix: this.flip(value, 'false', `Set ${field}: false`) });
      }
    }
    return findings;
  }

  private dockerSocket(podSpec: YAMLMap, label: string): RuleFinding[] {
    const findings: RuleFinding[] = [];
    for (const volume of this.src.items(this.src.get(podSpec, 'volumes'))) {
      const pathNode = this.src.at(volume, 'hostPath', 'path');
      const hostPath = this.src.str(pathNode)?.replace(/\/+$/, '');
      if (pathNode && hostPath && DOCKER_SOCKETS.has(hostPath)) {
        const volumeName = this.src.str(this.src.get(volume, 'name')) ?? '(unnamed)';
        findings.push({ ruleId: ids.dockerSock, range: this.src.range(pathNode), message: `${label} mounts the container runtime socket ${hostPath} (volume "${volumeName}").` });
      }
    }
    return findings;
  }

  private securityValue(podSpec: YAMLMap, container: Container, field: string): Node | null {
    return this.src.at(container.node, 'securityContext', field) ?? this.src.at(podSpec, 'securityContext', field);
  }

  private containerFindings(object: KubeObject, podSpec: YAMLMap, container: Container): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const who = `${container.init ? 'Init container' : 'Container'} "${container.name}" of ${object.kind} "${object.name}"`;
    const anchorRange = this.src.range(this.anchor(container));

    const imageNode = this.src.get(container.node, 'image');
    const image = this.src.str(imageNode);
    if (imageNode && image !== undefined) {
      const pinning = imagePinning(image);
      if (pinning === 'latest' || pinning === 'untagged') {
        findings.push({ ruleId: ids.latestTag, range: this.src.range(imageNode), message: `${who} uses \`${image}\`, ${pinning === 'latest' ? 'the floating `latest` tag' : 'which has no tag (so `latest`)'} and no digest.` });
      }
      if (!isTrustedImage(image, this.options.trustedRegistries)) {
        findings.push({ ruleId: ids.untrustedRegistry, range: this.src.range(imageNode), message: `${who} pulls \`${image}\` from ${imageRegistry(image)}, which is not in trustedRegistries (${this.options.trustedRegistries.join(', ')}).` });
      }
    }

    const privileged = this.src.at(container.node, 'securityContext', 'privileged');
    if (privileged && this.src.isTrue(privileged)) {
      findings.push({ ruleId: ids.privilegedContainer, range: this.src.range(privileged), message: `${who} is privileged.`, fix: this.flip(privileged, 'false', 'Set privileged: false') });
    }
    const escalation = this.src.at(container.node, 'securityContext', 'allowPrivilegeEscalation');
    if (escalation && this.src.isTrue(escalation)) {
      findings.push({ ruleId: ids.privilegeEscalation, range: this.src.range(escalation), message: `${who} sets \`allowPrivilegeEscalation: true\`.`, fix: this.flip(escalation, 'false', 'Set allowPrivilegeEscalation: false') });
    }

    const nonRoot = this.securityValue(podSpec, container, 'runAsNonRoot');
    const user = Number(this.src.str(this.securityValue(podSpec, container, 'runAsUser')) ?? Number.NaN);
    const groupNode = this.securityValue(podSpec, container, 'runAsGroup');
    if (!this.src.isTrue(nonRoot) && !(user > 0)) {
      findings.push({ ruleId: ids.runAsNonRoot, range: anchorRange, message: `${who} is not set to run as a non-root user (\`runAsNonRoot: true\` or a non-zero \`runAsUser\`).` });
    } else if (groupNode && this.src.str(groupNode) === '0') {
      findings.push({ ruleId: ids.runAsNonRoot, range: this.src.range(groupNode), message: `${who} runs with \`runAsGroup: 0\` (the root group).` });
    }

    const readOnly = this.src.at(container.node, 'securityContext', 'readOnlyRootFilesystem');
    if (!this.src.isTrue(readOnly)) {
      const finding: RuleFinding = readOnly
        ? { ruleId: ids.readOnlyRootFs, range: this.src.range(readOnly), message: `${who} has a writable root file system.`, fix: this.flip(readOnly, 'true', 'Set readOnlyRootFilesystem: true') }
        : { ruleId: ids.readOnlyRootFs, range: anchorRange, message: `${who} does not set \`readOnlyRootFilesystem: true\`.` };
      findings.push(finding);
    }

    const resources = this.src.entry(container.node, 'resources');
    const resourcesRange = resources ? this.src.range(resources.keyNode) : anchorRange;
    if (isZeroQuantity(this.src.str(this.src.at(container.node, 'resources', 'requests', 'cpu')))) {
      findings.push({ ruleId: ids.unsetCpu, range: resourcesRange, message: `${who} has no CPU request (\`resources.requests.cpu\`).` });
    }
    if (isZeroQuantity(this.src.str(this.src.at(container.node, 'resources', 'limits', 'memory')))) {
      findings.push({ ruleId: ids.unsetMemory, range: resourcesRange, message: `${who} has no memory limit (\`resources.limits.memory\`).` });
    }

    for (const env of this.src.items(this.src.get(container.node, 'env'))) {
      const name = this.src.str(this.src.get(env, 'name'));
      const valueNode = this.src.get(env, 'value');
      const value = this.src.str(valueNode);
      if (name && valueNode && value && SECRET_ENV_NAME.test(name) && !/^\$\(|^\{\{/.test(value)) {
        findings.push({ ruleId: ids.envVarSecret, range: this.src.range(valueNode), message: `${who} sets ${name} to a literal value; read it from a Secret (\`valueFrom.secretKeyRef\`).` });
      }
    }

    if (!container.init && !BATCH_KINDS.has(object.kind)) {
      if (!this.src.get(container.node, 'livenessProbe')) {
        findings.push({ ruleId: ids.noLivenessProbe, range: anchorRange, message: `${who} has no liveness probe.` });
      }
      if (!this.src.get(container.node, 'readinessProbe')) {
        findings.push({ ruleId: ids.noReadinessProbe, range: anchorRange, message: `${who} has no readiness probe.` });
      }
    }
    return findings;
  }
}

/** True for a missing or zero resource quantity (`0`, `0m`, `0Mi`). */
function isZeroQuantity(value: string | undefined): boolean {
  if (value === undefined || value.trim() === '') return true;
  return /^0+(\.0+)?[A-Za-z]*$/.test(value.trim());
}

/** kube-linter's `ignore-check.kube-linter.io/<check>` and `kube-linter.io/ignore-all`, kube-score's `kube-score/ignore`. */
function withoutIgnoredChecks(src: YamlSource, annotationMaps: readonly (Node | null)[], findings: RuleFinding[]): RuleFinding[] {
  const ignored = new Set<string>();
  for (const annotation of annotationMaps.flatMap((annotations) => src.entries(annotations))) {
    if (annotation.key === 'kube-linter.io/ignore-all') return [];
    if (annotation.key.startsWith('ignore-check.kube-linter.io/')) ignored.add(annotation.key.slice('ignore-check.kube-linter.io/'.length));
    if (annotation.key === 'kube-score/ignore') {
      for (const check of (src.str(annotation.value) ?? '').split(',')) ignored.add(check.trim());
    }
  }
  if (ignored.size === 0) return findings;
  return findings.filter((finding) => {
    const rule = KUBERNETES_RULES.find((candidate) => candidate.id === finding.ruleId);
    const names = [finding.ruleId, finding.ruleId.slice(finding.ruleId.indexOf('/') + 1), ...(rule?.references ?? [])];
    return !names.some((name) => ignored.has(name));
  });
}

/** A file that does not parse is reported only when it looks like a manifest; Helm templates and other YAML are not ours. */
function looksLikeManifest(text: string): boolean {
  return /^apiVersion\s*:/m.test(text) && /^kind\s*:/m.test(text) && !text.includes('{{');
}

function checkManifestFile(file: CheckedFile, options: CheckOptions): RuleFinding[] {
  const parsed = parseYamlSource(file.text);
  if (!(parsed instanceof YamlSource)) return looksLikeManifest(file.text) ? [yamlSyntaxFinding(ids.yamlSyntax, parsed)] : [];
  if (parsed.syntaxError) return looksLikeManifest(file.text) ? [yamlSyntaxFinding(ids.yamlSyntax, parsed.syntaxError)] : [];
  const checker = new ManifestChecker(parsed, options);
  return runRuleFunctions([() => checker.objects().flatMap((object) => checker.check(object))], ids.yamlSyntax);
}

export const kubernetesRuleSet: CheckRuleSet = {
  kinds: ['kubernetes'],
  rules: KUBERNETES_RULES,
  check: checkManifestFile,
};
