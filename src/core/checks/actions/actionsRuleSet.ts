// GitHub Actions workflows (.github/workflows/*.yml) and composite/Docker actions (action.yml): zizmor's security
// audits and actionlint's correctness checks over one `yaml` parse with source positions.
import type { CheckOptions, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';
import { YamlSource, parseYamlSource, runRuleFunctions, yamlSyntaxFinding } from '../yaml/yamlSource';
import { ActionsDocument } from './actionsDocument';
import { ACTIONS_RULES, ACTIONS_RULE_IDS as ids } from './actionsRules';
import { checkStep, containers, dangerousTriggers, dockerActionImage, permissions, secretsInherit, uses } from './actionsSecurityRules';
import { cron, emptySteps, missingKeys, needs, unknownKeys } from './actionsStructureRules';

/** Every rule of one file; a rule that throws becomes one finding and the others still run. */
function checkDocument(doc: ActionsDocument): RuleFinding[] {
  const checks: (() => RuleFinding[])[] = [
    () => unknownKeys(doc),
    () => doc.steps().flatMap((step) => checkStep(doc, step)),
    () => uses(doc),
    () => missingKeys(doc),
    () => emptySteps(doc),
  ];
  if (doc.isWorkflow) {
    checks.push(
      () => dangerousTriggers(doc),
      () => permissions(doc),
      () => needs(doc),
      () => cron(doc),
      () => containers(doc),
      () => secretsInherit(doc),
    );
  } else {
    checks.push(() => dockerActionImage(doc));
  }
  return runRuleFunctions(checks, ids.yamlSyntax);
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
  return withoutIgnored(parsed, checkDocument(new ActionsDocument(parsed, root, file, options)));
}

export const actionsRuleSet: CheckRuleSet = {
  kinds: ['github-workflow', 'github-action'],
  rules: ACTIONS_RULES,
  check: checkActionsFile,
};
