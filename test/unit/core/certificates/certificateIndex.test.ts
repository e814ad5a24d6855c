import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CertificateIndex, UNRECOGNIZED_STATUS } from '../../../../src/core/certificates/certificateIndex';
import { certificatesFolderOf, createCertificate } from '../../../../src/core/certificates/certificateStore';
import { sampleCertificateInput } from './certificateFixtures';

const AGENT = 'devops-engineer';

describe('core/certificates/certificateIndex', () => {
  let root: string;
  let folder: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-index-'));
    folder = certificatesFolderOf(root, AGENT);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('groups certificates by status in the definition\'s order, unrecognized last', async () => {
    const t = Date.UTC(2025, 0, 1);
    await createCertificate(root, AGENT, sampleCertificateInput('NO_GO'), new Date(t));
    await createCertificate(root, AGENT, sampleCertificateInput('APPROVED'), new Date(t + 1000));
    await createCertificate(root, AGENT, sampleCertificateInput('APPROVED'), new Date(t + 2000));
    fs.writeFileSync(path.join(folder, 'notes.md'), '# just notes\n');
    const index = new CertificateIndex(root);
    await index.refresh();
    const groups = index.groupByStatus();
    assert.deepEqual(groups.map((g) => [g.status, g.certificates.length]), [['APPROVED', 2], ['NO_GO', 1], [UNRECOGNIZED_STATUS, 1]]);
    assert.equal(groups[0]?.meaning, 'Full approval with no conditions');
    const approved = groups[0]?.certificates ?? [];
    assert.ok((approved[0]?.dateMs ?? 0) > (approved[1]?.dateMs ?? 0), 'newest first');
  });

  it('reads only new or changed files on refresh and reports what changed', async () => {
    const a = await createCertificate(root, AGENT, sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 1)));
    const b = await createCertificate(root, AGENT, sampleCertificateInput('RECOMMEND'), new Date(Date.UTC(2025, 0, 2)));
    const index = new CertificateIndex(root);
    assert.deepEqual([...(await index.refresh()).added].sort(), [a.file, b.file].sort());
    const first = index.get(a.file);
    assert.deepEqual(await index.refresh(), { added: [], changed: [], removed: [] });
    assert.equal(index.get(a.file), first, 'unchanged files are not parsed again');

    fs.writeFileSync(a.file, fs.readFileSync(a.file, 'utf8').replace('**Status**: GO', '**Status**: NO_GO'));
    const later = new Date(Date.now() + 5_000);
    fs.utimesSync(a.file, later, later);
    fs.rmSync(b.file);
    const changes = await index.refresh();
    assert.deepEqual(changes, { added: [], changed: [a.file], removed: [b.file] });
    assert.equal(index.get(a.file)?.status, 'NO_GO');
    assert.equal(index.get(a.file)?.integrity, 'tampered');
    assert.equal(index.size, 1);
  });

  it('updates single files named by a watcher, ignoring paths outside certificate folders', async () => {
    const index = new CertificateIndex(root);
    await index.refresh();
    const created = await createCertificate(root, AGENT, sampleCertificateInput('ADVISORY_ONLY'), new Date(Date.UTC(2025, 0, 1)));
    const outside = path.join(root, 'README.md');
    fs.writeFileSync(outside, '# readme');
    assert.deepEqual(await index.refreshFiles([created.file, outside]), { added: [created.file], changed: [], removed: [] });
    fs.rmSync(created.file);
    assert.deepEqual(await index.refreshFiles([created.file]), { added: [], changed: [], removed: [created.file] });
    assert.equal(index.list().length, 0);
  });

  it('limits itself to one agent when asked, and finds certificates in sub-folders', async () => {
    await createCertificate(root, AGENT, sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 1)));
    await createCertificate(root, 'other-agent', sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 1)));
    const archived = path.join(folder, '2024');
    fs.mkdirSync(archived);
    fs.writeFileSync(path.join(archived, 'old.md'), '# OLD CERTIFICATE\n');
    fs.writeFileSync(path.join(folder, '.draft.md'), 'hidden');
    const index = new CertificateIndex(root, { agent: AGENT });
    await index.refresh();
    assert.deepEqual(index.list().map((c) => path.relative(folder, c.file)).sort(), ['2024/old.md', path.basename(index.list().find((c) => c.status === 'GO')?.file ?? '')].sort());
    assert.throws(() => new CertificateIndex(root, { agent: '..' }), /cannot name a folder/);
  });

  it('keeps one entry per file when refreshes overlap', async () => {
    const created = [];
    for (let i = 0; i < 5; i += 1) created.push(await createCertificate(root, AGENT, sampleCertificateInput('GO'), new Date(Date.UTC(2025, 0, 1, 0, 0, i))));
    const index = new CertificateIndex(root);
    await index.refresh();
    assert.equal(index.list().length, 5);
    const target = created[2]?.file ?? '';
    const runs: Promise<unknown>[] = [];
    for (let round = 1; round <= 3; round += 1) {
      fs.appendFileSync(target, '\n');
      const later = new Date(Date.now() + round * 10_000);
      fs.utimesSync(target, later, later);
      runs.push(index.refresh(), index.refreshFiles([target]));
    }
    await Promise.all(runs);
    const files = index.list().map((c) => c.file);
    assert.equal(files.length, 5);
    assert.equal(new Set(files).size, 5);
    assert.equal(index.list().find((c) => c.file === target), index.get(target));
  });
});
