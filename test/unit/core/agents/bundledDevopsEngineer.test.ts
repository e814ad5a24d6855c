import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BUNDLED_DEVOPS_ENGINEER, bundledAgentText, bundledAgents } from '../../../../src/core/agents/bundledDevopsEngineer';
import { extractCertificateTriggers, parseAgentText } from '../../../../src/core/agents/parseAgentFile';

const SEED = path.resolve(__dirname, '../../../../..', '..', 'shared', 'seed', 'devops-engineer.md');

const STATUSES = [
  'APPROVED', 'CONDITIONALLY_APPROVED', 'REJECTED', 'REQUIRES_REMEDIATION', 'GO', 'NO_GO', 'RECOMMEND', 'DO_NOT_RECOMMEND',
  'ADVISORY_ONLY', 'NEEDS_FURTHER_REVIEW', 'EMERGENCY_STOP',
];
const TRIGGERS = [
  'review', 'evaluate', 'determine', 'assess', 'validate', 'sign-off', 'approve', 'certify', 'analyze', 'investigate',
  'examine', 'recommend', 'advise', 'suggest', 'decide', 'choose', 'select', 'verify', 'confirm', 'check', 'audit',
  'inspect', 'test', 'compare', 'contrast', 'benchmark', 'prioritize', 'rank', 'score',
];
/** The certificate template, line by line as the seed has it (headings and field names). */
const SCHEMA_LINES = [
  '# {DESCRIPTOR} CERTIFICATE',
  '**Component**: {component reviewed}',
  '**Agent**: devops-engineer',
  '**Date**: {YYYY-MM-DD HH:MM:SS UTC}',
  '**Certificate ID**: {auto-generated unique identifier}',
  '## REVIEW SCOPE',
  '## FINDINGS',
  '## DECISION/OUTCOME',
  `**Status**: [${STATUSES.join('/')}]`,
  '**Rationale**: {Clear explanation of decision}',
  '**Conditions**: {Any conditions for approval, if applicable}',
  '## EVIDENCE',
  '## SIGNATURE',
  'Agent: devops-engineer',
  'Timestamp: {timestamp}',
  'Certificate Hash: {optional - for integrity}',
];
const FACTS = [
  '969', 'constructor argument mismatch', 'Cannot implement: [specific reason]', '`learning_rate=0.001`',
  '`optimizer=optimizer, loss_fn=loss_fn`', "unexpected keyword argument 'learning_rate'", 'Tolaria', 'TolariaTrainer',
  'morphogenesis', 'Morphogenesis', 'Priority queues', 'Safety systems', 'rollback', 'five minutes', 'for i in range(n)',
  'simple_trainer.py', '1000 lines', 'file_path:line_number', '`path:line`', '`path:start-end`', 'trainer.py:674-736',
  '/home/john/keisei/keisei/training/trainer.py', '/home/john/keisei/scripts/integration_smoke_test.py', 'Read tool',
  'docs/ai/agents/devops-engineer/', 'docs/ai/agents/devops-engineer/certificates/', '{descriptor}_{component}_{YYYYMMDD_HHMMSS}.md',
  'deployment_review', 'pipeline_assessment', 'infrastructure_validation', 'ci_cd_pipeline', 'docker_config', 'monitoring_setup',
  '**IN ADDITION TO**', 'additive', 'No Exceptions', 'MVP', 'Scope belongs to the human', 'laziness', 'least privilege', 'Immutable Infrastructure',
];
const MEMORY_FILES = [
  ['working-memory.md', /pipelines right now, deployments, and the tasks in progress/],
  ['decisions-log.md', /decision you made, with the reasons/],
  ['next-actions.md', /automation work you plan next and the operational priorities/],
] as const;
const TECHNOLOGIES = [
  'Jenkins', 'GitHub Actions', 'GitLab CI', 'CircleCI', 'ArgoCD', 'Flux', 'Spinnaker', 'Harness', 'Artifactory', 'Nexus',
  'Harbor', 'SonarQube', 'CodeClimate', 'Codacy', 'Docker', 'Podman', 'Buildah', 'Kubernetes', 'Docker Swarm', 'Nomad', 'AWS',
  'GCP', 'Azure', 'Istio', 'Linkerd', 'Consul', 'Prometheus', 'Grafana', 'DataDog', 'ELK Stack', 'Fluentd', 'Splunk', 'Jaeger',
  'Zipkin', 'AWS X-Ray', 'New Relic', 'AppDynamics', 'Dynatrace', 'Ansible', 'Puppet', 'Chef', 'Terraform', 'Pulumi',
  'CloudFormation', 'Bash', 'Python', 'Go', 'Git', 'GitHub', 'GitLab', 'Helm', 'GitOps', 'APM',
];
const BOLD_TERMS = [
  'Continuous Integration', 'Continuous Testing', 'Continuous Deployment', 'Feature Flags', 'Trunk-Based Development',
  'Infrastructure as Code', 'Immutable Infrastructure', 'Configuration Management', 'Secrets Management', 'Documentation as Code',
  'Shift Left Security', 'Container Scanning', 'Dependency Management', 'Access Control', 'Audit Logging',
  'Identify Pain Points', 'Automate Solutions', 'Measure Impact', 'Iterate and Improve', 'Share Knowledge',
  'Deployment Frequency', 'Lead Time', 'MTTR', 'Change Failure Rate', 'Automation Coverage', 'System Reliability',
  'Automate Everything', 'Fail Fast', 'Measure Everything', 'Blameless Culture', 'Continuous Improvement',
];

