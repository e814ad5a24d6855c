import * as assert from 'node:assert/strict';
import {
  CERTIFICATE_STATUSES,
  CERTIFICATE_STATUS_MEANINGS,
  normalizeCertificateStatus,
  slugForCertificate,
  validateCertificateInput,
} from '../../../../src/core/certificates/certificateSchema';
import { sampleCertificateInput } from './certificateFixtures';

describe('core/certificates/certificateSchema', () => {
  it('lists the eleven statuses of the agent definition, each with its meaning', () => {
    assert.deepEqual([...CERTIFICATE_STATUSES], [
      'APPROVED', 'CONDITIONALLY_APPROVED', 'REJECTED', 'REQUIRES_REMEDIATION', 'GO', 'NO_GO', 'RECOMMEND',
      'DO_NOT_RECOMMEND', 'ADVISORY_ONLY', 'NEEDS_FURTHER_REVIEW', 'EMERGENCY_STOP',
    ]);
    assert.equal(CERTIFICATE_STATUS_MEANINGS.EMERGENCY_STOP, 'No non-high risk paths to resolve the issue are available');
    for (const status of CERTIFICATE_STATUSES) assert.ok(CERTIFICATE_STATUS_MEANINGS[status].length > 10);
  });

  it('normalizes how people write statuses', () => {
    assert.equal(normalizeCertificateStatus('conditionally approved'), 'CONDITIONALLY_APPROVED');
    assert.equal(normalizeCertificateStatus('No-Go'), 'NO_GO');
    assert.equal(normalizeCertificateStatus('[GO]'), 'GO');
    assert.equal(normalizeCertificateStatus('**APPROVED**'), 'APPROVED');
    assert.equal(normalizeCertificateStatus('LGTM'), undefined);
    assert.equal(normalizeCertificateStatus('APPROVED/REJECTED'), undefined);
  });

  it('slugs names to [a-z0-9_]', () => {
    assert.equal(slugForCertificate('Deployment Review'), 'deployment_review');
    assert.equal(slugForCertificate('CI/CD pipeline (main)'), 'ci_cd_pipeline_main');
    assert.equal(slugForCertificate('Café  config'), 'cafe_config');
    assert.equal(slugForCertificate('../../etc/passwd'), 'etc_passwd');
    assert.equal(slugForCertificate('a'.repeat(100), 60).length, 60);
    assert.equal(slugForCertificate('***'), '');
  });

  it('accepts a complete input and normalizes it', () => {
    const result = validateCertificateInput({ ...sampleCertificateInput(), status: 'go', findings: ['  a  ', ''], issues: null });
    assert.ok(result.ok);
    assert.equal(result.input.status, 'GO');
    assert.deepEqual(result.input.findings, ['a']);
    assert.deepEqual(result.input.issues, []);
  });

  it('reports every problem at once, naming the field and what to write', () => {
    const result = validateCertificateInput({
      descriptor: 'two\nlines',
      component: '',
      scope: [],
      findings: 'not a list',
      evidence: ['ok', 3],
      status: 'LGTM',
      rationale: '   ',
      extra: true,
    });
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.deepEqual(result.problems.map((p) => p.field), [
      'descriptor', 'component', 'findings', 'evidence[1]', 'scope', 'findings', 'status', 'rationale', 'extra',
    ]);
    assert.match(result.problems.find((p) => p.field === 'status')?.message ?? '', /"LGTM" is not a certificate status; use one of APPROVED, .*EMERGENCY_STOP/);
    assert.deepEqual(validateCertificateInput('x'), { ok: false, problems: [{ field: '(input)', message: 'Expected an object with descriptor, component, scope, findings, status, rationale and evidence.' }] });
  });

  it('requires conditions for CONDITIONALLY_APPROVED and evidence for every certificate', () => {
    const conditional = validateCertificateInput({ ...sampleCertificateInput('CONDITIONALLY_APPROVED'), conditions: ' ' });
    assert.equal(conditional.ok, false);
    if (!conditional.ok) assert.deepEqual(conditional.problems.map((p) => p.field), ['conditions']);
    const noEvidence = validateCertificateInput({ ...sampleCertificateInput(), evidence: [] });
    assert.equal(noEvidence.ok, false);
    if (!noEvidence.ok) assert.deepEqual(noEvidence.problems.map((p) => p.field), ['evidence']);
  });
});
