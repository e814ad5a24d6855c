import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { certificatesFolderOf, createCertificate } from '../../../src/core/certificates/certificateStore';
import { parseCertificateFile } from '../../../src/core/certificates/parseCertificate';
import { sampleCertificateInput } from '../core/certificates/certificateFixtures';
import type { CertificateJson } from '../../../src/cli/commands/certificates';
import { bufferIo } from './bufferIo';

describe('cli/certificates', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-certs-')));
    fs.mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), Array.from({ length: 20 }, (_, i) => `# line ${i + 1}`).join('\n'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('says when there are no certificates and exits 0', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['certificates'], io), 0);
    assert.match(io.stdout, /^No certificates under .*docs\/ai\/agents\/\*\/certificates\/\.\n$/);
    const json = bufferIo(root);
    assert.equal(await runCli(['certificates', '--json'], json), 0);
    assert.deepEqual(JSON.parse(json.stdout), []);
  });

  it('lists valid certificates with exit 0', async () => {
    await createCertificate(root, 'devops-engineer', sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 1)));
    const io = bufferIo(root);
    assert.equal(await runCli(['certificates'], io), 0, io.stderr);
    assert.match(io.stdout, /^ok +GO +2025-01-01 00:00:00 UTC +CERT-20250101000000-[0-9a-f]{8} {2}docs\/ai\/agents\/devops-engineer\/certificates\/deployment_review_ci_cd_pipeline_20250101_000000\.md\n$/);
    assert.match(io.stderr, /1 certificate: 1 valid, 0 invalid \(0 tampered\), 0 unsigned/);
  });

  it('reports tampered and broken certificates with line numbers and exits 1', async () => {
    const good = await createCertificate(root, 'devops-engineer', sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 2)));
    const tampered = await createCertificate(root, 'security-reviewer', sampleCertificateInput('NO_GO'), new Date(Date.UTC(2025, 0, 1)));
    fs.writeFileSync(tampered.file, fs.readFileSync(tampered.file, 'utf8').replace('missing timeout is minor', 'missing timeout is fine'));
    fs.writeFileSync(path.join(certificatesFolderOf(root, 'devops-engineer'), 'broken.md'), '# BROKEN CERTIFICATE\n\n**Status**: MAYBE\n');
    fs.writeFileSync(path.join(certificatesFolderOf(root, 'devops-engineer'), 'binary.md'), Buffer.from([0, 1, 2, 0]));

    const io = bufferIo(root);
    assert.equal(await runCli(['certificates', '--root', root, '--json'], io), 1);
    const list = JSON.parse(io.stdout) as CertificateJson[];
    assert.deepEqual(list.map((c) => [c.file, c.status, c.valid, c.integrity]), [
      ['docs/ai/agents/devops-engineer/certificates/deployment_review_ci_cd_pipeline_20250102_000000.md', 'GO', true, 'ok'],
      ['docs/ai/agents/security-reviewer/certificates/deployment_review_ci_cd_pipeline_20250101_000000.md', 'NO_GO', false, 'tampered'],
      ['docs/ai/agents/devops-engineer/certificates/binary.md', null, false, 'unsigned'],
      ['docs/ai/agents/devops-engineer/certificates/broken.md', null, false, 'unsigned'],
    ]);
    assert.deepEqual(Object.keys(list[0] ?? {}), ['file', 'id', 'descriptor', 'component', 'status', 'date', 'valid', 'integrity', 'problems']);
    assert.equal(list[0]?.id, good.id);
    assert.equal(list[0]?.descriptor, 'DEPLOYMENT REVIEW');
    assert.equal(list[0]?.component, 'ci_cd_pipeline');
    assert.equal(list[0]?.date, '2025-01-02 00:00:00 UTC');
    assert.deepEqual(list[1]?.problems.map((p) => p.line), [36]);
    assert.deepEqual(list[2]?.problems, [{ line: 1, message: 'Binary file (it contains NUL bytes), not a Markdown certificate.' }]);
    assert.ok((list[3]?.problems ?? []).some((p) => p.line === 3 && /Status "MAYBE" is not one of/.test(p.message)));

    const text = bufferIo(root);
    assert.equal(await runCli(['certificates'], text), 1);
    assert.match(text.stdout, /^TAMPERED +NO_GO .*security-reviewer/m);
    assert.match(text.stdout, /^ {2}docs\/ai\/agents\/security-reviewer\/certificates\/deployment_review_ci_cd_pipeline_20250101_000000\.md:36: Certificate Hash does not match/m);
    assert.match(text.stdout, /^INVALID +MAYBE +- +- {2}docs\/ai\/agents\/devops-engineer\/certificates\/broken\.md$/m);
    assert.match(text.stderr, /4 certificates: 1 valid, 3 invalid \(1 tampered\), 2 unsigned/);

    const one = bufferIo(root);
    assert.equal(await runCli(['certificates', '--agent', 'security-reviewer', '--json'], one), 1);
    assert.equal((JSON.parse(one.stdout) as CertificateJson[]).length, 1);
  });

  it('writes a certificate from JSON and prints its path', async () => {
    const inputFile = path.join(root, 'cert.json');
    fs.writeFileSync(inputFile, JSON.stringify(sampleCertificateInput('CONDITIONALLY_APPROVED')));
    const io = bufferIo(root);
    assert.equal(await runCli(['certificates', 'new', '--from-json', 'cert.json'], io), 0, io.stderr);
    const file = io.stdout.trim();
    assert.match(file, /docs\/ai\/agents\/devops-engineer\/certificates\/deployment_review_ci_cd_pipeline_\d{8}_\d{6}\.md$/);
    const parsed = await parseCertificateFile(file);
    assert.equal(parsed.valid, true);
    assert.equal(parsed.status, 'CONDITIONALLY_APPROVED');
    assert.match(io.stderr, new RegExp(`Certificate ID: ${parsed.id ?? '?'}\\nCertificate Hash: ${parsed.hash ?? '?'}`));

    const stdin = bufferIo(root, JSON.stringify(sampleCertificateInput('GO')));
    assert.equal(await runCli(['certificates', 'new', '--from-json', '-', '--agent', 'release-manager', '--json'], stdin), 0, stdin.stderr);
    const created = JSON.parse(stdin.stdout) as { file: string; id: string; hash: string };
    assert.ok(created.file.includes(`${path.sep}release-manager${path.sep}certificates${path.sep}`));
    assert.equal((await parseCertificateFile(created.file)).hash, created.hash);
    assert.equal(await runCli(['certificates'], bufferIo(root)), 0);
  });

  it('refuses bad JSON, invalid input and unverifiable evidence with exit 2, writing nothing', async () => {
    const bad = bufferIo(root, '{"descriptor": ');
    assert.equal(await runCli(['certificates', 'new', '--from-json', '-'], bad), 2);
    assert.match(bad.stderr, /- is not valid JSON/);

    const invalid = bufferIo(root, JSON.stringify({ ...sampleCertificateInput(), status: 'SHIP_IT', scope: [] }));
    assert.equal(await runCli(['certificates', 'new', '--from-json', '-'], invalid), 2);
    assert.match(invalid.stderr, /nothing was written:\n- scope: Required: at least one entry.*\n- status: "SHIP_IT" is not a certificate status/);

    const evidence = bufferIo(root, JSON.stringify(sampleCertificateInput('GO', { evidence: ['.github/workflows/ci.yml:99'] })));
    assert.equal(await runCli(['certificates', 'new', '--from-json', '-'], evidence), 2);
    assert.match(evidence.stderr, /- evidence\[0\] "\.github\/workflows\/ci\.yml:99": line 99 out of range, file has 20 lines \(line-out-of-range\)/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
  });

  it('exits 2 on usage errors', async () => {
    for (const args of [
      ['certificates', 'new'],
      ['certificates', 'bogus'],
      ['certificates', '--root', path.join(root, 'nope')],
      ['certificates', '--agent', '../etc'],
      ['certificates', '--from-json', 'x.json'],
      ['certificates', 'new', '--from-json', 'missing.json'],
      ['certificates', '--frobnicate'],
    ]) {
      const io = bufferIo(root);
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.match(io.stderr, /^devops-agent certificates: /, args.join(' '));
    }
    const help = bufferIo(root);
    assert.equal(await runCli(['certificates', '--help'], help), 0);
    assert.match(help.stdout, /^Usage: devops-agent certificates/);
  });
});
