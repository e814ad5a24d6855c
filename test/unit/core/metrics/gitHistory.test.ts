import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CommitLogParser, GIT_LOG_ARGS, parseCommitLog, readCommitGraph } from '../../../../src/core/metrics/gitHistory';
import { DatedGitRepo, utcSeconds } from './datedGitRepo';

describe('core/metrics/gitHistory', function () {
  this.timeout(30_000);
  let tmp: string;
  let repo: DatedGitRepo;
  const shas: Record<string, string> = {};

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'dora-log-')));
    repo = new DatedGitRepo(path.join(tmp, 'repo'), utcSeconds('2024-02-01'));
    shas.base = repo.commit(0, 'base');
    repo.git(0, 'checkout', '-q', '-b', 'topic');
    shas.topic = repo.commit(1, 'topic change\n\nwith a body line\n\nand a paragraph — non-ASCII text ✓');
    repo.git(2, 'checkout', '-q', 'main');
    repo.git(2, 'merge', '-q', '--no-ff', '-m', 'Merge branch topic\n\nThis reverts commit 0000000 only in a merge body', 'topic');
    shas.revert = repo.commit(3, `Revert "topic change"\n\nThis reverts commit ${shas.topic}.\nThis reverts commit ${(shas.base ?? '').slice(0, 9).toUpperCase()}.`);
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads commits, parents, committer dates, merge subjects and revert references', async () => {
    const graph = await readCommitGraph(repo.dir);
    assert.equal(graph.shas.length, 4);
    const revert = graph.numberOf.get(shas.revert ?? '') as number;
    assert.deepEqual(graph.revertedShas.get(revert), [shas.topic, (shas.base ?? '').slice(0, 9)], 'full and abbreviated, lower-cased');
    assert.equal(graph.committerTimes[revert], utcSeconds('2024-02-04'));
    const merge = graph.parentCounts.findIndex((n) => n === 2);
    assert.equal(graph.mergeSubjects.get(merge), 'Merge branch topic');
    assert.deepEqual(graph.parents[merge]?.map((p) => graph.shas[p]), [shas.base, shas.topic]);
    assert.equal(graph.mergeSubjects.size, 1, 'subjects are kept for merges only');
  });

  it('parses the same graph from pieces of any size as from the whole output', () => {
    const output = repo.git(0, ...GIT_LOG_ARGS) + '\n';
    const whole = parseCommitLog(output);
    for (const size of [1, 2, 7, 64, 1000]) {
      const parser = new CommitLogParser();
      for (let i = 0; i < output.length; i += size) parser.push(output.slice(i, i + size));
      assert.deepEqual(parser.finish(), whole, `pieces of ${size}`);
    }
  });
});
