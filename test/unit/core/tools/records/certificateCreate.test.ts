import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCertificateFile } from '../../../../../src/core/certificates/parseCertificate';
import { certificateCreateTool } from '../../../../../src/core/tools/records/certificateCreate';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

const DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';

function input(evidence: string[], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    descriptor: 'docker_review',
    component: 'api image',
    scope: ['Dockerfile of the API'],
    filesExamined: ['Dockerfile'],
    findings: ['Base image is pinned to a major version'],
    status: 'APPROVED',
    rationale: 'Small, pinned base image.',
    evidence,
    ...extra,
  };
}

describe('core/tools/records/certificateCreate', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'certtool-')));
    fs.writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('describes itself per tool.ts and refuses invalid input with every problem', () => {
    assert.equal(certificateCreateTool.name, 'certificate_create');
    assert.equal(certificateCreateTool.id, 'devops_certificate_create');
    assert.equal(certificateCreateTool.risk, 'write');
    assert.equal(certificateCreateTool.writesOnlyAgentRecords, true);
    assert.throws(() => certificateCreateTool.parse(input([], { status: 'LGTM' })), (error: unknown) =>
      error instanceof ToolInputError && /- evidence: Required/.test(error.message) && /- status: "LGTM" is not a certificate status/.test(error.message));
  });

  it('writes the certificate when every evidence citation verifies against files read this session', async () => {
    const ctx = processToolContext([root]);
    ctx.readSet.record(path.join(root, 'Dockerfile'), 1, 5);
    const parsed = certificateCreateTool.parse(input(['Dockerfile:1 `FROM node:20-alpine`', 'docker build: 41 MB image']));
    const preview = await certificateCreateTool.preview(parsed, ctx);
    assert.match(preview.title, /^Create certificate docs\/ai\/agents\/devops-engineer\/certificates\/docker_review_api_image_\d{8}_\d{6}\.md \(APPROVED\)$/);
    assert.match(preview.detail, /All 1 evidence citation verified\./);
    assert.match(preview.detail, /# DOCKER REVIEW CERTIFICATE/);
    const result = await certificateCreateTool.run(parsed, ctx);
    assert.equal(result.ok, true, result.text);
    const [, relative] = /^Created certificate (\S+)\n/.exec(result.text) ?? [];
    assert.ok(relative);
    const certificate = await parseCertificateFile(path.join(root, relative));
    assert.equal(certificate.valid, true);
    assert.equal(certificate.integrity, 'ok');
    assert.ok(result.text.includes(`Certificate ID: ${certificate.id ?? '?'}`));
    assert.ok(result.text.includes(`Certificate Hash: ${certificate.hash ?? '?'}`));
  });

  it('refuses, writing nothing, when evidence cites unread files, missing files, wrong lines or wrong code', async () => {
    const ctx = processToolContext([root]);
    const unread = await certificateCreateTool.run(certificateCreateTool.parse(input(['Dockerfile:2'])), ctx);
    assert.equal(unread.ok, false);
    assert.match(unread.text, /- evidence\[0\] "Dockerfile:2": Dockerfile was never read in this session \(unread\)/);
    ctx.readSet.record(path.join(root, 'Dockerfile'), 1, 5);
    const bad = await certificateCreateTool.run(certificateCreateTool.parse(input([
      'npm test passed',
      'Dockerfile:40',
      'src/missing.ts:3',
      'Dockerfile:1 `FROM ubuntu:latest`',
    ])), ctx);
    assert.equal(bad.ok, false);
    assert.match(bad.text, /^certificate_create refused, nothing was written/);
    assert.match(bad.text, /- evidence\[1\] "Dockerfile:40": line 40 out of range, file has 5 lines \(line-out-of-range\)/);
    assert.match(bad.text, /- evidence\[2\] "src\/missing\.ts:3": src\/missing\.ts does not exist \(missing-file\)/);
    assert.match(bad.text, /- evidence\[3\] "Dockerfile:1": the quoted code is not at line 1 .*\(quote-mismatch\)/);
    assert.ok(!bad.text.includes('evidence[0]'));
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
  });
});
