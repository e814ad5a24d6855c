import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { translateGrepPattern } from '../../../../../src/core/tools/search/grepPattern';
import { decodeEscapingInvalidBytes } from '../../../../../src/core/tools/search/nodeGrepSearch';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { ripgrepBinaries } from './ripgrepBinaries';

describe('core/tools/search/grepPattern', () => {
  const translations: ReadonlyArray<[string, string, readonly string[], readonly string[]]> = [
    ['plain text', 'TODO', ['a TODO b'], ['todo']],
    ['Unicode \\w', '^\\w+$', ['naïve', 'Σίσυφος', 'a_1'], ['a-b', '']],
    ['Unicode \\d', '^\\d+$', ['123', '٣٤٥'], ['12a']],
    ['Unicode \\s', 'a\\sb', ['a\u00a0b', 'a\tb'], ['ab']],
    ['\\b around non-ASCII words', '\\bcafé\\b', ['un café noir'], ['cafés']],
    ['. skips invalid bytes', '^caf.$', ['café', 'caf\r'], ['caf\udce9']],
    ['negated classes skip invalid bytes', '^[^x]$', ['a'], ['\udcff', 'x']],
    ['escaped punctuation', '\\/\\/ \\#\\&\\~\\-\\"', ['// #&~-"'], ['//']],
    ['braces and brackets as literals', 'a\\{1\\}\\[x\\]', ['a{1}[x]'], ['a']],
    ['a lone ] and }', 'a]b}', ['a]b}'], ['ab']],
    ['counted repetition', '^a{2,3}$', ['aa', 'aaa'], ['a', 'aaaa']],
    ['\\x and \\u escapes', '\\x41\\x{42}\\u0043\\u{1F600}', ['ABC😀'], ['ABC']],
    ['POSIX classes', '^[[:upper:][:digit:]]+$', ['AB12'], ['ab']],
    ['a class with \\d and \\w', '^[\\d\\s-]+$', ['12 - 3', '٣ ٤'], ['1a']],
    ['a leading ] in a class', '[]a]', [']'], ['b']],
    ['named groups', '(?P<x>a)(?<y>b)', ['ab'], ['ba']],
    ['a leading (?i)', '(?i)todo', ['TODO', 'ToDo'], ['TOD']],
    ['property names Rust spells loosely', '\\p{greek}\\pL\\p{Lu}', ['αβΓ'], ['abc']],
    ['a negated property', '^\\P{L}$', ['1'], ['a', '\udc80']],
  ];
  for (const [name, pattern, matching, notMatching] of translations) {
    it(`${name}: ${pattern}`, () => {
      const translated = translateGrepPattern(pattern);
      for (const line of matching) assert.ok(translated.regex.test(line), `${JSON.stringify(line)} should match ${translated.regex}`);
      for (const line of notMatching) assert.ok(!translated.regex.test(line), `${JSON.stringify(line)} should not match ${translated.regex}`);
    });
  }

  it('writes each escape in the form the other dialect needs', () => {
    assert.equal(translateGrepPattern('\\/api\\/v1').ripgrep, '/api/v1');
    assert.equal(translateGrepPattern('(?<name>x)').ripgrep, '(?P<name>x)');
    assert.equal(translateGrepPattern('\\u00e9').ripgrep, '\\x{E9}');
    assert.equal(translateGrepPattern('(?i)abc').ripgrep, 'abc');
    assert.equal(translateGrepPattern('(?i)abc').caseInsensitive, true);
    assert.equal(translateGrepPattern('abc', true).regex.flags, 'iu');
  });

  const binaries = ripgrepBinaries();
  for (const binary of binaries) {
    it(`every translated pattern is accepted by ${binary.name}`, () => {
      for (const [, pattern] of translations) {
        const { ripgrep } = translateGrepPattern(pattern);
        try {
          execFileSync(binary.path, ['--no-config', '--regexp', ripgrep, '--', '-'], { input: 'x\n', stdio: ['pipe', 'ignore', 'pipe'] });
        } catch (error) {
          const status = (error as { status?: number }).status;
          assert.equal(status, 1, `${binary.name} rejected ${ripgrep}: ${String((error as { stderr?: Buffer }).stderr)}`);
        }
      }
    });
  }

  const rejected: ReadonlyArray<[string, RegExp]> = [
    ['a(?=b)', /look-ahead and look-behind are not supported/],
    ['(?<!a)b', /look-ahead and look-behind/],
    ['(a)\\1', /backreferences/],
    ['\\k<x>', /backreferences/],
    ['a\\nb', /\\n cannot match/],
    ['\\Aabc', /\\A is not supported; use \^ and \$/],
    ['\\<word', /\\< is not supported by every ripgrep version; use \\b/],
    ['(?s:a.b)', /inline flags '\(\?s:' are not supported/],
    ['a(?i)b', /inline flags '\(\?i\)' are not supported; only a leading \(\?i\)/],
    ['[a[bc]]', /nested character classes are not supported/],
    ['[a-z&&[^aeiou]]', /class set operations/],
    ['[\\W]', /\\W inside \[\.\.\.\] is not supported/],
    ['[abc', /the '\[' at position 1 is never closed/],
    ['a{,3}', /does not start a repetition/],
    ['\\q', /\\q is not a known escape/],
    ['\\p{NotAProperty}', /unknown Unicode property 'NotAProperty'/],
    ['\\x{110000}', /not a Unicode scalar value/],
    ['abc\\', /lone backslash/],
    ['(?P<1x>a)', /group name '1x'/],
    ['*a', /not a valid regular expression \(Nothing to repeat\)/],
  ];
  for (const [pattern, message] of rejected) {
    it(`rejects ${pattern}`, () => {
      assert.throws(() => translateGrepPattern(pattern), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }

  describe('decodeEscapingInvalidBytes', () => {
    it('decodes valid UTF-8 like TextDecoder', () => {
      const text = 'plain ASCII, café, Σίσυφος, 😀, \u{10FFFF}';
      assert.equal(decodeEscapingInvalidBytes(Buffer.from(text)), text);
    });

    it('turns each invalid byte into U+DC80–U+DCFF', () => {
      const cases: ReadonlyArray<[number[], string]> = [
        [[0x63, 0xe9, 0x64], 'c\udce9d'],
        [[0xe2, 0x82, 0x41], '\udce2\udc82A'],
        [[0xc0, 0x80], '\udcc0\udc80'],
        [[0xed, 0xa0, 0x80], '\udced\udca0\udc80'],
        [[0xf4, 0x90, 0x80, 0x80], '\udcf4\udc90\udc80\udc80'],
        [[0xf0, 0x9f, 0x98], '\udcf0\udc9f\udc98'],
      ];
      for (const [bytes, expected] of cases) assert.equal(decodeEscapingInvalidBytes(Uint8Array.from(bytes)), expected, JSON.stringify(bytes));
    });
  });
});
