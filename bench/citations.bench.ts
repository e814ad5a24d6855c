// Citation checking at answer scale: 10,000 citations over a 20,000-file tree, against reading the cited files raw.
//   node scripts/build-tests.mjs && node out/bench/citations.bench.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CitationStreamParser, parseCitations } from '../src/core/citations/parseCitations';
import { LineIndexCache } from '../src/core/citations/lineIndexCache';
import { verifyCitations } from '../src/core/citations/verifyCitations';
import { WorkspaceFileList } from '../src/core/citations/workspaceFiles';
import { median, printBenchFigure } from './benchFigure';

const FILE_COUNT = 20_000;
const CITATION_COUNT = 10_000;
const RUNS = 9;

/** Deterministic, so every run cites the same files and lines. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}


function typescriptLines(next: () => number, name: string): string[] {
  const lines = [`import { readFile } from 'node:fs/promises';`, `import type { Config } from '../config';`, ''];
  const functions = 3 + Math.floor(next() * 12);
  for (let f = 0; f < functions; f++) {
    lines.push(
      `/** Loads ${name} part ${f} and validates it against the schema. */`,
      `export async function load${name}${f}(config: Config, retries = ${1 + Math.floor(next() * 5)}): Promise<string[]> {`,
      `  const raw = await readFile(config.path${f}, 'utf8');`,
      `  const entries = raw.split('\\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));`,
      `  if (entries.length > ${100 + f * 7}) throw new Error(\`too many entries in \${config.path${f}}: \${entries.length}\`);`,
      `  for (let attempt = 0; attempt < retries; attempt++) {`,
      `    if (entries.every((entry) => entry.includes('='))) return entries;`,
      `  }`,
      `  return entries.map((entry) => entry.replace(/\\s+/g, ' ').trim());`,
      `}`,
      '',
    );
  }
  return lines;
}

function pythonLines(next: () => number, name: string): string[] {
  const lines = ['import os', 'import sys', 'from dataclasses import dataclass', '', ''];
  const classes = 2 + Math.floor(next() * 8);
  for (let c = 0; c < classes; c++) {
    lines.push(
      '@dataclass',
      `class ${name}Step${c}:`,
      `    """One step of the ${name} pipeline."""`,
      '    name: str',
      `    timeout: int = ${30 + c * 5}`,
      '',
      '    def run(self, env: dict[str, str]) -> int:',
      `        command = env.get("STEP_${c}_COMMAND", "make build")`,
      '        print(f"running {self.name}: {command}", file=sys.stderr)',
      '        return os.system(command)',
      '',
    );
  }
  return lines;
}

function yamlLines(next: () => number, name: string): string[] {
  const lines = [`name: ${name}`, 'on:', '  push:', '    branches: [main]', 'jobs:'];
  const jobs = 2 + Math.floor(next() * 6);
  for (let j = 0; j < jobs; j++) {
    lines.push(
      `  job-${j}:`,
      '    runs-on: ubuntu-latest',
      `    timeout-minutes: ${10 + j}`,
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - uses: actions/setup-node@v4',
      '        with:',
      `          node-version: ${18 + (j % 3) * 2}`,
      `      - run: npm ci && npm run build -- --filter ${name}-${j}`,
    );
  }
  return lines;
}

function dockerfileLines(next: () => number): string[] {
  const lines = ['FROM node:20-alpine AS build', 'WORKDIR /app', 'COPY package*.json ./', 'RUN npm ci'];
  const steps = 3 + Math.floor(next() * 10);
  for (let s = 0; s < steps; s++) lines.push(`COPY src/part${s} ./src/part${s}`, `RUN npm run build:part${s}`);
  lines.push('FROM node:20-alpine', 'COPY --from=build /app/dist ./dist', 'USER node', 'CMD ["node", "dist/server.js"]');
  return lines;
}

/** Writes the tree and returns the files' relative paths (their text stays on disk only). */
function generateTree(root: string): string[] {
  const next = random(42);
  const files: string[] = [];
  for (let i = 0; files.length < FILE_COUNT; i++) {
    const pkg = `pkg${String(i % 40).padStart(2, '0')}`;
    const area = `area${Math.floor(i / 40) % 10}`;
    const sub = `sub${Math.floor(i / 400) % 5}`;
    const folder = `packages/${pkg}/src/${area}/${sub}`;
    const kind = i % 10;
    const name = `Item${i}`;
    const [relative, lines] = kind < 6 ? [`${folder}/item${i}.ts`, typescriptLines(next, name)]
      : kind < 8 ? [`${folder}/item${i}.py`, pythonLines(next, name)]
        : kind < 9 ? [`${folder}/item${i}.yaml`, yamlLines(next, name)]
          : [`${folder}/Dockerfile.item${i}`, dockerfileLines(next)];
    fs.mkdirSync(path.join(root, folder), { recursive: true });
    fs.writeFileSync(path.join(root, relative), `${lines.join('\n')}\n`);
    files.push(relative);
  }
  return files;
}

