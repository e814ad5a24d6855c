import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CliRun } from './builtCli';
import { runBuiltCli } from './builtCli';

// Events in the shape Claude Code sends (code.claude.com/docs/en/hooks), fed to the built CLI as a real process.
describe('cli: devops-agent hook claude-code (built CLI, real process)', function () {
  this.timeout(60_000);
  let workspace: string;
  let home: string;
  const SERVER = ['const express = require("express");', 'const app = express();', 'app.listen(8080);', ''].join('\n');
  const LONG = Array.from({ length: 80 }, (_, i) => `export const setting${i} = ${i};`).join('\n') + '\n';

  before(() => {
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hook-ws-')));
    home = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hook-home-')));
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'server.js'), SERVER);
    fs.writeFileSync(path.join(workspace, 'src', 'settings.ts'), LONG);
    fs.writeFileSync(path.join(workspace, 'src', 'legacy.ts'), 'export function old(): number {\n  // TODO: implement\n  return 0;\n}\n');
    fs.writeFileSync(path.join(workspace, '.env'), 'DB_PASSWORD=x9Kq2LmZpR4tVw8Y\n');
  });
  after(() => {
    fs.rmSync(workspace, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  const hook = (event: unknown): Promise<CliRun> =>
    runBuiltCli(['hook', 'claude-code'], typeof event === 'string' ? event : JSON.stringify(event), { env: { ...process.env, HOME: home } });
  const base = (name: string): Record<string, unknown> => ({
    session_id: 'abc123', transcript_path: path.join(workspace, 'no-such-transcript.jsonl'), cwd: workspace, permission_mode: 'default', hook_event_name: name,
  });
  const preToolUse = (tool: string, input: Record<string, unknown>): Record<string, unknown> =>
    ({ ...base('PreToolUse'), tool_name: tool, tool_input: input, tool_use_id: 'toolu_01' });
  const denied = (run: CliRun): string => {
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { hookSpecificOutput: { hookEventName: string; permissionDecision: string; permissionDecisionReason: string } };
    assert.deepEqual(Object.keys(answer), ['hookSpecificOutput']);
    assert.equal(answer.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.equal(answer.hookSpecificOutput.permissionDecision, 'deny');
    return answer.hookSpecificOutput.permissionDecisionReason;
  };
  const blocked = (run: CliRun): string => {
    assert.equal(run.code, 0, run.stderr);
    const answer = JSON.parse(run.stdout) as { decision: string; reason: string };
    assert.deepEqual(Object.keys(answer).sort(), ['decision', 'reason']);
    assert.equal(answer.decision, 'block');
    return answer.reason;
  };
  const silent = (run: CliRun): void => {
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stdout, '');
    assert.equal(run.stderr, '');
  };
  const transcript = (name: string, entries: readonly unknown[]): string => {
    const file = path.join(workspace, `${name}.jsonl`);
    fs.writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n') + '\n');
    return file;
  };
  const user = (content: unknown): unknown => ({ type: 'user', timestamp: new Date().toISOString(), message: { role: 'user', content } });
  const assistant = (content: unknown[]): unknown => ({ type: 'assistant', timestamp: new Date().toISOString(), message: { role: 'assistant', content } });

  describe('Stop and SubagentStop', () => {
    it('passes silently when every citation verifies', async () => {
      silent(await hook({ ...base('Stop'), stop_hook_active: false, last_assistant_message: 'The port is set at `src/server.js:3` `app.listen(8080);`.' }));
    });

    it('blocks with each wrong citation and what is wrong with it', async () => {
      const reason = blocked(await hook({
        ...base('Stop'), stop_hook_active: false,
        last_assistant_message: 'Port at `src/server.js:3` `app.listen(3000);`, see src/server.js:40 and src/missing.js:2.',
      }));
      assert.equal(reason.split('\n')[0], `3 of 3 file citations in your answer did not verify against ${workspace}. Fix each one (correct the path or line, quote the code that is really at those lines, read the file first if you have not, or remove the claim), then give the corrected answer:`);
      assert.match(reason, /^- `src\/server\.js:3` — quote-mismatch: /m);
      assert.match(reason, /^- src\/server\.js:40 — line-out-of-range: line 40 out of range, file has 3 lines$/m);
      assert.match(reason, /^- src\/missing\.js:2 — missing-file: /m);
    });

    it('never blocks when stop_hook_active is true', async () => {
      silent(await hook({ ...base('Stop'), stop_hook_active: true, last_assistant_message: 'See src/server.js:40.' }));
      silent(await hook({ ...base('SubagentStop'), stop_hook_active: true, agent_type: 'devops-engineer', last_assistant_message: 'See src/server.js:40.' }));
    });

    it('SubagentStop checks citations against what the subagent read (its transcript)', async () => {
      const agentTranscript = transcript('agent-read', [
        user('where is the port set?'),
        assistant([{ type: 'tool_use', id: 'toolu_r1', name: 'Read', input: { file_path: path.join(workspace, 'src/server.js') } }]),
        user([{ type: 'tool_result', tool_use_id: 'toolu_r1', content: '     1→const express = require("express");\n     2→const app = express();\n     3→app.listen(8080);\n' }]),
      ]);
      const event = { ...base('SubagentStop'), stop_hook_active: false, agent_type: 'devops-engineer', agent_transcript_path: agentTranscript };
      silent(await hook({ ...event, last_assistant_message: 'At `src/server.js:3` `app.listen(8080);`.' }));
      const reason = blocked(await hook({ ...event, last_assistant_message: 'Settings start at `src/settings.ts:1` `export const setting0 = 0;`.' }));
      assert.match(reason, /^- `src\/settings\.ts:1` — unread: src\/settings\.ts was never read in this session$/m);
    });

    it('uses the last assistant text of the transcript when the event carries none', async () => {
      const file = transcript('no-last-message', [user('hi'), assistant([{ type: 'text', text: 'See src/server.js:99.' }])]);
      const reason = blocked(await hook({ ...base('Stop'), transcript_path: file, stop_hook_active: false }));
      assert.match(reason, /src\/server\.js:99 — line-out-of-range/);
    });

    it('blocks review work once when no certificate was written, and not after one was', async () => {
      const review = transcript('review', [
        user('please review the Dockerfile for production'),
        assistant([{ type: 'text', text: 'It looks fine.' }]),
      ]);
      const reason = blocked(await hook({ ...base('Stop'), transcript_path: review, stop_hook_active: false, last_assistant_message: 'It looks fine.' }));
      assert.match(reason, /^The request says "review" \(certificate trigger "review"\), which asks for a professional judgment\. Review work ends with a certificate, and none was written in this conversation\./);
      // the second stop of the same turn (Claude was made to continue) never blocks
      silent(await hook({ ...base('Stop'), transcript_path: review, stop_hook_active: true, last_assistant_message: 'It looks fine.' }));

      const certified = transcript('review-certified', [
        user('please review the Dockerfile for production'),
        assistant([{ type: 'tool_use', id: 'toolu_c1', name: 'mcp__devops-agent__certificate_create', input: { descriptor: 'dockerfile_review' } }]),
        user([{ type: 'tool_result', tool_use_id: 'toolu_c1', content: 'Created certificate' }]),
      ]);
      silent(await hook({ ...base('Stop'), transcript_path: certified, stop_hook_active: false, last_assistant_message: 'Certified.' }));
      const chat = transcript('chat', [user('hello there'), assistant([{ type: 'text', text: 'Hi.' }])]);
      silent(await hook({ ...base('Stop'), transcript_path: chat, stop_hook_active: false, last_assistant_message: 'Hi.' }));
    });
  });

  describe('PreToolUse', () => {
    it('Write: denies placeholder code outside tests, with the exact reason', async () => {
      const reason = denied(await hook(preToolUse('Write', { file_path: path.join(workspace, 'src/pay.ts'), content: 'export function pay(): number {\n  // TODO: implement\n  return 0;\n}\n' })));
      assert.equal(reason.split('\n')[0], 'Refused by the no-mock rule: src/pay.ts would get placeholder, mock or simulated code outside a test path:');
      assert.match(reason, /^- line 2 \(todo-implement\): `\/\/ TODO: implement` — /m);
    });

    it('Write: real code, and placeholder code in a test path, pass silently', async () => {
      silent(await hook(preToolUse('Write', { file_path: path.join(workspace, 'src/sum.ts'), content: 'export const sum = (a: number, b: number): number => a + b;\n' })));
      silent(await hook(preToolUse('Write', { file_path: path.join(workspace, 'test/fixtures/fake.ts'), content: 'export const fakeUser = { id: 1 }; // mock\n' })));
    });

    it('Write: a path outside the workspace is denied (confinement)', async () => {
      const reason = denied(await hook(preToolUse('Write', { file_path: path.join(home, 'escape.txt'), content: 'x' })));
      assert.match(reason, /^Write refused: .* (outside|not inside)/);
      assert.match(reason, new RegExp(`\\(the workspace is ${workspace.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)\\.$`));
    });

    it('Edit: judged only on what it adds', async () => {
      const file = path.join(workspace, 'src/legacy.ts');
      silent(await hook(preToolUse('Edit', { file_path: file, old_string: 'return 0;', new_string: 'return 1;' })));
      const reason = denied(await hook(preToolUse('Edit', { file_path: path.join(workspace, 'src/server.js'), old_string: 'app.listen(8080);', new_string: 'app.listen(8080);\nthrow new Error("not implemented");' })));
      assert.match(reason, /^Refused by the no-mock rule: src\/server\.js would get/);
    });

    it('MultiEdit: the preserve-work guard denies deleting most of a file', async () => {
      const file = path.join(workspace, 'src/settings.ts');
      const edits = [{ old_string: LONG.split('\n').slice(0, 60).join('\n'), new_string: 'export const settings = {};' }];
      const reason = denied(await hook(preToolUse('MultiEdit', { file_path: file, edits })));
      assert.equal(reason, 'Refused by the preserve-work rule: this change deletes 60 lines (75% of src/settings.ts). Working code is not thrown away: make the minimal fix with Edit, or explain to the user why these lines must go and let them make or approve the change.');
      silent(await hook(preToolUse('MultiEdit', { file_path: file, edits: [{ old_string: 'setting1 = 1;', new_string: 'setting1 = 10;' }, { old_string: 'setting2 = 2;', new_string: 'setting2 = 20;' }] })));
    });

    it('Read: the secret deny list and confinement; other reads pass', async () => {
      assert.equal(denied(await hook(preToolUse('Read', { file_path: path.join(workspace, '.env') }))),
        "Denied: '.env' matches **/.env* on the secret deny list (environment files hold credentials). Files on the secret deny list are never opened by the agent; ask the user for the value you need.");
      denied(await hook(preToolUse('Read', { file_path: '/etc/passwd' })));
      silent(await hook(preToolUse('Read', { file_path: path.join(workspace, 'src/server.js') })));
    });

    it('Bash: commands that open secret files are denied; others pass', async () => {
      assert.match(denied(await hook(preToolUse('Bash', { command: 'cat .env | grep DB', description: 'show db settings' }))), /^Denied: the command opens \.env: /);
      assert.match(denied(await hook(preToolUse('Bash', { command: 'docker run --env-file=.env app' }))), /^Denied: the command opens \.env: /);
      assert.match(denied(await hook(preToolUse('Bash', { command: 'cat ~/.ssh/id_ed25519' }))), /^Denied: the command opens ~\/\.ssh\/id_ed25519: /);
      silent(await hook(preToolUse('Bash', { command: 'npm test && cat .env.example' })));
    });

    it('other tools pass silently', async () => {
      silent(await hook(preToolUse('Glob', { pattern: '**/.env*' })));
      silent(await hook(preToolUse('WebFetch', { url: 'https://example.com', prompt: 'x' })));
    });
  });

  describe('PostToolUse', () => {
    it('reports secrets in a tool output by kind, never the value', async () => {
      const token = `ghp_${'a1B2c3D4e5'.repeat(4)}`;
      const reason = blocked(await hook({ ...base('PostToolUse'), tool_name: 'Bash', tool_input: { command: 'env' }, tool_response: { stdout: `GITHUB_TOKEN=${token}\n`, stderr: '' } }));
      assert.ok(!reason.includes(token));
      assert.match(reason, /^The output of Bash contained 1 secret \(github-token ×1\)\. Do not repeat/);
      silent(await hook({ ...base('PostToolUse'), tool_name: 'Read', tool_input: { file_path: 'x' }, tool_response: { file: { content: 'hello' } } }));
    });
  });

  describe('bad input never blocks (exit 1, never 2)', () => {
    const nonBlocking = (run: CliRun, message: RegExp): void => {
      assert.equal(run.code, 1);
      assert.equal(run.stdout, '');
      assert.match(run.stderr, message);
    };
    it('malformed JSON, empty input, a non-object', async () => {
      nonBlocking(await hook('{"hook_event_name": "Stop", '), /^devops-agent hook claude-code: stdin is not valid JSON/);
      nonBlocking(await hook(''), /stdin was empty/);
      nonBlocking(await hook('[1,2]'), /not a JSON object/);
    });
    it('missing fields and a workspace that does not exist', async () => {
      nonBlocking(await hook({ hook_event_name: 'Stop' }), /"cwd" is missing from the Stop event/);
      nonBlocking(await hook({ ...base('PreToolUse'), tool_input: {} }), /"tool_name" is missing/);
      nonBlocking(await hook({ ...base('Stop'), cwd: path.join(workspace, 'gone') }), /the workspace folder .*gone \(cwd\) does not exist/);
    });
    it('wrong arguments', async () => {
      const run = await runBuiltCli(['hook', 'cursor'], '{}');
      nonBlocking(run, /expected `hook claude-code`/);
    });
    it('huge input: a 6 MB Write is checked, more than 32 MB is refused unread', async () => {
      const big = `${'export const x = 1;\n'.repeat(300_000)}`;
      silent(await hook(preToolUse('Write', { file_path: path.join(workspace, 'src/big.ts'), content: big })));
      const huge = JSON.stringify(preToolUse('Write', { file_path: path.join(workspace, 'src/huge.ts'), content: 'a'.repeat(33 * 1024 * 1024) }));
      nonBlocking(await hook(huge), /larger than 32 MB; it was not checked/);
    });
    it('events it has nothing to say about pass silently', async () => {
      silent(await hook({ ...base('UserPromptSubmit'), prompt: 'hello' }));
      silent(await hook({ ...base('SessionStart'), source: 'startup' }));
    });
  });
});
