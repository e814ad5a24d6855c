import * as assert from 'node:assert/strict';
import { UNRECOGNIZED_STATUS } from '../../../../src/core/certificates/certificateIndex';
import type { CertificateInput, CertificateStatus } from '../../../../src/core/certificates/certificateSchema';
import { CERTIFICATE_STATUSES } from '../../../../src/core/certificates/certificateSchema';
import {
  attentionBreakdown,
  attentionCount,
  certificateTimeMs,
  dateBucketOf,
  describeAttention,
  filterCertificates,
  groupCertificates,
  isCertificateGroupBy,
  normalizeCertificateFilter,
  statusLabel,
} from '../../../../src/core/certificates/certificateTree';
import type { ParsedCertificate } from '../../../../src/core/certificates/parseCertificate';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

/** A real certificate: rendered as certificate_create writes it, then parsed back. */
function certificate(status: CertificateStatus, when: Date, overrides: Partial<CertificateInput> = {}, file?: string): ParsedCertificate {
  const rendered = renderCertificate(sampleCertificateInput(status, overrides), { agent: 'devops-engineer', now: when });
  return parseCertificateText(rendered.text, file ?? `/ws/docs/ai/agents/devops-engineer/certificates/${status.toLowerCase()}_${when.getTime()}.md`);
}

/** The same certificate with its rationale edited after signing. */
function tampered(status: CertificateStatus, when: Date): ParsedCertificate {
  const rendered = renderCertificate(sampleCertificateInput(status), { agent: 'devops-engineer', now: when });
  const text = rendered.text.replace('**Rationale**: ', '**Rationale**: Edited later. ');
  return parseCertificateText(text, `/ws/docs/ai/agents/devops-engineer/certificates/tampered_${status.toLowerCase()}_${when.getTime()}.md`);
}

function broken(file: string): ParsedCertificate {
  return parseCertificateText('# NOTES\n\nNot a certificate.\n', file);
}

const NOW = new Date(2025, 5, 18, 15, 30, 0); // local time: buckets are relative to the user's day
const daysBefore = (n: number, hour = 10): Date => new Date(NOW.getFullYear(), NOW.getMonth(), NOW.getDate() - n, hour, 0, 0);

