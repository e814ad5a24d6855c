import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initMemory } from '../../../../src/core/memory/memoryStore';
import type { TurnMetadata } from '../../../../src/core/runtime/turnMetadata';
import { assembleSystemPrompt, rebuildHistory } from '../../../../src/core/runtime/turnContext';

const count = async (text: string): Promise<number> => Math.ceil(text.length / 4);
const AGENT = { name: 'devops-engineer', body: '# DevOps engineer\nYou review pipelines.', memoryDir: 'docs/ai/agents/devops-engineer' };

describe('core/runtime/turnContext', () => {
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'turn-context-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('assembles agent, rules, workspace, command and working memory', async () => {
    await initMemory(root, AGENT.name);
    const prompt = await assembleSystemPrompt({
      agent: AGENT, command: 'review', folders: [{ name: 'app', path: root }], branch: 'main', today: '2026-12-05', memoryRoot: root, maxInputTokens: 100_000,
    }, count);
    assert.ok(prompt.startsWith('# DevOps engineer'));
    assert.match(prompt, /# How this harness works/);
    assert.ok(prompt.includes(`- app: ${root}\nGit branch: main\nToday: 2026-12-05`));
    assert.match(prompt, /# Your working memory \(docs\/ai\/agents\/devops-engineer\/\)/);
    assert.ok(prompt.indexOf('# Workspace') < prompt.indexOf('# Your working memory'));
  });

  it('says when no folder is open, and drops optional sections before the required ones when the window is small', async () => {
    const prompt = await assembleSystemPrompt({ agent: AGENT, folders: [], today: '2026-12-05', maxInputTokens: 10 }, count);
    assert.ok(prompt.startsWith('# DevOps engineer'));
    assert.match(prompt, /# How this harness works/);
    assert.doesNotMatch(prompt, /# Workspace/);
    const roomy = await assembleSystemPrompt({ agent: AGENT, folders: [], today: '2026-12-05', maxInputTokens: 100_000 }, count);
    assert.match(roomy, /# Workspace\n- \(no folder open\)/);
  });

  it('rebuilds the agent\'s own turns with their tool rounds and read set, other turns as plain text', () => {
    const mine: TurnMetadata = {
      agent: AGENT.name,
      rounds: [
        { text: '', toolCalls: [{ kind: 'toolCall', callId: 'c1', name: 'Read', input: { path: 'Dockerfile' } }], results: [{ kind: 'toolResult', callId: 'c1', text: 'FROM node', isError: false }] },
        { text: 'It is node.', toolCalls: [], results: [] },
      ],
      readSet: [{ path: path.join(root, 'Dockerfile'), ranges: [{ startLine: 1, endLine: 5 }] }],
    };
    const { turns, readSet } = rebuildHistory([
      { prompt: 'which image?', metadata: mine, responseText: () => 'unused' },
      { prompt: 'hello other', metadata: { agent: 'someone-else', rounds: [], readSet: [] }, responseText: () => 'their answer' },
      { prompt: 'garbage', metadata: 42, responseText: () => 'plain' },
    ], AGENT.name);
    assert.equal(turns.length, 3);
    assert.deepEqual(turns[0]?.map((m) => m.role), ['user', 'assistant', 'user', 'assistant']);
    assert.deepEqual(turns[1], [{ role: 'user', parts: [{ kind: 'text', text: 'hello other' }] }, { role: 'assistant', parts: [{ kind: 'text', text: 'their answer' }] }]);
    assert.equal((turns[2]?.[1]?.parts[0] as { text: string }).text, 'plain');
    assert.equal(readSet.covers(path.join(root, 'Dockerfile'), 2, 4), true);
    assert.equal(readSet.has(path.join(root, 'other')), false);
  });
});
