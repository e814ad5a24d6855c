// Cost of the OS sandbox per Bash command: the Bash tool with the sandbox (bubblewrap, secret scan, proxy when hosts
// are allowed) against the same command run unsandboxed in the same run, in a small workspace and in this repository.
// Goal (issue #15): at most 50 ms more per call once warm.
//   node scripts/build-tests.mjs && node out/bench/sandbox.bench.js
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { probeSandbox } from '../src/core/sandbox/sandboxAvailability';
import type { SandboxSettings } from '../src/core/sandbox/sandboxSettings';
import { bashTool } from '../src/core/tools/shell/bash';
import { processToolContext } from '../test/unit/core/tools/processToolContext';
import { median, printBenchFigure } from './benchFigure';

const RUNS = 25;
const GOAL_MS = 50;
const COMMAND = 'echo built > out.txt && cat out.txt >/dev/null';

/** The command as a plain child process, the way it runs without any tool around it. */
function rawBash(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', COMMAND], { cwd, stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve());
  });
}

async function toolRun(root: string, sandbox: SandboxSettings, command = COMMAND): Promise<void> {
  const result = await bashTool.run(bashTool.parse({ command }), processToolContext([root], { environment: { sandbox } }));
  if (!result.ok) throw new Error(`the bench command failed:\n${result.text}`);
}

async function main(): Promise<void> {
  const availability = await probeSandbox(true);
  if (!availability.ok) {
    console.log(`sandbox bench skipped: ${availability.why} (${availability.fix})`);
    return;
  }
  const small = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-bench-')));
  const repository = path.resolve('.');
  const off: SandboxSettings = { enabled: false, allowedHosts: [] };
  const on: SandboxSettings = { enabled: true, allowedHosts: [] };
  const proxied: SandboxSettings = { enabled: true, allowedHosts: ['registry.npmjs.org'] };
  try {
    const coldStarted = performance.now();
    await toolRun(small, on);
    const cold = performance.now() - coldStarted;
    // the variants take turns within each round, so a busy machine (shared by several people) slows all alike
    const samples = { raw: [] as number[], unsandboxed: [] as number[], sandboxed: [] as number[], withProxy: [] as number[], repoOff: [] as number[], repoOn: [] as number[] };
    const variants: [keyof typeof samples, () => Promise<void>][] = [
      ['raw', () => rawBash(small)],
      ['unsandboxed', () => toolRun(small, off)],
      ['sandboxed', () => toolRun(small, on)],
      ['withProxy', () => toolRun(small, proxied)],
      ['repoOff', () => toolRun(repository, off, 'true')],
      ['repoOn', () => toolRun(repository, on, 'true')],
    ];
    for (let round = 0; round < RUNS; round += 1) {
      for (const [name, run] of variants) {
        const started = performance.now();
        await run();
        samples[name].push(performance.now() - started);
      }
    }
    const raw = median(samples.raw);
    const unsandboxed = median(samples.unsandboxed);
    const sandboxed = median(samples.sandboxed);
    const withProxy = median(samples.withProxy);
    const repoOff = median(samples.repoOff);
    const repoOn = median(samples.repoOn);
    const verdict = (overhead: number): string => `overhead <= ${GOAL_MS} ms once warm (measured +${overhead.toFixed(1)} ms)`;
    printBenchFigure({ name: 'Bash sandbox: first call (probe + sandbox)', unit: 'ms', ours: cold, reference: unsandboxed, goal: 'informational (cold)' });
    printBenchFigure({ name: 'Bash unsandboxed per call (vs raw bash -c)', unit: 'ms', ours: unsandboxed, reference: raw, goal: 'informational' });
    printBenchFigure({ name: 'Bash sandboxed per call, warm', unit: 'ms', ours: sandboxed, reference: unsandboxed, goal: verdict(sandboxed - unsandboxed) });
    printBenchFigure({ name: 'Bash sandboxed + allow-list proxy, warm', unit: 'ms', ours: withProxy, reference: unsandboxed, goal: verdict(withProxy - unsandboxed) });
    printBenchFigure({ name: 'Bash sandboxed in this repository, warm', unit: 'ms', ours: repoOn, reference: repoOff, goal: verdict(repoOn - repoOff) });
    console.log(`sandbox overhead per call: ${(sandboxed - unsandboxed).toFixed(1)} ms (small workspace), ` +
      `${(withProxy - unsandboxed).toFixed(1)} ms (with proxy), ${(repoOn - repoOff).toFixed(1)} ms (this repository); goal ≤ ${GOAL_MS} ms`);
  } finally {
    fs.rmSync(small, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
