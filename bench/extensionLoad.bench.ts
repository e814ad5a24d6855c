import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { median, printBenchFigure } from './benchFigure';
import { repositoryRootFrom } from './benchRepository';

const RUNS = 7;

// Loads one module in a fresh Node process with `vscode` answered by a stand-in, and prints the wall time of the
// require() call: reading and compiling the file and running it, from before its first statement to its end.
const LOAD_ONE = `
const Module = require('node:module');
const load = Module._load;
const vscode = new Proxy({}, { get: () => function () { return undefined; } });
Module._load = function (request, ...rest) { return request === 'vscode' ? vscode : load.call(this, request, ...rest); };
const started = performance.now();
require(process.argv[1]);
process.stdout.write(String(performance.now() - started));
`;

function loadMs(file: string): number {
  return Number(execFileSync(process.execPath, ['-e', LOAD_ONE, file], { encoding: 'utf8' }));
}

function main(): void {
  const repo = repositoryRootFrom(__dirname);
  const ours = path.join(repo, 'dist', 'extension.js');
  const reference = path.join(repo, 'bench', 'emptyExtension', 'extension.js');
  if (!fs.existsSync(ours)) throw new Error(`${ours} is missing: run \`node esbuild.config.mjs --production\` first (npm run bench does)`);
  const oursMs: number[] = [];
  const referenceMs: number[] = [];
  loadMs(ours);
  for (let run = 0; run < RUNS; run++) {
    // interleaved, so a machine busy with something else slows both alike
    oursMs.push(loadMs(ours));
    referenceMs.push(loadMs(reference));
  }
  printBenchFigure({
    name: `load dist/extension.js, vscode stubbed (median of ${RUNS} fresh processes) vs an empty extension`,
    unit: 'ms', ours: median(oursMs), reference: median(referenceMs), goal: '<= 10 ms',
  });
  for (const lazy of ['harness.js', 'modelProvider.js', 'vendor/dockerode.js', 'vendor/simple-git.js']) {
    const file = path.join(repo, 'dist', lazy);
    const times = Array.from({ length: 3 }, () => loadMs(file));
    printBenchFigure({ name: `load dist/${lazy} on first use (median of 3)`, unit: 'ms', ours: median(times), goal: 'informational' });
  }
}

main();
