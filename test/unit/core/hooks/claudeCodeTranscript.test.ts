import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readClaudeCodeTranscript } from '../../../../src/core/hooks/claudeCodeTranscript';

describe('core/hooks/claudeCodeTranscript', () => {
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'transcript-')));
    fs.writeFileSync(path.join(dir, 'a.ts'), Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (lines: readonly string[]): string => {
    const file = path.join(dir, `t${Math.random().toString(36).slice(2)}.jsonl`);
    fs.writeFileSync(file, lines.join('\n'));
    return file;
  };

  it('collects read ranges from numbered Read results, Grep hits and written files', async () => {
    const file = write([
      JSON.stringify({ type: 'user', timestamp: '2026-12-05T01:00:00.000Z', message: { content: 'why does it fail?' } }),
      JSON.stringify({ type: 'assistant', message: { content: [
        { type: 'tool_use', id: 'r', name: 'Read', input: { file_path: path.join(dir, 'a.ts'), offset: 10, limit: 5 } },
        { type: 'tool_use', id: 'g', name: 'Grep', input: { pattern: 'x' } },
        { type: 'tool_use', id: 'w', name: 'Write', input: { file_path: path.join(dir, 'new.ts'), content: 'x' } },
      ] } }),
      JSON.stringify({ type: 'user', message: { content: [
        { type: 'tool_result', tool_use_id: 'r', content: [{ type: 'text', text: '    10\tline 10\n    11\tline 11\n    14\tline 14' }] },
        { type: 'tool_result', tool_use_id: 'g', content: 'a.ts:25:line 25' },
      ] } }),
      '{"type": "assistant", "message": {"content": [{"type": "text", "text": "It fails at a.ts:11."}]}}',
      'not json at all',
    ]);
    const facts = await readClaudeCodeTranscript(file, dir);
    assert.ok(facts);
    assert.deepEqual(facts.readSet.rangesOf(path.join(dir, 'a.ts')), [{ startLine: 10, endLine: 14 }, { startLine: 25, endLine: 25 }]);
    assert.ok(facts.readSet.has(path.join(dir, 'new.ts')));
    assert.equal(facts.lastUserPrompt, 'why does it fail?');
    assert.equal(facts.lastAssistantText, 'It fails at a.ts:11.');
    assert.equal(facts.startedAtMs, Date.parse('2026-12-05T01:00:00.000Z'));
    assert.equal(facts.skippedLines, 1);
    assert.equal(facts.certificateWritten, false);
  });

  it('sees certificates written with Write, the CLI or the MCP tool', async () => {
    for (const use of [
      { name: 'Write', input: { file_path: 'docs/ai/agents/devops-engineer/certificates/x_y_20261205_010000.md', content: '' } },
      { name: 'Bash', input: { command: 'npx devops-agent certificates new --from-json c.json' } },
      { name: 'mcp__devops-agent__certificate_create', input: {} },
    ]) {
      const facts = await readClaudeCodeTranscript(write([JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', id: 'c', ...use }] } })]), dir);
      assert.equal(facts?.certificateWritten, true, use.name);
    }
  });

  it('returns undefined for a transcript that cannot be read', async () => {
    assert.equal(await readClaudeCodeTranscript(path.join(dir, 'missing.jsonl'), dir), undefined);
    assert.equal(await readClaudeCodeTranscript(dir, dir), undefined);
  });
});
