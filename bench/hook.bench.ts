// What a Claude Code hook costs per event: the built CLI answering PreToolUse (a 200 KB Write) and Stop (40
// citations, a 2 MB transcript), against a bare Node.js process that reads the same stdin (the floor of any
// Node-based hook), run the same way in the same process.
//   node esbuild.config.mjs --production && node scripts/build-tests.mjs && node out/bench/hook.bench.js
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, printBenchFigure } from './benchFigure';

const RUNS = 9;
const repo = path.resolve(__dirname, '../..');
const cli = path.join(repo, 'dist', 'cli.js');
const BARE = 'let n=0;process.stdin.on("data",(c)=>{n+=c.length});process.stdin.on("end",()=>{JSON.parse("{}");process.exitCode=n>0?0:1})';

function timeProcess(args: readonly string[], input: string): number {
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const started = performance.now();
    const run = spawnSync(process.execPath, args, { input, encoding: 'utf8' });
    samples.push(performance.now() - started);
    if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  }
  return median(samples);
}

function main(): void {
  if (!fs.existsSync(cli)) throw new Error('build dist/cli.js first (node esbuild.config.mjs --production)');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hook-bench-')));
  try {
    const lines = Array.from({ length: 400 }, (_, i) => `export const value${i} = ${i};`);
    fs.writeFileSync(path.join(root, 'values.ts'), `${lines.join('\n')}\n`);
    const write = JSON.stringify({
      hook_event_name: 'PreToolUse', cwd: root, session_id: 's', transcript_path: path.join(root, 't.jsonl'), tool_name: 'Write', tool_use_id: 't',
      tool_input: { file_path: path.join(root, 'new.ts'), content: Array.from({ length: 6000 }, (_, i) => `export const generated${i} = ${i} * 2;`).join('\n') },
    });
    const transcript = path.join(root, 'transcript.jsonl');
    const entries: string[] = [JSON.stringify({ type: 'user', message: { content: 'where are the values defined?' } })];
    while (entries.join('\n').length < 2 * (1 << 20)) {
      const id = `toolu_${entries.length}`;
      entries.push(JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', id, name: 'Read', input: { file_path: path.join(root, 'values.ts') } }] } }));
      entries.push(JSON.stringify({ type: 'user', message: { content: [{ type: 'tool_result', tool_use_id: id, content: lines.map((l, i) => `${String(i + 1).padStart(6)}→${l}`).join('\n') }] } }));
    }
    fs.writeFileSync(transcript, `${entries.join('\n')}\n`);
    const answer = Array.from({ length: 40 }, (_, i) => `- \`values.ts:${i * 10 + 1}\` \`export const value${i * 10} = ${i * 10};\``).join('\n');
    const stop = JSON.stringify({ hook_event_name: 'Stop', cwd: root, session_id: 's', transcript_path: transcript, stop_hook_active: false, last_assistant_message: answer });

    const bareWrite = timeProcess(['-e', BARE], write);
    printBenchFigure({ name: 'hook PreToolUse Write 200 KB (process, median)', unit: 'ms', ours: timeProcess([cli, 'hook', 'claude-code'], write), reference: bareWrite, goal: '<= 3x a bare Node process reading the event' });
    const bareStop = timeProcess(['-e', BARE], stop);
    printBenchFigure({ name: 'hook Stop, 40 citations, 2 MB transcript (process)', unit: 'ms', ours: timeProcess([cli, 'hook', 'claude-code'], stop), reference: bareStop, goal: '<= 4x a bare Node process reading the event' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main();
