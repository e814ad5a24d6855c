import * as assert from 'node:assert/strict';
import { KUBERNETES_RULE_IDS as ids } from '../../../../../src/core/checks/kubernetes/kubernetesRules';
import { kubernetesRuleSet } from '../../../../../src/core/checks/kubernetes/kubernetesRuleSet';
import { check, checkText, fixture, linesOf } from '../checkFixtures';

const run = (relative: string) => check(kubernetesRuleSet, relative, 'kubernetes');

// kube-linter's own test manifests (tests/checks/<check>.yml) and the report counts its bats tests expect: each file
// holds a Deployment and a DeploymentConfig that must fire and two that must not.
const KUBE_LINTER_EXPECTED: readonly (readonly [string, string, number])[] = [
  ['latest-tag', ids.latestTag, 2],
  ['privileged-container', ids.privilegedContainer, 2],
  ['privilege-escalation-container', ids.privilegeEscalation, 2],
  ['run-as-non-root', ids.runAsNonRoot, 4],
  ['no-read-only-root-fs', ids.readOnlyRootFs, 2],
  ['host-network', ids.hostNetwork, 2],
  ['host-pid', ids.hostPid, 2],
  ['host-ipc', ids.hostIpc, 2],
  ['docker-sock', ids.dockerSock, 2],
  ['unset-cpu-requirements', ids.unsetCpu, 2],
  ['unset-memory-requirements', ids.unsetMemory, 2],
  ['env-var-secret', ids.envVarSecret, 2],
  ['no-liveness-probe', ids.noLivenessProbe, 2],
  ['no-readiness-probe', ids.noReadinessProbe, 2],
];

