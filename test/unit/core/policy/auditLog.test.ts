import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AuditEntry } from '../../../../src/core/policy/auditLog';
import {
  appendAuditEntry, auditLogPath, boundAuditInput, findAuditLogs, MAX_AUDIT_INPUT_CHARS, parseAuditLine, summarizeAudit,
} from '../../../../src/core/policy/auditLog';

const COMPILED_AUDIT_LOG = path.resolve(__dirname, '..', '..', '..', '..', 'src', 'core', 'policy', 'auditLog.js');

function entry(overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    time: '2025-01-02T03:04:05.000Z', agent: 'devops-engineer', tool: 'Bash', input: 'Bash {"command":"npm test"}',
    decision: 'allow', approvedBy: 'rule', outcome: 'ok', durationMs: 1200, bytes: 512, redactions: 0, ...overrides,
  };
}

function runNode(script: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('core/policy/auditLog', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('puts the log in docs/ai/agents/<agent>/audit.jsonl and refuses unsafe agent names', () => {
    assert.equal(auditLogPath('/ws', 'devops-engineer'), path.join('/ws', 'docs', 'ai', 'agents', 'devops-engineer', 'audit.jsonl'));
    assert.throws(() => auditLogPath('/ws', '../escape'), /cannot name a folder/);
  });

  it('appends one JSON line per call, creating folders', async () => {
    const file = auditLogPath(dir, 'one');
    await appendAuditEntry(file, entry());
    await appendAuditEntry(file, entry({ tool: 'Write', decision: 'ask', approvedBy: 'user', outcome: 'error' }));
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[2], '');
    assert.deepEqual(JSON.parse(lines[0] as string), entry());
    assert.equal((JSON.parse(lines[1] as string) as AuditEntry).tool, 'Write');
  });

  it('redacts and bounds the input it stores, and rounds numbers', async () => {
    const file = path.join(dir, 'bounded', 'audit.jsonl');
    const token = `ghp_${'A1b2C3d4'.repeat(5).slice(0, 36)}`;
    await appendAuditEntry(file, entry({ input: `Bash {"command":"curl -H 'Authorization: token ${token}' x ${'y'.repeat(2000)}"}`, durationMs: 12.6 }));
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as AuditEntry;
    assert.ok(!stored.input.includes(token));
    assert.match(stored.input, /\[REDACTED:github-token\]/);
    assert.equal(stored.input.length, MAX_AUDIT_INPUT_CHARS);
    assert.ok(stored.input.endsWith('…'));
    assert.equal(stored.durationMs, 13);
    assert.deepEqual(boundAuditInput('  a\n  b  '), { text: 'a b', redactions: 0 });
  });

  it('keeps every line whole with 50 writer processes appending at once', async function () {
    this.timeout(120_000);
    const file = path.join(dir, 'concurrent', 'audit.jsonl');
    const writers = 50;
    const perWriter = 20;
    const startAt = Date.now() + 2_000;
    const script = `
      const { appendAuditEntry } = require(process.argv[1]);
      const [file, writer, count, startAt] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
      const pad = 'x'.repeat(380);
      setTimeout(async () => {
        await Promise.all(Array.from({ length: count }, (_, seq) => appendAuditEntry(file, {
          time: new Date().toISOString(), agent: 'a', tool: 'Bash', input: 'w' + writer + '-' + seq + ' ' + pad,
          decision: 'allow', approvedBy: 'rule', outcome: 'ok', durationMs: seq, bytes: 10, redactions: 0,
        })));
      }, Math.max(0, startAt - Date.now()));
    `;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, w) => runNode(script, [COMPILED_AUDIT_LOG, file, String(w), String(perWriter), String(startAt)])),
    );
    for (const r of results) assert.equal(r.code, 0, r.stderr);

    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.endsWith('\n'));
    const lines = text.slice(0, -1).split('\n');
    assert.equal(lines.length, writers * perWriter);
    const seen = new Set<string>();
    for (const line of lines) {
      const parsed = parseAuditLine(line);
      assert.ok(typeof parsed !== 'string', `line is not an entry: ${line.slice(0, 80)}`);
      seen.add(parsed.input.split(' ')[0] as string);
    }
    assert.equal(seen.size, writers * perWriter);
    assert.equal(summarizeAudit(text).problems.length, 0);
  });

  describe('parseAuditLine', () => {
    it('accepts a well-formed entry', () => {
      assert.deepEqual(parseAuditLine(JSON.stringify(entry())), entry());
    });

    const bad: [string, string, RegExp][] = [
      ['truncated JSON', '{"time":"x",', /not valid JSON/],
      ['an array', '[1,2]', /not a JSON object/],
      ['a missing tool', JSON.stringify({ ...entry(), tool: undefined }), /"tool" must be a string/],
      ['an unknown decision', JSON.stringify({ ...entry(), decision: 'maybe' }), /"decision" must be one of allow, ask, deny/],
      ['an unknown outcome', JSON.stringify({ ...entry(), outcome: 'meh' }), /"outcome" must be one of/],
      ['an unknown approval', JSON.stringify({ ...entry(), approvedBy: 'boss' }), /"approvedBy" must be one of/],
      ['a negative duration', JSON.stringify({ ...entry(), durationMs: -1 }), /"durationMs" must be a non-negative number/],
      ['a string byte count', JSON.stringify({ ...entry(), bytes: '12' }), /"bytes" must be a non-negative number/],
    ];
    for (const [name, line, message] of bad) {
      it(`rejects ${name}`, () => {
        const parsed = parseAuditLine(line);
        assert.equal(typeof parsed, 'string');
        assert.match(parsed as string, message);
      });
    }
  });

  describe('summarizeAudit', () => {
    const lines = [
      JSON.stringify(entry({ tool: 'Bash', durationMs: 1000 })),
      JSON.stringify(entry({ tool: 'Bash', decision: 'ask', approvedBy: 'user', outcome: 'error', durationMs: 500, time: '2025-01-02T03:05:00.000Z' })),
      '',
      'this is not json',
      JSON.stringify(entry({ tool: 'Write', decision: 'deny', approvedBy: undefined, outcome: 'refused', durationMs: 0, bytes: 80, input: 'Write {"path":".env"}', time: '2025-01-01T00:00:00.000Z' })),
      JSON.stringify(entry({ tool: 'Docker', decision: 'ask', approvedBy: 'cli --yes', outcome: 'cancelled', durationMs: 250, redactions: 2 })),
      '{"time":',
    ];

    it('counts per tool, decision, outcome and approval, with total time', () => {
      const s = summarizeAudit(lines.join('\n'));
      assert.equal(s.calls, 4);
      assert.deepEqual(s.decisions, { allow: 1, ask: 2, deny: 1 });
      assert.deepEqual(s.outcomes, { ok: 1, error: 1, refused: 1, cancelled: 1 });
      assert.deepEqual(s.approvals, { rule: 1, user: 1, 'cli --yes': 1, session: 0 });
      assert.equal(s.totalDurationMs, 1750);
      assert.equal(s.redactions, 2);
      assert.deepEqual(Object.keys(s.byTool).sort(), ['Bash', 'Docker', 'Write']);
      assert.equal(s.byTool.Bash?.calls, 2);
      assert.equal(s.byTool.Bash?.totalDurationMs, 1500);
      assert.deepEqual(s.byTool.Write?.outcomes, { ok: 0, error: 0, refused: 1, cancelled: 0 });
      assert.equal(s.firstTime, '2025-01-01T00:00:00.000Z');
      assert.equal(s.lastTime, '2025-01-02T03:05:00.000Z');
    });

    it('lists refused calls with their line numbers', () => {
      const s = summarizeAudit(lines);
      assert.deepEqual(s.refused, [{ line: 5, time: '2025-01-01T00:00:00.000Z', agent: 'devops-engineer', tool: 'Write', input: 'Write {"path":".env"}' }]);
    });

    it('reports malformed lines as problems with line numbers and skips blank lines', () => {
      const s = summarizeAudit(lines);
      assert.deepEqual(s.problems, [{ line: 4, message: 'not valid JSON' }, { line: 7, message: 'not valid JSON' }]);
    });

    it('summarises an empty log', () => {
      const s = summarizeAudit('');
      assert.equal(s.calls, 0);
      assert.deepEqual(s.problems, []);
      assert.equal(s.firstTime, undefined);
    });
  });

  it('finds every agent\'s audit log under a root', async () => {
    const root = fs.mkdtempSync(path.join(dir, 'root-'));
    await appendAuditEntry(auditLogPath(root, 'zeta'), entry());
    await appendAuditEntry(auditLogPath(root, 'alpha'), entry());
    fs.mkdirSync(path.join(root, 'docs', 'ai', 'agents', 'no-log'), { recursive: true });
    const found = await findAuditLogs(root);
    assert.deepEqual(found.map((f) => f.agent), ['alpha', 'zeta']);
    assert.equal(found[0]?.file, auditLogPath(root, 'alpha'));
    assert.deepEqual(await findAuditLogs(path.join(root, 'missing')), []);
  });
});
