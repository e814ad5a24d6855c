import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { certificateFromChecks, componentForReport, findingCitation, statusForFindings } from '../../../../src/core/certificates/certificateFromChecks';
import { validateCertificateInput } from '../../../../src/core/certificates/certificateSchema';
import { createCertificate } from '../../../../src/core/certificates/certificateStore';
import { verifyEvidenceCitations } from '../../../../src/core/certificates/evidenceCitations';
import { parseCertificateFile } from '../../../../src/core/certificates/parseCertificate';
import type { CheckFinding, CheckReport, CheckRule, CheckSeverity } from '../../../../src/core/checks/checkTypes';

// the demo's Dockerfile and deployment, as `npm start` shows them
const DOCKERFILE = 'FROM node:latest\n\nWORKDIR /app\nCOPY package.json ./\nRUN npm install\nCOPY . .\n\nENV NODE_ENV=production\nEXPOSE 8080\nCMD ["node", "src/server.js"]\n';
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    spec:\n      containers:\n        - name: orders\n          image: orders:latest\n';

const RULES: CheckRule[] = [
  { id: 'dockerfile/latest-tag', title: 'Image uses :latest', severity: 'error', kinds: ['dockerfile'], references: ['DL3007'], help: 'Pin the base image to a version. :latest changes under you.' },
  { id: 'dockerfile/no-user', title: 'No USER', severity: 'warning', kinds: ['dockerfile'], references: ['DL3002'], help: 'Run as a non-root user. Add a USER line.' },
  { id: 'kubernetes/latest-tag', title: 'Image without a pinned tag', severity: 'warning', kinds: ['kubernetes'], references: ['latest-tag'], help: 'Pin images by tag or digest.' },
];

function finding(file: string, line: number, ruleId: string, severity: CheckSeverity, message: string): CheckFinding {
  const rule = RULES.find((r) => r.id === ruleId);
  return { file, ruleId, severity, message, references: rule?.references ?? [], range: { line, column: 1, endLine: line, endColumn: 2 } };
}

