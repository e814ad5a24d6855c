import * as assert from 'node:assert/strict';
import { certificateInputFromForm, splitCitations, splitOnSemicolons } from '../../../../src/core/certificates/certificateFormInput';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';

const answers = {
  descriptor: 'deployment review',
  component: 'ci_cd_pipeline',
  scope: '.github/workflows/ci.yml; Dockerfile',
  status: 'APPROVED' as const,
  rationale: 'Builds reproducibly, tests pass.',
  conditions: '',
  findings: 'Cache keyed on lockfile, good; no deploy timeout',
  evidence: '.github/workflows/ci.yml:12, Dockerfile:1; npm test: 42 passing',
};

describe('certificateFormInput', () => {
  it('splits findings on semicolons only and citations on commas or semicolons', () => {
    assert.deepEqual(splitOnSemicolons(' a, b ; ; c '), ['a, b', 'c']);
    assert.deepEqual(splitCitations('a.ts:1, b.ts:2;c.ts:3,, '), ['a.ts:1', 'b.ts:2', 'c.ts:3']);
    assert.deepEqual(splitCitations(''), []);
  });

  it('turns answers into a valid input that renders to a valid certificate', () => {
    const result = certificateInputFromForm(answers);
    assert.ok(result.ok);
    assert.deepEqual(result.input.scope, ['.github/workflows/ci.yml', 'Dockerfile']);
    assert.deepEqual(result.input.findings, ['Cache keyed on lockfile, good', 'no deploy timeout']);
    assert.deepEqual(result.input.evidence, ['.github/workflows/ci.yml:12', 'Dockerfile:1', 'npm test: 42 passing']);
    assert.equal(result.input.conditions, undefined);
    const text = renderCertificate(result.input, { agent: 'devops-engineer', now: new Date() }).text;
    const parsed = parseCertificateText(text, 'x.md');
    assert.equal(parsed.valid, true, JSON.stringify(parsed.problems));
    assert.equal(parsed.status, 'APPROVED');
  });

  it('reports missing conditions for CONDITIONALLY_APPROVED and missing evidence, writing nothing', () => {
    const result = certificateInputFromForm({ ...answers, status: 'CONDITIONALLY_APPROVED', evidence: ' , ' });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.problems.map((p) => p.field).sort(), ['conditions', 'evidence']);
  });
});
