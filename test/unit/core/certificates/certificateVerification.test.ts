import * as assert from 'node:assert/strict';
import { describeCertificateCheck, describeCertificateChecks, summarizeCertificateChecks } from '../../../../src/core/certificates/certificateVerification';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

const rendered = renderCertificate(sampleCertificateInput('APPROVED'), { agent: 'devops-engineer', now: new Date(Date.UTC(2025, 0, 1)), id: 'CERT-1' });
const ok = parseCertificateText(rendered.text, '/c/ok.md');
const tampered = parseCertificateText(rendered.text.replace('**Status**: APPROVED', '**Status**: GO'), '/c/tampered.md');
const unsigned = parseCertificateText(rendered.text.split('\n').filter((l) => !l.startsWith('Certificate Hash:')).join('\n'), '/c/unsigned.md');
const invalid = parseCertificateText('# NOTES CERTIFICATE\n\nnothing else\n', '/c/invalid.md');

describe('certificateVerification', () => {
  it('counts ok, tampered and unsigned (adding up to the total) and invalid untampered ones', () => {
    assert.equal(ok.integrity, 'ok');
    assert.equal(unsigned.integrity, 'unsigned');
    assert.equal(unsigned.valid, true);
    const summary = summarizeCertificateChecks([ok, tampered, unsigned, invalid, ok]);
    assert.deepEqual(summary, { total: 5, ok: 2, tampered: 1, unsigned: 2, invalid: 1 });
    assert.equal(describeCertificateChecks(summary), 'Verified 5 certificates: 2 ok, 1 tampered, 2 unsigned, 1 invalid.');
    assert.equal(describeCertificateChecks(summarizeCertificateChecks([ok])), 'Verified 1 certificate: 1 ok, 0 tampered, 0 unsigned, 0 invalid.');
    assert.match(describeCertificateChecks(summarizeCertificateChecks([])), /^No certificates found/);
  });

  it('says "Integrity ok — <ID>" for a good certificate and warns for the others with their problems', () => {
    assert.deepEqual(describeCertificateCheck(ok), { severity: 'info', message: 'Integrity ok — CERT-1' });
    const t = describeCertificateCheck(tampered);
    assert.equal(t.severity, 'warning');
    assert.match(t.message, /^Tampered — CERT-1: .*line \d+: Certificate Hash does not match/);
    const u = describeCertificateCheck(unsigned);
    assert.equal(u.severity, 'warning');
    assert.match(u.message, /^No hash — CERT-1 has no Certificate Hash/);
    const i = describeCertificateCheck(invalid);
    assert.match(i.message, /^No hash — invalid\.md .*line \d+: Missing/);
  });
});
