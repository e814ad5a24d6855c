import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describePlaceholderHits, findIntroducedPlaceholderCode, findPlaceholderCode, isExemptPath } from '../../../../src/core/policy/noMockGuard';

// Compiled tests live in out/test/unit/core/policy/.
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
// Marker words are assembled so this file carries no to-do marker of its own.
const TODO = ['TO', 'DO'].join('');
const FIXME = ['FIX', 'ME'].join('');

interface BadCase {
  readonly name: string;
  readonly path: string;
  readonly code: string;
  readonly rule: string;
  readonly line: number;
}

const BAD: readonly BadCase[] = [
  { name: 'TS throw not implemented', path: 'src/deploy.ts', rule: 'not-implemented', line: 2, code: `export async function deploy(): Promise<void> {\n  throw new Error('Not implemented');\n}\n` },
  { name: 'JS throw not yet implemented', path: 'lib/x.js', rule: 'not-implemented', line: 1, code: `function f() { throw new Error("not yet implemented: rollback"); }\n` },
  { name: `TS throw ${TODO}`, path: 'src/a.ts', rule: 'not-implemented', line: 1, code: `const run = () => { throw new Error('${TODO}'); };\n` },
  { name: 'Go panic not implemented', path: 'cmd/main.go', rule: 'not-implemented', line: 2, code: `func Deploy() error {\n\tpanic("not implemented")\n}\n` },
  { name: 'Python bare NotImplementedError', path: 'app/service.py', rule: 'not-implemented', line: 3, code: `class Deployer:\n    def deploy(self):\n        raise NotImplementedError\n` },
  { name: 'Python NotImplementedError with a to-do message', path: 'app/x.py', rule: 'not-implemented', line: 2, code: `def scale(n):\n    raise NotImplementedError("${TODO}: call the cloud API")\n` },
  { name: `${TODO}: implement comment (TS)`, path: 'src/b.ts', rule: 'todo-implement', line: 2, code: `export function health(): boolean {\n  // ${TODO}: implement real health check\n  return true;\n}\n` },
  { name: `${FIXME} implement comment (Python)`, path: 'b.py', rule: 'todo-implement', line: 2, code: `def f():\n    # ${FIXME} implement\n    return compute()\n` },
  { name: `${TODO}(owner): implement comment (Go)`, path: 'b.go', rule: 'todo-implement', line: 1, code: `// ${TODO}(ada): implement retries\nfunc f() {}\n` },
  { name: 'implement later comment (shell)', path: 'deploy.sh', rule: 'todo-implement', line: 2, code: `#!/bin/sh\n# implement later\nkubectl apply -f k8s/\n` },
  { name: 'Python pass with a placeholder comment', path: 'svc.py', rule: 'pass-placeholder', line: 3, code: `def collect_metrics():\n    # placeholder until the exporter exists\n    pass\n` },
  { name: `Python pass with ${TODO} on the def line`, path: 'svc.py', rule: 'pass-placeholder', line: 3, code: `def rollback(release):  # ${TODO}\n    """Roll back a release."""\n    pass\n` },
  { name: 'Python return literal marked dummy', path: 'm.py', rule: 'hardcoded-return', line: 2, code: `def cpu_usage():\n    return 42.5  # dummy value\n` },
  { name: 'TS return literal marked hardcoded', path: 'src/m.ts', rule: 'hardcoded-return', line: 2, code: `export function replicas(): number {\n  return 3; // hardcoded for the demo\n}\n` },
  { name: 'Go return literal after a fake comment', path: 'm.go', rule: 'hardcoded-return', line: 3, code: `func Latency() float64 {\n\t// fake latency until we measure\n\treturn 12.5\n}\n` },
  { name: 'TS return literal "for now"', path: 'src/m.ts', rule: 'hardcoded-return', line: 2, code: `function status() {\n  return { healthy: true }; // for now\n}\n` },
  { name: 'faker import (JS)', path: 'src/seed.ts', rule: 'fake-data-generator', line: 1, code: `import { faker } from '@faker-js/faker';\n` },
  { name: 'faker use (Python)', path: 'report.py', rule: 'fake-data-generator', line: 1, code: `from faker import Faker\n` },
  { name: 'Math.random() as a metric', path: 'src/metrics.ts', rule: 'random-metric', line: 2, code: `export function sample() {\n  return { cpuPercent: Math.random() * 100, host: os.hostname() };\n}\n` },
  { name: 'Math.random() assigned to latency', path: 'src/metrics.ts', rule: 'random-metric', line: 1, code: `const latencyMs = Math.floor(Math.random() * 250);\n` },
  { name: 'random.randint for a metric (Python)', path: 'mon.py', rule: 'random-metric', line: 1, code: `memory_usage = random.randint(100, 900)\n` },
  { name: 'gauge set from random (Python)', path: 'mon.py', rule: 'random-metric', line: 1, code: `request_gauge.set(random.random() * 10)\n` },
  { name: 'rand for a metric (Go)', path: 'mon.go', rule: 'random-metric', line: 1, code: `cpuUsage := rand.Float64() * 100\n` },
  { name: 'setTimeout to simulate a deployment', path: 'src/deploy.ts', rule: 'simulated-work', line: 2, code: `// Simulate the deployment taking a while\nawait new Promise((r) => setTimeout(r, 2000));\n` },
  { name: 'time.sleep simulating work (Python)', path: 'deploy.py', rule: 'simulated-work', line: 1, code: `time.sleep(3)  # pretend to build the image\n` },
  { name: 'time.Sleep simulating a request (Go)', path: 'x.go', rule: 'simulated-work', line: 1, code: `time.Sleep(2 * time.Second) // simulate network latency\n` },
  { name: 'sleep simulating work (shell)', path: 'run.sh', rule: 'simulated-work', line: 3, code: `#!/bin/bash\n# simulate the migration\nsleep 5\n` },
  { name: 'range loop pretending to be instances (Python)', path: 'cluster.py', rule: 'simulated-instances', line: 2, code: `# simulate 5 worker nodes\nfor i in range(5):\n    workers.append({"id": i, "status": "running"})\n` },
  { name: 'for loop faking replicas (TS)', path: 'src/cluster.ts', rule: 'simulated-instances', line: 1, code: `for (let i = 0; i < replicas; i++) { // fake instances\n  pods.push({ name: \`pod-\${i}\`, ready: true });\n}\n` },
  { name: 'echo a to-do and exit 0 (shell)', path: 'scripts/backup.sh', rule: 'echo-stub', line: 2, code: `#!/bin/sh\necho "${TODO}: backup not implemented"\nexit 0\n` },
  { name: 'echo stub on one line (shell)', path: 'hook', rule: 'echo-stub', line: 2, code: `#!/usr/bin/env bash\necho "placeholder step"; exit 0\n` },
  { name: 'Fake class in source (TS)', path: 'src/registry.ts', rule: 'mock-in-source', line: 1, code: `export class FakeRegistryClient {\n  push(): void {}\n}\n` },
  { name: 'mock variable in source (TS)', path: 'src/api.ts', rule: 'mock-in-source', line: 1, code: `const mockResponse = { status: 200, body: '{}' };\n` },
  { name: 'jest.fn in source (JS)', path: 'lib/send.js', rule: 'mock-in-source', line: 1, code: `const send = jest.fn();\n` },
  { name: 'Mock class in source (Python)', path: 'app/k8s.py', rule: 'mock-in-source', line: 1, code: `class MockKubeClient:\n    def apply(self, manifest):\n        return True\n` },
  { name: 'unittest.mock in source (Python)', path: 'app/k8s.py', rule: 'mock-in-source', line: 1, code: `from unittest.mock import MagicMock\n` },
  { name: 'fake struct in source (Go)', path: 'pkg/store.go', rule: 'mock-in-source', line: 1, code: `type fakeStore struct{ items map[string]string }\n` },
  { name: 'shebang-only Python script', path: 'bin/collect', rule: 'random-metric', line: 2, code: `#!/usr/bin/env python3\nlatency = random.uniform(10, 50)\n` },
];

