// `npm run bench`: bundle sizes, load + activation in the real extension host (against an empty extension), and
// every bench/*.bench.ts. Each goal is checked: the table says met or NOT met.
// Each bench prints `BENCH {json}` lines; this collects them into bench/results/latest.json and a table.
//   node bench/run.mjs [name-filter]
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const filter = process.argv[2];
const figures = [];
const collect = (output) => {
  for (const line of output.split('\n')) {
    const m = /^BENCH (\{.*\})\s*$/.exec(line);
    if (m) figures.push(JSON.parse(m[1]));
  }
};

execFileSync('node', ['esbuild.config.mjs', '--production'], { cwd: repo, stdio: 'inherit' });
execFileSync('node', ['scripts/build-tests.mjs'], { cwd: repo, stdio: 'inherit' });
for (const file of ['dist/extension.js', 'dist/harness.js', 'dist/modelProvider.js', 'dist/cli.js']) {
  figures.push({ name: `bundle size ${file} (minified)`, unit: 'KiB', ours: Math.round(fs.statSync(path.join(repo, file)).size / 102.4) / 10 });
}
if (!filter || 'activation'.includes(filter)) {
  // each code-server start activates once; the median of HOST_RUNS starts is reported (goal re-checked on it)
  const HOST_RUNS = Number(process.env.BENCH_HOST_RUNS || 3);
  const byName = new Map();
  for (let i = 0; i < HOST_RUNS; i++) {
    const run = spawnSync('node', ['test/harness/runIntegration.mjs', '--suite', 'bench'], { cwd: repo, encoding: 'utf8' });
    if (run.status !== 0) console.error(`activation bench failed:\n${run.stdout}\n${run.stderr}`);
    for (const m of run.stdout.matchAll(/^BENCH (\{.*\})\s*$/gm)) {
      const f = JSON.parse(m[1]);
      byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
    }
  }
  const mid = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  for (const [name, runs] of byName) {
    const ours = mid(runs.map((f) => f.ours));
    const reference = runs[0].reference === undefined ? undefined : mid(runs.map((f) => f.reference));
    const limit = /^<=\s*([\d.]+)\s*ms/.exec(runs[0].goal)?.[1];
    figures.push({ name: `${name} (median of ${runs.length} host starts)`, unit: runs[0].unit, ours, ...(reference !== undefined ? { reference, ratio: Math.round((ours / reference) * 100) / 100 } : {}),
      goal: runs[0].goal, ...(limit !== undefined ? { met: ours <= Number(limit) } : {}) });
  }
}
const benches = fs.readdirSync(path.join(repo, 'out/bench')).filter((f) => f.endsWith('.bench.js') && (!filter || f.includes(filter))).sort();
for (const file of benches) {
  console.log(`[bench] ${file}`);
  const run = spawnSync('node', [path.join(repo, 'out/bench', file)], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  collect(run.stdout);
  if (run.status !== 0) console.error(`[bench] ${file} exited with ${run.status}`);
}
fs.mkdirSync(path.join(repo, 'bench/results'), { recursive: true });
fs.writeFileSync(path.join(repo, 'bench/results/latest.json'), JSON.stringify({ at: new Date().toISOString(), figures }, null, 2));
const verdict = (f) => (f.met === true ? '  met' : f.met === false ? '  NOT met' : '');
console.log('\n' + figures.map((f) => `${f.name.padEnd(58)} ${String(f.ours).padStart(9)} ${f.unit}` +
  (f.reference !== undefined ? `  ref ${f.reference} ${f.unit}  ratio ${f.ratio}` : '') + (f.goal ? `  goal ${f.goal}` : '') + verdict(f)).join('\n'));
const notMet = figures.filter((f) => f.met === false);
console.log(`\n${figures.filter((f) => f.met === true).length} goals met, ${notMet.length} NOT met${notMet.length ? `: ${notMet.map((f) => f.name).join('; ')}` : ''}`);
