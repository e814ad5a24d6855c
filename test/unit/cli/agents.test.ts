import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { bufferIo } from './bufferIo';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

describe('cli/agents', () => {
  let base: string;
  let ws: string;
  let home: string;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-agents-'));
    ws = path.join(base, 'ws');
    home = path.join(base, 'home');
    write(path.join(ws, '.claude/agents/deployer.md'), '---\nname: deployer\ndescription: Ships\ntools: Read, Bash, WebFetch\nmodel: haiku\n---\nbody\n');
    write(path.join(ws, '.github/chatmodes/helm.chatmode.md'), "---\ndescription: Helm\ntools: ['codebase']\n---\nbody\n");
    write(path.join(home, '.claude/agents/personal.md'), '---\nname: personal\ndescription: Mine\n---\nbody\n');
    write(path.join(ws, 'lint/good.md'), '---\nname: good\ndescription: fine\ntools: Read\n---\nbody\n');
    write(path.join(ws, 'lint/warn.md'), '---\nname: warn\ndescription: fine\ntools: Read, Task\n---\nbody\n');
    write(path.join(ws, 'lint/bad.md'), '---\nname: bad\ndescription: fine\nname: again\n---\nbody\n');
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('lists agents as a table', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', '--user-home', home], io), 0);
    const lines = io.stdout.trim().split('\n');
    assert.match(lines[0], /^NAME\s+SOURCE\s+TOOLS\s+PROBLEMS$/);
    assert.match(io.stdout, /^deployer\s+workspace\s+Read,Bash\s+1$/m);
    assert.match(io.stdout, /^devops-engineer\s+bundled\s+Read,Write,Bash,Glob,Grep,Git,Docker\s+0$/m);
    assert.match(io.stdout, /^helm\s+workspace\s+Read,Glob,Grep\s+1$/m);
    assert.match(io.stdout, /^personal\s+user\s+all\s+0$/m);
    assert.equal(lines.length, 5);
  });

  it('prints JSON with --json and --root', async () => {
    const io = bufferIo(base);
    assert.equal(await runCli(['agents', '--root', 'ws', '--user-home', home, '--json'], io), 0);
    const agents = JSON.parse(io.stdout) as Array<Record<string, unknown>>;
    assert.deepEqual(agents.map((a) => a.name), ['deployer', 'devops-engineer', 'helm', 'personal']);
    assert.deepEqual(agents[0], {
      name: 'deployer',
      source: 'workspace',
      file: path.join(ws, '.claude/agents/deployer.md'),
      description: 'Ships',
      tools: ['Read', 'Bash'],
      unknownTools: ['WebFetch'],
      model: 'haiku',
      problems: [{ line: 4, message: "tool 'WebFetch' is a Claude Code tool that is not provided by this harness", severity: 'warning' }],
    });
    assert.equal(agents[1].file, null);
    assert.equal(agents[3].model, null);
  });

  it('lints clean files with exit 0', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', 'lint', 'lint/good.md'], io), 0);
    assert.equal(io.stdout, '');
    assert.match(io.stderr, /1 file checked: 0 errors, 0 warnings/);
  });

  it('prints warnings as file:line: severity: message and still exits 0', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', 'lint', 'lint/good.md', 'lint/warn.md'], io), 0);
    assert.equal(io.stdout, "lint/warn.md:4: warning: tool 'Task' is a Claude Code tool that is not provided by this harness\n");
  });

  it('exits 1 when a file has an error', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', 'lint', 'lint/bad.md', 'lint/good.md'], io), 1);
    assert.match(io.stdout, /^lint\/bad\.md:4: error: invalid YAML in the frontmatter: Map keys must be unique$/m);
    assert.match(io.stderr, /2 files checked: 1 error, 0 warnings/);
  });

  it('exits 2 when a file does not exist, after linting the others', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', 'lint', 'lint/bad.md', 'lint/missing.md'], io), 2);
    assert.match(io.stderr, /lint\/missing\.md: no such file/);
    assert.match(io.stdout, /lint\/bad\.md:4: error:/);
  });

  it('lints to JSON with --json', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', 'lint', '--json', 'lint/warn.md'], io), 0);
    const [agent] = JSON.parse(io.stdout) as Array<{ name: string; unknownTools: string[] }>;
    assert.equal(agent.name, 'warn');
    assert.deepEqual(agent.unknownTools, ['Task']);
  });

  it('rejects bad usage with exit 2', async () => {
    for (const args of [['agents', 'frobnicate'], ['agents', 'lint'], ['agents', '--bogus'], ['agents', '--root', path.join(base, 'nope')]]) {
      const io = bufferIo(ws);
      assert.equal(await runCli(args, io), 2, args.join(' '));
      assert.match(io.stderr, /^devops-agent agents: /);
    }
  });

  it('prints help', async () => {
    const io = bufferIo(ws);
    assert.equal(await runCli(['agents', '--help'], io), 0);
    assert.match(io.stdout, /devops-agent agents lint FILE/);
    const top = bufferIo(ws);
    assert.equal(await runCli(['--help'], top), 0);
    assert.match(top.stdout, /agents\s+list agent definitions; agents lint FILE\.\.\./);
  });
});
