import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { DatedGitRepo, utcSeconds } from '../core/metrics/datedGitRepo';
import { bufferIo } from './bufferIo';

describe('cli/dora', function () {
  this.timeout(30_000);
  let tmp: string;
  let repo: DatedGitRepo;
  const savedCacheDir = process.env.DEVOPS_AGENT_CACHE_DIR;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dora-cli-')));
    process.env.DEVOPS_AGENT_CACHE_DIR = path.join(tmp, 'cache');
    repo = new DatedGitRepo(path.join(tmp, 'repo'), utcSeconds('2024-03-04'));
    repo.commit(0, 'init');
    repo.commit(1, 'feature');
    repo.annotatedTag(2, 'v2.0.0');
    repo.commit(3, 'fix');
    repo.annotatedTag(4, 'v2.0.1');
  });
  after(() => {
    if (savedCacheDir === undefined) delete process.env.DEVOPS_AGENT_CACHE_DIR;
    else process.env.DEVOPS_AGENT_CACHE_DIR = savedCacheDir;
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('is listed in the CLI help', async () => {
    const io = bufferIo(tmp);
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.stdout, /^\s+dora\s+delivery metrics \(DORA\) from git history/m);
  });

  it('--json carries the figures the issue names', async () => {
    const io = bufferIo(tmp);
    assert.equal(await runCli(['dora', '--root', 'repo', '--since', '2024-03-01', '--until', '2024-04-01', '--json'], io), 0, io.stderr);
    const report = JSON.parse(io.stdout) as Record<string, Record<string, unknown>>;
    assert.equal(report.deployments?.count, 2);
    assert.equal(report.leadTime?.medianHours, 24, 'lead times 48, 24 and 24 hours');
    assert.equal(report.leadTime?.changes, 3);
    assert.equal(report.changeFailureRate, 0.5);
    assert.deepEqual(report.recoveryTime, { medianHours: 48, failures: 1 });
    assert.equal(report.reworkRate, 0.5);
    assert.equal((report.deployments?.list as { fixedBy: string | null }[])[0]?.fixedBy, 'v2.0.1');
  });

  it('prints a readable table', async () => {
    const io = bufferIo(repo.dir);
    assert.equal(await runCli(['dora', '--since', '2024-03-01', '--until', '2024-04-01'], io), 0, io.stderr);
    assert.match(io.stdout, /^Lead time for changes\s+median 24\.0 h, p90 48\.0 h \(2\.0 days\)\s+3 changes\s+high$/m);
    assert.match(io.stdout, /^Change failure rate\s+50\.0 %\s+1 failed of 2\s+low$/m);
    assert.match(io.stdout, /^v2\.0\.0\s+2024-03-06 00:00\s+2\s+[0-9a-f]{10}\s+fixed by v2\.0\.1 \(patch\) after 48\.0 h \(2\.0 days\)$/m);
  });

  it('keeps the history in the cache folder between runs; --no-cache reads git', async () => {
    const run = async (...extra: string[]): Promise<string> => {
      const io = bufferIo(repo.dir);
      assert.equal(await runCli(['dora', '--since', '2024-03-01', '--until', '2024-04-01', ...extra], io), 0, io.stderr);
      return io.stdout;
    };
    await run();
    assert.match(await run(), /read from cache: refs unchanged/);
    assert.ok(fs.readdirSync(path.join(tmp, 'cache')).some((f) => f.endsWith('.json')));
    assert.doesNotMatch(await run('--no-cache'), /read from cache/);
  });

  it('a repository it cannot measure is a usage error with the fix', async () => {
    const io = bufferIo(tmp);
    assert.equal(await runCli(['dora', '--root', 'repo', '--tag-pattern', '^release-'], io), 2);
    assert.match(io.stderr, /devops-agent dora: None of its 2 tags .* matches \^release-.*--deployments merges/);
    const notRepo = bufferIo(tmp);
    assert.equal(await runCli(['dora'], notRepo), 2);
    assert.match(notRepo.stderr, /is not in a git repository/);
    const bad = bufferIo(tmp);
    assert.equal(await runCli(['dora', '--failure-window-days', 'two'], bad), 2);
    assert.match(bad.stderr, /--failure-window-days must be a number/);
  });
});
