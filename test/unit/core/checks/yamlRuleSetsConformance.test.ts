// Every real file collected for the YAML rule sets (test/fixtures/checks, ../shared/corpus/workflows) through every
// rule set that could receive it: nothing throws, every finding is on a real line and column of the file, every rule
// id is declared, and every fix edits a real range.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { actionsRuleSet } from '../../../../src/core/checks/actions/actionsRuleSet';
import type { CheckFileKind, CheckRange, CheckRuleSet, RuleFinding } from '../../../../src/core/checks/checkTypes';
import { composeRuleSet } from '../../../../src/core/checks/compose/composeRuleSet';
import { gitlabRuleSet } from '../../../../src/core/checks/gitlab/gitlabRuleSet';
import { kubernetesRuleSet } from '../../../../src/core/checks/kubernetes/kubernetesRuleSet';
import { FIXTURES, NO_OPTIONS, filesUnder, sharedDirectory } from './checkFixtures';

interface RealFile {
  readonly label: string;
  readonly text: string;
  readonly kinds: readonly CheckFileKind[];
}

function kindsFor(relative: string): CheckFileKind[] {
  // the engine hands any YAML to the Kubernetes rule set, so every file goes there too
  if (relative.startsWith('actions/')) return [/action\.ya?ml$/.test(relative) ? 'github-action' : 'github-workflow', 'kubernetes'];
  if (relative.startsWith('compose/')) return ['compose', 'kubernetes'];
  if (relative.startsWith('gitlab/')) return ['gitlab-ci', 'kubernetes'];
  return ['kubernetes'];
}

const RULE_SETS: ReadonlyMap<CheckFileKind, CheckRuleSet> = new Map<CheckFileKind, CheckRuleSet>([
  ['github-workflow', actionsRuleSet], ['github-action', actionsRuleSet], ['kubernetes', kubernetesRuleSet],
  ['compose', composeRuleSet], ['gitlab-ci', gitlabRuleSet],
]);

function realFiles(): RealFile[] {
  const files: RealFile[] = filesUnder(FIXTURES)
    .filter((relative) => /\.ya?ml$/.test(relative))
    .map((relative) => ({ label: `fixtures/${relative}`, text: fs.readFileSync(path.join(FIXTURES, relative), 'utf8'), kinds: kindsFor(relative) }));
  const shared = sharedDirectory();
  if (shared) {
    const workflows = path.join(shared, 'corpus', 'workflows');
    for (const name of fs.readdirSync(workflows).filter((file) => /\.ya?ml$/.test(file)).sort()) {
      files.push({ label: `shared/corpus/workflows/${name}`, text: fs.readFileSync(path.join(workflows, name), 'utf8'), kinds: ['github-workflow', 'kubernetes'] });
    }
  }
  return files;
}

function assertOnRealText(lines: readonly string[], range: CheckRange, where: string): void {
  assert.ok(range.line >= 1 && range.line <= lines.length, `${where}: line ${range.line} of ${lines.length}`);
  assert.ok(range.endLine >= range.line && range.endLine <= lines.length, `${where}: endLine ${range.endLine}`);
  assert.ok(range.column >= 1 && range.column <= (lines[range.line - 1] ?? '').length + 1, `${where}: column ${range.column}`);
  assert.ok(range.endColumn >= 1 && range.endColumn <= (lines[range.endLine - 1] ?? '').length + 1, `${where}: endColumn ${range.endColumn}`);
  if (range.endLine === range.line) assert.ok(range.endColumn >= range.column, `${where}: empty-backwards range`);
}

describe('core/checks YAML rule sets: conformance over every real file collected', () => {
  const files = realFiles();

  before(function () {
    if (!sharedDirectory()) {
      console.log('    (skipping ../shared/corpus/workflows: ../shared is absent in this checkout; fixtures still run)');
    }
  });

  it(`runs over ${files.length} real files without throwing, every finding on a real line`, () => {
    assert.ok(files.length >= 500, `only ${files.length} files collected`);
    let findings = 0;
    for (const file of files) {
      const lines = file.text.split('\n').map((line) => line.replace(/\r$/, ''));
      if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
      for (const kind of file.kinds) {
        const ruleSet = RULE_SETS.get(kind) as CheckRuleSet;
        const declared = new Set(ruleSet.rules.map((rule) => rule.id));
        let result: RuleFinding[] = [];
        assert.doesNotThrow(() => { result = ruleSet.check({ path: file.label, text: file.text, kind }, NO_OPTIONS); }, file.label);
        for (const finding of result) {
          const where = `${file.label} (${kind}) ${finding.ruleId}`;
          assert.ok(declared.has(finding.ruleId), `${where}: undeclared rule`);
          assert.ok(finding.message.length > 0, where);
          assertOnRealText(lines.length > 0 ? lines : [''], finding.range, where);
          for (const edit of finding.fix?.edits ?? []) assertOnRealText(lines, edit.range, `${where} fix`);
        }
        findings += result.length;
      }
    }
    assert.ok(findings > 100, `only ${findings} findings over ${files.length} files`);
  });

  it('stays quiet on zizmor\'s false-positive menagerie', () => {
    const menagerie = files.find((file) => file.label.endsWith('false-positive-menagerie.yml'));
    assert.ok(menagerie);
    const findings = actionsRuleSet.check({ path: menagerie.label, text: menagerie.text, kind: 'github-workflow' }, NO_OPTIONS);
    assert.deepEqual(findings.filter((f) => f.ruleId === 'actions/template-injection'), []);
  });
});

describe('core/checks YAML rule sets: hostile input', () => {
  const inputs: readonly (readonly [string, string])[] = [
    ['binary bytes', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256)).toString('latin1')],
    ['deeply nested flow sequences', `${'['.repeat(5000)}${']'.repeat(5000)}`],
    ['deeply nested block mappings', Array.from({ length: 800 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')],
    ['an unterminated quote', 'jobs:\n  a:\n    runs-on: "ubuntu\n'],
    ['a scalar document', 'just text\n'],
    ['anchors referring to anchors', `a: &a [x]\n${Array.from({ length: 30 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`}, *${i === 0 ? 'a' : `b${i - 1}`}]`).join('\n')}\n`],
    // a `needs` chain deeper than a recursive search could follow
    ['12,000 jobs in one needs chain', `on: push\njobs: {${Array.from({ length: 12000 }, (_, i) => `j${i}: {needs: j${i + 1}}`).join(', ')}}\n`],
  ];
  for (const [name, text] of inputs) {
    it(`never throws on ${name}`, function () {
      this.timeout(120_000);
      for (const kind of ['github-workflow', 'github-action', 'kubernetes', 'compose', 'gitlab-ci'] as const) {
        const ruleSet = RULE_SETS.get(kind) as CheckRuleSet;
        const findings = ruleSet.check({ path: 'hostile.yaml', text, kind }, NO_OPTIONS);
        const lineCount = text.split('\n').length;
        for (const finding of findings) {
          assert.ok(finding.range.line >= 1 && finding.range.line <= lineCount, `${kind}: line ${finding.range.line}`);
          // a rule that threw is caught and reported, but it is still a bug
          assert.doesNotMatch(finding.message, /^A check failed/, `${kind}: ${finding.message}`);
        }
      }
    });
  }
});