describe('core/checks/kubernetes/kubernetesRuleSet', () => {
  it('declares every rule it reports with kube-linter\'s public id among its references', () => {
    const declared = new Map(kubernetesRuleSet.rules.map((rule) => [rule.id, rule]));
    for (const id of Object.values(ids)) assert.ok(declared.has(id), id);
    for (const [check, id] of KUBE_LINTER_EXPECTED) assert.ok(declared.get(id)?.references.includes(check), id);
  });

  describe('kube-linter test manifests: the counts its own e2e tests expect', () => {
    for (const [name, id, count] of KUBE_LINTER_EXPECTED) {
      it(`${name}: ${count} findings, none on the objects named dont-fire`, () => {
        const text = fixture(`kubernetes/kube-linter/${name}.yml`);
        const findings = run(`kubernetes/kube-linter/${name}.yml`).filter((finding) => finding.ruleId === id);
        assert.equal(findings.length, count);
        const lines = text.split('\n');
        for (const finding of findings) {
          // walk back to the document's metadata.name to see which object fired
          let line = finding.range.line - 1;
          while (line > 0 && !/^---/.test(lines[line] ?? '')) line -= 1;
          const doc = lines.slice(line, finding.range.line).join('\n');
          assert.doesNotMatch(doc, /name: dont-fire/, `${name} fired on a dont-fire object at line ${finding.range.line}`);
        }
      });
    }
  });

  it('latest-tag reports the image line, and a digest or version tag passes (kube-score data)', () => {
    const latest = run('kubernetes/kube-score/pod-image-tag-latest.yaml');
    const text = fixture('kubernetes/kube-score/pod-image-tag-latest.yaml').split('\n');
    const lines = linesOf(latest, ids.latestTag);
    assert.equal(lines.length, 1);
    assert.match(text[(lines[0] as number) - 1] ?? '', /image: .*:latest/);
    assert.deepEqual(linesOf(run('kubernetes/kube-score/pod-image-tag-fixed.yaml'), ids.latestTag), []);
    assert.equal(linesOf(run('kubernetes/kube-score/pod-image-pullpolicy-undefined-no-tag.yaml'), ids.latestTag).length, 1);
    const digest = checkText(kubernetesRuleSet, 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n    - name: a\n      image: nginx@sha256:' + 'b'.repeat(64) + '\n', 'kubernetes');
    assert.deepEqual(linesOf(digest, ids.latestTag), []);
  });

  it('reaches the containers of a CronJob through jobTemplate, and skips probes for batch work', () => {
    const findings = run('kubernetes/kube-score/cronjob-batchv1.yaml');
    assert.deepEqual(linesOf(findings, ids.latestTag), [13]);
    assert.deepEqual(linesOf(findings, ids.noReadinessProbe), []);
    assert.deepEqual(linesOf(findings, ids.noLivenessProbe), []);
  });

  it('reads the items of a List', () => {
    assert.ok(run('kubernetes/kube-score/list.yaml').length > 0);
  });

  it('container securityContext settings pass where kube-score\'s all-good pod sets them', () => {
    const findings = run('kubernetes/kube-score/pod-security-context-all-good.yaml');
    for (const id of [ids.runAsNonRoot, ids.readOnlyRootFs, ids.privilegedContainer]) assert.deepEqual(linesOf(findings, id), [], id);
    assert.equal(linesOf(run('kubernetes/kube-score/pod-security-context-privileged.yaml'), ids.privilegedContainer).length, 1);
    assert.equal(linesOf(run('kubernetes/kube-score/pod-security-context-writeablerootfilesystem.yaml'), ids.readOnlyRootFs).length, 1);
  });

  it('fixes flip the flag in place', () => {
    const findings = run('kubernetes/kube-linter/privileged-container.yml').filter((f) => f.ruleId === ids.privilegedContainer);
    const lines = fixture('kubernetes/kube-linter/privileged-container.yml').split('\n');
    for (const finding of findings) {
      const edit = finding.fix?.edits[0];
      assert.equal(edit?.newText, 'false');
      const line = lines[(edit?.range.line ?? 0) - 1] ?? '';
      assert.equal(line.slice((edit?.range.column ?? 1) - 1, (edit?.range.endColumn ?? 1) - 1), 'true');
    }
  });

  it('honours ignore-check.kube-linter.io/<check>, kube-linter.io/ignore-all and kube-score/ignore', () => {
    const base = fixture('kubernetes/kube-linter/latest-tag.yml');
    const annotated = base.replace(/metadata:\n {2}name: app\n/g, 'metadata:\n  name: app\n  annotations:\n    ignore-check.kube-linter.io/latest-tag: "pinned by the release job"\n');
    assert.notEqual(annotated, base);
    assert.deepEqual(linesOf(checkText(kubernetesRuleSet, annotated, 'kubernetes'), ids.latestTag), []);
    const all = base.replace(/metadata:\n {2}name: app\n/g, 'metadata:\n  name: app\n  annotations:\n    kube-linter.io/ignore-all: "true"\n');
    assert.deepEqual(linesOf(checkText(kubernetesRuleSet, all, 'kubernetes'), ids.latestTag), []);
    assert.equal(linesOf(checkText(kubernetesRuleSet, all, 'kubernetes'), ids.readOnlyRootFs).length, linesOf(run('kubernetes/kube-linter/latest-tag.yml'), ids.readOnlyRootFs).length - 2);
    const nested = run('kubernetes/kube-score/statefulset-nested-ignores.yaml');
    assert.deepEqual(linesOf(nested, ids.noLivenessProbe), []);
  });

  it('skips documents without apiVersion and kind, and YAML that is not a manifest, silently', () => {
    assert.deepEqual(checkText(kubernetesRuleSet, 'name: x\nitems: [1, 2]\n', 'kubernetes'), []);
    assert.deepEqual(checkText(kubernetesRuleSet, 'a: [\n', 'kubernetes'), []);
    assert.deepEqual(checkText(kubernetesRuleSet, 'apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  {{- if .Values.x }}\n', 'kubernetes'), []);
  });

  it('a manifest that does not parse gives one finding at its line', () => {
    const findings = checkText(kubernetesRuleSet, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n', 'kubernetes');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.range.line]), [[ids.yamlSyntax, 5]]);
  });

  it('untrusted-registry only when trustedRegistries is set (kube-score data)', () => {
    assert.deepEqual(linesOf(run('kubernetes/kube-score/pod-image-tag-fixed.yaml'), ids.untrustedRegistry), []);
    const options = { trustedRegistries: ['registry.example.com'], allowedActionOwners: [] };
    const findings = check(kubernetesRuleSet, 'kubernetes/kube-score/pod-image-tag-fixed.yaml', 'kubernetes', options);
    assert.equal(linesOf(findings, ids.untrustedRegistry).length, 1);
    assert.match(findings.find((f) => f.ruleId === ids.untrustedRegistry)?.message ?? '', /docker\.io/);
    const demo = checkText(kubernetesRuleSet, fixture('../../../demo/files/k8s/deployment.yaml'), 'kubernetes', options);
    assert.deepEqual(linesOf(demo, ids.untrustedRegistry), []);
  });

  it('the demo Deployment: the :latest image is reported on its line', () => {
    const findings = checkText(kubernetesRuleSet, fixture('../../../demo/files/k8s/deployment.yaml'), 'kubernetes');
    assert.deepEqual(linesOf(findings, ids.latestTag), [19]);
    assert.deepEqual(linesOf(findings, ids.noReadinessProbe), []);
  });
});
