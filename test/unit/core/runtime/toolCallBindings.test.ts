import * as assert from 'node:assert/strict';
import { ToolCallBindings } from '../../../../src/core/runtime/toolCallBindings';

/** Tokens as VS Code hands them out: the chat turn's, and the one a tool's invoke() receives after a round trip. */
function requestToken(session: string): object {
  return Object.freeze({ sessionResource: { scheme: 'vscode-chat-session', authority: '', path: `/${session}`, query: '', fragment: '' }, workingDirectory: undefined });
}
function invokeToken(session: string): object {
  // revived: a URI-like object with more fields and a marker, not the same object
  return { sessionResource: { $mid: 1, scheme: 'vscode-chat-session', authority: '', path: `/${session}`, query: '', fragment: '', fsPath: `/${session}`, external: `vscode-chat-session:/${session}` } };
}

describe('core/runtime/toolCallBindings', () => {
  const input = { path: 'src/app.ts' };

  it('gives each of two chats making the same call at once its own binding, by the invocation token', () => {
    const bindings = new ToolCallBindings<string>();
    const unbindA = bindings.bind(requestToken('chat-a'), 'Read', input, 'turn in chat A');
    const unbindB = bindings.bind(requestToken('chat-b'), 'Read', { ...input }, 'turn in chat B');
    assert.equal(bindings.lookup(invokeToken('chat-b'), 'Read', input), 'turn in chat B');
    assert.equal(bindings.lookup(invokeToken('chat-a'), 'Read', input), 'turn in chat A');
    unbindA();
    assert.equal(bindings.lookup(invokeToken('chat-a'), 'Read', input), undefined, 'chat A is done: its call is no longer bound');
    assert.equal(bindings.lookup(invokeToken('chat-b'), 'Read', input), 'turn in chat B');
    unbindB();
    assert.deepEqual(bindings.candidates('Read', input), []);
  });

  it('does not hand a turn\'s binding to a call from elsewhere with the same input (Copilot agent mode, a test)', () => {
    const bindings = new ToolCallBindings<string>();
    bindings.bind(requestToken('devops-chat'), 'Bash', { command: 'npm test' }, 'devops turn');
    assert.equal(bindings.lookup(invokeToken('copilot-chat'), 'Bash', { command: 'npm test' }), undefined);
    assert.equal(bindings.lookup(undefined, 'Bash', { command: 'npm test' }), undefined);
    assert.equal(bindings.lookup(invokeToken('devops-chat'), 'Bash', { command: 'npm run build' }), undefined, 'another input');
    assert.equal(bindings.lookup(invokeToken('devops-chat'), 'Bash', { command: 'npm test' }), 'devops turn');
  });

  it('lists every turn with the call pending for prepareInvocation, which gets no token', () => {
    const bindings = new ToolCallBindings<string>();
    bindings.bind(requestToken('a'), 'Write', input, 'A');
    bindings.bind(requestToken('b'), 'Write', input, 'B');
    bindings.bind(requestToken('b'), 'Read', input, 'B read');
    assert.deepEqual(bindings.candidates('Write', input), ['A', 'B']);
  });

  it('keys tokens of older VS Code versions (a session id) too', () => {
    const bindings = new ToolCallBindings<string>();
    bindings.bind({ sessionId: 's1' }, 'Read', input, 'one');
    bindings.bind({ sessionId: 's2' }, 'Read', input, 'two');
    assert.equal(bindings.lookup({ sessionId: 's2' }, 'Read', input), 'two');
  });
});
