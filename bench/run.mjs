// `npm run bench`: bundle sizes, activation time in the real extension host, and every bench/*.bench.ts.
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
for (const file of ['dist/extension.js', 'dist/cli.js']) {
  figures.push({ name: `bundle size ${file} (minified)`, unit: 'KiB', ours: Math.round(fs.statSync(path.join(repo, file)).size / 102.4) / 10 });
}
if (!filter || 'activation'.includes(filter)) {
  const run = spawnSync('node', ['test/harness/runIntegration.mjs', '--suite', 'bench'], { cwd: repo, encoding: 'utf8' });
  collect(run.stdout);
  if (run.status !== 0) console.error(`activation bench failed:\n${run.stdout}\n${run.stderr}`);
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
console.log('\n' + figures.map((f) => `${f.name.padEnd(58)} ${String(f.ours).padStart(9)} ${f.unit}` +
  (f.reference !== undefined ? `  ref ${f.reference} ${f.unit}  ratio ${f.ratio}` : '') + (f.goal ? `  goal ${f.goal}` : '')).join('\n'));
