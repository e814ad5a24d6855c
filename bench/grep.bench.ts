import { spawn } from 'node:child_process';
import { ReadSet } from '../src/core/session/readSet';
import { grepTool, runGrep } from '../src/core/tools/search/grep';
import type { GrepInput } from '../src/core/tools/search/grep';
import { translateGrepPattern } from '../src/core/tools/search/grepPattern';
import { locateRipgrep, ripgrepArguments } from '../src/core/tools/search/ripgrepSearch';
import type { ToolContext } from '../src/core/tools/framework/tool';
import { DEFAULT_TOOL_LIMITS } from '../src/core/tools/framework/tool';
import { fileSystemFileAccess } from '../src/core/tools/files/fileSystemFileAccess';
import { median, printBenchFigure } from './benchFigure';
import { benchRepository, repositoryRootFrom } from './benchRepository';

const RUNS = 7;

/** ripgrep run directly with the arguments the Grep tool passes, its output read to the end. */
async function ripgrepDirect(rg: string, folder: string, args: readonly string[]): Promise<number> {
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(rg, [...args], { cwd: folder, stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.on('data', () => undefined);
    child.on('error', reject);
    child.on('close', () => resolve());
  });
  return performance.now() - started;
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await action();
  return performance.now() - started;
}

async function main(): Promise<void> {
  const repo = benchRepository(repositoryRootFrom(__dirname));
  const rg = locateRipgrep(undefined);
  if (rg === undefined) throw new Error('ripgrep (rg) is not on PATH; the Grep benchmark compares against it');
  const ctx: ToolContext = {
    agentName: 'bench', roots: [repo], signal: new AbortController().signal, readSet: new ReadSet(), limits: DEFAULT_TOOL_LIMITS,
    files: fileSystemFileAccess, environment: {}, progress: () => undefined,
  };
  const cases: { name: string; input: Record<string, unknown> }[] = [
    { name: 'registerCommand\\(', input: { pattern: 'registerCommand\\(' } },
    { name: 'class \\w+Service in *.ts', input: { pattern: 'class \\w+Service\\b', glob: '*.ts' } },
  ];
  for (const { name, input } of cases) {
    const parsed: GrepInput = grepTool.parse(input);
    const args = ripgrepArguments({ folder: repo, pattern: translateGrepPattern(parsed.pattern.source), context: 0, mode: 'content', signal: ctx.signal, ...(parsed.glob ? { glob: parsed.glob } : {}) }, false);
    await runGrep(parsed, ctx);
    await ripgrepDirect(rg, repo, args);
    const ours: number[] = [];
    const reference: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      ours.push(await timed(() => runGrep(parsed, ctx)));
      reference.push(await ripgrepDirect(rg, repo, args));
    }
    const o = median(ours);
    const r = median(reference);
    printBenchFigure({ name: `grep vs ripgrep: ${name}`, unit: 'ms', ours: o, reference: r, goal: '<= 1.3x' });
    if (name === cases[0]?.name) {
      const fallback: number[] = [];
      for (let run = 0; run < 5; run++) fallback.push(await timed(() => runGrep(parsed, ctx, 'node')));
      const f = median(fallback);
      printBenchFigure({ name: `grep pure-Node fallback vs ripgrep: ${name} (informational)`, unit: 'ms', ours: f, reference: r, goal: 'informational' });
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
