// GitLab CI pipelines (.gitlab-ci.yml): floating images, deprecated only/except, secrets in variables.
import type { Node } from 'yaml';
import type { CheckOptions, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import { imagePinning, imageRegistry, isTrustedImage } from '../imageReference';
import { plainTextSecret } from '../plainTextSecret';
import { YamlSource, parseYamlSource, runRuleFunctions, yamlSyntaxFinding } from '../yaml/yamlSource';
import { GITLAB_RULES, GITLAB_RULE_IDS as ids } from './gitlabRules';

// Top-level keys that configure the pipeline rather than name a job.
const GLOBAL_KEYS = new Set(['image', 'services', 'stages', 'types', 'before_script', 'after_script', 'variables', 'cache', 'include', 'default', 'workflow', 'spec']);

function imageFindings(src: YamlSource, holder: Node | null, where: string, options: CheckOptions): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const check = (node: Node | null, what: string): void => {
    const nameNode = src.str(node) !== undefined ? node : src.get(node, 'name');
    const image = src.str(nameNode);
    if (!nameNode || image === undefined) return;
    const pinning = imagePinning(image);
    if (pinning === 'latest' || pinning === 'untagged') {
      findings.push({ ruleId: ids.unpinnedImage, range: src.range(nameNode), message: `The ${what} of ${where} is \`${image}\`, ${pinning === 'latest' ? 'the floating `latest` tag' : 'with no tag (so `latest`)'}.` });
    }
    if (!isTrustedImage(image, options.trustedRegistries)) {
      findings.push({ ruleId: ids.untrustedRegistry, range: src.range(nameNode), message: `The ${what} of ${where} comes from ${imageRegistry(image)}, which is not in trustedRegistries (${options.trustedRegistries.join(', ')}).` });
    }
  };
  check(src.get(holder, 'image'), 'image');
  for (const service of src.items(src.get(holder, 'services'))) check(service, 'service image');
  return findings;
}

function variableFindings(src: YamlSource, holder: Node | null, where: string): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const variable of src.entries(src.get(holder, 'variables'))) {
    const valueNode = src.str(variable.value) !== undefined ? variable.value : src.get(variable.value, 'value');
    const value = src.str(valueNode);
    const why = value !== undefined ? plainTextSecret(variable.key, value) : undefined;
    if (why && valueNode) findings.push({ ruleId: ids.secretInVariables, range: src.range(valueNode), message: `In ${where}, ${why}.` });
  }
  return findings;
}

function checkGitlabFile(file: CheckedFile, options: CheckOptions): RuleFinding[] {
  const parsed = parseYamlSource(file.text);
  if (!(parsed instanceof YamlSource)) return [yamlSyntaxFinding(ids.yamlSyntax, parsed)];
  if (parsed.syntaxError) return [yamlSyntaxFinding(ids.yamlSyntax, parsed.syntaxError)];
  const checks: (() => RuleFinding[])[] = [];
  for (const root of parsed.mappingDocuments()) {
    checks.push(() => imageFindings(parsed, root, 'the pipeline', options));
    checks.push(() => imageFindings(parsed, parsed.get(root, 'default'), '`default`', options));
    checks.push(() => variableFindings(parsed, root, 'the global `variables:`'));
    for (const job of parsed.entries(root)) {
      if (GLOBAL_KEYS.has(job.key) || !parsed.map(job.value)) continue;
      const where = `job "${job.key}"`;
      checks.push(() => imageFindings(parsed, job.value, where, options));
      checks.push(() => variableFindings(parsed, job.value, where));
      checks.push(() => ['only', 'except'].flatMap((key) => {
        const entry = parsed.entry(job.value, key);
        return entry ? [{ ruleId: ids.onlyExcept, range: parsed.range(entry.keyNode), message: `Job "${job.key}" uses \`${key}:\`, deprecated in favour of \`rules:\`.` }] : [];
      }));
    }
  }
  return runRuleFunctions(checks, ids.yamlSyntax);
}

export const gitlabRuleSet: CheckRuleSet = {
  kinds: ['gitlab-ci'],
  rules: GITLAB_RULES,
  check: checkGitlabFile,
};
