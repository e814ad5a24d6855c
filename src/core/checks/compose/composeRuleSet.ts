// Docker Compose files: privileged services, the Docker socket, host namespaces, floating images, plain-text secrets.
import type { Node } from 'yaml';
import type { CheckOptions, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import { imagePinning, imageRegistry, isTrustedImage } from '../imageReference';
import { plainTextSecret } from '../plainTextSecret';
import type { YamlEntry } from '../yaml/yamlSource';
import { YamlSource, parseYamlSource, runRuleFunctions, yamlSyntaxFinding } from '../yaml/yamlSource';
import { COMPOSE_RULES, COMPOSE_RULE_IDS as ids } from './composeRules';

const SOCKETS = new Set(['/var/run/docker.sock', '/run/docker.sock', '//var/run/docker.sock', '/run/containerd/containerd.sock', '/var/run/containerd/containerd.sock', '/run/podman/podman.sock']);

function serviceFindings(src: YamlSource, service: YamlEntry, options: CheckOptions): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const who = `Service "${service.key}"`;
  const privileged = src.get(service.value, 'privileged');
  if (privileged && src.isTrue(privileged)) {
    findings.push({ ruleId: ids.privileged, range: src.range(privileged), message: `${who} runs privileged.`, fix: { title: 'Set privileged: false', edits: [{ range: src.range(privileged), newText: 'false' }] } });
  }
  for (const field of ['network_mode', 'pid', 'ipc'] as const) {
    const node = src.get(service.value, field);
    if (node && src.str(node) === 'host') {
      findings.push({ ruleId: ids.hostNamespace, range: src.spanRange(src.entry(service.value, field)?.keyNode ?? node, node), message: `${who} shares the host's ${field === 'network_mode' ? 'network' : field === 'pid' ? 'process namespace' : 'IPC namespace'} (\`${field}: host\`).` });
    }
  }
  for (const volume of src.items(src.get(service.value, 'volumes'))) {
    const short = src.str(volume);
    const source = short !== undefined ? short.split(':')[0] : src.str(src.get(volume, 'source'));
    const node: Node = short !== undefined ? volume : src.get(volume, 'source') ?? volume;
    if (source && SOCKETS.has(source.replace(/\/+$/, ''))) {
      findings.push({ ruleId: ids.dockerSock, range: src.range(node), message: `${who} mounts the container engine socket ${source}.` });
    }
  }
  const imageNode = src.get(service.value, 'image');
  const image = src.str(imageNode);
  // with `build:` the image name is what the build is tagged as, not something pulled
  if (imageNode && image !== undefined && !src.get(service.value, 'build')) {
    const pinning = imagePinning(image);
    if (pinning === 'latest' || pinning === 'untagged') {
      findings.push({ ruleId: ids.unpinnedImage, range: src.range(imageNode), message: `${who} uses \`${image}\`, ${pinning === 'latest' ? 'the floating `latest` tag' : 'which has no tag (so `latest`)'}.` });
    }
    if (!isTrustedImage(image, options.trustedRegistries)) {
      findings.push({ ruleId: ids.untrustedRegistry, range: src.range(imageNode), message: `${who} pulls \`${image}\` from ${imageRegistry(image)}, which is not in trustedRegistries (${options.trustedRegistries.join(', ')}).` });
    }
  }
  const environment = src.get(service.value, 'environment');
  for (const entry of src.entries(environment)) {
    const value = src.str(entry.value);
    const why = value !== undefined ? plainTextSecret(entry.key, value) : undefined;
    if (why && entry.value) findings.push({ ruleId: ids.plainTextSecret, range: src.range(entry.value), message: `${who}: ${why} in the Compose file.` });
  }
  for (const item of src.items(environment)) {
    const text = src.str(item);
    const equals = text?.indexOf('=') ?? -1;
    if (text === undefined || equals <= 0) continue;
    const why = plainTextSecret(text.slice(0, equals), text.slice(equals + 1));
    if (why) findings.push({ ruleId: ids.plainTextSecret, range: src.range(item), message: `${who}: ${why} in the Compose file.` });
  }
  return findings;
}

function checkComposeFile(file: CheckedFile, options: CheckOptions): RuleFinding[] {
  const parsed = parseYamlSource(file.text);
  if (!(parsed instanceof YamlSource)) return [yamlSyntaxFinding(ids.yamlSyntax, parsed)];
  if (parsed.syntaxError) return [yamlSyntaxFinding(ids.yamlSyntax, parsed.syntaxError)];
  const services = parsed.mappingDocuments().flatMap((root) => parsed.entries(parsed.get(root, 'services')));
  return runRuleFunctions(services.map((service) => () => serviceFindings(parsed, service, options)), ids.yamlSyntax);
}

export const composeRuleSet: CheckRuleSet = {
  kinds: ['compose'],
  rules: COMPOSE_RULES,
  check: checkComposeFile,
};
