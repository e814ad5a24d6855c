import * as assert from 'node:assert/strict';
import { YamlSource, parseYamlSource, runRuleFunctions } from '../../../../../src/core/checks/yaml/yamlSource';

describe('core/checks/yaml/yamlSource', () => {
  it('gives one-based ranges with an exclusive end column', () => {
    const src = new YamlSource('a: 1\nlist:\n  - name: hello\n');
    const root = src.mappingDocuments()[0];
    const name = src.get(src.items(src.get(root, 'list'))[0], 'name');
    assert.deepEqual(src.range(name), { line: 3, column: 11, endLine: 3, endColumn: 16 });
    assert.deepEqual(src.range(src.entry(root, 'list')?.keyNode), { line: 2, column: 1, endLine: 2, endColumn: 5 });
  });

  it('keeps the end of a block scalar on its last real line', () => {
    const src = new YamlSource('run: |\n  echo a\n  echo b\n\nnext: 1\n');
    const run = src.get(src.mappingDocuments()[0], 'run');
    const range = src.range(run);
    assert.equal(range.line, 1);
    assert.equal(range.endLine, 3);
  });

  it('reads every document of a stream and follows aliases', () => {
    const src = new YamlSource('base: &b {x: 1}\nuse: *b\n---\nsecond: true\n');
    const [first, second] = src.mappingDocuments();
    assert.equal(src.str(src.get(src.get(first, 'use'), 'x')), '1');
    assert.equal(src.isTrue(src.get(second, 'second')), true);
  });

  it('collects comments with their lines', () => {
    const src = new YamlSource('a: 1 # zizmor: ignore[x]\n# whole line\nb: "# not a comment"\n');
    assert.deepEqual(src.comments.map((comment) => [comment.line, comment.text.trim()]), [[1, 'zizmor: ignore[x]'], [2, 'whole line']]);
  });

  it('reports the first syntax error with its line, duplicate keys included', () => {
    assert.equal(new YamlSource('a: 1\nb: [\n').syntaxError?.range.line !== undefined, true);
    assert.equal(new YamlSource('a: 1\nb: 2\na: 3\n').syntaxError?.range.line, 3);
    assert.equal(new YamlSource('a: 1\n').syntaxError, undefined);
  });

  it('never throws on binary or huge input', () => {
    const binary = parseYamlSource('\u0000\u0001\u0002: [\u00ff\n');
    assert.ok(binary instanceof YamlSource ? binary.syntaxError !== undefined || binary.documents.length >= 0 : binary.message.length > 0);
    const big = parseYamlSource(Array.from({ length: 20000 }, (_, i) => `k${i}: v${i}`).join('\n'));
    assert.ok(big instanceof YamlSource);
    assert.equal(big.mappingDocuments()[0]?.items.length, 20000);
  });

  it('runRuleFunctions turns a rule that throws into one finding and keeps the others', () => {
    const findings = runRuleFunctions([
      () => { throw new Error('boom'); },
      () => [{ ruleId: 'x/y', range: { line: 2, column: 1, endLine: 2, endColumn: 2 }, message: 'kept' }],
    ], 'x/yaml-syntax');
    assert.deepEqual(findings.map((f) => [f.ruleId, f.message]), [['x/yaml-syntax', 'A check failed on this file: boom'], ['x/y', 'kept']]);
  });
});
