import * as assert from 'node:assert/strict';
import { coreCommandOf, splitShellCommand } from '../../../../src/core/policy/shellCommandParts';

const texts = (command: string): string[] => splitShellCommand(command).map((p) => p.text);

describe('core/policy/shellCommandParts', () => {
  describe('splitShellCommand', () => {
    const cases: [string, string[]][] = [
      ['npm test', ['npm test']],
      ['npm   test\t-- --grep  x', ['npm test -- --grep x']],
      ['a && b || c ; d', ['a', 'b', 'c', 'd']],
      ['a | b |& c', ['a', 'b', 'c']],
      ['a & b', ['a', 'b']],
      ['a\nb\r\nc', ['a', 'b', 'c']],
      ['npm test 2>&1 | tee log', ['npm test 2>&1', 'tee log']],
      ['make &> build.log', ['make &> build.log']],
      ['echo $(date -u) done', ['echo $(…) done', 'date -u']],
      ['echo "now $(date) and `whoami`"', ['echo "now $(…) and $(…)"', 'date', 'whoami']],
      ["echo '$(not run) && `nor this`'", ["echo '$(not run) && `nor this`'"]],
      ['echo \\; not a separator', ['echo \\; not a separator']],
      ['(cd web && npm ci)', ['cd web', 'npm ci']],
      ['diff <(sort a) <(sort b)', ['diff $(…) $(…)', 'sort a', 'sort b']],
      ['echo $((1 + 2))', ['echo $(…)', '1 + 2']],
      ['npm test \\\n  --watch', ['npm test --watch']],
      ['git commit -m "a;b && c"', ['git commit -m "a;b && c"']],
      ['', []],
      [' ;; && ', []],
    ];
    for (const [command, expected] of cases) {
      it(`splits ${JSON.stringify(command)}`, () => {
        assert.deepEqual(texts(command), expected);
      });
    }

    it('flags parts that write files by redirection, not fd duplication or /dev/null', () => {
      const flags = (command: string): boolean[] => splitShellCommand(command).map((p) => p.writesFile);
      assert.deepEqual(flags('echo x > out.txt'), [true]);
      assert.deepEqual(flags('echo x >> ~/.bashrc'), [true]);
      assert.deepEqual(flags('npm test 2>&1'), [false]);
      assert.deepEqual(flags('npm test >/dev/null 2>&1'), [false]);
      assert.deepEqual(flags('cmd > /dev/nullx'), [true]);
      assert.deepEqual(flags('echo "a > b"'), [false]);
      assert.deepEqual(flags('ls; echo x >f'), [false, true]);
    });

    it('handles unterminated quotes and substitutions without throwing', () => {
      assert.deepEqual(texts('echo "unterminated && rm'), ['echo "unterminated && rm']);
      assert.deepEqual(texts('echo $(rm -rf /'), ['echo $(…)', 'rm -rf /']);
      assert.deepEqual(texts('a ) b'), ['a', 'b']);
    });
  });

  describe('coreCommandOf', () => {
    const cases: [string, string][] = [
      ['rm -rf x', 'rm -rf x'],
      ['sudo rm -rf x', 'rm -rf x'],
      ['FOO=1 BAR=2 rm x', 'rm x'],
      ['env FOO=1 /usr/bin/rm x', 'rm x'],
      ['\\rm x', 'rm x'],
      ['then rm x', 'rm x'],
      ['nohup xargs rm', 'rm'],
      ['sudo', ''],
    ];
    for (const [part, expected] of cases) {
      it(`${JSON.stringify(part)} → ${JSON.stringify(expected)}`, () => assert.equal(coreCommandOf(part), expected));
    }
  });
});
