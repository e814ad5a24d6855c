import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { appendAuditEntry, auditLogPath } from '../../../src/core/policy/auditLog';
import { bufferIo } from './bufferIo';

function entry(overrides: Partial<AuditEntry>): AuditEntry {
  return {
    time: '2025-03-01T10:00:00.000Z', agent: 'devops-engineer', tool: 'Bash', input: 'Bash {"command":"npm test"}',
    decision: 'allow', approvedBy: 'rule', outcome: 'ok', durationMs: 1500, bytes: 100, redactions: 0, ...overrides,
  };
}

describe('cli/audit', () => {
  let root: string;
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-cli-'));
    const devops = auditLogPath(root, 'devops-engineer');
    await appendAuditEntry(devops, entry({}));
    await appendAuditEntry(devops, entry({ tool: 'Write', decision: 'ask', approvedBy: 'user', durationMs: 20 }));
    await appendAuditEntry(devops, entry({ tool: 'Read', decision: 'deny', approvedBy: undefined, outcome: 'refused', input: 'Read {"path":".env"}', durationMs: 0, time: '2025-03-01T10:01:00.000Z' }));
    await appendAuditEntry(auditLogPath(root, 'reviewer'), entry({ agent: 'reviewer', tool: 'Grep', durationMs: 5 }));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('is listed in the CLI help', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.stdout, /^\s+audit\s+summarise the tool-call audit log/m);
  });

  it('summarises every agent\'s log under the root', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['audit'], io), 0, io.stderr);
    assert.match(io.stdout, /^devops-engineer: 3 tool calls from 2025-03-01T10:00:00\.000Z to 2025-03-01T10:01:00\.000Z/m);
    assert.match(io.stdout, /decisions: allow 1, ask 1, deny 1; outcomes: ok 2, refused 1; approved by: rule 1, user 1/);
    assert.match(io.stdout, /time: 1\.5 s; result bytes: 300; secrets redacted: 0/);
    assert.match(io.stdout, /^\s+tool\s+calls\s+allow\s+ask\s+deny\s+ok\s+error\s+refused\s+cancelled\s+time$/m);
    assert.match(io.stdout, /^\s+Bash\s+1\s+1\s+0\s+0\s+1\s+0\s+0\s+0\s+1\.5 s$/m);
    assert.match(io.stdout, /refused calls: 1\n\s+line 3\s+2025-03-01T10:01:00\.000Z\s+Read\s+Read \{"path":"\.env"\}/);
    assert.match(io.stdout, /^reviewer: 1 tool call from/m);
  });

  it('limits to one agent with --agent and prints JSON with --json', async () => {
    const io = bufferIo(path.dirname(root));
    assert.equal(await runCli(['audit', '--root', path.basename(root), '--agent', 'reviewer', '--json'], io), 0, io.stderr);
    const parsed = JSON.parse(io.stdout) as { root: string; logs: { agent: string; file: string; summary: { calls: number; byTool: Record<string, unknown> } }[] };
    assert.equal(parsed.root, root);
    assert.deepEqual(parsed.logs.map((l) => l.agent), ['reviewer']);
    assert.equal(parsed.logs[0]?.summary.calls, 1);
    assert.deepEqual(Object.keys(parsed.logs[0]?.summary.byTool ?? {}), ['Grep']);
  });

  it('summarises a log kept elsewhere with --file', async () => {
    const elsewhere = path.join(root, 'storage', 'audit.jsonl');
    await appendAuditEntry(elsewhere, entry({ tool: 'Docker' }));
    const io = bufferIo(root);
    assert.equal(await runCli(['audit', '--file', elsewhere, '--agent', 'devops-engineer'], io), 0, io.stderr);
    assert.match(io.stdout, /^devops-engineer: 1 tool call/m);
    assert.match(io.stdout, /Docker/);
  });

  it('exits 1 and lists malformed lines', async () => {
    const file = path.join(root, 'broken', 'audit.jsonl');
    await appendAuditEntry(file, entry({}));
    fs.appendFileSync(file, '{"time": "half a line\n');
    const io = bufferIo(root);
    assert.equal(await runCli(['audit', '--file', file], io), 1);
    assert.match(io.stdout, /malformed lines: 1\n\s+line 2: not valid JSON/);
  });

  it('says so when there are no logs', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-empty-'));
    try {
      const io = bufferIo(empty);
      assert.equal(await runCli(['audit'], io), 0);
      assert.match(io.stdout, /No audit logs under .*no tool calls have been audited yet/);
      const json = bufferIo(empty);
      assert.equal(await runCli(['audit', '--json'], json), 0);
      assert.deepEqual((JSON.parse(json.stdout) as { logs: unknown[] }).logs, []);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('gives usage errors (exit 2) for a missing agent log, a bad agent name, a missing root and unknown options', async () => {
    const cases: [string[], RegExp][] = [
      [['audit', '--agent', 'nobody'], /no audit log for agent 'nobody'/],
      [['audit', '--agent', '../x'], /cannot name a folder/],
      [['audit', '--root', 'does-not-exist'], /is not a folder/],
      [['audit', '--file', 'nope.jsonl'], /--file .*nope\.jsonl does not exist/],
      [['audit', '--frobnicate'], /Unknown option '--frobnicate'/],
    ];
    for (const [args, message] of cases) {
      const io = bufferIo(root);
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.match(io.stderr, message);
    }
  });

  it('prints its own help', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['audit', '--help'], io), 0);
    assert.match(io.stdout, /Usage: devops-agent audit \[--root DIR\] \[--agent NAME\]/);
  });
});
