import * as assert from 'node:assert/strict';
import { GitignoreRules } from '../../../../../src/core/tools/search/gitignoreRules';
import type { IgnoreVerdict } from '../../../../../src/core/tools/search/gitignoreRules';

describe('core/tools/search/gitignoreRules', () => {
  const cases: ReadonlyArray<[string, string, boolean, IgnoreVerdict]> = [
    ['*.log', 'a.log', false, 'ignore'],
    ['*.log', 'deep/down/a.log', false, 'ignore'],
    ['*.log', 'a.log.txt', false, undefined],
    ['/build', 'build', true, 'ignore'],
    ['/build', 'src/build', true, undefined],
    ['build/', 'build', true, 'ignore'],
    ['build/', 'build', false, undefined],
    ['build/', 'src/build', true, 'ignore'],
    ['src/*.js', 'src/a.js', false, 'ignore'],
    ['src/*.js', 'src/x/a.js', false, undefined],
    ['src/*.js', 'lib/src/a.js', false, undefined],
    ['docs/**', 'docs/a/b.md', false, 'ignore'],
    ['docs/**', 'docs', true, undefined],
    ['a/**/b', 'a/b', true, 'ignore'],
    ['a/**/b', 'a/x/y/b', false, 'ignore'],
    ['**/tmp', 'x/y/tmp', true, 'ignore'],
    ['*', '.hidden', false, 'ignore'],
    ['.*', '.env', false, 'ignore'],
    ['!keep.log', 'keep.log', false, 'whitelist'],
    ['\\!bang', '!bang', false, 'ignore'],
    ['\\#hash', '#hash', false, 'ignore'],
    ['# comment', '# comment', false, undefined],
    ['trailing   ', 'trailing', false, 'ignore'],
    ['trailing\\ ', 'trailing ', false, 'ignore'],
    ['a?c', 'abc', false, 'ignore'],
    ['a?c', 'a/c', false, undefined],
    ['[ab].txt', 'b.txt', false, 'ignore'],
    ['[!ab].txt', 'c.txt', false, 'ignore'],
    ['[!ab].txt', 'a.txt', false, undefined],
    ['*.{js,ts}', 'x.ts', false, 'ignore'],
    ['', 'anything', false, undefined],
    ['!', '!', false, undefined],
  ];
  for (const [pattern, candidate, isDirectory, verdict] of cases) {
    it(`${JSON.stringify(pattern)} on ${JSON.stringify(candidate)}${isDirectory ? '/' : ''} → ${verdict ?? 'no match'}`, () => {
      assert.equal(GitignoreRules.parse(pattern).match(candidate, isDirectory), verdict);
    });
  }

  it('lets the last matching rule win, skipping folder-only rules for files', () => {
    const rules = GitignoreRules.parse('*.log\n!important.log\nlogs/\n');
    assert.equal(rules.match('a.log', false), 'ignore');
    assert.equal(rules.match('important.log', false), 'whitelist');
    assert.equal(rules.match('logs', true), 'ignore');
    assert.equal(rules.match('logs', false), undefined);
    assert.equal(GitignoreRules.parse('!x\nx').match('x', false), 'ignore');
  });

  it('reads CRLF ignore files', () => {
    assert.equal(GitignoreRules.parse('*.log\r\nbuild/\r\n').match('build', true), 'ignore');
  });
});
