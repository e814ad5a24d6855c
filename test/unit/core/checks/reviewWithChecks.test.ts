import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCertificateFile } from '../../../../src/core/certificates/parseCertificate';
import type { CheckRunner } from '../../../../src/core/checks/reviewWithChecks';
import { reviewWithChecks } from '../../../../src/core/checks/reviewWithChecks';
import { runChecks } from '../../../../src/core/checks/runChecks';

const WHOLE = { paths: [], kinds: [], description: 'the whole workspace' };

describe('core/checks/reviewWithChecks', function () {
  this.timeout(30_000);
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'review-checks-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('writes the certificate the worst finding decides, with the findings\' real lines as evidence', async () => {
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20.18-alpine\nUSER node\nCMD node server.js\n');
    const warnings = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks, now: new Date('2026-12-05T10:00:00Z') });
    assert.equal(warnings.certificate?.status, 'CONDITIONALLY_APPROVED');
    const parsed = await parseCertificateFile(warnings.certificate.file);
    assert.equal(parsed.valid, true, JSON.stringify(parsed.problems));
    assert.equal(parsed.integrity, 'ok');
    assert.match(fs.readFileSync(warnings.certificate.file, 'utf8'), /Dockerfile:3 `CMD node server\.js`/);
    assert.equal(warnings.lineText('Dockerfile', 3), 'CMD node server.js');

    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20.18-alpine\nUSER node\nCMD ["node", "server.js"]\n');
    const clean = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks, now: new Date('2026-12-05T10:00:01Z') });
    assert.deepEqual(clean.report.findings, []);
    assert.equal(clean.certificate?.status, 'APPROVED');

    fs.mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), 'on: pull_request_target\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.pull_request.title }}"\n');
    const errors = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks, now: new Date('2026-12-05T10:00:02Z') });
    assert.equal(errors.certificate?.status, 'REQUIRES_REMEDIATION');
  });

  it('writes nothing where it must not, or cannot vouch for the evidence, and says why', async () => {
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:latest\n');
    const untrusted = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks, writeCertificate: false });
    assert.equal(untrusted.certificate, undefined);
    assert.match(untrusted.notWritten ?? '', /not trusted/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);

    // the file changes between the check and the certificate: its evidence would quote lines that are not there
    const editedMeanwhile: CheckRunner = async (options) => {
      const report = await runChecks(options);
      fs.writeFileSync(path.join(root, 'Dockerfile'), '# rewritten\nFROM node:20-alpine\n');
      return report;
    };
    const changed = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks: editedMeanwhile });
    assert.equal(changed.certificate, undefined);
    assert.match(changed.notWritten ?? '', /^Dockerfile changed after it was checked/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
  });

  it('certifies nothing when there is nothing to check', async () => {
    fs.writeFileSync(path.join(root, 'README.md'), '# docs only\n');
    const review = await reviewWithChecks({ root, agent: 'devops-engineer', scope: WHOLE, runChecks });
    assert.deepEqual(review.report.files, []);
    assert.equal(review.certificate, undefined);
    assert.equal(review.notWritten, undefined);
  });
});