const GOOD: readonly { name: string; path: string; code: string }[] = [
  {
    name: 'TS health check measuring real latency',
    path: 'src/health.ts',
    code: [
      "import { performance } from 'node:perf_hooks';",
      'export async function probe(url: string): Promise<{ ok: boolean; latencyMs: number }> {',
      '  const started = performance.now();',
      '  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });',
      '  const latencyMs = performance.now() - started;',
      '  return { ok: response.ok, latencyMs };',
      '}',
      '// Jitter spreads retries so many clients do not hit the server in lockstep.',
      'export function backoff(attempt: number): number {',
      '  const delayMs = 100 * 2 ** attempt * (0.5 + Math.random());',
      '  return Math.min(delayMs, 30_000);',
      '}',
      'export async function waitForReady(check: () => Promise<boolean>): Promise<void> {',
      '  for (let i = 0; i < 30; i++) {',
      '    if (await check()) return;',
      '    await new Promise((resolve) => setTimeout(resolve, backoff(i)));',
      '  }',
      "  throw new Error('service did not become ready in 30 attempts');",
      '}',
    ].join('\n'),
  },
  {
    name: 'Python metrics from psutil and an abstract base class',
    path: 'agent/metrics.py',
    code: [
      'import abc',
      'import random',
      'import time',
      'import psutil',
      '',
      'class Collector(abc.ABC):',
      '    @abc.abstractmethod',
      '    def collect(self) -> dict:',
      '        raise NotImplementedError',
      '',
      'class Exporter:',
      '    def export(self, sample):',
      '        raise NotImplementedError("subclasses must send the sample somewhere")',
      '',
      'class StdoutExporter(Exporter):',
      '    def export(self, sample):',
      '        print(sample)',
      '',
      'class HostCollector(Collector):',
      '    def collect(self) -> dict:',
      '        cpu_usage = psutil.cpu_percent(interval=1)',
      '        memory_usage = psutil.virtual_memory().percent',
      '        return {"cpu": cpu_usage, "memory": memory_usage, "time": time.time()}',
      '',
      'def pick_mirror(mirrors):',
      '    return random.choice(mirrors)',
      '',
      'def windows_path():',
      '    if os.name == "nt":',
      '        raise NotImplementedError("service accounts are not supported on Windows")',
      '    return "/var/run"',
      '',
      'def noop_signal_handler(signum, frame):',
      '    # Installed so SIGTERM reaches the finally blocks instead of killing the process.',
      '    pass',
      '',
      'for i in range(retries):',
      '    if try_connect():',
      '        break',
      '    time.sleep(2 ** i)  # back off before the next attempt',
    ].join('\n'),
  },
  {
    name: 'Go service with retries',
    path: 'internal/deploy/rollout.go',
    code: [
      'package deploy',
      '',
      'import ("fmt"; "math/rand"; "time")',
      '',
      'func WaitRollout(check func() (bool, error)) error {',
      '\tfor i := 0; i < 60; i++ {',
      '\t\tready, err := check()',
      '\t\tif err != nil {',
      '\t\t\treturn fmt.Errorf("rollout check: %w", err)',
      '\t\t}',
      '\t\tif ready {',
      '\t\t\treturn nil',
      '\t\t}',
      '\t\ttime.Sleep(time.Duration(500+rand.Intn(500)) * time.Millisecond)',
      '\t}',
      '\treturn fmt.Errorf("rollout did not finish")',
      '}',
    ].join('\n'),
  },
  {
    name: 'shell deploy script waiting for a service',
    path: 'scripts/deploy.sh',
    code: [
      '#!/usr/bin/env bash',
      'set -euo pipefail',
      'docker compose up -d --build',
      'for i in $(seq 1 30); do',
      '  if curl -fsS http://localhost:8080/healthz >/dev/null; then',
      '    echo "service is up"',
      '    exit 0',
      '  fi',
      '  sleep 2',
      'done',
      'echo "service did not start" >&2',
      'exit 1',
    ].join('\n'),
  },
];

