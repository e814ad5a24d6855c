import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTool } from '../../../../../src/core/tools/files/read';
import type { ReadInput } from '../../../../../src/core/tools/files/read';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import type { ToolLimits } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

describe('core/tools/files/read', () => {
  let root: string;
  const file = (name: string, content: string | Buffer): void => {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  };
  const read = async (input: Record<string, unknown>, limits: Partial<ToolLimits> = {}): Promise<{ ok: boolean; text: string; ranges: readonly { startLine: number; endLine: number }[] }> => {
    const ctx = processToolContext([root], { limits });
    const parsed: ReadInput = readTool.parse(input);
    const result = await readTool.run(parsed, ctx);
    const absolute = path.join(root, String(input.path));
    return { ...result, ranges: ctx.readSet.rangesOf(fs.existsSync(absolute) ? fs.realpathSync(absolute) : absolute) };
  };

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'read-tool-')));
    file('small.ts', 'line1\nline2\nline3\n');
    file('crlf.txt', 'a\r\nb\r\nc\r\n');
    file('bom.txt', '\uFEFFfirst\nsecond');
    file('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi\nthere\n', 'utf16le')]));
    file('utf16be.txt', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('hi\nthere\n', 'utf16le').swap16()]));
    file('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]));
    file('latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    file('empty.txt', '');
    file('long.txt', Array.from({ length: 5000 }, (_, i) => `row ${i + 1}`).join('\n') + '\n');
    file('minified.js', `${'x'.repeat(5000)}\n`);
    file('dir/one.txt', '1\n');
    file('dir/sub/two.txt', '2\n');
    file('ünïcode/ファイル.md', '# 見出し\n');
    file('.env', 'SECRET=1\n');
    file('config/app.yaml', 'port: 80\n');
    const huge = Array.from({ length: 3000 }, (_, i) => `entry ${i + 1}${i % 2 ? '\r' : ''}`).join('\n');
    file('huge.log', huge);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const cases: ReadonlyArray<[string, Record<string, unknown>, boolean, string | RegExp, [number, number] | undefined]> = [
    ['numbers lines like cat -n under a header', { path: 'small.ts' }, true, 'small.ts (lines 1-3 of 3)\n    1\tline1\n    2\tline2\n    3\tline3', [1, 3]],
    ['reads a window with offset and limit', { path: 'small.ts', offset: 2, limit: 1 }, true, 'small.ts (lines 2-2 of 3)\n    2\tline2\n… 1 more line: call Read with offset 3.', [2, 2]],
    ['drops the \\r of CRLF lines', { path: 'crlf.txt' }, true, 'crlf.txt (lines 1-3 of 3)\n    1\ta\n    2\tb\n    3\tc', [1, 3]],
    ['drops a UTF-8 BOM and counts a last line without newline', { path: 'bom.txt' }, true, 'bom.txt (lines 1-2 of 2)\n    1\tfirst\n    2\tsecond', [1, 2]],
    ['decodes UTF-16LE with a BOM', { path: 'utf16.txt' }, true, 'utf16.txt (lines 1-2 of 2)\n    1\thi\n    2\tthere', [1, 2]],
    ['decodes UTF-16BE with a BOM', { path: 'utf16be.txt' }, true, 'utf16be.txt (lines 1-2 of 2)\n    1\thi\n    2\tthere', [1, 2]],
    ['refuses a binary file', { path: 'image.png' }, false, /image\.png looks like a binary file \(it has a NUL byte at offset 8\).*xxd/, undefined],
    ['refuses text that is not UTF-8', { path: 'latin1.txt' }, false, /not valid UTF-8/, undefined],
    ['says a file is empty', { path: 'empty.txt' }, true, 'empty.txt (empty file, 0 lines)', undefined],
    ['reads 2000 lines by default and says how to go on', { path: 'long.txt' }, true, /^long\.txt \(lines 1-2000 of 5000\)\n {4}1\trow 1\n[\s\S]* 2000\trow 2000\n… 3,000 more lines: call Read with offset 2001\.$/, [1, 2000]],
    ['reads on from an offset', { path: 'long.txt', offset: 4999 }, true, 'long.txt (lines 4999-5000 of 5000)\n 4999\trow 4999\n 5000\trow 5000', [4999, 5000]],
    ['refuses an offset past the end', { path: 'small.ts', offset: 9 }, false, 'offset 9 is past the end of small.ts, which has 3 lines; call Read with an offset from 1 to 3.', undefined],
    ['cuts a very long line', { path: 'minified.js' }, true, /^minified\.js \(lines 1-1 of 1\)\n {4}1\tx{2000} … \[line cut at 2,000 characters\]$/, [1, 1]],
    ['lists a folder', { path: 'dir' }, true, 'dir/ is a folder with 2 entries (folders end in /, symlinks in @); Read a file in it, or use Glob to search deeper:\none.txt\nsub/', undefined],
    ['reads unicode paths', { path: 'ünïcode/ファイル.md' }, true, 'ünïcode/ファイル.md (lines 1-1 of 1)\n    1\t# 見出し', [1, 1]],
    ['refuses a secret file', { path: '.env' }, false, /^Denied: '\.env' matches \*\*\/\.env\* on the secret deny list/, undefined],
    ['refuses a path outside the workspace', { path: '../outside.txt' }, false, /^refused: '\.\.\/outside\.txt' leaves the workspace folder/, undefined],
    ['says a missing file does not exist and names similar files', { path: 'config/app.yml' }, false, 'config/app.yml does not exist. Similar names there: app.yaml. Use Glob to find the file, e.g. "**/app.yml".', undefined],
    ['says when the folder is missing too', { path: 'nope/x.ts' }, false, /does not exist \(its folder nope does not exist either\)/, undefined],
  ];
  for (const [name, input, ok, expected, range] of cases) {
    it(name, async () => {
      const result = await read(input);
      assert.equal(result.ok, ok, result.text);
      if (typeof expected === 'string') assert.equal(result.text, expected);
      else assert.match(result.text, expected);
      assert.deepEqual(result.ranges, range === undefined ? [] : [{ startLine: range[0], endLine: range[1] }]);
    });
  }

  it('cuts the result to maxResultChars and records only the lines it returned', async () => {
    const result = await read({ path: 'long.txt' }, { maxResultChars: 1500 });
    assert.ok(result.text.length <= 1500, `${result.text.length}`);
    const last = Number(/(\d+)\trow \d+\n…/.exec(result.text)?.[1]);
    assert.ok(last > 50 && last < 200, `${last}`);
    assert.match(result.text, new RegExp(`… ${(5000 - last).toLocaleString('en-US')} more lines: call Read with offset ${last + 1} \\(this result was cut to fit the output limit\\)\\.$`));
    assert.deepEqual(result.ranges, [{ startLine: 1, endLine: last }]);
  });

  describe('files over maxReadBytes', () => {
    it('refuses to read them whole', async () => {
      const result = await read({ path: 'huge.log' }, { maxReadBytes: 1000 });
      assert.equal(result.ok, false);
      assert.match(result.text, /^huge\.log is 3\d\.\d KB, over the 1000 bytes Read limit\. Read part of it with offset and limit/);
    });

    it('streams only the lines asked for, CRLF included', async () => {
      const result = await read({ path: 'huge.log', offset: 1500, limit: 3 }, { maxReadBytes: 1000 });
      assert.equal(result.text, 'huge.log (lines 1500-1502 of 3000)\n 1500\tentry 1500\n 1501\tentry 1501\n 1502\tentry 1502\n… 1,498 more lines: call Read with offset 1503.');
      assert.deepEqual(result.ranges, [{ startLine: 1500, endLine: 1502 }]);
    });

    it('streams the last line of a file without a final newline', async () => {
      const result = await read({ path: 'huge.log', offset: 2999, limit: 10 }, { maxReadBytes: 1000 });
      assert.equal(result.text, 'huge.log (lines 2999-3000 of 3000)\n 2999\tentry 2999\n 3000\tentry 3000');
    });

    it('gives the same lines as a whole read across 1 MB chunk boundaries', async () => {
      const lines = Array.from({ length: 60_000 }, (_, i) => `${i + 1}:${'é'.repeat(i % 40)}`);
      file('chunks.txt', `${lines.join('\n')}\n`);
      const size = fs.statSync(path.join(root, 'chunks.txt')).size;
      assert.ok(size > 2 * 1024 * 1024);
      for (const offset of [1, 20_000, 29_990, 45_000, 59_990]) {
        const streamed = await read({ path: 'chunks.txt', offset, limit: 20 }, { maxReadBytes: 1024 * 1024 });
        const whole = await read({ path: 'chunks.txt', offset, limit: 20 }, { maxReadBytes: 10 * 1024 * 1024 });
        assert.equal(streamed.text, whole.text);
        assert.ok(streamed.text.includes(`\t${lines[offset - 1]}\n`));
      }
    });
  });

  const invalid: ReadonlyArray<[string, unknown, RegExp]> = [
    ['no input object', 'small.ts', /Read: input must be an object like \{"path": "src\/app\.ts"\}/],
    ['missing path', {}, /Read: "path" is required/],
    ['path not a string', { path: 42 }, /"path" must be a string/],
    ['offset 0', { path: 'a', offset: 0 }, /"offset" must be a whole number from 1/],
    ['fractional limit', { path: 'a', limit: 1.5 }, /"limit" must be a whole number from 1 to 100000/],
    ['negative limit', { path: 'a', limit: -3 }, /"limit" must be a whole number/],
    ['offset as text', { path: 'a', offset: '10' }, /"offset" must be a whole number/],
    ['unknown field with a suggestion', { file_path: 'a' }, /Read: unknown field "file_path" \(did you mean "path"\?\); the fields are: path, offset, limit\./],
    ['unknown field next to valid ones', { path: 'a', encoding: 'utf8' }, /unknown field "encoding"/],
  ];
  for (const [name, input, message] of invalid) {
    it(`parse rejects ${name}`, () => {
      assert.throws(() => readTool.parse(input), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }

  it('declares itself as a read tool with a JSON schema', () => {
    assert.equal(readTool.id, 'devops_read');
    assert.equal(readTool.name, 'Read');
    assert.equal(readTool.risk, 'read');
    assert.deepEqual(readTool.inputSchema.required, ['path']);
    assert.deepEqual(readTool.pathsOf(readTool.parse({ path: 'a/b.ts' })), ['a/b.ts']);
  });
});
