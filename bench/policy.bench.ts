// Policy costs paid on every tool call: secret redaction of 1 MB of tool output (realistic and adversarial), the
// no-mock scan of 1 MB of source, permission decisions, and audit appends against a raw appendFile.
//   node scripts/build-tests.mjs && node out/bench/policy.bench.js
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AuditEntry } from '../src/core/policy/auditLog';
import { appendAuditEntry } from '../src/core/policy/auditLog';
import { findPlaceholderCode } from '../src/core/policy/noMockGuard';
import { decidePermission, parsePermissionRules } from '../src/core/policy/permissions';
import { redactSecrets } from '../src/core/policy/redactSecrets';
import { median, printBenchFigure } from './benchFigure';

const MB = 1 << 20;
const RUNS = 7;

function time(fn: () => void): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

async function timeAsync(fn: () => Promise<void>): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

/** Build-log-like output with a credential every few hundred lines, built at run time. */
function toolOutput(): string {
  const lines: string[] = [];
  let size = 0;
  let i = 0;
  while (size < MB) {
    const h = createHash('sha256').update(String(i)).digest('hex');
    switch (i % 8) {
      case 0: lines.push(`#${i} [build 3/7] RUN npm ci --omit=dev  # layer sha256:${h}`); break;
      case 1: lines.push(`{"level":"info","ts":"2025-01-01T00:00:${String(i % 60).padStart(2, '0')}Z","msg":"request done","request_id":"${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}","latency_ms":${i % 300}}`); break;
      case 2: lines.push(`commit ${h.slice(0, 40)} Merge pull request #${i} from org/feature-${i}`); break;
      case 3: lines.push(`  "integrity": "sha512-${Buffer.from(h, 'hex').toString('base64')}",`); break;
      case 4: lines.push(`ENV_${i}=value-${i} PATH=/usr/local/bin:/usr/bin HOME=/home/runner`); break;
      case 5: lines.push(i % 200 === 5 ? `GITHUB_TOKEN=ghp_${Buffer.from(h, 'hex').toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(36, 'x').slice(0, 36)}` : `Step ${i}: docker push registry.example.com/app:${h.slice(0, 12)}`); break;
      case 6: lines.push(i % 300 === 6 ? `  password: "${Buffer.from(h, 'hex').toString('base64').slice(0, 20)}"` : `  image: node:20-alpine@sha256:${h}`); break;
      default: lines.push(`ok ${i} - test/unit/core/policy/case-${i}.test.js (${i % 97} ms)`);
    }
    size += (lines[lines.length - 1] as string).length + 1;
    i += 1;
  }
  return lines.join('\n');
}

function sourceMegabyte(): string {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) files.push(fs.readFileSync(full, 'utf8'));
    }
  };
  walk(path.resolve(__dirname, '..', '..', 'src'));
  const all = files.join('\n');
  return all.repeat(Math.ceil(MB / Math.max(1, all.length))).slice(0, MB);
}

async function main(): Promise<void> {
  const output = toolOutput();
  const redactMs = time(() => { redactSecrets(output); });
  printBenchFigure({ name: 'redactSecrets 1 MB build output', unit: 'ms', ours: redactMs, goal: '<= 100 ms per MB' });

  const adversarial = ['eyJa.', 'password=', 'token: "', 'https://a:', '-----BEGIN EC PRIVATE KEY-----\n'];
  let worst = 0;
  for (const unit of adversarial) {
    const text = unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    worst = Math.max(worst, time(() => { redactSecrets(text); }));
  }
  printBenchFigure({ name: 'redactSecrets 1 MB adversarial input (worst of 5)', unit: 'ms', ours: worst, goal: '<= 250 ms per MB' });

  const source = sourceMegabyte();
  const scanMs = time(() => { findPlaceholderCode('src/bench.ts', source); });
  printBenchFigure({ name: 'findPlaceholderCode 1 MB TypeScript', unit: 'ms', ours: scanMs, goal: '<= 150 ms per MB' });

  const { rules } = parsePermissionRules({
    allow: [...Array.from({ length: 40 }, (_, i) => `Bash(tool${i} *)`), 'Bash(npm test*)', 'Write(src/**)', 'Git(commit*)'],
    ask: ['Bash(git push*)', 'Docker(run*)'],
    deny: ['Bash(rm -rf*)', 'Read(**/.env*)', 'Write(.github/**)', 'Bash(curl *|*sh)'],
  }, 'bench');
  const calls = [
    { tool: 'Bash', risk: 'execute' as const, subject: 'npm test -- --grep "policy" 2>&1 | tee out.log && echo "$(date)"', paths: [] },
    { tool: 'Write', risk: 'write' as const, subject: 'src/core/policy/x.ts', paths: ['src/core/policy/x.ts'] },
    { tool: 'Read', risk: 'read' as const, subject: 'config/.env.local', paths: ['config/.env.local'] },
    { tool: 'Git', risk: 'write' as const, subject: 'commit src/a.ts', paths: ['src/a.ts'] },
  ];
  const decisions = 20_000;
  const decideMs = time(() => { for (let i = 0; i < decisions; i += 1) decidePermission(rules, calls[i % calls.length] as (typeof calls)[number]); });
  printBenchFigure({ name: 'decidePermission with 49 rules', unit: 'µs/call', ours: (decideMs * 1000) / decisions, goal: '<= 50 µs per call' });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-bench-'));
  try {
    const entry: AuditEntry = {
      time: new Date().toISOString(), agent: 'devops-engineer', tool: 'Bash', input: `Bash {"command":"npm test ${'x'.repeat(300)}"}`,
      decision: 'allow', approvedBy: 'rule', outcome: 'ok', durationMs: 1234, bytes: 5678, redactions: 0,
    };
    const appends = 500;
    const ours = await timeAsync(async () => { for (let i = 0; i < appends; i += 1) await appendAuditEntry(path.join(dir, 'ours.jsonl'), entry); });
    const raw = await timeAsync(async () => {
      for (let i = 0; i < appends; i += 1) await fs.promises.appendFile(path.join(dir, 'raw.jsonl'), `${JSON.stringify(entry)}\n`);
    });
    printBenchFigure({ name: 'appendAuditEntry (vs raw fs.appendFile of the same line)', unit: 'µs/append', ours: (ours * 1000) / appends, reference: (raw * 1000) / appends, goal: '<= 2x' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void main();