describe('core/certificates/certificateFromChecks', () => {
  let root: string;
  let lines: Map<string, string[]>;
  const lineText = (file: string, line: number): string | undefined => lines.get(file)?.[line - 1];

  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cert-from-checks-')));
    fs.writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
    fs.mkdirSync(path.join(root, 'k8s'));
    fs.writeFileSync(path.join(root, 'k8s/deployment.yaml'), DEPLOYMENT);
    lines = new Map([['Dockerfile', DOCKERFILE.split('\n')], ['k8s/deployment.yaml', DEPLOYMENT.split('\n')]]);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('takes the status from the worst finding', () => {
    assert.equal(statusForFindings([{ severity: 'note' }, { severity: 'error' }, { severity: 'warning' }]), 'REQUIRES_REMEDIATION');
    assert.equal(statusForFindings([{ severity: 'note' }, { severity: 'warning' }]), 'CONDITIONALLY_APPROVED');
    assert.equal(statusForFindings([{ severity: 'note' }]), 'APPROVED');
    assert.equal(statusForFindings([]), 'APPROVED');
  });

  it('cites the real line with its code, and leaves out quotes that cannot be inline code', () => {
    assert.equal(findingCitation(finding('Dockerfile', 1, 'dockerfile/latest-tag', 'error', 'm'), lineText), 'Dockerfile:1 `FROM node:latest`');
    lines.set('x.yml', ['run: echo `date`', '   ']);
    assert.equal(findingCitation(finding('x.yml', 1, 'r', 'note', 'm'), lineText), 'x.yml:1');
    assert.equal(findingCitation(finding('x.yml', 2, 'r', 'note', 'm'), lineText), 'x.yml:2');
    assert.equal(findingCitation(finding('gone.yml', 3, 'r', 'note', 'm'), lineText), 'gone.yml:3');
  });

  it('quotes a line holding a secret only up to the secret', () => {
    lines.set('.env', ['PAYMENTS_API_TOKEN=9f8Kq2LmZx7Vb4Nw1Rt6Yp3Hs5Dj0GcQe', 'DATABASE_URL=postgres://orders:orders@db:5432/orders', 'ghp_0123456789abcdefghijABCDEFGHIJ012345']);
    assert.equal(findingCitation(finding('.env', 1, 'r', 'error', 'm'), lineText), '.env:1 `PAYMENTS_API_TOKEN=`');
    assert.equal(findingCitation(finding('.env', 2, 'r', 'error', 'm'), lineText), '.env:2 `DATABASE_URL=postgres://orders:`');
    assert.equal(findingCitation(finding('.env', 3, 'r', 'error', 'm'), lineText), '.env:3');
  });

  it('writes a REQUIRES_REMEDIATION certificate whose evidence verifies against the files and whose hash checks out', async () => {
    const report: CheckReport = {
      files: [{ path: 'Dockerfile', kind: 'dockerfile' }, { path: 'k8s/deployment.yaml', kind: 'kubernetes' }],
      findings: [
        finding('Dockerfile', 1, 'dockerfile/latest-tag', 'error', 'The base image node:latest is not pinned'),
        finding('Dockerfile', 10, 'dockerfile/no-user', 'warning', 'The image runs as root: no USER instruction'),
        finding('k8s/deployment.yaml', 10, 'kubernetes/latest-tag', 'warning', 'Container "orders" uses orders:latest'),
      ],
      rules: RULES,
    };
    const input = certificateFromChecks(report, { scope: 'the whole workspace', component: componentForReport(report), lineText });
    assert.equal(input.status, 'REQUIRES_REMEDIATION');
    assert.equal(input.component, 'devops_config');
    assert.deepEqual(input.filesExamined, ['Dockerfile', 'k8s/deployment.yaml']);
    assert.deepEqual(input.evidence, [
      'Dockerfile:1 `FROM node:latest` — dockerfile/latest-tag',
      'Dockerfile:10 `CMD ["node", "src/server.js"]` — dockerfile/no-user',
      'k8s/deployment.yaml:10 `image: orders:latest` — kubernetes/latest-tag',
    ]);
    assert.match(input.findings[0] ?? '', /^Dockerfile:1 error dockerfile\/latest-tag \(DL3007\): The base image node:latest is not pinned$/);
    assert.deepEqual(input.recommendations, ['dockerfile/latest-tag: Pin the base image to a version.', 'dockerfile/no-user: Run as a non-root user.', 'kubernetes/latest-tag: Pin images by tag or digest.']);
    assert.match(input.testsPerformed[0] ?? '', /^DevOps checks over 2 files with 3 rules: 1 error, 2 warnings, 0 notes\.$/);
    assert.match(input.rationale, /The worst: Dockerfile:1 dockerfile\/latest-tag/);
    assert.ok(validateCertificateInput(input).ok);

    const evidence = await verifyEvidenceCitations(input.evidence, { roots: [root] });
    assert.equal(evidence.checks.length, 3);
    assert.deepEqual(evidence.failures, []);
    const created = await createCertificate(root, 'devops-engineer', input);
    const parsed = await parseCertificateFile(created.file);
    assert.equal(parsed.status, 'REQUIRES_REMEDIATION');
    assert.equal(parsed.integrity, 'ok');
    assert.equal(parsed.valid, true, JSON.stringify(parsed.problems));
  });

  it('approves on conditions when the worst finding is a warning, naming the rules as its conditions', () => {
    const report: CheckReport = {
      files: [{ path: 'k8s/deployment.yaml', kind: 'kubernetes' }],
      findings: [finding('k8s/deployment.yaml', 10, 'kubernetes/latest-tag', 'warning', 'uses :latest')],
      rules: RULES,
    };
    const input = certificateFromChecks(report, { scope: '`k8s`', component: componentForReport(report), lineText });
    assert.equal(input.status, 'CONDITIONALLY_APPROVED');
    assert.equal(input.component, 'kubernetes_manifests');
    assert.match(input.conditions ?? '', /kubernetes\/latest-tag/);
    assert.ok(validateCertificateInput(input).ok);
  });

  it('approves a clean run, with the run itself as the evidence', () => {
    const report: CheckReport = { files: [{ path: 'Dockerfile', kind: 'dockerfile' }], findings: [], rules: RULES };
    const input = certificateFromChecks(report, { scope: '`Dockerfile`', component: componentForReport(report), lineText });
    assert.equal(input.status, 'APPROVED');
    assert.equal(input.component, 'docker_config');
    assert.deepEqual(input.findings, ['No findings: 1 file passes the 2 rules that apply.']);
    assert.deepEqual(input.evidence, ['DevOps checks over 1 file with 2 rules: 0 errors, 0 warnings, 0 notes.']);
    assert.deepEqual(input.issues, []);
    assert.ok(validateCertificateInput(input).ok);
  });

  it('stays within the schema\'s limits for a thousand findings', () => {
    const many = Array.from({ length: 1000 }, (_, i) => finding('Dockerfile', (i % 10) + 1, 'dockerfile/no-user', 'warning', `finding ${i}`));
    const input = certificateFromChecks({ files: [{ path: 'Dockerfile', kind: 'dockerfile' }], findings: many, rules: RULES }, { scope: 's', component: 'c', lineText });
    assert.equal(input.findings.length, 101);
    assert.match(input.findings[100] ?? '', /^… and 900 more findings/);
    assert.equal(input.evidence.length, 101);
    assert.ok(validateCertificateInput(input).ok);
  });
});
