import * as assert from 'node:assert/strict';
import type { PromptSection } from '../../../../src/core/runtime/promptAssembly';
import { fitHistoryTurns, fitPromptSections, harnessRulesText } from '../../../../src/core/runtime/promptAssembly';

/** A real, deterministic token count: whitespace-separated words. */
const words = async (text: string): Promise<number> => text.split(/\s+/).filter(Boolean).length;

function section(id: string, wordCount: number, priority: number, required = false): PromptSection {
  return { id, text: Array.from({ length: wordCount }, (_, i) => `${id}${i}`).join(' '), priority, ...(required ? { required } : {}) };
}

describe('core/runtime/promptAssembly', () => {
  describe('fitPromptSections', () => {
    const sections = [section('agent', 10, 100, true), section('memory', 30, 60), section('workspace', 5, 80), section('command', 8, 85), section('extra', 4, 10)];

    it('keeps every section, in order and separated by blank lines, when they fit', async () => {
      const fitted = await fitPromptSections(sections, 1_000, words);
      assert.deepEqual(fitted.included, ['agent', 'memory', 'workspace', 'command', 'extra']);
      assert.deepEqual(fitted.dropped, []);
      assert.equal(fitted.tokens, 57);
      assert.equal(fitted.text, sections.map((s) => s.text).join('\n\n'));
    });

    it('drops the least important sections first, only as many as needed, and keeps the order of the rest', async () => {
      // 57 words; dropping extra (4) leaves 53, then memory (30) leaves 23
      const fitted = await fitPromptSections(sections, 40, words);
      assert.deepEqual(fitted.dropped, ['memory', 'extra']);
      assert.deepEqual(fitted.included, ['agent', 'workspace', 'command']);
      assert.equal(fitted.tokens, 23);
      assert.equal(fitted.text, [sections[0], sections[2], sections[3]].map((s) => s?.text).join('\n\n'));
      const justOver = await fitPromptSections(sections, 53, words);
      assert.deepEqual(justOver.dropped, ['extra']);
    });

    it('never drops a required section, even when it alone is over the budget', async () => {
      const fitted = await fitPromptSections([section('rules', 20, 90, true), section('agent', 50, 100, true), section('low', 3, 1)], 10, words);
      assert.deepEqual(fitted.included, ['rules', 'agent']);
      assert.deepEqual(fitted.dropped, ['low']);
      assert.equal(fitted.tokens, 70);
    });

    it('handles no sections and a zero budget', async () => {
      assert.deepEqual(await fitPromptSections([], 0, words), { text: '', included: [], dropped: [], tokens: 0 });
      const fitted = await fitPromptSections(sections, 0, words);
      assert.deepEqual(fitted.included, ['agent']);
    });
  });

  describe('harnessRulesText', () => {
    const text = harnessRulesText('reviewer', 'docs/ai/agents/reviewer');

    for (const [rule, pattern] of [
      ['read before claiming', /use the Read tool on a file before saying anything about it/],
      ['citations are checked', /`path:line`.*checked against the file/],
      ['read before edit', /Edit and Write refuse files you have not read/],
      ['preserve work', /remove many lines need a `reason` and the user's confirmation/],
      ['no mock', /Placeholder, mock, stub or simulated code outside tests is refused.*Cannot implement: <reason>/],
      ['confinement', /Paths must stay inside the workspace folders/],
      ['secret files and redaction', /Secret files .* are never opened.*\[REDACTED:kind\].*never write such a marker/],
      ['working memory', /`docs\/ai\/agents\/reviewer\/`: read it with memory_read, keep it current with memory_update and record decisions with decision_record/],
      ['certificates', /certificate_create tool \(agent reviewer\)/],
      ['refused tools', /Tools you are not given are refused.*do not retry the same call/],
    ] as const) {
      it(`tells the model about: ${rule}`, () => assert.match(text, pattern));
    }
  });

  describe('fitHistoryTurns', () => {
    const turns = [['old question', 'old answer with many words here'], ['middle question', 'middle answer'], ['new question', 'new answer']];

    it('keeps every turn when they fit, in order', async () => {
      const fitted = await fitHistoryTurns(turns, 100, words);
      assert.deepEqual(fitted, { messages: turns.flat(), droppedTurns: 0 });
    });

    it('drops the oldest whole turns first', async () => {
      const fitted = await fitHistoryTurns(turns, 8, words);
      assert.deepEqual(fitted, { messages: ['middle question', 'middle answer', 'new question', 'new answer'], droppedTurns: 1 });
    });

    it('keeps nothing older than a turn that does not fit, even when an older one would', async () => {
      const fitted = await fitHistoryTurns([['a b'], ['c d e f g h i j k l'], ['m n']], 5, words);
      assert.deepEqual(fitted, { messages: ['m n'], droppedTurns: 2 });
    });
  });
});