function normalize(text: string): string {
  return text.replace(/[*`]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Sentences of a markdown text: split at line ends and sentence punctuation, list markers removed. */
function sentences(text: string): string[] {
  return text
    .split('\n')
    .flatMap((line) => line.split(/(?<=[.!?])\s+/))
    .map((s) => normalize(s.replace(/^[\s>#*\-\d.]+/, '')));
}

describe('core/agents/bundledDevopsEngineer', () => {
  const agent = parseAgentText(BUNDLED_DEVOPS_ENGINEER, { source: 'bundled' });

  it('parses cleanly with the seed frontmatter facts', () => {
    assert.deepEqual(agent.problems, []);
    assert.equal(agent.name, 'devops-engineer');
    assert.equal(agent.model, 'sonnet');
    assert.match(agent.description, /CI\/CD/);
    assert.deepEqual(agent.tools, ['Read', 'Write', 'Bash', 'Glob', 'Grep', 'Git', 'Docker']);
    assert.equal(agent.toolsSpecified, 'list');
    assert.match(BUNDLED_DEVOPS_ENGINEER, /^---\nname: devops-engineer\n[\s\S]*\ntools: Read, Write, Bash, Docker, Git, Glob, Grep\n---\n/);
  });

  it('is what bundledAgents() and bundledAgentText() return', () => {
    const [bundled] = bundledAgents();
    assert.equal(bundledAgents().length, 1);
    assert.equal(bundled.source, 'bundled');
    assert.equal(bundled.file, undefined);
    assert.equal(bundled.body, agent.body);
    assert.equal(bundledAgentText('devops-engineer'), BUNDLED_DEVOPS_ENGINEER);
    assert.equal(bundledAgentText('nobody'), undefined);
  });

  it('describes every certificate status with a meaning', () => {
    for (const status of STATUSES) assert.match(agent.body, new RegExp(`\\n\\s*- \\*\\*${status}\\*\\*: \\S.{10,}`), status);
  });

  it('lists the same certificate trigger words as the seed', () => {
    assert.deepEqual(agent.certificateTriggers, TRIGGERS);
    assert.deepEqual(extractCertificateTriggers(agent.body), TRIGGERS);
  });

  it('keeps the certificate template schema exactly, inside a markdown fence', () => {
    const fence = /```markdown\n([\s\S]*?)```/.exec(agent.body);
    assert.ok(fence, 'a ```markdown template');
    const template = fence[1].split('\n').map((l) => l.trim());
    let at = -1;
    for (const line of SCHEMA_LINES) {
      const found = template.indexOf(line, at + 1);
      assert.ok(found > at, `template line in order: ${line}`);
      at = found;
    }
  });

  it('names the three working-memory files and what each holds', () => {
    for (const [file, holds] of MEMORY_FILES) {
      const line = agent.body.split('\n').find((l) => l.includes(`docs/ai/agents/devops-engineer/${file}`));
      assert.ok(line, file);
      assert.match(line, holds);
    }
    assert.equal(agent.memoryDir, 'docs/ai/agents/devops-engineer');
  });

  it('states the key facts and rules', () => {
    for (const fact of FACTS) assert.ok(agent.body.includes(fact), fact);
  });

  it('lists every technology and every named practice, metric and principle', () => {
    for (const tech of TECHNOLOGIES) assert.ok(agent.body.includes(tech), tech);
    for (const term of BOLD_TERMS) assert.ok(agent.body.includes(`**${term}**`), term);
  });

  describe('against the seed (../shared/seed/devops-engineer.md)', () => {
    let seedText = '';
    before(function () {
      if (!fs.existsSync(SEED)) {
        console.log(`    (skipped: ${SEED} is absent; it exists only in the project workspace)`);
        this.skip();
      }
      seedText = fs.readFileSync(SEED, 'utf8');
    });

    it('covers every technology and bold term the seed lists', () => {
      const seed = parseAgentText(seedText, { source: 'workspace' });
      const listed = [...seed.body.matchAll(/^\s*- \*\*([^*]+)\*\*: (.+)$/gm)];
      assert.ok(listed.length > 50);
      for (const [, term, rest] of listed) {
        assert.ok(agent.body.includes(`**${term}**`), `term ${term}`);
        const isToolList = /^[A-Z][\w .-]*(, [A-Z][\w .-]*)+$/.test(rest) && !rest.includes(' the ');
        if (isToolList) for (const item of rest.split(', ')) assert.ok(agent.body.includes(item), `${term}: ${item}`);
      }
    });

    it('finds the same triggers and statuses as in the seed', () => {
      const seed = parseAgentText(seedText, { source: 'workspace' });
      assert.deepEqual(agent.certificateTriggers, seed.certificateTriggers);
      for (const status of STATUSES) assert.ok(seed.body.includes(`**${status}**`));
    });

    it('copies no sentence of 12 or more words from the seed', () => {
      const ours = normalize(BUNDLED_DEVOPS_ENGINEER);
      const long = sentences(seedText).filter((s) => s.split(' ').length >= 12);
      assert.ok(long.length > 20, 'the seed has long sentences to compare');
      const copied = long.filter((s) => ours.includes(s));
      assert.deepEqual(copied, []);
    });

    it('detects a copied sentence (the check itself works)', () => {
      const long = sentences(seedText).filter((s) => s.split(' ').length >= 12);
      const tampered = normalize(`${BUNDLED_DEVOPS_ENGINEER}\n${long[0]}`);
      assert.ok(long.some((s) => tampered.includes(s)));
    });
  });

  it('tells the agent to measure delivery metrics with the dora tool before and after a change', () => {
    assert.match(BUNDLED_DEVOPS_ENGINEER, /Measure these with the `dora` tool[^\n]*before you change a pipeline or release process and again after, and report both/);
  });
});
