import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { editTool } from '../../../../../src/core/tools/files/edit';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

describe('core/tools/files/edit', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'edit-tool-')));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const edit = async (file: string, before: string | Buffer, input: Record<string, unknown>): Promise<{ ok: boolean; text: string; after: string; ctx: ReturnType<typeof processToolContext> }> => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), before);
    const ctx = processToolContext([root]);
    const result = await editTool.run(editTool.parse({ path: file, ...input }), ctx);
    return { ...result, after: fs.readFileSync(path.join(root, file), 'utf8'), ctx };
  };

  const compose = 'services:\n  web:\n    image: nginx:1.25\n    ports:\n      - "80:80"\n  db:\n    image: postgres:15\n';

  it('replaces one exact occurrence and shows the changed lines', async () => {
    const result = await edit('compose.yml', compose, { old_string: 'image: nginx:1.25', new_string: 'image: nginx:1.27' });
    assert.equal(result.ok, true);
    assert.equal(result.after, compose.replace('nginx:1.25', 'nginx:1.27'));
    assert.equal(result.text, [
      'Replaced 1 occurrence in compose.yml; changed line 3 (the file now has 7 lines). Lines 1-5 now read:',
      '    1\tservices:', '    2\t  web:', '    3\t    image: nginx:1.27', '    4\t    ports:', '    5\t      - "80:80"',
    ].join('\n'));
    assert.ok(result.ctx.readSet.covers(path.join(root, 'compose.yml'), 1, 5));
  });

  it('replaces a block spanning lines and reports the new range', async () => {
    const result = await edit('compose.yml', compose, { old_string: '    ports:\n      - "80:80"\n', new_string: '    ports:\n      - "8080:80"\n      - "443:443"\n' });
    assert.match(result.text, /^Replaced 1 occurrence in compose\.yml; changed lines 4-6 \(the file now has 8 lines\)/);
  });

  it('refuses an ambiguous match and lists where it occurs', async () => {
    const result = await edit('a.txt', 'x = 1\ny = 2\nx = 1\nz\nx = 1\n', { old_string: 'x = 1', new_string: 'x = 3' });
    assert.equal(result.ok, false);
    assert.equal(result.text, 'old_string was found 3 times in a.txt, at lines 1, 3, 5; add surrounding lines to old_string so it matches exactly once, or set replace_all to true to change every one.');
    assert.equal(result.after, 'x = 1\ny = 2\nx = 1\nz\nx = 1\n');
  });

  it('replaces every occurrence with replace_all', async () => {
    const result = await edit('a.txt', 'x = 1\ny = 2\nx = 1\nz\nx = 1\n', { old_string: 'x = 1', new_string: 'x = 3', replace_all: true });
    assert.equal(result.after, 'x = 3\ny = 2\nx = 3\nz\nx = 3\n');
    assert.match(result.text, /^Replaced 3 occurrences in a\.txt; changed lines 1-5/);
  });

  it('says when the text is missing, and where a whitespace-only difference is', async () => {
    const missing = await edit('b.ts', 'function f() {\n    return 1;\n}\n', { old_string: 'return 2;', new_string: 'return 3;' });
    assert.equal(missing.ok, false);
    assert.equal(missing.text, 'old_string was not found in b.ts; re-Read the file and copy the text exactly: whitespace, indentation and line breaks must match.');
    const spaced = await edit('b.ts', 'function f() {\n    return  1;\n}\n', { old_string: 'return 1;', new_string: 'return 3;' });
    assert.match(spaced.text, /Text that differs only in whitespace starts at line 2\.$/);
  });

  it('edits a CRLF file with \\n in old_string and keeps CRLF line endings', async () => {
    const result = await edit('win.txt', 'one\r\ntwo\r\nthree\r\n', { old_string: 'one\ntwo\n', new_string: 'uno\ndos\n' });
    assert.equal(result.ok, true, result.text);
    assert.equal(result.after, 'uno\r\ndos\r\nthree\r\n');
  });

  it('keeps a UTF-8 BOM', async () => {
    const result = await edit('bom.txt', '\uFEFFalpha\nbeta\n', { old_string: 'alpha', new_string: 'gamma' });
    assert.equal(result.after, '\uFEFFgamma\nbeta\n');
  });

  it('deletes text when new_string is empty', async () => {
    const result = await edit('d.txt', 'keep\ndrop me\nkeep too\n', { old_string: 'drop me\n', new_string: '' });
    assert.equal(result.after, 'keep\nkeep too\n');
    assert.match(result.text, /changed line 2/);
  });

  it('inserts replacement text literally ($& and $1 are not special)', async () => {
    const result = await edit('e.sh', 'echo NAME\n', { old_string: 'NAME', new_string: '$& $1 $$' });
    assert.equal(result.after, 'echo $& $1 $$\n');
  });

  const refusals: ReadonlyArray<[string, string, Record<string, unknown>, RegExp]> = [
    ['a missing file', 'nothing.txt', { old_string: 'a', new_string: 'b' }, /^nothing\.txt does not exist; use Write to create it/],
    ['a secret file', '.env', { old_string: 'A', new_string: 'B' }, /^Denied: '\.env'/],
    ['a path outside', '../x.txt', { old_string: 'A', new_string: 'B' }, /^refused: '\.\.\/x\.txt' leaves the workspace folder/],
  ];
  for (const [name, file, input, message] of refusals) {
    it(`refuses ${name}`, async () => {
      if (file === '.env') fs.writeFileSync(path.join(root, '.env'), 'A=1\n');
      const ctx = processToolContext([root]);
      const result = await editTool.run(editTool.parse({ path: file, ...input }), ctx);
      assert.equal(result.ok, false);
      assert.match(result.text, message);
    });
  }

  it('previews the change as a unified diff, and a failing edit as its error', async () => {
    fs.writeFileSync(path.join(root, 'compose.yml'), compose);
    const ctx = processToolContext([root]);
    const preview = await editTool.preview(editTool.parse({ path: 'compose.yml', old_string: 'postgres:15', new_string: 'postgres:16' }), ctx);
    assert.equal(preview.title, 'Edit compose.yml');
    assert.equal(preview.detail, '```diff\n--- a/compose.yml\n+++ b/compose.yml\n@@ -4,4 +4,4 @@\n     ports:\n       - "80:80"\n   db:\n-    image: postgres:15\n+    image: postgres:16\n\n```');
    const failing = await editTool.preview(editTool.parse({ path: 'compose.yml', old_string: 'mysql', new_string: 'x' }), ctx);
    assert.match(failing.detail, /^This call will fail: old_string was not found/);
    const change = await editTool.proposedChange?.(editTool.parse({ path: 'compose.yml', old_string: 'postgres:15', new_string: 'postgres:16' }), ctx);
    assert.equal(change?.before, compose);
    assert.equal(change?.after, compose.replace('postgres:15', 'postgres:16'));
  });

  const invalid: ReadonlyArray<[string, unknown, RegExp]> = [
    ['identical strings', { path: 'a', old_string: 'x', new_string: 'x' }, /"old_string" and "new_string" are identical/],
    ['an empty old_string', { path: 'a', old_string: '', new_string: 'x' }, /"old_string" is empty; .*use Write/],
    ['a missing new_string', { path: 'a', old_string: 'x' }, /Edit: "new_string" is required/],
    ['a missing old_string', { path: 'a', new_string: 'x' }, /Edit: "old_string" is required/],
    ['a non-boolean replace_all', { path: 'a', old_string: 'x', new_string: 'y', replace_all: 'yes' }, /"replace_all" must be true or false/],
    ['camelCase field names', { path: 'a', oldString: 'x', newString: 'y' }, /unknown fields "oldString" \(did you mean "old_string"\?\), "newString" \(did you mean "new_string"\?\)/],
    ['a number as new_string', { path: 'a', old_string: 'x', new_string: 5 }, /"new_string" must be a string/],
  ];
  for (const [name, input, message] of invalid) {
    it(`parse rejects ${name}`, () => {
      assert.throws(() => editTool.parse(input), (error: unknown) => error instanceof ToolInputError && message.test(error.message));
    });
  }
});
