import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Where a large real tree can be copied from: VS Code's own sources (code-server), else this repo's node_modules. */
function sourceTree(repoRoot: string): string {
  const vscode = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode');
  return fs.existsSync(vscode) ? vscode : path.join(repoRoot, 'node_modules');
}

/**
 * A large git repository outside this repo for search benchmarks: BENCH_REPO when set, else a copy of a large real
 * tree in the temp folder, committed once and reused by later runs.
 */
export function benchRepository(repoRoot: string): string {
  const configured = process.env.BENCH_REPO;
  if (configured !== undefined && configured !== '') return fs.realpathSync(configured);
  const target = path.join(os.tmpdir(), 'devops-agent-bench-repo');
  const ready = path.join(target, '.git', 'devops-agent-bench-ready');
  if (fs.existsSync(ready)) return fs.realpathSync(target);
  fs.rmSync(target, { recursive: true, force: true });
  const source = sourceTree(repoRoot);
  process.stderr.write(`bench: copying ${source} to ${target} and committing it (once)…\n`);
  fs.cpSync(source, target, { recursive: true, verbatimSymlinks: true });
  const git = (...args: string[]): void => {
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', '-c', 'core.autocrlf=false', ...args], { cwd: target, stdio: 'ignore', maxBuffer: 1 << 30 });
  };
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'bench tree');
  fs.writeFileSync(ready, new Date().toISOString());
  return fs.realpathSync(target);
}

/** The repository root, from a compiled bench file in out/bench/. */
export function repositoryRootFrom(dirname: string): string {
  return path.resolve(dirname, '..', '..');
}
