import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { grepTool, runGrep } from '../../../../../src/core/tools/search/grep';
import { GrepCancelledError } from '../../../../../src/core/tools/search/grepSearch';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import type { ToolLimits } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';
import { ripgrepBinaries } from './ripgrepBinaries';

const LONG_LINE = `${'var a=1;'.repeat(200)}/*TODO*/${'var b=2;'.repeat(200)}`;

const FIXTURE: Record<string, string | Buffer> = {
  '.gitignore': 'node_modules/\nbuild/\n*.log\n',
  'src/a.ts': 'export function alpha() {\n  return 1; // TODO fix\n}\n\nexport const beta = () => 2;\n',
  'src/b.ts': "import { alpha } from './a';\nconst Δelta = alpha();\n// todo: lower case\nconsole.log(Δelta)",
  'src/deep/c.ts': Array.from({ length: 30 }, (_, i) => `const v${i} = ${i}; // TODO item ${i}`).join('\n') + '\n',
  '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm test # TODO\n',
  'Dockerfile': 'FROM node:20\nRUN npm ci\n',
  'node_modules/pkg/index.js': 'TODO in a dependency\n',
  'build/out.js': 'TODO in build output\n',
  'debug.log': 'TODO in a log\n',
  'docs/ünïcode.md': 'Ünïcode wörds: naïve café\nΣίσυφος λόγος 123 ٣٤٥\n  two  spaces  \n',
  'crlf.txt': 'line one TODO\r\nline two\r\n',
  'bom.txt': '\uFEFFTODO at start\nsecond\n',
  'latin1.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' TODO\nplain TODO\n'), Buffer.from([0xff, 0xfe]), Buffer.from('?x\n'), Buffer.from([0xe2, 0x82]), Buffer.from('A tail\n')]),
  'binary.bin': Buffer.from('TODO\u0000binary TODO\n'),
  'late-nul.txt': `${'x'.repeat(9000)}\nTODO after\n\u0000\n`,
  'long.min.js': `${LONG_LINE}\n`,
  'empty.txt': '',
  '.env': 'TODO_SECRET=1\n',
  'a.txt': 'TODO a\n',
  'a/b.txt': 'TODO b\n',
  'Z.md': 'TODO Z\n',
  '.hidden/h.txt': 'TODO hidden\n',
};

