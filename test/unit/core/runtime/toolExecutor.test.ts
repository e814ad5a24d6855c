import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditEntry } from '../../../../src/core/policy/auditLog';
import { appendAuditEntry, parseAuditLine } from '../../../../src/core/policy/auditLog';
import { GuardOverrides } from '../../../../src/core/policy/guardOverrides';
import type { AuditSink, PreparedCall, ToolSession } from '../../../../src/core/runtime/toolExecutor';
import { callKey, executePreparedCall, parsedCallKey, prepareToolCall } from '../../../../src/core/runtime/toolExecutor';
import type { ToolContext } from '../../../../src/core/tools/framework/tool';
import { findTool } from '../../../../src/core/tools/toolRegistry';
import { processToolContext } from '../tools/processToolContext';
import type { SessionOptions } from './realToolSession';
import { realToolSession } from './realToolSession';

// Marker words are assembled so this test file carries no placeholder marker of its own.
const NOT_DONE = ['Not', 'implemented'].join(' ');
const PLACEHOLDER_CODE = `export async function deploy(): Promise<void> {\n  throw new Error('${NOT_DONE}');\n}\n`;
const GITHUB_TOKEN = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'}`;
const PASSWORD = 'Zx9kQ2vL7pR4mTw8';

describe('core/runtime/toolExecutor', () => {
  let tmp: string;
  let root: string;
  let auditFile: string;
  const sink = (): AuditSink => ({ append: (entry: AuditEntry) => appendAuditEntry(auditFile, entry) });

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tool-executor-')));
    root = path.join(tmp, 'ws');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.mkdirSync(path.join(tmp, 'outside'));
    fs.writeFileSync(path.join(tmp, 'outside', 'notes.txt'), 'outside the workspace\n');
    fs.writeFileSync(path.join(root, 'src', 'app.js'), 'const port = 8080;\nmodule.exports = { port };\n');
    fs.writeFileSync(path.join(root, '.env'), `DB_PASSWORD=${PASSWORD}\n`);
    fs.writeFileSync(path.join(root, 'config.yml'), `db:\n  password: "${PASSWORD}"\ngithub: ${GITHUB_TOKEN}\n`);
    fs.writeFileSync(path.join(root, 'big.ts'), Array.from({ length: 60 }, (_, i) => `export const value${i + 1} = ${i + 1};`).join('\n') + '\n');
    auditFile = path.join(tmp, 'audit', 'audit.jsonl');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  function setup(options: SessionOptions = {}): { session: ToolSession; ctx: ToolContext & { controller: AbortController } } {
    const session = realToolSession({ audit: sink(), homeDir: path.join(tmp, 'home'), ...options });
    return { session, ctx: { ...processToolContext([root]), readSet: session.readSet } };
  }

  async function prepare(name: string, input: unknown, options: SessionOptions = {}): Promise<PreparedCall & { session: ToolSession; ctx: ToolContext }> {
    const { session, ctx } = setup(options);
    return { ...(await prepareToolCall(findTool(name), name, input, session, ctx)), session, ctx };
  }

  function refusal(prepared: PreparedCall): string {
    assert.equal(prepared.verdict.kind, 'refuse', `expected a refusal, got ${JSON.stringify(prepared.verdict)}`);
    return prepared.verdict.kind === 'refuse' ? prepared.verdict.message : '';
  }

  function auditLines(): AuditEntry[] {
    return fs.readFileSync(auditFile, 'utf8').trim().split('\n').map((line) => {
      const entry = parseAuditLine(line);
      assert.notEqual(typeof entry, 'string', `bad audit line ${line}: ${String(entry)}`);
      return entry as AuditEntry;
    });
  }

  describe('prepareToolCall: the order of the checks', () => {
    it('refuses a tool that does not exist, naming the tools there are', async () => {
      const prepared = await prepare('Deploy', {}, { allowedTools: ['Read', 'Grep'] });
      assert.equal(refusal(prepared), "There is no tool named 'Deploy'. Available: Read, Grep.");
    });

    it('refuses a tool the agent is not given before looking at its input', async () => {
      const prepared = await prepare('Bash', { nonsense: true }, { agentName: 'reader', allowedTools: ['Read', 'memory_read'] });
      assert.match(refusal(prepared), /^The agent 'reader' is not allowed to use Bash; its tools are: Read, memory_read\./);
    });

    it('refuses invalid input with the tool\'s own message', async () => {
      const prepared = await prepare('Read', { file: 'src/app.js' });
      assert.match(refusal(prepared), /^Invalid input for Read: Read: /);
      assert.match(refusal(prepared), /"path"|file/);
    });

    it('refuses a path that leaves the workspace, before any permission rule', async () => {
      const prepared = await prepare('Read', { path: '../outside/notes.txt' }, { allow: ['Read'] });
      assert.match(refusal(prepared), /^refused: '\.\.\/outside\/notes\.txt' leaves the workspace folder /);
      const absolute = await prepare('Read', { path: path.join(tmp, 'outside', 'notes.txt') });
      assert.match(refusal(absolute), /is outside the workspace folder/);
    });

    it('refuses a secret file even when an allow rule names it', async () => {
      const prepared = await prepare('Read', { path: '.env' }, { allow: ['Read(.env)'] });
      assert.match(refusal(prepared), /^Denied: '\.env' matches \*\*\/\.env\* on the secret deny list \(environment files hold credentials\)\./);
      const grep = await prepare('Grep', { pattern: 'PASSWORD', path: '.env' });
      assert.match(refusal(grep), /secret deny list/);
    });

    it('applies deny, ask and allow rules, and the defaults by risk', async () => {
      assert.match(refusal(await prepare('Bash', { command: 'rm -rf build' }, { deny: ['Bash(rm *)'] })), /^Denied by rule Bash\(rm \*\) \(test\)\./);
      const asked = await prepare('Read', { path: 'src/app.js' }, { ask: ['Read(src/**)'] });
      assert.equal(asked.verdict.kind, 'ask');
      assert.match(asked.verdict.kind === 'ask' ? asked.verdict.reason : '', /Rule Read\(src\/\*\*\) \(test\) asks/);
      const allowed = await prepare('Bash', { command: 'echo hi' }, { allow: ['Bash(echo *)'] });
      assert.deepEqual(allowed.verdict, { kind: 'allow', reason: 'Allowed by rule Bash(echo *) (test).' });
      const read = await prepare('Read', { path: 'src/app.js' });
      assert.deepEqual(read.verdict, { kind: 'allow', reason: 'Read-only calls are allowed by default.' });
      const bash = await prepare('Bash', { command: 'echo hi' });
      assert.equal(bash.verdict.kind, 'ask');
      assert.equal(bash.risk, 'execute');
      assert.equal(bash.subject, 'echo hi');
      assert.match(bash.verdict.kind === 'ask' ? bash.verdict.preview.detail : '', /echo hi/);
    });

    it('refuses write and execute tools in an untrusted workspace, but not reads', async () => {
      assert.match(refusal(await prepare('Write', { path: 'new.txt', content: 'x' }, { trusted: false, allow: ['Write'] })), /This workspace is not trusted, so write tools are refused/);
      assert.match(refusal(await prepare('Bash', { command: 'ls' }, { trusted: false })), /not trusted, so execute tools are refused/);
      assert.equal((await prepare('Read', { path: 'src/app.js' }, { trusted: false })).verdict.kind, 'allow');
      // permission rules and the secret list come first, as documented
      assert.match(refusal(await prepare('Bash', { command: 'rm -rf /' }, { trusted: false, deny: ['Bash(rm *)'] })), /^Denied by rule/);
      assert.match(refusal(await prepare('Write', { path: '.env', content: 'A=1\n' }, { trusted: false })), /secret deny list/);
    });

    it('refuses to change a file the session has not read, and allows it once it has', async () => {
      const { session, ctx } = setup();
      const edit = { path: 'src/app.js', old_string: '8080', new_string: '9090' };
      const before = await prepareToolCall(findTool('Edit'), 'Edit', edit, session, ctx);
      assert.equal(before.verdict.kind === 'refuse' ? before.verdict.guard : undefined, 'read-before-edit');
      assert.match(refusal(before), /has not been read in this session/);
      const read = await prepareToolCall(findTool('Read'), 'Read', { path: 'src/app.js' }, session, ctx);
      await executePreparedCall(read, session, ctx, 'rule');
      const after = await prepareToolCall(findTool('Edit'), 'Edit', edit, session, ctx);
      assert.equal(after.verdict.kind, 'ask');
      const created = await prepareToolCall(findTool('Write'), 'Write', { path: 'src/new.js', content: 'module.exports = 1;\n' }, session, ctx);
      assert.equal(created.verdict.kind, 'ask', 'a new file needs no read');
    });

    it('refuses new text that carries a [REDACTED:…] marker', async () => {
      const prepared = await prepare('Write', { path: 'config.out.yml', content: 'password: [REDACTED:password]\n' });
      assert.match(refusal(prepared), /contains a \[REDACTED:…\] marker/);
    });

    it('reports an audit entry that could not be written instead of swallowing the failure', async () => {
      const failing: AuditSink = { append: () => Promise.reject(Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' })) };
      const { session, ctx } = setup({ audit: failing });
      const prepared = await prepareToolCall(findTool('Read'), 'Read', { path: 'src/app.js' }, session, ctx);
      const executed = await executePreparedCall(prepared, session, ctx, 'rule');
      assert.equal(executed.result.ok, true, 'the call itself ran');
      assert.match(executed.auditFailure ?? '', /EROFS: read-only file system/);
      const refused = await executePreparedCall(await prepareToolCall(findTool('Read'), 'Read', { path: '.env' }, session, ctx), session, ctx, 'rule');
      assert.match(refused.auditFailure ?? '', /EROFS/);
      const fine = await executePreparedCall(await prepareToolCall(findTool('Read'), 'Read', { path: 'src/app.js' }, setup().session, ctx), setup().session, ctx, 'rule');
      assert.equal(fine.auditFailure, undefined);
    });

    it('refuses placeholder code outside tests, once overridable for that exact call', async () => {
      const overrides = new GuardOverrides();
      const input = { path: 'src/deploy.ts', content: PLACEHOLDER_CODE };
      const { session, ctx } = setup({ overrides });
      const first = await prepareToolCall(findTool('Write'), 'Write', input, session, ctx);
      assert.match(refusal(first), /^Refused by the no-mock rule: src\/deploy\.ts would get placeholder/);
      assert.ok(first.verdict.kind === 'refuse' && first.verdict.guard === 'no-mock');
      assert.equal(first.verdict.kind === 'refuse' ? first.verdict.overrideKey : undefined, callKey('Write', input));
      overrides.grant(callKey('Write', { content: PLACEHOLDER_CODE, path: 'src/deploy.ts' }));
      const different = await prepareToolCall(findTool('Write'), 'Write', { ...input, path: 'src/other.ts' }, session, ctx);
      assert.equal(different.verdict.kind, 'refuse', 'the grant is for that exact call only');
      const granted = await prepareToolCall(findTool('Write'), 'Write', input, session, ctx);
      assert.equal(granted.verdict.kind, 'ask');
      // Preparing has no side effects (VS Code prepares, then invokes, which prepares again): the grant is still there.
      const prepared = await prepareToolCall(findTool('Write'), 'Write', input, session, ctx);
      assert.equal(prepared.verdict.kind, 'ask', 'preparing does not use the grant up');
      assert.equal((await executePreparedCall(prepared, session, ctx, 'user')).result.ok, true);
      assert.ok(fs.existsSync(path.join(root, 'src', 'deploy.ts')));
      fs.rmSync(path.join(root, 'src', 'deploy.ts'));
      const again = await prepareToolCall(findTool('Write'), 'Write', input, session, ctx);
      assert.equal(again.verdict.kind, 'refuse', 'running the call used the grant up');
      // A call prepared while the grant existed cannot run twice on it.
      const twice = await executePreparedCall(granted, session, ctx, 'user');
      assert.equal(twice.result.ok, false);
      assert.match(twice.result.text, /one-time permission .* was already used/);
      assert.ok(!fs.existsSync(path.join(root, 'src', 'deploy.ts')));
      const testPath = await prepareToolCall(findTool('Write'), 'Write', { path: 'test/deploy.test.ts', content: PLACEHOLDER_CODE }, session, ctx);
      assert.equal(testPath.verdict.kind, 'ask', 'test paths are exempt');
      const off = await prepare('Write', input, { noMock: false });
      assert.equal(off.verdict.kind, 'ask', 'the guard can be switched off');
    });

    it('keys overrides by the parsed input, so a key from the raw input of an Edit works', async () => {
      const overrides = new GuardOverrides();
      const { session, ctx } = setup({ overrides });
      session.readSet.record(path.join(root, 'src', 'app.js'), 1, 2);
      const raw = { path: 'src/app.js', old_string: 'module.exports = { port };', new_string: `const mockResponse = { status: 200 };\nmodule.exports = { port };` };
      const refused = await prepareToolCall(findTool('Edit'), 'Edit', raw, session, ctx);
      const key = parsedCallKey(findTool('Edit')!, raw);
      assert.equal(refused.verdict.kind === 'refuse' ? refused.verdict.overrideKey : undefined, key);
      assert.equal(parsedCallKey(findTool('Edit')!, { path: 1 }), undefined, 'invalid input has no key');
      overrides.grant(key!);
      assert.equal((await prepareToolCall(findTool('Edit'), 'Edit', raw, session, ctx)).verdict.kind, 'ask');
    });

    it('refuses a large deletion without a reason, and asks with the removed lines when one is given', async () => {
      const { session, ctx } = setup({ allow: ['Write'] });
      session.readSet.record(path.join(root, 'big.ts'), 1, 60);
      const bare = await prepareToolCall(findTool('Write'), 'Write', { path: 'big.ts', content: 'export const value1 = 1;\n' }, session, ctx);
      assert.match(refusal(bare), /^Refused by the preserve-work rule: this change deletes 59 lines \(98% of big\.ts\)/);
      assert.ok(bare.verdict.kind === 'refuse' && bare.verdict.guard === 'preserve-work');
      const reasoned = await prepareToolCall(findTool('Write'), 'Write', { path: 'big.ts', content: 'export const value1 = 1;\n', reason: 'the values moved to values.json' }, session, ctx);
      assert.equal(reasoned.verdict.kind, 'ask', 'asked even though an allow rule covers Write');
      if (reasoned.verdict.kind !== 'ask') return;
      assert.match(reasoned.verdict.reason, /deletes 59 lines \(98%\) — reason given: the values moved to values\.json/);
      assert.match(reasoned.verdict.preview.detail, /^\*\*Removes 59 lines\.\*\* Reason: the values moved to values\.json/);
      assert.match(reasoned.verdict.preview.detail, /^2: export const value2 = 2;$/m);
      assert.match(reasoned.verdict.preview.detail, /^60: export const value60 = 60;$/m);
    });

    it('does not ask for the agent\'s own records by default, but an explicit ask or deny rule applies', async () => {
      const input = { file: 'working-memory', section: 'Active Tasks', content: '- check the Dockerfile' };
      const byDefault = await prepare('memory_update', input);
      assert.equal(byDefault.verdict.kind, 'allow');
      const asked = await prepare('memory_update', input, { ask: ['memory_update'] });
      assert.equal(asked.verdict.kind, 'ask');
      assert.match(asked.verdict.kind === 'ask' ? asked.verdict.preview.title : '', /Update docs\/ai\/agents\/devops-engineer\/working-memory\.md § Active Tasks/);
      assert.match(refusal(await prepare('memory_update', input, { deny: ['memory_update'] })), /^Denied by rule memory_update/);
      assert.match(refusal(await prepare('memory_update', input, { trusted: false })), /not trusted/);
    });
  });

  describe('executePreparedCall', () => {
    it('runs an allowed call, redacts secrets from its result, counts them and audits it', async () => {
      const prepared = await prepare('Read', { path: 'config.yml' });
      const executed = await executePreparedCall(prepared, prepared.session, prepared.ctx, 'rule');
      assert.equal(executed.result.ok, true);
      assert.equal(executed.redactions, 2);
      assert.ok(!executed.result.text.includes(PASSWORD) && !executed.result.text.includes(GITHUB_TOKEN), executed.result.text);
      assert.match(executed.result.text, /\[REDACTED:github-token\]/);
      assert.ok(prepared.session.readSet.has(path.join(root, 'config.yml')), 'the Read was recorded');
      const [entry] = auditLines();
      assert.equal(entry?.tool, 'Read');
      assert.equal(entry?.agent, 'devops-engineer');
      assert.equal(entry?.input, '{"path":"config.yml"}');
      assert.equal(entry?.decision, 'allow');
      assert.equal(entry?.approvedBy, 'rule');
      assert.equal(entry?.outcome, 'ok');
      assert.equal(entry?.redactions, 2);
      assert.equal(entry?.bytes, Buffer.byteLength(executed.result.text));
    });

    it('returns a refusal as an error result without running anything, and audits it as refused', async () => {
      const prepared = await prepare('Bash', { command: `touch ran && echo ${GITHUB_TOKEN}` }, { deny: ['Bash(touch *)'] });
      const executed = await executePreparedCall(prepared, prepared.session, prepared.ctx, 'rule');
      assert.equal(executed.result.ok, false);
      assert.match(executed.result.text, /^Denied by rule Bash\(touch \*\)/);
      assert.equal(fs.existsSync(path.join(root, 'ran')), false);
      const [entry] = auditLines();
      assert.equal(entry?.decision, 'deny');
      assert.equal(entry?.approvedBy, undefined);
      assert.equal(entry?.outcome, 'refused');
      assert.ok(!entry?.input.includes(GITHUB_TOKEN), `the audit input is redacted: ${entry?.input}`);
    });

    it('audits an approved ask, a failing tool and the approval that let it run', async () => {
      const prepared = await prepare('Bash', { command: 'echo out; exit 4' });
      assert.equal(prepared.verdict.kind, 'ask');
      const executed = await executePreparedCall(prepared, prepared.session, prepared.ctx, 'user');
      assert.equal(executed.result.ok, false);
      assert.match(executed.result.text, /Exit code 4 after /);
      assert.match(executed.result.text, /\bout\b/);
      const [entry] = auditLines();
      assert.deepEqual([entry?.decision, entry?.approvedBy, entry?.outcome], ['ask', 'user', 'error']);
    });

    it('stops a cancelled run and audits it as cancelled', async () => {
      const prepared = await prepare('Bash', { command: 'sleep 5' }, { allow: ['Bash(sleep *)'] });
      const controller = (prepared.ctx as ToolContext & { controller: AbortController }).controller;
      const started = Date.now();
      setTimeout(() => controller.abort(), 150);
      const executed = await executePreparedCall(prepared, prepared.session, prepared.ctx, 'rule');
      assert.ok(Date.now() - started < 3_000, 'the command was stopped');
      assert.equal(executed.result.ok, false);
      assert.match(executed.result.text, /^Cancelled after .*: the command and every process it started were stopped\./m);
      const [entry] = auditLines();
      assert.equal(entry?.outcome, 'cancelled');
    });

    it('writes one audit line per call, in order', async () => {
      const { session, ctx } = setup();
      for (const [name, input] of [['Read', { path: 'src/app.js' }], ['Glob', { pattern: '**/*.js' }], ['Read', { path: '.env' }]] as const) {
        const prepared = await prepareToolCall(findTool(name), name, input, session, ctx);
        await executePreparedCall(prepared, session, ctx, 'rule');
      }
      assert.deepEqual(auditLines().map((e) => `${e.tool}:${e.outcome}`), ['Read:ok', 'Glob:ok', 'Read:refused']);
    });

    it('still returns the result when the audit log cannot be written', async () => {
      fs.writeFileSync(path.join(tmp, 'audit'), 'a file where the folder should be');
      const prepared = await prepare('Read', { path: 'src/app.js' });
      const executed = await executePreparedCall(prepared, prepared.session, prepared.ctx, 'rule');
      assert.equal(executed.result.ok, true);
    });

    it('refuses Bash before asking when no sandbox can run, says why and how to fix it, and audits the refusal', async () => {
      const saved = process.env.PATH;
      process.env.PATH = path.join(tmp, 'empty-path');
      let prepared: PreparedCall & { session: ToolSession; ctx: ToolContext };
      try {
        prepared = await prepare('Bash', { command: 'ls' });
      } finally {
        process.env.PATH = saved;
      }
      const message = refusal(prepared);
      assert.match(message, /^Bash is refused: no sandbox can run here: bubblewrap \(`bwrap`\) is not installed\. To fix it, install it: `sudo apt-get install bubblewrap socat`/);
      assert.match(message, /devopsAgent\.sandbox\.enabled to false/);
      await executePreparedCall(prepared, prepared.session, prepared.ctx, 'rule');
      assert.deepEqual(auditLines().map((e) => `${e.tool}:${e.outcome}`), ['Bash:refused']);
    });

    it('audits whether Bash ran in the sandbox: on by default, off only by the setting', async () => {
      const { session } = setup({ allow: ['Bash(echo *)'] });
      for (const enabled of [true, false]) {
        const ctx = { ...processToolContext([root], { environment: { sandbox: { enabled, allowedHosts: [] } } }), readSet: session.readSet };
        const prepared = await prepareToolCall(findTool('Bash'), 'Bash', { command: 'echo hi' }, session, ctx);
        if (enabled) assert.match(prepared.verdict.kind === 'allow' ? 'allowed' : JSON.stringify(prepared.verdict), /allowed/);
        const executed = await executePreparedCall(prepared, session, ctx, 'rule');
        assert.equal(executed.result.ok, true, executed.result.text);
      }
      assert.deepEqual(auditLines().map((e) => `${e.tool}:${e.outcome}:${e.sandbox}`), ['Bash:ok:on', 'Bash:ok:off']);
    });
  });
});
