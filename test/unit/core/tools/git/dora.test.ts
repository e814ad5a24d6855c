import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { doraTool } from '../../../../../src/core/tools/git/dora';
import { DatedGitRepo, utcSeconds } from '../../metrics/datedGitRepo';
import { processToolContext } from '../processToolContext';

describe('core/tools/git/dora', function () {
  this.timeout(30_000);
  let tmp: string;
  let repo: DatedGitRepo;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dora-tool-')));
    repo = new DatedGitRepo(path.join(tmp, 'service'), utcSeconds('2024-05-06'));
    repo.commit(0, 'init');
    repo.commit(0.5, 'feature');
    repo.annotatedTag(1, 'v1.0.0');
    const feature = repo.commit(2, 'risky change');
    repo.annotatedTag(3, 'v1.1.0');
    repo.commit(3.5, `Revert "risky change"\n\nThis reverts commit ${feature.slice(0, 8)}.`);
    repo.annotatedTag(4, 'v1.2.0');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('is a read tool whose input is checked', () => {
    assert.equal(doraTool.riskOf(doraTool.parse({})), 'read');
    assert.deepEqual(doraTool.parse({ since: '2024-05-01', until: '2024-06-01', deployments: 'tags', failure_window_days: 7, format: 'json' }), {
      settings: { since: '2024-05-01', until: '2024-06-01', deployments: 'tags', failureWindowDays: 7 }, format: 'json',
    });
    assert.throws(() => doraTool.parse({ deployments: 'releases' }), ToolInputError);
    assert.throws(() => doraTool.parse({ window: 30 }), /unknown field "window"/);
  });

  it('measures the workspace repository and answers with the table', async () => {
    const ctx = processToolContext([repo.dir]);
    const result = await doraTool.run(doraTool.parse({ since: '2024-05-01', until: '2024-06-01' }), ctx);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /^Change failure rate\s+33\.3 %\s+1 failed of 3/m);
    assert.match(result.text, /^v1\.1\.0\s+2024-05-09 00:00\s+1\s+[0-9a-f]{10}\s+fixed by v1\.2\.0 \(revert\) after 24\.0 h/m);
  });

  it('json format carries the figures; a long report is cut to the newest deployments', async () => {
    const json = await doraTool.run(doraTool.parse({ since: '2024-05-01', until: '2024-06-01', format: 'json' }), processToolContext([repo.dir]));
    const report = JSON.parse(json.text) as { deployments: { count: number }; leadTime: { medianHours: number } };
    assert.equal(report.deployments.count, 3);
    assert.equal(report.leadTime.medianHours, 18, 'lead times 24 12 | 24 | 12');
    assert.ok(json.text.length > 2_000, String(json.text.length));
    const short = await doraTool.run(doraTool.parse({ since: '2024-05-01', until: '2024-06-01', format: 'json' }), processToolContext([repo.dir], { limits: { maxResultChars: 2_000 } }));
    assert.ok(short.text.length <= 2_000, String(short.text.length));
    const cut = JSON.parse(short.text) as { deployments: { count: number; list: unknown[] }; notes: string[] };
    assert.equal(cut.deployments.count, 3, 'the figures stay');
    assert.ok(cut.deployments.list.length < 3);
    assert.match(cut.notes.join('\n'), /The full report is longer than the result limit/);
  });

  it('a folder it cannot measure is a failed result with the fix, not an exception', async () => {
    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    const result = await doraTool.run(doraTool.parse({}), processToolContext([plain]));
    assert.equal(result.ok, false);
    assert.match(result.text, /^dora: .* is not in a git repository.*--root DIR/);
  });
});