describe('certificateTree', () => {
  describe('groupCertificates by status', () => {
    it('groups severest first, leaves out empty statuses and puts unrecognized ones last', () => {
      const list = [
        certificate('APPROVED', daysBefore(0)),
        certificate('EMERGENCY_STOP', daysBefore(1)),
        certificate('APPROVED', daysBefore(3)),
        certificate('CONDITIONALLY_APPROVED', daysBefore(2)),
        broken('/ws/docs/ai/agents/devops-engineer/certificates/notes.md'),
        certificate('NO_GO', daysBefore(5)),
      ];
      const groups = groupCertificates(list, 'status', { now: NOW });
      assert.deepEqual(groups.map((g) => g.key), ['EMERGENCY_STOP', 'NO_GO', 'CONDITIONALLY_APPROVED', 'APPROVED', UNRECOGNIZED_STATUS]);
      assert.deepEqual(groups.map((g) => g.label), ['Emergency Stop', 'No Go', 'Conditionally Approved', 'Approved', 'Unrecognized Status']);
      assert.equal(groups.find((g) => g.key === 'APPROVED')?.certificates.length, 2);
      assert.equal(groups.at(-1)?.problems, 1);
      assert.equal(groups[0]?.problems, 0);
    });

    it('sorts each group newest first, ties by file name', () => {
      const older = certificate('GO', daysBefore(4), {}, '/ws/a/docs/ai/agents/x/certificates/b.md');
      const newer = certificate('GO', daysBefore(1), {}, '/ws/a/docs/ai/agents/x/certificates/c.md');
      const sameTimeA = certificate('GO', daysBefore(4), {}, '/ws/a/docs/ai/agents/x/certificates/a.md');
      const [group] = groupCertificates([older, sameTimeA, newer], 'status', { now: NOW });
      assert.deepEqual(group?.certificates.map((c) => c.file.split('/').pop()), ['c.md', 'a.md', 'b.md']);
    });

    it('returns no groups for no certificates', () => {
      assert.deepEqual(groupCertificates([], 'status'), []);
      assert.deepEqual(groupCertificates([], 'date'), []);
      assert.deepEqual(groupCertificates([], 'component'), []);
    });
  });

  describe('groupCertificates by component', () => {
    it('treats spellings of one component as one group, labelled with the newest spelling, sorted by label', () => {
      const list = [
        certificate('APPROVED', daysBefore(3), { component: 'ci_cd_pipeline' }),
        certificate('REJECTED', daysBefore(1), { component: 'CI CD pipeline' }),
        certificate('GO', daysBefore(2), { component: 'Docker config' }),
        certificate('GO', daysBefore(2), { component: 'api-gateway' }),
      ];
      const groups = groupCertificates(list, 'component', { now: NOW });
      assert.deepEqual(groups.map((g) => g.label), ['api-gateway', 'CI CD pipeline', 'Docker config']);
      assert.deepEqual(groups.map((g) => g.key), ['api_gateway', 'ci_cd_pipeline', 'docker_config']);
      assert.equal(groups[1]?.certificates.length, 2);
      assert.equal(groups[1]?.certificates[0]?.status, 'REJECTED');
    });

    it('puts certificates without a component last', () => {
      const list = [broken('/ws/docs/ai/agents/a/certificates/x.md'), certificate('GO', daysBefore(1), { component: 'zeta' })];
      const groups = groupCertificates(list, 'component', { now: NOW });
      assert.deepEqual(groups.map((g) => g.label), ['zeta', 'No Component']);
    });
  });

  describe('groupCertificates by date', () => {
    it('buckets Today, Yesterday, Earlier This Week, Last 30 Days, then months newest first, then Undated', () => {
      const list = [
        certificate('GO', daysBefore(0, 1)),
        certificate('GO', daysBefore(1, 23)),
        certificate('GO', daysBefore(6, 0)),
        certificate('GO', daysBefore(7)),
        certificate('GO', daysBefore(29, 0)),
        certificate('GO', new Date(2025, 2, 3, 12)),
        certificate('GO', new Date(2024, 11, 31, 12)),
        certificate('GO', new Date(2025, 2, 28, 12)),
        broken('/ws/docs/ai/agents/a/certificates/undated.md'),
      ];
      const groups = groupCertificates(list, 'date', { now: NOW });
      assert.deepEqual(groups.map((g) => g.key), ['today', 'yesterday', 'week', 'month', '2025-03', '2024-12', 'undated']);
      assert.deepEqual(groups.map((g) => g.label), ['Today', 'Yesterday', 'Earlier This Week', 'Last 30 Days', 'March 2025', 'December 2024', 'Undated']);
      assert.deepEqual(groups.map((g) => g.certificates.length), [1, 1, 1, 2, 2, 1, 1]);
    });

    it('puts a certificate dated after now (clock skew) under Today', () => {
      assert.equal(dateBucketOf(NOW.getTime() + 3 * 24 * 3600 * 1000, NOW).key, 'today');
      assert.equal(dateBucketOf(undefined, NOW).key, 'undated');
    });

    it('falls back to the file name stamp when the Date line is broken', () => {
      const file = '/ws/docs/ai/agents/a/certificates/deployment_review_api_20250301_101112.md';
      const parsed = broken(file);
      assert.equal(parsed.dateMs, undefined);
      assert.equal(certificateTimeMs(parsed), Date.UTC(2025, 2, 1, 10, 11, 12));
      assert.equal(certificateTimeMs(broken('/x/certificates/review_20251399_101112.md')), undefined);
      assert.equal(certificateTimeMs(broken('/x/certificates/review_20250301_101112_2.md')), Date.UTC(2025, 2, 1, 10, 11, 12));
    });
  });

  describe('filter', () => {
    const list = [
      certificate('APPROVED', daysBefore(1)),
      certificate('REJECTED', daysBefore(2)),
      certificate('NO_GO', daysBefore(3)),
      broken('/ws/docs/ai/agents/a/certificates/bad.md'),
    ];

    it('shows everything with no filter or an empty one', () => {
      assert.equal(filterCertificates(list, undefined).length, 4);
      assert.equal(filterCertificates(list, []).length, 4);
    });

    it('keeps only the chosen statuses, and UNRECOGNIZED picks files with no status', () => {
      assert.deepEqual(filterCertificates(list, ['REJECTED', 'NO_GO']).map((c) => c.status), ['REJECTED', 'NO_GO']);
      assert.deepEqual(filterCertificates(list, [UNRECOGNIZED_STATUS]).map((c) => c.file), ['/ws/docs/ai/agents/a/certificates/bad.md']);
      const groups = groupCertificates(list, 'status', { filter: ['APPROVED'], now: NOW });
      assert.deepEqual(groups.map((g) => g.key), ['APPROVED']);
    });

    it('normalizes saved filters: drops unknown values and duplicates', () => {
      assert.deepEqual(normalizeCertificateFilter(['GO', 'NOPE', 'GO', 3, UNRECOGNIZED_STATUS]), ['GO', UNRECOGNIZED_STATUS]);
      assert.deepEqual(normalizeCertificateFilter('GO'), []);
      assert.deepEqual(normalizeCertificateFilter(undefined), []);
    });
  });

  describe('attention badge', () => {
    it('counts REJECTED, NO_GO, EMERGENCY_STOP and tampered certificates, each once', () => {
      const list = [
        certificate('REJECTED', daysBefore(1)),
        certificate('NO_GO', daysBefore(1)),
        certificate('EMERGENCY_STOP', daysBefore(1)),
        certificate('APPROVED', daysBefore(1)),
        certificate('REQUIRES_REMEDIATION', daysBefore(1)),
        certificate('DO_NOT_RECOMMEND', daysBefore(1)),
        tampered('APPROVED', daysBefore(2)),
        tampered('REJECTED', daysBefore(2)),
      ];
      assert.equal(list[6]?.integrity, 'tampered');
      assert.equal(attentionCount(list), 5);
      assert.deepEqual(attentionBreakdown(list), { total: 5, rejected: 2, noGo: 1, emergencyStop: 1, tampered: 2 });
      assert.equal(describeAttention(attentionBreakdown(list)),
        '5 certificates need attention: 1 emergency stop, 1 no-go, 2 rejected, 2 tampered (hash does not match)');
    });

    it('is zero for passing certificates and says so', () => {
      const list = [certificate('APPROVED', daysBefore(1)), certificate('GO', daysBefore(1))];
      assert.equal(attentionCount(list), 0);
      assert.equal(describeAttention(attentionBreakdown(list)), 'No certificate needs attention');
      assert.equal(describeAttention(attentionBreakdown([certificate('NO_GO', daysBefore(1))])), '1 certificate needs attention: 1 no-go');
    });
  });

  it('labels every status and validates group-by values', () => {
    assert.equal(statusLabel('CONDITIONALLY_APPROVED'), 'Conditionally Approved');
    assert.equal(new Set(CERTIFICATE_STATUSES.map(statusLabel)).size, CERTIFICATE_STATUSES.length);
    assert.ok(isCertificateGroupBy('date'));
    assert.ok(!isCertificateGroupBy('agent'));
    assert.ok(!isCertificateGroupBy(undefined));
  });

  it('groups 5000 certificates by every key without losing any', () => {
    const statuses = CERTIFICATE_STATUSES;
    const base = renderCertificate(sampleCertificateInput('APPROVED'), { agent: 'devops-engineer', now: daysBefore(0) });
    const template = parseCertificateText(base.text, '/x.md');
    const list: ParsedCertificate[] = Array.from({ length: 5000 }, (_, i) => ({
      ...template,
      file: `/ws/docs/ai/agents/a/certificates/c${i}.md`,
      status: statuses[i % statuses.length],
      component: `component_${i % 37}`,
      dateMs: NOW.getTime() - i * 3600 * 1000,
    }));
    for (const by of ['status', 'component', 'date'] as const) {
      const groups = groupCertificates(list, by, { now: NOW });
      assert.equal(groups.reduce((n, g) => n + g.certificates.length, 0), 5000, by);
    }
    assert.equal(groupCertificates(list, 'component', { now: NOW }).length, 37);
  });
});
