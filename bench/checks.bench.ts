// DevOps checks at workspace scale and at keystroke scale, against a plain parse of the same files.
//   node scripts/build-tests.mjs && node out/bench/checks.bench.js
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { parseAllDocuments } from 'yaml';
import { DEFAULT_CHECK_CONFIG } from '../src/core/checks/checkConfig';
import { checkText, runChecks } from '../src/core/checks/runChecks';
import { median, printBenchFigure } from './benchFigure';

const REPO = path.resolve(__dirname, '../..');
const FIXTURES = path.join(REPO, 'test', 'fixtures', 'checks');
const WORKSPACE_FILES = 1_000;
const RUNS = 5;
const KEYSTROKES = 300;

function filesUnder(directory: string, prefix = ''): string[] {
  return fs.readdirSync(directory, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name)).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(path.join(directory, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]);
}

/** Every real fixture file with the workspace path its kind needs (Dockerfiles as `…/Dockerfile`). */
function realFiles(): { text: string; as: (i: number) => string; yaml: boolean }[] {
  const out: { text: string; as: (i: number) => string; yaml: boolean }[] = [];
  for (const kind of fs.readdirSync(FIXTURES).filter((k) => fs.statSync(path.join(FIXTURES, k)).isDirectory()).sort()) {
    for (const relative of filesUnder(path.join(FIXTURES, kind))) {
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      if (name === 'SOURCES.tsv') continue;
      const text = fs.readFileSync(path.join(FIXTURES, kind, relative), 'utf8');
      if (kind === 'dockerfiles') out.push({ text, as: (i) => `svc-${i}/Dockerfile`, yaml: false });
      else if (!/\.ya?ml$/.test(name)) continue;
      else if (kind === 'actions') out.push({ text, as: (i) => `repo-${i}/.github/workflows/${name}`, yaml: true });
      else if (kind === 'compose') out.push({ text, as: (i) => `app-${i}/compose.yaml`, yaml: true });
      else if (kind === 'gitlab') out.push({ text, as: (i) => `ci-${i}/.gitlab-ci.yml`, yaml: true });
      else out.push({ text, as: (i) => `${kind}-${i}/${name}`, yaml: true });
    }
  }
  return out;
}

async function workspaceBench(): Promise<void> {
  const files = realFiles();
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'checks-bench-'));
  try {
    const written: { file: string; yaml: boolean }[] = [];
    for (let i = 0; i < WORKSPACE_FILES; i += 1) {
      const source = files[i % files.length] as (typeof files)[number];
      const file = source.as(i);
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), source.text);
      written.push({ file, yaml: source.yaml });
    }
    execFileSync('git', ['init', '-q'], { cwd: root });
    execFileSync('git', ['add', '-A'], { cwd: root });
    // The reference: read every file and parse it with the parser made for its format, nothing else.
    const reference = async (): Promise<number> => {
      let nodes = 0;
      for (const { file, yaml } of written) {
        const text = await fs.promises.readFile(path.join(root, file), 'utf8');
        nodes += yaml ? parseAllDocuments(text).length : DockerfileParser.parse(text).getInstructions().length;
      }
      return nodes;
    };
    const ours: number[] = [];
    const theirs: number[] = [];
    let findings = 0;
    let checked = 0;
    for (let run = 0; run < RUNS; run += 1) {
      let t = process.hrtime.bigint();
      await reference();
      theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
      t = process.hrtime.bigint();
      const report = await runChecks({ root });
      ours.push(Number(process.hrtime.bigint() - t) / 1e6);
      findings = report.findings.length;
      checked = report.files.length;
    }
    console.log(`checked ${checked} files (${files.length} distinct real files, repeated to ${WORKSPACE_FILES}), ${findings} findings`);
    printBenchFigure({ name: `checks: workspace of ${WORKSPACE_FILES} real files (git listing, read, classify, check)`, unit: 'ms', ours: median(ours), reference: median(theirs), goal: '<= 3.0x reading and parsing the same files' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** A 500-line Dockerfile made of real ones, stage after stage. */
function fiveHundredLines(): string {
  const names = fs.readdirSync(path.join(FIXTURES, 'dockerfiles')).filter((n) => n !== 'SOURCES.tsv').sort();
  const lines: string[] = [];
  for (const name of names) {
    if (lines.length >= 500) break;
    lines.push(...fs.readFileSync(path.join(FIXTURES, 'dockerfiles', name), 'utf8').split('\n'));
  }
  return lines.slice(0, 500).join('\n');
}

function keystrokeBench(): void {
  const base = fiveHundredLines();
  const config = { config: DEFAULT_CHECK_CONFIG, file: undefined, problems: [] };
  const root = os.tmpdir();
  // Each keystroke types one more character into a RUN line in the middle of the file.
  const texts = Array.from({ length: KEYSTROKES }, (_, i) => {
    const lines = base.split('\n');
    const at = lines.findIndex((l, j) => j > 250 && l.startsWith('RUN '));
    lines[at] = `${lines[at]} ${'x'.repeat(i % 20)}`;
    return lines.join('\n');
  });
  for (const text of texts.slice(0, 20)) checkText('Dockerfile', text, root, { config });
  const ours: number[] = [];
  const theirs: number[] = [];
  let findings = 0;
  for (const text of texts) {
    let t = process.hrtime.bigint();
    DockerfileParser.parse(text).getInstructions();
    theirs.push(Number(process.hrtime.bigint() - t) / 1e6);
    t = process.hrtime.bigint();
    findings = checkText('Dockerfile', text, root, { config }).length;
    ours.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const ms = median(ours);
  console.log(`500-line Dockerfile: ${findings} findings; per keystroke median ${ms.toFixed(2)} ms, p95 ${[...ours].sort((a, b) => a - b)[Math.floor(ours.length * 0.95)]?.toFixed(2)} ms — goal ≤ 5 ms ${ms <= 5 ? 'met' : 'NOT met'}`);
  printBenchFigure({ name: 'checks: per keystroke, 500-line Dockerfile (checkText)', unit: 'ms', ours: ms, reference: median(theirs), goal: '<= 5 ms (reference: dockerfile-ast parse alone)' });
}

async function main(): Promise<void> {
  keystrokeBench();
  await workspaceBench();
}

void main();
