import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GIT_LOG_ARGS, GIT_REFS_ARGS, locateRepository } from '../src/core/metrics/gitHistory';
import { DoraHistoryCache } from '../src/core/metrics/doraHistoryCache';
import { measureDora } from '../src/core/metrics/measureDora';
import { median, printBenchFigure } from './benchFigure';
import { repositoryRootFrom } from './benchRepository';

const RUNS = 5;
const PROMETHEUS_MIRROR = '/work/.mirror/prometheus+prometheus/repo';

/**
 * A long real history: BENCH_DORA_REPO when set, else a local prometheus/prometheus mirror (46k commits, 550 tags),
 * else a generated one (git fast-import: 20k commits, one release tag per 50) kept in the temp folder.
 */
function doraRepository(): string {
  const configured = process.env.BENCH_DORA_REPO;
  if (configured) return configured;
  if (fs.existsSync(PROMETHEUS_MIRROR)) return PROMETHEUS_MIRROR;
  const target = path.join(os.tmpdir(), 'devops-agent-bench-dora.git');
  if (fs.existsSync(path.join(target, 'devops-agent-bench-ready'))) return target;
  fs.rmSync(target, { recursive: true, force: true });
  execFileSync('git', ['init', '-q', '--bare', target]);
  const lines: string[] = [];
  const start = Date.UTC(2020, 0, 1) / 1000;
  for (let i = 1; i <= 20_000; i++) {
    const time = start + i * 3_600;
    const message = i % 400 === 7 ? `Revert "change ${i - 5}"\n\nThis reverts commit :${i - 5}.\n` : `change ${i}\n`;
    lines.push(`commit refs/heads/main`, `mark :${i}`, `committer Bench <bench@example.invalid> ${time} +0000`, `data ${Buffer.byteLength(message)}`, message);
    if (i > 1) lines.push(`from :${i - 1}`);
    lines.push(`M 644 inline file-${i % 97}.txt`, `data ${String(i).length + 1}`, `${i}`, '');
    if (i % 50 === 0) {
      const minor = Math.floor(i / 500);
      const patch = (i / 50) % 10;
      lines.push(`tag v1.${minor}.${patch}`, `from :${i}`, `tagger Bench <bench@example.invalid> ${time + 600} +0000`, 'data 8', 'release', '');
    }
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: target, input: lines.join('\n') + '\n', maxBuffer: 1 << 28 });
  fs.writeFileSync(path.join(target, 'devops-agent-bench-ready'), new Date().toISOString());
  return target;
}

/** Runs a command and reads its output to the end; the time it took. */
async function timedProcess(command: string, args: readonly string[], cwd: string, env: Record<string, string> = {}): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, [...args], { cwd, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
    child.stdout.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}`))));
  });
  return performance.now() - started;
}

async function rawGit(gitDir: string): Promise<number> {
  return (await timedProcess('git', GIT_LOG_ARGS, gitDir)) + (await timedProcess('git', GIT_REFS_ARGS, gitDir));
}

function verdict(name: string, ratio: number, goal: number): void {
  console.log(`${name}: ${ratio.toFixed(2)}x, goal <= ${goal}x: ${ratio <= goal ? 'met' : 'NOT met'}`);
}

async function main(): Promise<void> {
  const repo = doraRepository();
  const cli = path.join(repositoryRootFrom(__dirname), 'dist', 'cli.js');
  const { gitDir } = await locateRepository(repo);
  const settings = { since: '2000-01-01', until: '2100-01-01' };
  const first = await measureDora(repo, settings, { cache: new DoraHistoryCache() });
  console.log(`dora bench repository ${repo}: ${first.history.commits} commits, ${first.history.deploymentsAllTime} deployments`);
  await rawGit(gitDir);

  const cold: number[] = [];
  const warm: number[] = [];
  const command: number[] = [];
  const reference: number[] = [];
  const commandCached: number[] = [];
  const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dora-bench-cache-'));
  for (let run = 0; run < RUNS; run++) {
    const cache = new DoraHistoryCache();
    let started = performance.now();
    await measureDora(repo, settings, { cache });
    cold.push(performance.now() - started);
    started = performance.now();
    await measureDora(repo, settings, { cache });
    warm.push(performance.now() - started);
    if (fs.existsSync(cli)) command.push(await timedProcess(process.execPath, [cli, 'dora', '--root', repo, '--since', settings.since, '--until', settings.until, '--json', '--no-cache'], repo));
    reference.push(await rawGit(gitDir));
    if (fs.existsSync(cli)) {
      await timedProcess(process.execPath, [cli, 'dora', '--root', repo, '--json'], repo, { DEVOPS_AGENT_CACHE_DIR: cacheDir });
      commandCached.push(await timedProcess(process.execPath, [cli, 'dora', '--root', repo, '--json'], repo, { DEVOPS_AGENT_CACHE_DIR: cacheDir }));
    }
  }
  const ref = median(reference);
  printBenchFigure({ name: 'dora: measure (one git log --all + refs, walk) vs the raw git commands', unit: 'ms', ours: median(cold), reference: ref, goal: '<= 1.5x' });
  verdict('dora measure vs raw git', median(cold) / ref, 1.5);
  if (command.length > 0) {
    printBenchFigure({ name: 'dora: whole CLI command (devops-agent dora --json) vs raw git', unit: 'ms', ours: median(command), reference: ref, goal: '<= 1.5x' });
    verdict('dora CLI command vs raw git', median(command) / ref, 1.5);
  } else {
    console.log(`dora CLI command: not measured, ${cli} is not built (npm run bench builds it)`);
  }
  if (commandCached.length > 0) {
    printBenchFigure({ name: 'dora: CLI command again, refs unchanged (disk cache) vs raw git', unit: 'ms', ours: median(commandCached), reference: ref, goal: '<= 0.5x' });
    verdict('dora CLI command, cached, vs raw git', median(commandCached) / ref, 0.5);
    fs.rmSync(cacheDir, { recursive: true, force: true });
  }
  printBenchFigure({ name: 'dora: second measure, refs unchanged (cache) vs raw git', unit: 'ms', ours: median(warm), reference: ref, goal: '<= 0.5x' });
  verdict('dora cached measure vs raw git', median(warm) / ref, 0.5);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