/** A long answer with every kind of citation the agent writes, including some that do not verify. */
function composeAnswer(root: string, files: readonly string[]): string {
  const next = random(7);
  const parts: string[] = ['# Review', '', 'Findings, file by file:', ''];
  for (let i = 0; i < CITATION_COUNT; i++) {
    const relative = files[Math.floor(next() * files.length)] as string;
    const lines = fs.readFileSync(path.join(root, relative), 'utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const count = lines.length;
    const line = 1 + Math.floor(next() * Math.max(1, count - 5));
    const text = (lines[line - 1] ?? '').trim();
    const roll = next();
    if (roll < 0.35) {
      parts.push(`- The behaviour comes from ${relative}:${line}, checked against the config.`);
    } else if (roll < 0.65 && text !== '' && !text.includes('`')) {
      parts.push(`- \`${relative}:${line}\` — \`${text}\``);
    } else if (roll < 0.85) {
      const end = Math.min(count, line + 1 + Math.floor(next() * 3));
      parts.push(`- [${path.basename(relative)}](${relative}#L${line}-L${end}):`, '  ```', ...lines.slice(line - 1, end).map((l) => `  ${l}`), '  ```');
    } else if (roll < 0.92) {
      const quote = (lines[Math.min(count, line + 3) - 1] ?? '').trim();
      parts.push(quote === '' || quote.includes('`') ? `- See ${relative}:${line}.` : `- ${relative}:${line} sets \`${quote}\``);
    } else if (roll < 0.97) {
      parts.push(`- Line ${count + 40} of ${relative}:${count + 40} does not exist.`);
    } else {
      parts.push(`- ${relative.replace(/item(\d+)/, 'gone$1')}:${line} was renamed.`);
    }
  }
  parts.push('', 'Ports like localhost:8080, images like node:20 and times like 10:30 are not citations.');
  return parts.join('\n');
}

async function main(): Promise<void> {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'citations-bench-')));
  try {
    const generated = performance.now();
    const files = generateTree(root);
    const answer = composeAnswer(root, files);
    const citations = parseCitations(answer, { roots: [root] });
    const distinct = [...new Set(citations.map((c) => path.join(root, c.path)))].filter((p) => fs.existsSync(p));
    console.error(`tree: ${files.length} files in ${Math.round(performance.now() - generated)} ms; answer: ${answer.length} chars, ${citations.length} citations over ${distinct.length} distinct existing files`);

    const reference: number[] = [];
    const parse: number[] = [];
    const verify: number[] = [];
    const verifyListed: number[] = [];
    const chunkCosts: number[] = [];
    let statuses = new Map<string, number>();
    let chunks = 0;
    for (let run = 0; run <= RUNS; run++) {
      let t = performance.now();
      let bytes = 0;
      for (const file of distinct) bytes += fs.readFileSync(file).length;
      const referenceMs = performance.now() - t;

      t = performance.now();
      const found = parseCitations(answer, { roots: [root] });
      const parseMs = performance.now() - t;
      t = performance.now();
      const checks = await verifyCitations(found, { roots: [root], cache: new LineIndexCache() });
      const verifyMs = performance.now() - t;
      // As in a chat turn after its first citation of a bare name: the workspace is already listed.
      const listed = new WorkspaceFileList([root]);
      await listed.matching('listed-once');
      t = performance.now();
      await verifyCitations(found, { roots: [root], cache: new LineIndexCache(), files: listed });
      const verifyListedMs = performance.now() - t;

      t = performance.now();
      const parser = new CitationStreamParser({ roots: [root] });
      let streamed = 0;
      chunks = 0;
      for (let at = 0; at < answer.length; at += 24, chunks++) {
        for (const segment of parser.push(answer.slice(at, at + 24))) if (segment.kind === 'citation') streamed++;
      }
      for (const segment of parser.end()) if (segment.kind === 'citation') streamed++;
      const streamMs = performance.now() - t;
      if (streamed !== found.length) throw new Error(`streaming found ${streamed} citations, whole text ${found.length}`);

      if (run === 0) {
        console.error(`warm-up: read ${bytes} bytes`);
        continue;
      }
      reference.push(referenceMs);
      parse.push(parseMs);
      verify.push(verifyMs);
      verifyListed.push(verifyListedMs);
      chunkCosts.push((streamMs * 1000) / chunks);
      statuses = new Map();
      for (const check of checks) statuses.set(check.status, (statuses.get(check.status) ?? 0) + 1);
    }
    console.error(`statuses: ${JSON.stringify(Object.fromEntries(statuses))}`);
    console.error(`medians: parse ${median(parse).toFixed(2)} ms, verify ${median(verify).toFixed(2)} ms (${median(verifyListed).toFixed(2)} ms with the workspace already listed), raw read ${median(reference).toFixed(2)} ms`);

    const referenceMs = median(reference);
    const verifyMs = median(verify);
    const endToEnd = median(parse.map((p, i) => p + (verify[i] as number)));
    printBenchFigure({ name: 'citations verify (fresh cache) vs raw read of the cited files', unit: 'ms', ours: verifyMs, reference: referenceMs, goal: '<= 1.5x' });
    printBenchFigure({ name: 'citations verify (fresh cache, workspace listed) vs raw read of the cited files', unit: 'ms', ours: median(verifyListed), reference: referenceMs, goal: '<= 1.5x' });
    printBenchFigure({ name: 'citations parse+verify vs raw read of the cited files', unit: 'ms', ours: endToEnd, reference: referenceMs, goal: '<= 1.5x' });
    printBenchFigure({ name: 'citations parse+verify, 10k citations over a 20k-file tree', unit: 'ms', ours: endToEnd, goal: '<= 300 ms' });
    printBenchFigure({ name: 'citations streamed in 24-char chunks, per chunk', unit: 'us', ours: median(chunkCosts), goal: '<= 50 us' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
