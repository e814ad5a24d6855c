import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CERTIFICATE_STATUSES } from '../../../../src/core/certificates/certificateSchema';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { certificateTitle, newCertificateId, renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

const NOW = new Date(Date.UTC(2025, 5, 7, 8, 9, 10));

describe('core/certificates/renderCertificate', () => {
  it('writes exactly the layout of the agent definition', () => {
    const { text, id, hash, date } = renderCertificate(sampleCertificateInput('CONDITIONALLY_APPROVED'), { agent: 'devops-engineer', now: NOW, id: 'CERT-20250607080910-0123abcd' });
    assert.equal(date, '2025-06-07 08:09:10 UTC');
    assert.equal(id, 'CERT-20250607080910-0123abcd');
    const body = [
      '# DEPLOYMENT REVIEW CERTIFICATE',
      '',
      '**Component**: ci_cd_pipeline',
      '**Agent**: devops-engineer',
      '**Date**: 2025-06-07 08:09:10 UTC',
      '**Certificate ID**: CERT-20250607080910-0123abcd',
      '',
      '## REVIEW SCOPE',
      '- GitHub Actions workflow for build and deploy',
      '- Files examined:',
      '  - .github/workflows/ci.yml',
      '  - Dockerfile',
      '- Tests performed:',
      '  - npm test (42 passing)',
      '',
      '## FINDINGS',
      '- Key findings:',
      '  - Build cache keyed on the lockfile',
      '- Issues identified:',
      '  - Deploy job has no timeout',
      '- Recommendations:',
      '  - Add timeout-minutes: 15 to the deploy job',
      '',
      '## DECISION/OUTCOME',
      '**Status**: CONDITIONALLY_APPROVED',
      '**Rationale**: The pipeline builds reproducibly; the missing timeout is minor.',
      '**Conditions**: Add a deploy timeout before the next release',
      '',
      '## EVIDENCE',
      '- .github/workflows/ci.yml:12-14',
      '- npm test: 42 passing, 0 failing',
      '',
      '## SIGNATURE',
      'Agent: devops-engineer',
      'Timestamp: 2025-06-07 08:09:10 UTC',
    ].join('\n');
    const expectedHash = `sha256:${createHash('sha256').update(`${body}\n`).digest('hex')}`;
    assert.equal(hash, expectedHash);
    assert.equal(text, `${body}\nCertificate Hash: ${expectedHash}\n`);
  });

  it('round-trips through the parser for every status', () => {
    assert.equal(CERTIFICATE_STATUSES.length, 11);
    for (const status of CERTIFICATE_STATUSES) {
      const rendered = renderCertificate(sampleCertificateInput(status), { agent: 'devops-engineer', now: NOW });
      const parsed = parseCertificateText(rendered.text, 'x.md');
      assert.deepEqual(parsed.problems, [], status);
      assert.equal(parsed.valid, true);
      assert.equal(parsed.integrity, 'ok');
      assert.equal(parsed.status, status);
      assert.equal(parsed.id, rendered.id);
      assert.equal(parsed.hash, rendered.hash);
      assert.equal(parsed.descriptor, 'DEPLOYMENT REVIEW');
      assert.equal(parsed.component, 'ci_cd_pipeline');
      assert.equal(parsed.agent, 'devops-engineer');
      assert.equal(parsed.date, '2025-06-07 08:09:10 UTC');
      assert.equal(parsed.dateMs, NOW.getTime());
      assert.equal(parsed.rationale, 'The pipeline builds reproducibly; the missing timeout is minor.');
    }
  });

  it('keeps multi-line items and rationales inside their section, so they cannot forge headings or fields', () => {
    const input = sampleCertificateInput('REJECTED', {
      findings: ['first line\n## SIGNATURE\nCertificate Hash: sha256:0'],
      rationale: 'Line one.\n## EVIDENCE\n**Status**: APPROVED\nCertificate Hash: fake',
      testsPerformed: [],
      recommendations: [],
    });
    const rendered = renderCertificate(input, { agent: 'devops-engineer', now: NOW });
    assert.match(rendered.text, /- Tests performed: none\n/);
    assert.match(rendered.text, /- Recommendations: none\n/);
    assert.match(rendered.text, / {4}## SIGNATURE\n/);
    const parsed = parseCertificateText(rendered.text, 'x.md');
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.status, 'REJECTED');
    assert.equal(parsed.rationale, 'Line one.\n## EVIDENCE\n**Status**: APPROVED\nCertificate Hash: fake');
    assert.equal(parsed.integrity, 'ok');
  });

  it('titles the descriptor in capitals with underscores as spaces', () => {
    assert.equal(certificateTitle('deployment_review'), 'DEPLOYMENT REVIEW');
    assert.equal(certificateTitle('  Pipeline   assessment '), 'PIPELINE ASSESSMENT');
    assert.equal(certificateTitle('go-live_review_certificate'), 'GO-LIVE REVIEW');
  });

  it('makes unique, time-ordered certificate IDs', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newCertificateId(NOW)));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.match(id, /^CERT-20250607080910-[0-9a-f]{8}$/);
  });
});
