import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ParsedCertificate } from '../../../../src/core/certificates/parseCertificate';
import {
  MAX_CERTIFICATE_BYTES,
  parseCertificateBytes,
  parseCertificateFile,
  parseCertificateText,
} from '../../../../src/core/certificates/parseCertificate';
import { renderCertificate } from '../../../../src/core/certificates/renderCertificate';
import { sampleCertificateInput } from './certificateFixtures';

const NOW = new Date(Date.UTC(2025, 5, 7, 8, 9, 10));
const SIGNED = renderCertificate(sampleCertificateInput('GO'), { agent: 'devops-engineer', now: NOW }).text;

/** The certificate template of the agent definition, filled in by hand as a user would (no hash). */
const HAND_WRITTEN = `# PIPELINE ASSESSMENT CERTIFICATE

**Component**: docker_config
**Agent**: devops-engineer
**Date**: 2024-11-02 14:30:00 UTC
**Certificate ID**: PA-2024-001

## REVIEW SCOPE
- Dockerfile and compose file

## FINDINGS
- Base image is pinned

## DECISION/OUTCOME
**Status**: APPROVED
**Rationale**: Meets the hardening checklist.
**Conditions**: None

## EVIDENCE
- Dockerfile:1

## SIGNATURE
Agent: devops-engineer
Timestamp: 2024-11-02 14:30:00 UTC
Certificate Hash: {optional - for integrity}
`;

function messages(parsed: ParsedCertificate): string[] {
  return parsed.problems.map((p) => `${p.line}: ${p.message}`);
}