describe('core/policy/noMockGuard', () => {
  describe('catches placeholder code', () => {
    for (const c of BAD) {
      it(c.name, () => {
        const hits = findPlaceholderCode(c.path, c.code);
        assert.equal(hits.length, 1, JSON.stringify(hits, null, 2));
        const hit = hits[0];
        assert.equal(hit?.rule, c.rule);
        assert.equal(hit?.line, c.line);
        assert.equal(hit?.excerpt, (c.code.split('\n')[c.line - 1] as string).trim());
        assert.match(hit?.explanation ?? '', /Cannot implement: <reason>/);
      });
    }
  });

  describe('leaves real code alone', () => {
    for (const c of GOOD) {
      it(c.name, () => assert.deepEqual(findPlaceholderCode(c.path, c.code), []));
    }

    it('finds nothing in this repository\'s own src/ and scripts/', function () {
      const files: string[] = [];
      const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, entry.name);
          if (entry.isDirectory()) walk(full);
          else if (entry.isFile()) files.push(full);
        }
      };
      for (const top of ['src', 'scripts']) {
        if (!fs.existsSync(path.join(REPO_ROOT, top))) this.skip();
        walk(path.join(REPO_ROOT, top));
      }
      const self = path.join(REPO_ROOT, 'src', 'core', 'policy', 'noMockGuard.ts');
      assert.ok(files.includes(self), 'the guard scans its own source too');
      const hits = files.flatMap((file) => {
        const relative = path.relative(REPO_ROOT, file).split(path.sep).join('/');
        return findPlaceholderCode(relative, fs.readFileSync(file, 'utf8')).map((h) => `${relative}:${h.line} ${h.rule} ${h.excerpt}`);
      });
      assert.deepEqual(hits, []);
    });
  });

  describe('exempt paths', () => {
    const mockClass = 'export class FakeRegistryClient {}\n';
    const exempt = [
      'test/unit/a.ts', 'tests/x.py', 'src/__tests__/a.js', 'src/__mocks__/fs.ts', 'pkg/mocks/store.go', 'test/fixtures/a.ts',
      'pkg/testdata/x.go', 'spec/a.js', 'e2e/a.ts', 'src/a.test.ts', 'src/a.spec.js', 'pkg/a_test.go', 'app/test_a.py', 'app/a_test.py',
      'conftest.py', 'types/a.d.ts', 'stubs/a.pyi', 'C:\\repo\\tests\\a.ts',
    ];
    for (const p of exempt) {
      it(`exempts ${p}`, () => {
        assert.ok(isExemptPath(p));
        assert.deepEqual(findPlaceholderCode(p, mockClass), []);
      });
    }

    it('does not exempt look-alike names', () => {
      for (const p of ['src/testing-utils.ts', 'src/contest.ts', 'src/latest/a.ts', 'src/attestation.py']) {
        assert.ok(!isExemptPath(p), p);
        assert.equal(findPlaceholderCode(p.replace(/\.py$/, '.ts'), mockClass).length, 1, p);
      }
    });

    it('ignores languages it does not check', () => {
      assert.deepEqual(findPlaceholderCode('README.md', `# ${TODO}: implement\nclass FakeX {}\n`), []);
      assert.deepEqual(findPlaceholderCode('Dockerfile', 'RUN echo "TODO"; exit 0\n'), []);
    });
  });

  describe('findIntroducedPlaceholderCode', () => {
    const before = `export function a() {\n  throw new Error('not implemented');\n}\n`;

    it('reports nothing when an edit keeps existing hits', () => {
      const after = `${before}export function b(): number {\n  return 1 + 1;\n}\n`;
      assert.deepEqual(findIntroducedPlaceholderCode('src/x.ts', before, after), []);
    });

    it('reports what the edit adds', () => {
      const after = `${before}export function b() {\n  throw new Error('not implemented');\n}\n`;
      const hits = findIntroducedPlaceholderCode('src/x.ts', before, after);
      assert.equal(hits.length, 1);
      assert.equal(hits[0]?.line, 5);
    });

    it('treats a new file as all new', () => {
      assert.equal(findIntroducedPlaceholderCode('src/x.ts', undefined, before).length, 1);
    });
  });

  it('describes hits for the model', () => {
    const hits = findPlaceholderCode('src/deploy.ts', `const mockX = 1;\nconst mockY = 2;\n`);
    const text = describePlaceholderHits('src/deploy.ts', hits);
    assert.match(text, /^- src\/deploy\.ts:1 \(mock-in-source\): `const mockX = 1;`\n- src\/deploy\.ts:2 /);
    assert.equal(text.match(/mock-in-source: /g)?.length, 1, 'each explanation once');
  });
});
