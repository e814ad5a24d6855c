import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  CertificateInputError,
  certificateFileName,
  certificatesFolderOf,
  createCertificate,
  listCertificates,
} from '../../../../src/core/certificates/certificateStore';
import type { CertificateInput } from '../../../../src/core/certificates/certificateSchema';
import { parseCertificateFile } from '../../../../src/core/certificates/parseCertificate';
import { sampleCertificateInput } from './certificateFixtures';

const AGENT = 'devops-engineer';
const NOW = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

describe('core/certificates/certificateStore', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-store-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('names files {descriptor}_{component}_{YYYYMMDD_HHMMSS}.md with slugged names', () => {
    assert.equal(certificateFileName({ descriptor: 'Deployment Review', component: 'CI/CD pipeline' }, NOW), 'deployment_review_ci_cd_pipeline_20250102_030405.md');
    assert.equal(certificateFileName({ descriptor: 'x', component: 'y' }, NOW, 3), 'x_y_20250102_030405_3.md');
  });

  it('writes a valid, signed certificate into the agent\'s certificates folder', async () => {
    const created = await createCertificate(root, AGENT, sampleCertificateInput('GO'), NOW);
    assert.equal(created.file, path.join(root, 'docs', 'ai', 'agents', AGENT, 'certificates', 'deployment_review_ci_cd_pipeline_20250102_030405.md'));
    assert.equal(path.dirname(created.file), certificatesFolderOf(root, AGENT));
    assert.match(created.id, /^CERT-20250102030405-[0-9a-f]{8}$/);
    assert.equal(created.date, '2025-01-02 03:04:05 UTC');
    const parsed = await parseCertificateFile(created.file);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.integrity, 'ok');
    assert.equal(parsed.hash, created.hash);
    assert.equal(parsed.id, created.id);
    assert.deepEqual(fs.readdirSync(path.dirname(created.file)), [path.basename(created.file)], 'no temporary file is left');
  });

  it('never overwrites: same-second certificates get _2, _3, … even when written concurrently', async () => {
    const existing = path.join(certificatesFolderOf(root, AGENT), 'deployment_review_ci_cd_pipeline_20250102_030405.md');
    fs.mkdirSync(path.dirname(existing), { recursive: true });
    fs.writeFileSync(existing, 'hand-written, keep me');
    const created = await Promise.all(Array.from({ length: 12 }, () => createCertificate(root, AGENT, sampleCertificateInput('GO'), NOW)));
    const names = created.map((c) => path.basename(c.file)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    assert.deepEqual(names, Array.from({ length: 12 }, (_, i) => `deployment_review_ci_cd_pipeline_20250102_030405_${i + 2}.md`));
    assert.equal(fs.readFileSync(existing, 'utf8'), 'hand-written, keep me');
    assert.equal(new Set(created.map((c) => c.id)).size, 12);
    for (const c of created) assert.equal((await parseCertificateFile(c.file)).integrity, 'ok');
    assert.equal(fs.readdirSync(path.dirname(existing)).length, 13);
  });

  it('refuses invalid input with every problem and writes nothing', async () => {
    const bad = { ...sampleCertificateInput(), status: 'LGTM', evidence: [] } as unknown as CertificateInput;
    await assert.rejects(createCertificate(root, AGENT, bad, NOW), (error: unknown) =>
      error instanceof CertificateInputError && error.problems.map((p) => p.field).join() === 'evidence,status' &&
      /- status: "LGTM" is not a certificate status/.test(error.message));
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
    await assert.rejects(createCertificate(root, '../x', sampleCertificateInput(), NOW), /cannot name a folder/);
  });

  it('lists the certificates of every agent, newest first', async () => {
    await createCertificate(root, AGENT, sampleCertificateInput('GO'), NOW);
    await createCertificate(root, 'security-reviewer', sampleCertificateInput('NO_GO', { component: 'ingress' }), new Date(NOW.getTime() + 60_000));
    const all = await listCertificates(root);
    assert.deepEqual(all.map((c) => [c.agent, c.status]), [['security-reviewer', 'NO_GO'], [AGENT, 'GO']]);
    const one = await listCertificates(root, { agent: AGENT });
    assert.deepEqual(one.map((c) => c.status), ['GO']);
    assert.deepEqual(await listCertificates(path.join(root, 'nowhere')), []);
  });
});