describe('core/certificates/parseCertificate', () => {
  it('detects a one-character change in the rationale as tampering, at the hash line', () => {
    const changed = SIGNED.replace('the missing timeout is minor', 'the missing timeout is minoR');
    assert.notEqual(changed, SIGNED);
    const parsed = parseCertificateText(changed, 'x.md');
    assert.equal(parsed.integrity, 'tampered');
    assert.equal(parsed.valid, false);
    const hashLine = changed.split('\n').findIndex((l) => l.startsWith('Certificate Hash:')) + 1;
    assert.deepEqual(parsed.problems.map((p) => p.line), [hashLine]);
    assert.match(parsed.problems[0]?.message ?? '', /does not match the text above it/);
  });

  it('detects a changed status as tampering', () => {
    const parsed = parseCertificateText(SIGNED.replace('**Status**: GO', '**Status**: NO_GO'), 'x.md');
    assert.equal(parsed.status, 'NO_GO');
    assert.equal(parsed.integrity, 'tampered');
  });

  it('ignores whitespace editors change: trailing spaces, CRLF line endings, a byte-order mark', () => {
    const trailing = SIGNED.split('\n').map((l, i) => (i % 3 === 0 && l.length > 0 ? `${l}  \t` : l)).join('\n');
    assert.notEqual(trailing, SIGNED);
    for (const variant of [trailing, SIGNED.replace(/\n/g, '\r\n'), `\uFEFF${SIGNED}`, SIGNED.replace(/\n$/, '')]) {
      const parsed = parseCertificateText(variant, 'x.md');
      assert.equal(parsed.integrity, 'ok');
      assert.deepEqual(parsed.problems, []);
    }
  });

  it('treats text added after the hash line as tampering', () => {
    const parsed = parseCertificateText(`${SIGNED}\n## ADDENDUM\nApproved anyway.\n`, 'x.md');
    assert.equal(parsed.integrity, 'tampered');
    assert.ok(messages(parsed).some((m) => /^3[0-9]: Text after the Certificate Hash line/.test(m)), messages(parsed).join('\n'));
  });

  it('accepts a hand-written certificate with the template hash placeholder as valid and unsigned', () => {
    const parsed = parseCertificateText(HAND_WRITTEN, 'x.md');
    assert.deepEqual(parsed.problems, []);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.integrity, 'unsigned');
    assert.equal(parsed.id, 'PA-2024-001');
    assert.equal(parsed.status, 'APPROVED');
    assert.equal(parsed.descriptor, 'PIPELINE ASSESSMENT');
    for (const variant of [HAND_WRITTEN.replace(/Certificate Hash: .*\n/, ''), HAND_WRITTEN.replace('{optional - for integrity}', '')]) {
      assert.equal(parseCertificateText(variant, 'x.md').integrity, 'unsigned');
    }
    const bold = HAND_WRITTEN.replace('**Component**:', '**Component:**').replace('## DECISION/OUTCOME', '## Decision / Outcome');
    assert.deepEqual(parseCertificateText(bold, 'x.md').problems, []);
  });

  it('reports a hash that is not sha256:<hex> as a problem, not as signed', () => {
    const parsed = parseCertificateText(HAND_WRITTEN.replace('{optional - for integrity}', 'abc123'), 'x.md');
    assert.equal(parsed.integrity, 'unsigned');
    assert.deepEqual(messages(parsed), ['25: Certificate Hash "abc123" is not "sha256:<64 hex digits>"; it cannot be checked.']);
  });

  it('gives line-numbered problems for missing sections, a bad status, a bad date and a missing ID', () => {
    const broken = HAND_WRITTEN
      .replace('## EVIDENCE\n- Dockerfile:1\n\n', '')
      .replace('**Status**: APPROVED', '**Status**: LGTM')
      .replace('2024-11-02 14:30:00 UTC\n**Certificate ID**: PA-2024-001', '2024-13-02 14:30\n**Certificate ID**: {auto-generated unique identifier}');
    const parsed = parseCertificateText(broken, 'x.md');
    assert.equal(parsed.valid, false);
    assert.deepEqual(messages(parsed), [
      '5: Date "2024-13-02 14:30" is not a real date in the form YYYY-MM-DD HH:MM:SS UTC.',
      '6: "**Certificate ID**:" is not filled in.',
      '15: Status "LGTM" is not one of APPROVED, CONDITIONALLY_APPROVED, REJECTED, REQUIRES_REMEDIATION, GO, NO_GO, RECOMMEND, DO_NOT_RECOMMEND, ADVISORY_ONLY, NEEDS_FURTHER_REVIEW, EMERGENCY_STOP.',
      '19: Missing the "## EVIDENCE" section.',
    ]);
    assert.equal(parsed.status, undefined);
    assert.equal(parsed.statusText, 'LGTM');
  });

  it('explains the template status line, empty sections, placeholders and missing conditions', () => {
    const template = HAND_WRITTEN
      .replace('**Status**: APPROVED', '**Status**: [APPROVED/CONDITIONALLY_APPROVED/REJECTED]')
      .replace('- Base image is pinned', '- {Key findings}');
    const parsed = parseCertificateText(template, 'x.md');
    assert.deepEqual(messages(parsed), [
      '12: Template placeholder "- {Key findings}" was left in; replace it with the real content.',
      '15: Status lists several options (APPROVED, CONDITIONALLY_APPROVED, REJECTED); keep exactly one.',
    ]);
    const conditional = parseCertificateText(HAND_WRITTEN.replace('**Status**: APPROVED', '**Status**: CONDITIONALLY_APPROVED'), 'x.md');
    assert.deepEqual(messages(conditional), ['17: CONDITIONALLY_APPROVED needs "**Conditions**:" listing the conditions that must be met.']);
    const empty = parseCertificateText(HAND_WRITTEN.replace('- Base image is pinned\n', ''), 'x.md');
    assert.deepEqual(messages(empty), ['11: The "## FINDINGS" section is empty.']);
  });

  it('flags a missing title, duplicate sections and a signature that disagrees with the header', () => {
    const text = HAND_WRITTEN
      .replace('# PIPELINE ASSESSMENT CERTIFICATE', '# Pipeline notes')
      .replace('Agent: devops-engineer', 'Agent: someone-else')
      .concat('\n## FINDINGS\n- again\n');
    const found = messages(parseCertificateText(text, 'x.md'));
    assert.ok(found.includes('1: The title "Pipeline notes" must read "<DESCRIPTOR> CERTIFICATE", e.g. "DEPLOYMENT REVIEW CERTIFICATE".'), found.join('\n'));
    assert.ok(found.includes('23: The signature\'s agent "someone-else" differs from the header\'s "devops-engineer".'), found.join('\n'));
    assert.ok(found.includes('27: A second "## FINDINGS" section (the first is at line 11); keep one.'), found.join('\n'));
    const untitled = messages(parseCertificateText(`Some notes\n\n${HAND_WRITTEN}`, 'x.md'));
    assert.equal(untitled[0], '1: The first line must be the title "# <DESCRIPTOR> CERTIFICATE".');
  });

  it('ignores headings inside fenced code blocks', () => {
    const text = HAND_WRITTEN.replace('- Dockerfile:1\n', '- Dockerfile:1\n\n```sh\n## SIGNATURE\n# comment\n```\n');
    assert.deepEqual(parseCertificateText(text, 'x.md').problems, []);
  });

  it('never throws on empty, binary, non-UTF-8, huge, missing or folder paths', async () => {
    assert.deepEqual(messages(parseCertificateBytes(new Uint8Array(), 'e.md')), ['1: The file is empty; a certificate starts with "# <DESCRIPTOR> CERTIFICATE".']);
    assert.deepEqual(messages(parseCertificateBytes(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]), 'b.md')), ['1: Binary file (it contains NUL bytes), not a Markdown certificate.']);
    const latin1 = parseCertificateBytes(Buffer.concat([Buffer.from(HAND_WRITTEN.replace('Base image', 'Base \u00e9')), Buffer.from([0xff, 0xfe, 0x41])]), 'l.md');
    assert.ok(messages(latin1).some((m) => /not valid UTF-8/.test(m)));
    assert.match(messages(parseCertificateBytes(Buffer.alloc(MAX_CERTIFICATE_BYTES + 1, 65), 'h.md'))[0] ?? '', /^1: The file is 1048577 bytes/);
    assert.match(messages(parseCertificateText('\n\n  \n', 'w.md'))[0] ?? '', /^1: The file has no text/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-parse-'));
    try {
      assert.match(messages(await parseCertificateFile(path.join(dir, 'missing.md')))[0] ?? '', /^1: Cannot read the file: ENOENT/);
      assert.match(messages(await parseCertificateFile(dir))[0] ?? '', /^1: Cannot read the file/);
      const binary = path.join(dir, 'image.md');
      fs.writeFileSync(binary, Buffer.from([0, 0, 0, 1, 2, 3]));
      assert.equal((await parseCertificateFile(binary)).valid, false);
      const good = path.join(dir, 'good.md');
      fs.writeFileSync(good, SIGNED);
      const parsed = await parseCertificateFile(good);
      assert.equal(parsed.file, good);
      assert.equal(parsed.integrity, 'ok');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('survives arbitrary junk without throwing', () => {
    let seed = 7;
    const random = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const pieces = ['# ', '## ', '**Status**: ', '**Date**: ', 'Certificate Hash: sha256:', '```', '\n', '\r\n', 'APPROVED', '{x}', '- ', 'Agent: ', ' CERTIFICATE'];
    for (let n = 0; n < 300; n += 1) {
      const text = Array.from({ length: 40 }, () => pieces[Math.floor(random() * pieces.length)]).join('');
      const parsed = parseCertificateText(text, 'junk.md');
      assert.equal(parsed.valid, parsed.problems.length === 0);
      for (const p of parsed.problems) assert.ok(Number.isInteger(p.line) && p.line >= 1);
    }
  });
});
