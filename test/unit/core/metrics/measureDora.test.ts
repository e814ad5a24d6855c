import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DoraError } from '../../../../src/core/metrics/doraError';
import type { DoraReport } from '../../../../src/core/metrics/doraReport';
import { DoraHistoryCache } from '../../../../src/core/metrics/doraHistoryCache';
import { measureDora } from '../../../../src/core/metrics/measureDora';
import { DatedGitRepo, utcSeconds } from './datedGitRepo';

const WINDOW = { since: '2024-01-01', until: '2024-03-01' };
const NOW = Date.parse('2024-06-01T00:00:00Z');

function byName(report: DoraReport, name: string): DoraReport['deployments']['list'][number] {
  const found = report.deployments.list.find((d) => d.name === name);
  assert.ok(found, `deployment ${name} in ${report.deployments.list.map((d) => d.name).join(', ')}`);
  return found;
}

async function doraErrorOf(promise: Promise<unknown>): Promise<DoraError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DoraError, `expected a DoraError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a DoraError');
}

describe('core/metrics/measureDora', function () {
  this.timeout(60_000);
  let tmp: string;
  let repo: DatedGitRepo;
  const shas: Record<string, string> = {};

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dora-')));
    // 2024-01-01 is a Monday; day N below is 2024-01-01 + N days.
    repo = new DatedGitRepo(path.join(tmp, 'repo'), utcSeconds('2024-01-01'));
    shas.c1 = repo.commit(0, 'init');
    shas.c2 = repo.commit(1, 'feat a');
    repo.annotatedTag(2, 'v1.0.0');
    shas.c3 = repo.commit(3, 'feat b');
    shas.c4 = repo.commit(4, 'feat c');
    repo.lightweightTag('v1.1.0');
    // A release branch gets a fix and a patch release; main merges it back later.
    repo.git(5, 'checkout', '-q', '-b', 'release-1.1');
    shas.c5 = repo.commit(6, 'fix on release branch');
    repo.annotatedTag(6.5, 'v1.1.1');
    repo.git(7, 'checkout', '-q', 'main');
    shas.c6 = repo.commit(8, 'feat d');
    repo.git(9, 'merge', '-q', '--no-ff', '-m', 'Merge branch release-1.1', 'release-1.1');
    repo.annotatedTag(10, 'v1.2.0');
    shas.c7 = repo.commit(11, `Revert "feat d"\n\nThis reverts commit ${shas.c6}.`);
    repo.annotatedTag(12, 'v1.3.0');
    shas.c8 = repo.commit(19, 'feat e');
    repo.annotatedTag(20, 'v1.4.0');
    // The patch release comes on day 15 after v1.4.0: outside the 14-day failure window.
    shas.c9 = repo.commit(34, 'fix e');
    repo.annotatedTag(35, 'v1.4.1');
    shas.c10 = repo.commit(40, 'feat f');
    repo.annotatedTag(41, 'v1.5.0');
    shas.c11 = repo.commit(45, `Revert "feat f"\n\nThis reverts commit ${(shas.c10 ?? '').slice(0, 7)}.`);
    // Two release tags on one commit (the time is the earliest, the name the highest), plus a pre-release.
    repo.lightweightTag('v0.106.0');
    repo.annotatedTag(46, 'v1.6.0');
    repo.annotatedTag(46, 'v2.0.0-rc.1');
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('counts release tags as deployments with their changes, lead times, failures, recovery and rework', async () => {
    const report = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache() });
    assert.deepEqual(report.deployments.list.map((d) => d.name), ['v1.0.0', 'v1.1.0', 'v1.1.1', 'v1.2.0', 'v1.3.0', 'v1.4.0', 'v1.4.1', 'v1.5.0', 'v1.6.0']);
    assert.equal(report.deployments.count, 9);
    assert.deepEqual(report.deployments.list.map((d) => d.changes), [2, 2, 1, 1, 1, 1, 1, 1, 1], 'the merge commit is no change; c5 belongs to v1.1.1');
    // Lead times (hours): 48 24 | 24 (c4: 0, left out) | 12 | 48 | 24 | 24 | 24 | 24 | (c11: 0, left out).
    assert.equal(report.leadTime.changes, 9);
    assert.equal(report.leadTime.changesWithoutPositiveLeadTime, 2);
    assert.equal(report.leadTime.medianHours, 24);
    assert.equal(report.leadTime.p90Hours, 48);

    const v110 = byName(report, 'v1.1.0');
    assert.equal(v110.time, '2024-01-05T00:00:00.000Z', 'a lightweight tag takes the committer date');
    assert.deepEqual([v110.failed, v110.fixedBy, v110.fixKind, v110.recoveryHours], [true, 'v1.1.1', 'patch', 60]);
    const v120 = byName(report, 'v1.2.0');
    assert.deepEqual([v120.failed, v120.fixedBy, v120.fixKind, v120.recoveryHours], [true, 'v1.3.0', 'revert', 48], 'a revert naming the full sha');
    const v150 = byName(report, 'v1.5.0');
    assert.deepEqual([v150.failed, v150.fixedBy, v150.fixKind, v150.recoveryHours], [true, 'v1.6.0', 'revert', 96], 'a revert naming a short sha');
    assert.equal(byName(report, 'v1.4.0').failed, false, 'a patch release 15 days later is outside the window');
    const v160 = byName(report, 'v1.6.0');
    assert.deepEqual(v160.tags, ['v0.106.0', 'v1.6.0']);
    assert.equal(v160.time, '2024-02-15T00:00:00.000Z', 'earliest of the two tag times');

    assert.equal(report.changeFailureRate, 0.3333);
    assert.deepEqual(report.recoveryTime, { medianHours: 60, failures: 3 });
    assert.equal(report.reworkRate, 0.2222);
    assert.equal(report.levels.leadTime.level, 'high', 'elite is under one day');
    assert.equal(report.levels.changeFailureRate.level, 'low');
    assert.equal(report.levels.recoveryTime.level, 'medium', '60 h: one day to one week');
    assert.equal(report.levels.deploymentFrequency.level, 'high', '9 deployments in 60 days: one every 6.7 days');
    assert.match(report.levels.source, /State of DevOps Report 2023/);
    assert.equal(report.deployments.frequencyBucket, 'weekly');
    assert.equal(report.weekly[0]?.weekStart, '2024-01-01');
    assert.equal(report.weekly[0]?.deployments, 3);
    assert.equal(report.weekly[0]?.failures, 1);
    assert.equal(report.weekly.reduce((n, w) => n + w.deployments, 0), 9);
    assert.equal(report.weekly.length, 9);
  });

  it('a window selects deployments by time; earlier deployments still own their changes', async () => {
    const report = await measureDora(repo.dir, { since: '2024-01-11', until: '2024-01-22' }, { now: NOW });
    assert.deepEqual(report.deployments.list.map((d) => d.name), ['v1.2.0', 'v1.3.0', 'v1.4.0']);
    assert.equal(report.leadTime.changes, 3);
    assert.equal(report.changeFailureRate, 0.3333);
  });

  it('a longer failure window makes the day-15 patch release a fix', async () => {
    const report = await measureDora(repo.dir, { ...WINDOW, failureWindowDays: 15 }, { now: NOW });
    assert.equal(byName(report, 'v1.4.0').fixedBy, 'v1.4.1');
  });

  it('an empty window measures nothing and says where the deployments are', async () => {
    const report = await measureDora(repo.dir, { since: '2023-01-01', until: '2023-06-01' }, { now: NOW });
    assert.equal(report.deployments.count, 0);
    assert.equal(report.changeFailureRate, null);
    assert.equal(report.leadTime.medianHours, null);
    assert.equal(report.levels.deploymentFrequency.level, null);
    assert.match(report.notes.join('\n'), /No deployment between 2023-01-01 and 2023-06-01.*next one after is v1\.0\.0 on 2024-01-03/);
  });

  it('notes deployments still inside their failure window', async () => {
    const report = await measureDora(repo.dir, WINDOW, { now: Date.parse('2024-02-20T00:00:00Z') });
    assert.match(report.notes.join('\n'), /1 deployment\(s\) are less than 14 days old.*v1\.6\.0/);
  });

  it('the default window is the last 90 days, today included', async () => {
    const report = await measureDora(repo.dir, {}, { now: Date.parse('2024-03-15T12:00:00Z') });
    assert.deepEqual(report.window, { since: '2023-12-17', until: '2024-03-16', days: 90 });
    assert.equal(report.deployments.count, 9);
  });

  it('a tag pattern picks other tags (here also pre-releases)', async () => {
    const report = await measureDora(repo.dir, { ...WINDOW, tagPattern: '^v(\\d+)\\.(\\d+)\\.(\\d+)(-rc\\.\\d+)?$' }, { now: NOW });
    assert.equal(byName(report, 'v2.0.0-rc.1').tags.length, 3);
  });

  it('reads a bare repository with the same figures', async () => {
    const bare = path.join(tmp, 'bare.git');
    execFileSync('git', ['clone', '-q', '--bare', repo.dir, bare]);
    const fromBare = await measureDora(bare, WINDOW, { now: NOW, cache: new DoraHistoryCache() });
    const fromClone = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache() });
    assert.deepEqual({ ...fromBare, repository: '' }, { ...fromClone, repository: '' });
  });

  it('reads the history once while the refs stay the same', async () => {
    const cache = new DoraHistoryCache();
    const first = await measureDora(repo.dir, WINDOW, { now: NOW, cache });
    const second = await measureDora(repo.dir, WINDOW, { now: NOW, cache });
    assert.equal(first.history.fromCache, false);
    assert.equal(second.history.fromCache, true);
    assert.deepEqual({ ...second, history: first.history }, first);
    repo.git(0, 'branch', 'extra', 'v1.0.0');
    const third = await measureDora(repo.dir, WINDOW, { now: NOW, cache });
    repo.git(0, 'branch', '-D', 'extra');
    assert.equal(third.history.fromCache, false, 'a new branch changes the refs');
    assert.deepEqual({ ...third, history: first.history }, first);
  });

  it('a fix exactly at the end of the failure window counts; a revert of an earlier release\'s change does not', async () => {
    const edge = new DatedGitRepo(path.join(tmp, 'edge'), utcSeconds('2024-01-01'));
    edge.commit(0, 'base');
    const old = edge.commit(1, 'old feature');
    edge.annotatedTag(2, 'v2.0.0');
    edge.commit(3, 'new feature');
    edge.annotatedTag(4, 'v2.1.0');
    edge.commit(10, `Revert "old feature"\n\nThis reverts commit ${old}.`);
    edge.annotatedTag(11, 'v2.2.0');
    edge.commit(15, 'hotfix');
    edge.annotatedTag(18, 'v2.1.1');
    const report = await measureDora(edge.dir, WINDOW, { now: NOW });
    assert.deepEqual(report.deployments.list.map((d) => [d.name, d.fixedBy, d.fixKind]), [
      ['v2.0.0', 'v2.2.0', 'revert'],
      ['v2.1.0', 'v2.1.1', 'patch'],
      ['v2.2.0', null, null],
      ['v2.1.1', null, null],
    ], 'v2.1.1 comes 14 days after v2.1.0: still inside the window; v2.2.0 reverts a change of v2.0.0 only');
    assert.equal(report.deployments.list[0]?.recoveryHours, 216);
    assert.equal(report.deployments.list[1]?.recoveryHours, 336);
    const shorter = await measureDora(edge.dir, { ...WINDOW, failureWindowDays: 13.9 }, { now: NOW });
    assert.equal(shorter.deployments.list[1]?.failed, false);
  });

  it('a cache folder lets a new process start warm; a damaged or outdated file is read from git again', async () => {
    const directory = path.join(tmp, 'cache');
    const first = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache({ directory }) });
    assert.equal(first.history.fromCache, false);
    const [file] = fs.readdirSync(directory);
    assert.ok(file?.endsWith('.json'));
    const second = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache({ directory }) });
    assert.equal(second.history.fromCache, true, 'a new cache object reads the file');
    assert.deepEqual({ ...second, history: first.history }, first);

    fs.writeFileSync(path.join(directory, file as string), '{"format": "devops-agent-dora-history/1", "shas": [');
    const damaged = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache({ directory }) });
    assert.equal(damaged.history.fromCache, false);
    assert.deepEqual({ ...damaged, history: first.history }, first);

    repo.git(0, 'branch', 'cache-test', 'v1.0.0');
    try {
      const moved = await measureDora(repo.dir, WINDOW, { now: NOW, cache: new DoraHistoryCache({ directory }) });
      assert.equal(moved.history.fromCache, false, 'a new branch: the stored refs differ');
    } finally {
      repo.git(0, 'branch', '-D', 'cache-test');
    }
  });

  it('merges mode: every first-parent merge on the branch is a deployment', async () => {
    const merges = new DatedGitRepo(path.join(tmp, 'merges'), utcSeconds('2024-01-01'));
    merges.commit(0, 'base');
    merges.git(0, 'checkout', '-q', '-b', 'feature-1');
    merges.commit(1, 'f1');
    merges.commit(2, 'f2');
    merges.git(3, 'checkout', '-q', 'main');
    merges.git(3, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #1 from feature-1', 'feature-1');
    merges.git(3, 'checkout', '-q', '-b', 'feature-2');
    const f3 = merges.commit(4, 'f3');
    merges.git(5, 'checkout', '-q', 'main');
    merges.git(5, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #2 from feature-2', 'feature-2');
    merges.git(5, 'checkout', '-q', '-b', 'feature-3');
    merges.commit(5.5, `Revert "f3"\n\nThis reverts commit ${f3}.`);
    merges.git(6, 'checkout', '-q', 'main');
    merges.git(6, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #3 from feature-3', 'feature-3');

    const report = await measureDora(merges.dir, { ...WINDOW, deployments: 'merges' }, { now: NOW });
    assert.equal(report.deployments.count, 3);
    assert.deepEqual(report.deployments.list.map((d) => d.changes), [3, 1, 1]);
    assert.match(report.deployments.list[0]?.name ?? '', /Merge pull request #1 from feature-1$/);
    assert.deepEqual(report.deployments.list.map((d) => d.version), [null, null, null]);
    assert.equal(report.deployments.list[1]?.fixKind, 'revert');
    assert.equal(report.deployments.list[1]?.recoveryHours, 24);
    assert.equal(report.leadTime.medianHours, 24, 'lead times 72 48 24 24 12');
    assert.equal(report.reworkRate, null, 'merges have no patch numbers');
    assert.equal(report.changeFailureRate, 0.3333);

    const noTags = await doraErrorOf(measureDora(merges.dir, WINDOW, { now: NOW }));
    assert.equal(noTags.problem, 'no-deployments');
    assert.match(noTags.message, /no tags.*--deployments merges/);
    const noBranch = await doraErrorOf(measureDora(merges.dir, { ...WINDOW, deployments: 'merges', branch: 'trunk' }, { now: NOW }));
    assert.equal(noBranch.problem, 'branch-not-found');
    assert.match(noBranch.message, /There is no branch trunk.*--branch NAME \(branches: .*main/);
  });

  it('says what is missing: tags that do not match, a shallow clone, a single commit, no repository', async () => {
    const unmatched = await doraErrorOf(measureDora(repo.dir, { ...WINDOW, tagPattern: '^release-' }, { now: NOW }));
    assert.equal(unmatched.problem, 'no-deployments');
    assert.match(unmatched.message, /None of its \d+ tags \(e\.g\. .*v1\.6\.0.*\) matches \^release-.*--tag-pattern REGEX.*--deployments merges/);

    const shallow = path.join(tmp, 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
    const shallowError = await doraErrorOf(measureDora(shallow, WINDOW, { now: NOW }));
    assert.equal(shallowError.problem, 'shallow-clone');
    assert.match(shallowError.message, /git fetch --unshallow/);

    const single = new DatedGitRepo(path.join(tmp, 'single'), utcSeconds('2024-01-01'));
    single.commit(0, 'only');
    single.lightweightTag('v1.0.0');
    assert.equal((await doraErrorOf(measureDora(single.dir, WINDOW, { now: NOW }))).problem, 'single-commit');

    const empty = path.join(tmp, 'empty');
    execFileSync('git', ['init', '-q', empty]);
    assert.equal((await doraErrorOf(measureDora(empty, WINDOW, { now: NOW }))).problem, 'no-commits');

    const plain = path.join(tmp, 'plain');
    fs.mkdirSync(plain);
    const notRepo = await doraErrorOf(measureDora(plain, WINDOW, { now: NOW }));
    assert.equal(notRepo.problem, 'not-a-repository');
    assert.match(notRepo.message, /not in a git repository.*--root DIR/);
    assert.equal((await doraErrorOf(measureDora(path.join(tmp, 'missing'), WINDOW, { now: NOW }))).problem, 'not-a-repository');
  });

  it('refuses bad settings with the fix', async () => {
    assert.match((await doraErrorOf(measureDora(repo.dir, { since: '2024-13-01' }))).message, /since must be a date YYYY-MM-DD/);
    assert.match((await doraErrorOf(measureDora(repo.dir, { since: '2024-02-01', until: '2024-01-01' }))).message, /window is empty/);
    assert.match((await doraErrorOf(measureDora(repo.dir, { tagPattern: '(' }))).message, /not a regular expression/);
    assert.match((await doraErrorOf(measureDora(repo.dir, { deployments: 'releases' }))).message, /"tags" or "merges"/);
  });
});
