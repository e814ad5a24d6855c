import * as assert from 'node:assert/strict';
import {
  CERTIFICATE_STATUS_APPEARANCE,
  CERTIFICATE_STATUS_SEVERITY_ORDER,
  INVALID_APPEARANCE,
  TAMPERED_APPEARANCE,
  UNKNOWN_STATUS_APPEARANCE,
  certificateAppearance,
  hasCertificateProblems,
  statusAppearance,
} from '../../../../src/core/certificates/certificateAppearance';
import { CERTIFICATE_STATUSES } from '../../../../src/core/certificates/certificateSchema';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

describe('certificateAppearance', () => {
  it('colours passing statuses green, cautious ones yellow, failing ones red and EMERGENCY_STOP as a red flame', () => {
    for (const status of ['APPROVED', 'GO', 'RECOMMEND'] as const) {
      assert.equal(CERTIFICATE_STATUS_APPEARANCE[status].color, 'testing.iconPassed', status);
      assert.equal(CERTIFICATE_STATUS_APPEARANCE[status].tone, 'passed', status);
    }
    for (const status of ['CONDITIONALLY_APPROVED', 'ADVISORY_ONLY', 'NEEDS_FURTHER_REVIEW'] as const) {
      assert.ok(['editorWarning.foreground', 'charts.yellow'].includes(CERTIFICATE_STATUS_APPEARANCE[status].color), status);
      assert.equal(CERTIFICATE_STATUS_APPEARANCE[status].tone, 'caution', status);
    }
    for (const status of ['REJECTED', 'NO_GO', 'DO_NOT_RECOMMEND', 'REQUIRES_REMEDIATION'] as const) {
      assert.ok(['testing.iconFailed', 'errorForeground'].includes(CERTIFICATE_STATUS_APPEARANCE[status].color), status);
      assert.equal(CERTIFICATE_STATUS_APPEARANCE[status].tone, 'failed', status);
    }
    assert.deepEqual(CERTIFICATE_STATUS_APPEARANCE.EMERGENCY_STOP, { tone: 'emergency', icon: 'flame', color: 'errorForeground', badge: 'ES' });
  });

  it('gives every status a distinct badge of one or two characters (the Explorer limit)', () => {
    const badges = CERTIFICATE_STATUSES.map((s) => CERTIFICATE_STATUS_APPEARANCE[s].badge);
    assert.equal(new Set(badges).size, badges.length);
    for (const badge of [...badges, TAMPERED_APPEARANCE.badge, INVALID_APPEARANCE.badge, UNKNOWN_STATUS_APPEARANCE.badge]) {
      assert.ok(badge.length >= 1 && badge.length <= 2, badge);
    }
  });

  it('orders every status exactly once by severity, blocking ones first', () => {
    assert.deepEqual([...CERTIFICATE_STATUS_SEVERITY_ORDER].sort(), [...CERTIFICATE_STATUSES].sort());
    assert.equal(CERTIFICATE_STATUS_SEVERITY_ORDER[0], 'EMERGENCY_STOP');
    assert.equal(CERTIFICATE_STATUS_SEVERITY_ORDER.at(-1), 'APPROVED');
  });

  it('shows a valid certificate with its status look, a tampered one red with a warning icon, an invalid one yellow', () => {
    const rendered = renderCertificate(sampleCertificateInput('GO'), { agent: 'devops-engineer', now: new Date(Date.UTC(2025, 0, 2, 3, 4, 5)) });
    const valid = parseCertificateText(rendered.text, 'go.md');
    assert.equal(valid.valid, true);
    assert.equal(hasCertificateProblems(valid), false);
    assert.deepEqual(certificateAppearance(valid), CERTIFICATE_STATUS_APPEARANCE.GO);

    const edited = parseCertificateText(rendered.text.replace('**Status**: GO', '**Status**: NO_GO'), 'edited.md');
    assert.equal(edited.integrity, 'tampered');
    assert.equal(edited.status, 'NO_GO');
    assert.ok(hasCertificateProblems(edited));
    assert.deepEqual(certificateAppearance(edited), TAMPERED_APPEARANCE);
    assert.equal(certificateAppearance(edited).icon, 'warning');

    const unsignedBroken = parseCertificateText(rendered.text.split('## EVIDENCE')[0] ?? '', 'cut.md');
    assert.equal(unsignedBroken.integrity, 'unsigned');
    assert.ok(hasCertificateProblems(unsignedBroken));
    assert.deepEqual(certificateAppearance(unsignedBroken), INVALID_APPEARANCE);

    assert.deepEqual(statusAppearance(undefined), UNKNOWN_STATUS_APPEARANCE);
  });
});
