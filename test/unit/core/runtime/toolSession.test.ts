import * as assert from 'node:assert/strict';
import * as os from 'node:os';
import { GuardOverrides } from '../../../../src/core/policy/guardOverrides';
import { DEFAULT_PRESERVE_WORK_OPTIONS } from '../../../../src/core/policy/preserveWorkGuard';
import { ReadSet } from '../../../../src/core/session/readSet';
import { createToolSession, DEFAULT_SESSION_GUARDS } from '../../../../src/core/runtime/toolSession';

describe('core/runtime/toolSession', () => {
  it('fills in the harness defaults: trusted, no rules, no-mock on, the preserve-work limits, the home folder', () => {
    const session = createToolSession({ agentName: 'devops-engineer', allowedTools: ['Read', 'Read', 'Grep'] });
    assert.deepEqual([...session.allowedTools], ['Read', 'Grep']);
    assert.equal(session.trusted, true);
    assert.deepEqual(session.rules, { allow: [], ask: [], deny: [] });
    assert.deepEqual(session.guards, { noMock: true, maxDeletedLines: DEFAULT_PRESERVE_WORK_OPTIONS.maxDeletedLines, maxDeletedFraction: DEFAULT_PRESERVE_WORK_OPTIONS.maxDeletedFraction });
    assert.equal(session.homeDir, os.homedir());
    assert.ok(session.readSet instanceof ReadSet);
    assert.ok(session.overrides instanceof GuardOverrides);
    assert.equal('audit' in session, false);
  });

  it('keeps what the caller sets, guard by guard', () => {
    const readSet = new ReadSet();
    const session = createToolSession({ agentName: 'a', allowedTools: [], readSet, trusted: false, guards: { noMock: false }, homeDir: '/home/x' });
    assert.equal(session.readSet, readSet);
    assert.equal(session.trusted, false);
    assert.deepEqual(session.guards, { ...DEFAULT_SESSION_GUARDS, noMock: false });
    assert.equal(session.homeDir, '/home/x');
  });
});
