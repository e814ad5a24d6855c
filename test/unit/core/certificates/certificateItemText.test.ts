import * as assert from 'node:assert/strict';
import {
  certificateDecorationTooltip,
  certificateDescription,
  certificateLabel,
  certificateShortDate,
  certificateTooltipMarkdown,
  escapeMarkdown,
  groupTooltip,
  humanizeDescriptor,
  integrityText,
} from '../../../../src/core/certificates/certificateItemText';
import { parseCertificateText } from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

const WHEN = new Date(Date.UTC(2025, 2, 4, 10, 11, 12));
const FILE = '/ws/docs/ai/agents/devops-engineer/certificates/deployment_review_ci_cd_pipeline_20250304_101112.md';

describe('certificateItemText', () => {
  it('humanises descriptors and keeps acronyms upper case', () => {
    assert.equal(humanizeDescriptor('DEPLOYMENT REVIEW'), 'Deployment Review');
    assert.equal(humanizeDescriptor('ci_cd_pipeline  assessment'), 'CI CD Pipeline Assessment');
    assert.equal(humanizeDescriptor('k8s api tls audit'), 'K8S API TLS Audit');
    assert.equal(humanizeDescriptor('   '), '');
  });

  it('labels from the title, or from the file name without its stamp when the title is broken', () => {
    const rendered = renderCertificate(sampleCertificateInput('APPROVED'), { agent: 'devops-engineer', now: WHEN });
    const parsed = parseCertificateText(rendered.text, FILE);
    assert.equal(certificateLabel(parsed), 'Deployment Review');
    const broken = parseCertificateText('not a certificate', FILE);
    assert.equal(certificateLabel(broken), 'Deployment Review CI CD Pipeline');
    assert.equal(certificateLabel(parseCertificateText('', '/x/certificates/___.md')), '___.md');
  });

  it('describes as "component · date" in UTC, leaving out what is unknown', () => {
    const parsed = parseCertificateText(renderCertificate(sampleCertificateInput('GO'), { agent: 'devops-engineer', now: WHEN }).text, FILE);
    assert.equal(certificateShortDate(parsed), '2025-03-04 10:11');
    assert.equal(certificateDescription(parsed), 'ci_cd_pipeline · 2025-03-04 10:11');
    assert.equal(certificateDescription(parseCertificateText('x', '/x/certificates/notes.md')), '');
    assert.equal(certificateDescription(parseCertificateText('x', FILE)), '2025-03-04 10:11');
  });

  it('escapes Markdown and icon syntax from file content', () => {
    assert.equal(escapeMarkdown('*bold* [x](y) $(flame) `c`'), '\\*bold\\* \\[x\\]\\(y\\) \\$\\(flame\\) \\`c\\`');
  });

  it('builds a tooltip with status meaning, ID, date, agent, integrity and rationale', () => {
    const rendered = renderCertificate(sampleCertificateInput('CONDITIONALLY_APPROVED'), { agent: 'devops-engineer', now: WHEN, id: 'CERT-20250304101112-abcd1234' });
    const parsed = parseCertificateText(rendered.text, FILE);
    const md = certificateTooltipMarkdown(parsed);
    assert.match(md, /^\$\(pass\) \*\*Conditionally Approved\*\* — Approved with specific conditions that must be met$/m);
    assert.match(md, /^ID: CERT\\-20250304101112\\-abcd1234 {2}$/m);
    assert.match(md, /^Date: 2025\\-03\\-04 10:11:12 UTC {2}$/m);
    assert.match(md, /^Agent: devops\\-engineer {2}$/m);
    assert.match(md, /^Integrity: ok \\\(the hash matches the text\\\)$/m);
    assert.match(md, /\*\*Rationale\*\*: The pipeline builds reproducibly; the missing timeout is minor\\\./);
    assert.match(md, /\*\*Conditions\*\*: Add a deploy timeout before the next release/);
    assert.doesNotMatch(md, /problem/);
  });

  it('lists the problems of a tampered certificate in its tooltip, with line numbers', () => {
    const rendered = renderCertificate(sampleCertificateInput('APPROVED'), { agent: 'devops-engineer', now: WHEN });
    const parsed = parseCertificateText(rendered.text.replace('**Status**: APPROVED', '**Status**: GO'), FILE);
    const md = certificateTooltipMarkdown(parsed);
    assert.match(md, /Integrity: \$\(warning\) TAMPERED/);
    const hashLine = rendered.text.split('\n').findIndex((l) => l.startsWith('Certificate Hash:')) + 1;
    assert.match(md, new RegExp(`^- line ${hashLine}: Certificate Hash does not match`, 'm'));
    assert.match(md, /\$\(warning\) \*\*1 problem\*\*:/);
  });

  it('caps long problem lists in the tooltip', () => {
    const text = Array.from({ length: 20 }, (_, i) => `- {placeholder ${i}}`).join('\n');
    const parsed = parseCertificateText(`# X CERTIFICATE\n${text}\n`, FILE);
    assert.ok(parsed.problems.length > 12);
    const md = certificateTooltipMarkdown(parsed);
    assert.match(md, new RegExp(`… and ${parsed.problems.length - 12} more`));
    assert.match(md, /\*\*Unrecognized Status\*\*/);
  });

  it('writes decoration and group tooltips', () => {
    const rendered = renderCertificate(sampleCertificateInput('NO_GO'), { agent: 'devops-engineer', now: WHEN });
    assert.equal(certificateDecorationTooltip(parseCertificateText(rendered.text, FILE)), 'Certificate: NO_GO — Do not proceed, blocking issues identified');
    const tampered = parseCertificateText(rendered.text.replace('NO_GO', 'GO'), FILE);
    assert.equal(certificateDecorationTooltip(tampered), 'Certificate: GO — Proceed with the proposed action/implementation; TAMPERED: changed after its hash was written');
    assert.match(certificateDecorationTooltip(parseCertificateText('# x', FILE)), /^Certificate: no valid status; \d+ problems$/);
    assert.equal(groupTooltip('REJECTED', 2, 1), '2 certificates, 1 with problems — Not approved, significant issues prevent acceptance');
    assert.equal(groupTooltip('UNRECOGNIZED', 1, 1), '1 certificate, 1 with problems — the file names no status from the list');
    assert.equal(groupTooltip('ci_cd_pipeline', 3, 0), '3 certificates');
    assert.equal(integrityText('unsigned'), 'unsigned (no Certificate Hash)');
  });
});
