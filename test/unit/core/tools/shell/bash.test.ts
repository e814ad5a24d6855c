import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BashInput } from '../../../../../src/core/tools/shell/bash';
import { bashTool } from '../../../../../src/core/tools/shell/bash';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

/** Processes whose process group is pgid, read from /proc (state Z = zombie, already dead). */
function groupMembers(pgid: number): { pid: number; state: string }[] {
  const members: { pid: number; state: string }[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // fields after the parenthesised command name: state ppid pgrp …
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === pgid) members.push({ pid: Number(name), state: state! });
  }
  return members;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('core/tools/shell/bash', function () {
  this.timeout(20_000);
  let root: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bash-tool-')));
    fs.mkdirSync(path.join(root, 'sub'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const run = (input: unknown, ctx = processToolContext([root])): Promise<{ ok: boolean; text: string }> => bashTool.run(bashTool.parse(input), ctx);

  it('reports the exit code and interleaves stdout and stderr', async () => {
    const good = await run({ command: 'echo out-line; echo err-line >&2' });
    assert.equal(good.ok, true);
    assert.match(good.text, /^Exit code 0 after/);
    assert.match(good.text, /out-line/);
    assert.match(good.text, /err-line/);
    const bad = await run({ command: 'echo before; exit 3' });
    assert.equal(bad.ok, false);
    assert.match(bad.text, /^Exit code 3 after/);
    assert.match(bad.text, /before/);
    const silent = await run({ command: 'true' });
    assert.match(silent.text, /\(no output\)/);
  });

  it('reports a signal death', async () => {
    const result = await run({ command: 'kill -KILL $$' });
    assert.equal(result.ok, false);
    assert.match(result.text, /Killed by signal SIGKILL/);
  });

  it('runs in the first root by default and in a confined cwd when given', async () => {
    assert.match((await run({ command: 'pwd' })).text, new RegExp(`\\n${root}$`));
    assert.match((await run({ command: 'pwd', cwd: 'sub' })).text, new RegExp(`\\n${path.join(root, 'sub')}$`));
    const outside = await run({ command: 'pwd', cwd: '..' });
    assert.equal(outside.ok, false);
    assert.match(outside.text, /refused/);
    const missing = await run({ command: 'pwd', cwd: 'nope' });
    assert.equal(missing.ok, false);
    assert.match(missing.text, /does not exist/);
  });

  it('closes stdin and sets a non-interactive environment', async () => {
    const started = Date.now();
    const cat = await run({ command: 'cat; echo done' });
    assert.equal(cat.ok, true);
    assert.ok(Date.now() - started < 5_000);
    assert.match(cat.text, /\ndone$/);
    const env = await run({ command: 'echo "$PAGER|$GIT_PAGER|$TERM|$NO_COLOR|${CI-unset}"' });
    assert.match(env.text, new RegExp(`cat\\|cat\\|dumb\\|1\\|${process.env.CI ?? 'unset'}`));
  });

  // the process-group tests below read $$ as the group id, which only holds outside the sandbox's PID namespace;
  // bashSandbox.test.ts checks the same inside the sandbox
  const unsandboxed = { sandbox: { enabled: false, allowedHosts: [] } };

  it('kills the whole process group on cancellation: nothing survives 1 s later (unsandboxed)', async () => {
    let pgid = 0;
    const ctx = processToolContext([root], {
      environment: unsandboxed,
      onProgress: (line) => {
        const match = /^PGID (\d+)/.exec(line);
        if (match) pgid = Number(match[1]);
      },
    });
    const pending = bashTool.run(bashTool.parse({ command: 'echo PGID $$; sleep 100 & sleep 100 & wait' }), ctx);
    for (let i = 0; i < 100 && (pgid === 0 || groupMembers(pgid).length < 3); i++) await sleep(20);
    assert.ok(pgid > 0, 'the command reported its process group');
    assert.ok(groupMembers(pgid).length >= 3, 'bash and both sleeps are running before the cancel');
    const cancelledAt = Date.now();
    ctx.controller.abort();
    const result = await pending;
    assert.ok(Date.now() - cancelledAt < 1_000, `the tool returned ${Date.now() - cancelledAt} ms after the cancel`);
    assert.equal(result.ok, false);
    assert.match(result.text, /^Cancelled after/);
    const wait = 1_000 - (Date.now() - cancelledAt);
    if (wait > 0) await sleep(wait);
    assert.deepEqual(groupMembers(pgid).filter((m) => m.state !== 'Z'), [], 'no process of the group is alive 1 s after cancel');
  });

  it('times out and kills children that ignore SIGTERM (SIGKILL after 500 ms, unsandboxed)', async () => {
    let pgid = 0;
    const ctx = processToolContext([root], { environment: unsandboxed, onProgress: (line) => (pgid = Number(/^PGID (\d+)/.exec(line)?.[1] ?? pgid)) });
    const started = Date.now();
    const result = await bashTool.run(bashTool.parse({ command: "trap '' TERM; echo PGID $$; sleep 100 & sleep 100; wait", timeout_ms: 400 }), ctx);
    const took = Date.now() - started;
    assert.equal(result.ok, false);
    assert.match(result.text, /^Timed out after 0\.4 s/);
    assert.ok(took < 2_500, `took ${took} ms`);
    assert.ok(pgid > 0);
    await sleep(100);
    assert.deepEqual(groupMembers(pgid).filter((m) => m.state !== 'Z'), []);
  });

  it('stops background processes the command leaves behind (unsandboxed)', async () => {
    let pgid = 0;
    const ctx = processToolContext([root], { environment: unsandboxed, onProgress: (line) => (pgid = Number(/^PGID (\d+)/.exec(line)?.[1] ?? pgid)) });
    const started = Date.now();
    const result = await bashTool.run(bashTool.parse({ command: 'echo PGID $$; sleep 100 &' }), ctx);
    assert.ok(Date.now() - started < 3_000);
    assert.equal(result.ok, true);
    assert.match(result.text, /left running in the background were stopped/);
    assert.deepEqual(groupMembers(pgid).filter((m) => m.state !== 'Z'), []);
  });

  it('keeps the head and tail of huge output and says what was dropped', async () => {
    const ctx = processToolContext([root], { limits: { maxResultChars: 20_000 } });
    const result = await run({ command: 'seq 1 2000000' }, ctx);
    assert.equal(result.ok, true);
    assert.ok(result.text.length <= 20_000, `result is ${result.text.length} chars`);
    assert.match(result.text, /2,000,000 lines\):\n1\n2\n3\n/);
    assert.match(result.text, /\n1999999\n2000000$/);
    const note = /\[… ([\d,]+) bytes \(([\d,]+) lines\) of ([\d,]+) omitted here …\]/.exec(result.text);
    assert.ok(note, 'an omission note is present');
    const total = Number(note[3]!.replace(/,/g, ''));
    let expectedBytes = 0;
    for (let n = 1; n <= 2_000_000; n++) expectedBytes += String(n).length + 1;
    assert.equal(total, expectedBytes);
    const shownLines = result.text.split('\n').filter((l) => /^\d+$/.test(l)).length;
    assert.equal(shownLines + Number(note[2]!.replace(/,/g, '')), 2_000_000, 'kept lines + dropped lines = all lines');
  });

  it('streams new output lines to progress', async () => {
    const ctx = processToolContext([root]);
    await run({ command: 'for i in 1 2 3; do echo step-$i; sleep 0.3; done' }, ctx);
    assert.ok(ctx.progressLines.includes('step-1'), ctx.progressLines.join(','));
    assert.ok(ctx.progressLines.includes('step-3'), ctx.progressLines.join(','));
  });

  it('strips terminal escape codes and carriage-return redraws from the output', async () => {
    const result = await run({ command: String.raw`printf '\033[31mred\033[0m\n10%%\r50%%\r100%%\n'` });
    assert.match(result.text, /\nred\n100%$/);
  });

  it('validates input and previews the exact command and folder', async () => {
    assert.throws(() => bashTool.parse({}), ToolInputError);
    assert.throws(() => bashTool.parse({ command: '   ' }), ToolInputError);
    assert.throws(() => bashTool.parse({ command: 'ls', timeout_ms: 700_000 }), /at most|600000/);
    assert.throws(() => bashTool.parse('ls'), ToolInputError);
    assert.throws(() => bashTool.parse({ command: 'ls', cmd: 'ls' }), /unknown field "cmd"/);
    const input: BashInput = bashTool.parse({ command: 'echo ```tick``` && ls', cwd: 'sub', description: 'List files' });
    assert.equal(bashTool.riskOf(input), 'execute');
    assert.equal(bashTool.subjectOf(input), 'echo ```tick``` && ls');
    assert.deepEqual(bashTool.pathsOf(input), ['sub']);
    const preview = await bashTool.preview(input, processToolContext([root]));
    assert.equal(preview.title, 'List files');
    assert.match(preview.detail, /Sandboxed: writes only in the workspace folder/);
    assert.ok(preview.detail.startsWith(`\`\`\`\`bash\n# cwd: ${path.join(root, 'sub')}\necho \`\`\`tick\`\`\` && ls\n\`\`\`\``), preview.detail);
  });
});