describe('core/tools/search/grep', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'grep-tool-')));
    for (const [name, content] of Object.entries(FIXTURE)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), content);
    }
    fs.symlinkSync('src/a.ts', path.join(root, 'link.ts'));
    execFileSync('git', ['init', '-q'], { cwd: root });
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const grep = async (input: Record<string, unknown>, engine: 'auto' | 'node', ripgrepPath?: string, limits: Partial<ToolLimits> = {}): Promise<{ ok: boolean; text: string }> => {
    const ctx = processToolContext([root], { limits, environment: ripgrepPath !== undefined ? { ripgrepPath } : {} });
    return runGrep(grepTool.parse(input), ctx, engine);
  };

  it('prints path:line: text, sorted by path, leaving out ignored, binary, symlinked and secret files', async () => {
    const { ok, text } = await grep({ pattern: 'TODO' }, 'node');
    assert.equal(ok, true);
    assert.equal(text, [
      '42 matching lines in 12 files for /TODO/ in the workspace:',
      '.github/workflows/ci.yml:6:       - run: npm test # TODO',
      '.hidden/h.txt:1: TODO hidden',
      'Z.md:1: TODO Z',
      'a/b.txt:1: TODO b',
      'a.txt:1: TODO a',
      'bom.txt:1: TODO at start',
      'crlf.txt:1: line one TODO',
      'late-nul.txt:2: TODO after',
      'latin1.txt:1: caf\uFFFD TODO',
      'latin1.txt:2: plain TODO',
      `long.min.js:1: …${LONG_LINE.slice(LONG_LINE.indexOf('TODO') - 100, LONG_LINE.indexOf('TODO') + 300)} … [1,306 more characters]`,
      'src/a.ts:2:   return 1; // TODO fix',
      ...Array.from({ length: 30 }, (_, i) => `src/deep/c.ts:${i + 1}: const v${i} = ${i}; // TODO item ${i}`),
      '(1 matching file on the secret deny list left out.)',
    ].join('\n'));
  });

  it('shows context lines as path-line- text with -- between groups', async () => {
    const { text } = await grep({ pattern: 'alpha|beta', path: 'src', context: 1 }, 'node');
    assert.equal(text, [
      '4 matching lines in 2 files for /alpha|beta/ in src:',
      'src/a.ts:1: export function alpha() {',
      'src/a.ts-2-   return 1; // TODO fix',
      '--',
      'src/a.ts-4- ',
      'src/a.ts:5: export const beta = () => 2;',
      '--',
      "src/b.ts:1: import { alpha } from './a';",
      'src/b.ts:2: const Δelta = alpha();',
      'src/b.ts-3- // todo: lower case',
    ].join('\n'));
  });

  it('lists files and counts', async () => {
    assert.equal((await grep({ pattern: 'alpha', output_mode: 'files_with_matches' }, 'node')).text, '2 files match /alpha/ in the workspace:\nsrc/a.ts\nsrc/b.ts');
    assert.equal((await grep({ pattern: 'alpha', output_mode: 'count' }, 'node')).text, '3 matching lines in 2 files for /alpha/ in the workspace:\nsrc/a.ts:1\nsrc/b.ts:2');
  });

  it('says when nothing matches, with a case hint', async () => {
    const { ok, text } = await grep({ pattern: 'Nothing Here' }, 'node');
    assert.equal(ok, true);
    assert.equal(text, 'No matches for /Nothing Here/ in the workspace. The search is case-sensitive; set case_insensitive to true to ignore case. Ignored files (.gitignore) and binary files are not searched.');
  });

  it('caps matches at maxGrepMatches and says how many more there are', async () => {
    const { text } = await grep({ pattern: 'TODO' }, 'node', undefined, { maxGrepMatches: 5 });
    const lines = text.split('\n');
    assert.equal(lines[0], '42 matching lines in 12 files for /TODO/ in the workspace; the first 5 matching lines in path order:');
    assert.equal(lines.length, 8);
    assert.equal(lines[6], '… 37 more matching lines in 7 more files not shown (limit 5): narrow the pattern, path or glob.');
  });

  it('beyond 20 × maxGrepMatches it searches again in path order and keeps the first ones', async () => {
    const { text } = await grep({ pattern: 'TODO' }, 'node', undefined, { maxGrepMatches: 2 });
    assert.equal(text, [
      'More than 40 matching lines match /TODO/ in the workspace; the first 2 in path order:',
      '.github/workflows/ci.yml:6:       - run: npm test # TODO',
      '.hidden/h.txt:1: TODO hidden',
      '… more matching lines not shown (over 40 in all): narrow the pattern, path or glob, or use output_mode "files_with_matches".',
      '(1 matching file on the secret deny list left out.)',
    ].join('\n'));
  });

  it('cuts the output at maxResultChars', async () => {
    const { text } = await grep({ pattern: 'TODO' }, 'node', undefined, { maxResultChars: 1200 });
    assert.ok(text.length <= 1200, String(text.length));
    assert.match(text, /\n… output cut at 1,200 characters: \d+ more lines not shown; narrow the search or use output_mode "files_with_matches"\./);
  });

  it('refuses a secret file or a path outside the workspace', async () => {
    assert.match((await grep({ pattern: 'x', path: '.env' }, 'node')).text, /^Denied: '\.env'/);
    assert.match((await grep({ pattern: 'x', path: '../elsewhere' }, 'node')).text, /^refused: '\.\.\/elsewhere' leaves the workspace folder/);
    assert.match((await grep({ pattern: 'x', path: 'missing-dir' }, 'node')).text, /missing-dir does not exist/);
  });

  const equivalence: ReadonlyArray<[string, Record<string, unknown>, Partial<ToolLimits>]> = [
    ['a literal', { pattern: 'TODO' }, {}],
    ['case-insensitive', { pattern: 'todo', case_insensitive: true }, {}],
    ['a leading (?i) with counts', { pattern: '(?i)todo', output_mode: 'count' }, {}],
    ['files with matches', { pattern: 'TODO', output_mode: 'files_with_matches' }, {}],
    ['context lines', { pattern: 'TODO', context: 2 }, {}],
    ['. against invalid UTF-8', { pattern: 'caf. TODO' }, {}],
    ['a negated class against invalid UTF-8', { pattern: '^[^a-z ]+' }, {}],
    ['\\W and \\S against invalid UTF-8', { pattern: '\\W\\S\\W' }, {}],
    ['Unicode \\w', { pattern: '\\w+é' }, {}],
    ['Unicode \\d (Arabic-Indic digits)', { pattern: '\\d{3}' }, {}],
    ['Unicode \\b', { pattern: '\\bλόγος\\b' }, {}],
    ['\\B', { pattern: 'o\\B' }, {}],
    ['a script property', { pattern: '\\p{Greek}+' }, {}],
    ['a negated property', { pattern: '\\P{L}{4}' }, {}],
    ['a POSIX class', { pattern: '[[:digit:]]+' }, {}],
    ['\\x{…} escapes', { pattern: '\\x{3a3}' }, {}],
    ['line anchors in a CRLF file', { pattern: '^line|two$|TODO\\r$' }, {}],
    ['whitespace runs', { pattern: '\\s{2,}' }, {}],
    ['escaped slashes', { pattern: '\\/\\/ TODO' }, {}],
    ['named groups and alternation', { pattern: '(?P<kind>const|function) (?<name>\\w+)' }, {}],
    ['a glob', { pattern: 'export (const|function) \\w+', glob: '*.ts' }, {}],
    ['an excluding glob', { pattern: 'TODO', glob: '!**/*.md' }, {}],
    ['a path glob', { pattern: 'TODO', glob: 'src/**' }, {}],
    ['a glob selecting ignored files', { pattern: 'TODO', glob: '*.log' }, {}],
    ['a folder path', { pattern: 'TODO', path: 'src' }, {}],
    ['a file path', { pattern: 'TODO', path: 'src/deep/c.ts', context: 1 }, {}],
    ['a binary file path', { pattern: 'TODO', path: 'binary.bin' }, {}],
    ['a long line', { pattern: 'TODO\\*/var' }, {}],
    ['the match cap', { pattern: 'TODO', context: 1 }, { maxGrepMatches: 7 }],
    ['the re-search in path order', { pattern: 'TODO' }, { maxGrepMatches: 1 }],
    ['the re-search with context', { pattern: 'item', context: 2 }, { maxGrepMatches: 1 }],
    ['the file cap', { pattern: 'TODO', output_mode: 'files_with_matches' }, { maxGrepMatches: 3 }],
    ['no match', { pattern: 'zzz_nothing' }, {}],
    ['an empty-matching pattern', { pattern: 'x*', path: 'src' }, {}],
  ];

  const binaries = ripgrepBinaries();
  for (const binary of binaries) {
    describe(`gives the same output with ${binary.name} and with the pure-Node search`, () => {
      for (const [name, input, limits] of equivalence) {
        it(name, async () => {
          const withRipgrep = await grep(input, 'auto', binary.path, limits);
          const withNode = await grep(input, 'node', undefined, limits);
          assert.equal(withRipgrep.text, withNode.text);
          assert.equal(withRipgrep.ok, withNode.ok);
        });
      }
    });
  }
  if (binaries.length === 0) {
    it('compares with ripgrep', function () {
      console.log('    (ripgrep not found: only the pure-Node search was tested)');
      this.skip();
    });
  }

  it('falls back to the pure-Node search when the configured ripgrep does not exist', async () => {
    const missing = await grep({ pattern: 'alpha' }, 'auto', path.join(root, 'no-such-rg'));
    const node = await grep({ pattern: 'alpha' }, 'node');
    assert.equal(missing.text, node.text);
    assert.match(missing.text, /^3 matching lines in 2 files/);
  });

  describe('cancellation', () => {
    let big: string;
    before(function () {
      this.timeout(60_000);
      big = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'grep-cancel-')));
      let block = '';
      const letters = 'abcdefghijklmnopqrstuvwxyzäöüßéèêàçñ';
      for (let i = 0; i < 2000; i++) {
        let word = '';
        for (let j = 0; j < 70; j++) word += letters[(i * 7 + j * 13) % letters.length];
        block += `${word}${i % 10 === 9 ? '\n' : ' '}`;
      }
      const chunk = Buffer.from(block.repeat(20));
      const handle = fs.openSync(path.join(big, 'big.txt'), 'w');
      for (let written = 0; written < 200 * 1024 * 1024; written += chunk.length) fs.writeSync(handle, chunk);
      fs.closeSync(handle);
    });
    after(() => fs.rmSync(big, { recursive: true, force: true }));

    /** ripgrep processes started by this test process. */
    const ripgrepChildren = (): number[] => fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return stat.includes('(rg)') && Number(fields[1]) === process.pid;
      } catch {
        return false;
      }
    }).map(Number);

    for (const binary of binaries) {
      it(`kills ${binary.name} when the signal aborts`, async function () {
        if (process.platform !== 'linux') this.skip();
        this.timeout(30_000);
        const ctx = processToolContext([big], { environment: { ripgrepPath: binary.path } });
        const running = runGrep(grepTool.parse({ pattern: '\\w{40}\\s\\w{40}\\d', case_insensitive: true }), ctx);
        let children: number[] = [];
        for (let waited = 0; children.length === 0 && waited < 5000; waited++) {
          await new Promise((resolve) => setTimeout(resolve, 1));
          children = ripgrepChildren();
        }
        assert.equal(children.length, 1, 'ripgrep should be running');
        ctx.controller.abort();
        await assert.rejects(running, GrepCancelledError);
        assert.ok(!fs.existsSync(`/proc/${children[0]}`), 'ripgrep is gone');
      });
    }

    it('stops the pure-Node search when the signal aborts', async () => {
      const ctx = processToolContext([root]);
      const running = runGrep(grepTool.parse({ pattern: 'TODO' }), ctx, 'node');
      ctx.controller.abort();
      await assert.rejects(running, /cancelled/);
    });
  });

  const invalid: ReadonlyArray<[string, unknown, RegExp]> = [
    ['a missing pattern', {}, /Grep: "pattern" is required/],
    ['an empty pattern', { pattern: '' }, /"pattern" is empty/],
    ['an unbalanced parenthesis', { pattern: 'foo(' }, /is not a valid regular expression \(Unterminated group\); to match it literally, escape it/],
    ['look-ahead', { pattern: 'foo(?=bar)' }, /look-ahead and look-behind are not supported/],
    ['a backreference', { pattern: '(a)\\1' }, /backreferences are not supported/],
    ['\\n', { pattern: 'a\\nb' }, /\\n cannot match: Grep searches one line at a time/],
    ['a stray {', { pattern: 'a{b' }, /does not start a repetition like \{2\}/],
    ['an unknown output_mode', { pattern: 'a', output_mode: 'lines' }, /"output_mode" must be one of: content, files_with_matches, count/],
    ['context outside content mode', { pattern: 'a', context: 2, output_mode: 'count' }, /"context" only applies to output_mode "content"/],
    ['too much context', { pattern: 'a', context: 50 }, /"context" must be a whole number from 0 to 10/],
    ['an unknown field', { pattern: 'a', include: '*.ts' }, /Grep: unknown field "include"/],
    ['a non-boolean case_insensitive', { pattern: 'a', case_insensitive: 'yes' }, /"case_insensitive" must be true or false/],
  ];
  for (const [name, input, message] of invalid) {
    it(`parse rejects ${name}`, () => {
      assert.throws(() => grepTool.parse(input), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }
});
