import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LoopMessage, ToolResultPart, ToolSpec } from '../../../../src/core/runtime/chatModel';
import { userText } from '../../../../src/core/runtime/chatModel';
import type { ToolLoopOptions } from '../../../../src/core/runtime/toolLoop';
import { messagesFromRounds, runToolLoop } from '../../../../src/core/runtime/toolLoop';
import { HARNESS_TOOLS } from '../../../../src/core/tools/toolRegistry';
import { processToolContext } from '../tools/processToolContext';
import { realToolCalls, realToolSession } from './realToolSession';
import { call, ScriptedChatModel, text } from './scriptedChatModel';

const SPECS: ToolSpec[] = HARNESS_TOOLS.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));

describe('core/runtime/toolLoop', () => {
  let root: string;
  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tool-loop-')));
    fs.mkdirSync(path.join(root, 'src'));
    fs.writeFileSync(path.join(root, 'src', 'app.js'), "const port = 8080;\nrequire('http').createServer().listen(port);\n");
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:20\nCMD ["node", "src/app.js"]\n');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  function loopOptions(model: ScriptedChatModel, extra: Partial<ToolLoopOptions> = {}): ToolLoopOptions & { streamed: string[]; controller: AbortController } {
    const ctx = processToolContext([root]);
    const session = realToolSession({ allow: ['Bash(sleep *)'] });
    const streamed: string[] = [];
    const controller = new AbortController();
    return {
      model, messages: [userText('which port does the app use?')], tools: SPECS, maxRounds: 5, signal: controller.signal,
      onText: (t) => { streamed.push(t); },
      executeToolCalls: realToolCalls(session, ctx),
      ...extra, streamed, controller,
    };
  }

  it('streams text in order and stops with the answer when the model calls no tool', async () => {
    const model = new ScriptedChatModel([{ parts: [text('It listens '), text('on '), text('8080.')] }]);
    const options = loopOptions(model);
    const outcome = await runToolLoop(options);
    assert.deepEqual(options.streamed, ['It listens ', 'on ', '8080.']);
    assert.equal(outcome.finalText, 'It listens on 8080.');
    assert.equal(outcome.stoppedBy, 'answer');
    assert.deepEqual(outcome.rounds, [{ text: 'It listens on 8080.', toolCalls: [], results: [] }]);
    assert.deepEqual(outcome.messages.at(-1), { role: 'assistant', parts: [{ kind: 'text', text: 'It listens on 8080.' }] });
    assert.deepEqual(model.requests[0]?.toolNames, SPECS.map((s) => s.name));
  });

  it('runs a tool round with the real Read tool and shows the model the result under the call id', async () => {
    const model = new ScriptedChatModel([
      { parts: [text('Reading the app.'), call('c1', 'Read', { path: 'src/app.js' })] },
      { parts: [text('Port 8080: `src/app.js:1`.')] },
    ]);
    const options = loopOptions(model);
    const outcome = await runToolLoop(options);
    assert.equal(outcome.stoppedBy, 'answer');
    assert.equal(outcome.finalText, 'Port 8080: `src/app.js:1`.');
    assert.equal(outcome.rounds.length, 2);
    const result = outcome.rounds[0]?.results[0];
    assert.equal(result?.callId, 'c1');
    assert.equal(result?.isError, false);
    assert.match(result?.text ?? '', /1\s*\S?\s*const port = 8080;/);
    const second = model.requests[1]?.messages ?? [];
    assert.deepEqual(second.at(-2), { role: 'assistant', parts: [{ kind: 'text', text: 'Reading the app.' }, call('c1', 'Read', { path: 'src/app.js' })] });
    assert.deepEqual(second.at(-1), { role: 'user', parts: [result] });
    assert.deepEqual(options.streamed, ['Reading the app.', 'Port 8080: `src/app.js:1`.']);
  });

  it('runs parallel calls at once and returns their results in call order although they finish out of order', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('slow', 'Bash', { command: 'sleep 0.4; echo slow-done' }), call('fast', 'Read', { path: 'Dockerfile' }), call('glob', 'Glob', { pattern: '**/*.js' })] },
      { parts: [text('done')] },
    ]);
    const finished: string[] = [];
    const ctx = processToolContext([root]);
    const options = loopOptions(model, { executeToolCalls: realToolCalls(realToolSession({ allow: ['Bash(sleep *)'] }), ctx, (id) => finished.push(id)) });
    const started = Date.now();
    const outcome = await runToolLoop(options);
    assert.ok(Date.now() - started < 1_500, 'the calls ran in parallel');
    assert.equal(finished.at(-1), 'slow', `the slow call finished last: ${finished.join(', ')}`);
    const results = outcome.rounds[0]?.results ?? [];
    assert.deepEqual(results.map((r) => r.callId), ['slow', 'fast', 'glob']);
    assert.match(results[0]?.text ?? '', /slow-done/);
    assert.match(results[1]?.text ?? '', /FROM node:20/);
    assert.match(results[2]?.text ?? '', /src\/app\.js/);
    assert.ok(results.every((r) => !r.isError), JSON.stringify(results));
    const shown = model.requests[1]?.messages.at(-1);
    assert.deepEqual(shown?.parts.map((p) => (p as ToolResultPart).callId), ['slow', 'fast', 'glob']);
  });

  it('offers no tools in the round after the limit; a call made anyway is not run and ends the turn at max-rounds', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'src/app.js' })] },
      { parts: [text('One more look.'), call('c2', 'Bash', { command: 'touch ran-anyway' })] },
    ]);
    let executed = 0;
    const base = loopOptions(model, { maxRounds: 1 });
    const outcome = await runToolLoop({ ...base, executeToolCalls: async (calls) => { executed += 1; return base.executeToolCalls(calls); } });
    assert.equal(outcome.stoppedBy, 'max-rounds');
    assert.equal(executed, 1, 'only the first round ran tools');
    assert.deepEqual(model.requests.map((r) => r.toolNames.length), [SPECS.length, 0]);
    assert.equal(outcome.rounds[1]?.toolCalls[0]?.callId, 'c2');
    assert.deepEqual(outcome.rounds[1]?.results, []);
    assert.equal(fs.existsSync(path.join(root, 'ran-anyway')), false);
    assert.equal(outcome.finalText, 'One more look.');
    // the follow-up round (citation repair) must see this round's text, and no call left without a result
    assert.deepEqual(outcome.messages.at(-1), { role: 'assistant', parts: [{ kind: 'text', text: 'One more look.' }] });
  });

  it('returns the forced answer of the tool-less last round', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'src/app.js' })] },
      { parts: [text('It is 8080.')] },
    ]);
    const outcome = await runToolLoop(loopOptions(model, { maxRounds: 1 }));
    assert.equal(outcome.finalText, 'It is 8080.');
    assert.equal(outcome.stoppedBy, 'max-rounds');
    assert.equal(model.remaining, 0);
  });

  it('with maxRounds 0 the first request offers no tools', async () => {
    const model = new ScriptedChatModel([{ parts: [text('Answer without tools.')] }]);
    const outcome = await runToolLoop(loopOptions(model, { maxRounds: 0 }));
    assert.deepEqual(model.requests[0]?.toolNames, []);
    assert.equal(outcome.finalText, 'Answer without tools.');
  });

  it('stops mid-stream when cancelled: no more text, the pending tool call is not run', async () => {
    const model = new ScriptedChatModel([{ parts: [text('First '), text('second '), call('c1', 'Bash', { command: 'touch cancelled-ran' })], delayMs: 30 }]);
    const options = loopOptions(model);
    let calls = 0;
    const outcome = await runToolLoop({
      ...options,
      onText: (t) => { options.streamed.push(t); options.controller.abort(); },
      executeToolCalls: async (c) => { calls += 1; return options.executeToolCalls(c); },
    });
    assert.equal(outcome.stoppedBy, 'cancelled');
    assert.deepEqual(options.streamed, ['First ']);
    assert.equal(outcome.finalText, 'First ');
    assert.equal(calls, 0);
    assert.equal(fs.existsSync(path.join(root, 'cancelled-ran')), false);
  });

  it('reports cancellation even when the model stream throws an AbortError on cancel', async () => {
    const model = new ScriptedChatModel([{ parts: [text('Partial '), text('rest')], delayMs: 200, onAbort: 'throw' }]);
    const options = loopOptions(model);
    setTimeout(() => options.controller.abort(), 50);
    const outcome = await runToolLoop(options);
    assert.equal(outcome.stoppedBy, 'cancelled');
    assert.equal(outcome.finalText, 'Partial ');
    assert.deepEqual(outcome.rounds, [{ text: 'Partial ', toolCalls: [], results: [] }]);
  });

  it('still throws a model failure that is not a cancellation', async () => {
    const model = new ScriptedChatModel([]);
    await assert.rejects(runToolLoop(loopOptions(model)), /no response left/);
  });

  it('stops between rounds when cancelled while tools run, without asking the model again', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'src/app.js' })] },
      { parts: [text('never sent')] },
    ]);
    const options = loopOptions(model);
    const outcome = await runToolLoop({
      ...options,
      executeToolCalls: async (calls) => {
        const results = await options.executeToolCalls(calls);
        options.controller.abort();
        return results;
      },
    });
    assert.equal(outcome.stoppedBy, 'cancelled');
    assert.equal(model.requests.length, 1);
    assert.equal(outcome.rounds[0]?.results[0]?.callId, 'c1');
    assert.equal(model.remaining, 1);
  });

  it('does nothing when cancelled before it starts', async () => {
    const model = new ScriptedChatModel([{ parts: [text('x')] }]);
    const options = loopOptions(model);
    options.controller.abort();
    const outcome = await runToolLoop(options);
    assert.equal(outcome.stoppedBy, 'cancelled');
    assert.equal(model.requests.length, 0);
    assert.deepEqual(outcome.rounds, []);
  });

  describe('messagesFromRounds', () => {
    it('rebuilds exactly the conversation the loop had, from the rounds alone', async () => {
      const prompt = 'which port does the app use?';
      const model = new ScriptedChatModel([
        { parts: [text('Let me look.'), call('a', 'Read', { path: 'src/app.js' }), call('b', 'Glob', { pattern: '*' })] },
        { parts: [call('c', 'Read', { path: 'Dockerfile' })] },
        { parts: [text('8080.')] },
      ]);
      const outcome = await runToolLoop(loopOptions(model, { messages: [userText(prompt)] }));
      assert.deepEqual(messagesFromRounds(prompt, outcome.rounds), outcome.messages);
      // a round without text carries only its calls
      assert.deepEqual(outcome.messages[3], { role: 'assistant', parts: [call('c', 'Read', { path: 'Dockerfile' })] });
    });

    it('leaves out calls that never got a result and empty responses, so the history stays valid', () => {
      const messages: LoopMessage[] = messagesFromRounds('hi', [
        { text: '', toolCalls: [], results: [] },
        { text: 'Trying.', toolCalls: [call('x', 'Read', { path: 'a' })], results: [] },
      ]);
      assert.deepEqual(messages, [
        { role: 'user', parts: [{ kind: 'text', text: 'hi' }] },
        { role: 'assistant', parts: [{ kind: 'text', text: 'Trying.' }] },
      ]);
    });
  });
});
