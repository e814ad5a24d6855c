import { execFile } from 'node:child_process';
import { fileSystemFileAccess } from '../src/core/tools/files/fileSystemFileAccess';
import { GIT_LIST_ARGUMENTS } from '../src/core/tools/search/gitFileList';
import { globTool } from '../src/core/tools/search/glob';
import { ReadSet } from '../src/core/session/readSet';
import type { ToolContext } from '../src/core/tools/framework/tool';
import { DEFAULT_TOOL_LIMITS } from '../src/core/tools/framework/tool';
import { median, printBenchFigure } from './benchFigure';
import { benchRepository, repositoryRootFrom } from './benchRepository';

const RUNS = 9;

async function gitListing(folder: string): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    execFile('git', [...GIT_LIST_ARGUMENTS], { cwd: folder, maxBuffer: 1 << 30 }, (error) => (error ? reject(error) : resolve()));
  });
  return performance.now() - started;
}

async function main(): Promise<void> {
  const repo = benchRepository(repositoryRootFrom(__dirname));
  const ctx: ToolContext = {
    agentName: 'bench', roots: [repo], signal: new AbortController().signal, readSet: new ReadSet(), limits: DEFAULT_TOOL_LIMITS,
    files: fileSystemFileAccess, environment: { excludeGlobs: ['**/.git', '**/.DS_Store'] }, progress: () => undefined,
  };
  const input = globTool.parse({ pattern: '**/*.ts' });
  await globTool.run(input, ctx);
  await gitListing(repo);
  const ours: number[] = [];
  const reference: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    await globTool.run(input, ctx);
    ours.push(performance.now() - started);
    reference.push(await gitListing(repo));
  }
  const o = median(ours);
  const r = median(reference);
  printBenchFigure({ name: 'glob **/*.ts vs git ls-files --cached --others --exclude-standard', unit: 'ms', ours: o, reference: r, goal: '<= 1.5x' });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
