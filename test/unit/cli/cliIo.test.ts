import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { BUILT_CLI, ensureBuiltCli } from './builtCli';

/** Runs `node dist/cli.js ARGS | head -c 64` in bash; head exits after 64 bytes and closes the pipe under the CLI. */
function pipedIntoHead(args: readonly string[], cwd: string): { cliCode: number; stdout: string; stderr: string } {
  const quoted = [process.execPath, BUILT_CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const result = spawnSync('bash', ['-c', `${quoted} | head -c 64; echo "cli-exit=\${PIPESTATUS[0]}" >&2`], { cwd, encoding: 'utf8', timeout: 60_000 });
  const exit = /cli-exit=(\d+)/.exec(result.stderr);
  assert.ok(exit, `no exit status of the CLI in: ${result.stderr}`);
  return { cliCode: Number(exit[1]), stdout: result.stdout, stderr: result.stderr.replace(/cli-exit=\d+\n?/, '') };
}

describe('cli/cliIo: a reader that closes early', function () {
  this.timeout(120_000);
  let root: string;
  let answer: string;
  before(() => {
    ensureBuiltCli();
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cli-epipe-')));
    // far more output than a pipe holds (64 KiB), so the CLI is still writing when the reader has gone
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) {
      const dir = path.join(root, `svc${i}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM node:latest\nRUN apt-get update && apt-get install curl\nENV API_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\nCMD node server.js\n');
      for (let line = 1; line <= 5; line++) lines.push(`svc${i}/Dockerfile:${line} is cited, and svc${i}/Dockerfile:${90 + line} is not there.`);
    }
    answer = path.join(root, 'answer.md');
    fs.writeFileSync(answer, lines.join('\n'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const format of ['text', 'json', 'sarif']) {
    it(`check --format ${format} | head: exits quietly with its own exit code, no EPIPE`, () => {
      const run = pipedIntoHead(['check', '--format', format], root);
      assert.equal(Buffer.byteLength(run.stdout), 64);
      assert.equal(run.stderr, '');
      assert.equal(run.cliCode, 1, 'the findings include errors, so check still exits 1');
    });
  }

  it('citations | head: exits quietly with its own exit code, no EPIPE', () => {
    const run = pipedIntoHead(['citations', answer, '--root', root], root);
    assert.equal(Buffer.byteLength(run.stdout), 64);
    assert.equal(run.stderr, '');
    assert.equal(run.cliCode, 1, 'half the citations are out of range');
  });
});
