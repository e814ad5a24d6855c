import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { parseAuditLine } from '../../../src/core/policy/auditLog';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { bufferIo } from './bufferIo';
import { scratchDirOutsideTmp } from '../../harness/scratchOutsideTmp';

// Marker words are assembled so this test file carries no placeholder marker of its own.
const PLACEHOLDER_CODE = `export function deploy(): void {\n  throw new Error('${['Not', 'implemented'].join(' ')}');\n}\n`;
const GITHUB_TOKEN = `ghp_${'Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2'}`;
const AUDIT = path.join('docs', 'ai', 'agents', 'devops-engineer', 'audit.jsonl');

describe('cli/tool', () => {
  let tmp: string;
  let root: string;

  beforeEach(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tool-cli-')));
    root = path.join(tmp, 'repo');
    fs.mkdirSync(path.join(root, 'src'), { recursive: true });
    fs.writeFileSync(path.join(root, 'src', 'app.js'), "const port = 8080;\nmodule.exports = { port };\n");
    fs.writeFileSync(path.join(root, 'README.md'), '# App\n\nListens on 8080.\n');
    fs.writeFileSync(path.join(root, '.env'), 'API_TOKEN=abc\n');
    fs.writeFileSync(path.join(root, 'ci.env.yml'), `token: ${GITHUB_TOKEN}\n`);
    const git = (...args: string[]): void => { execFileSync('git', args, { cwd: root, stdio: 'ignore' }); };
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'add', '-A');
    git('-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-q', '-m', 'initial');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  async function tool(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const io = bufferIo(root);
    const code = await runCli(['tool', ...args], io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  }

  function auditEntries(): AuditEntry[] {
    const file = path.join(root, AUDIT);
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').trim().split('\n').map((line) => parseAuditLine(line) as AuditEntry);
  }

  it('is listed in the CLI help and has its own help', async () => {
    const io = bufferIo(root);
    assert.equal(await runCli(['--help'], io), 0);
    assert.match(io.stdout, /^\s+tool\s+run one tool under the same policy as the chat$/m);
    const help = await tool('--help');
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Read, Write, Edit, Glob, Grep, Bash, Git, Docker, memory_read, memory_update, decision_record, certificate_create/);
  });

  it('Read prints numbered lines and exits 0', async () => {
    const { code, stdout, stderr } = await tool('Read', '--input', '{"path": "src/app.js"}');
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^\s*1\tconst port = 8080;$/m);
    assert.match(stdout, /^\s*2\tmodule\.exports = \{ port \};$/m);
  });

  it('takes the tool by id and the input from a file or stdin', async () => {
    fs.writeFileSync(path.join(tmp, 'input.json'), '{"pattern": "8080"}');
    const fromFile = await tool('devops_grep', '--input', `@${path.join(tmp, 'input.json')}`);
    assert.equal(fromFile.code, 0, fromFile.stderr);
    assert.match(fromFile.stdout, /src\/app\.js/);
    const io = bufferIo(root, '{"action": "log"}');
    assert.equal(await runCli(['tool', 'Git', '--input', '-'], io), 0, io.stderr);
    assert.match(io.stdout, /initial/);
  });

  it('Write without --yes exits 3 with the preview and writes nothing; with --yes it writes', async () => {
    const input = JSON.stringify({ path: 'deploy/compose.yml', content: 'services:\n  api:\n    image: app:1\n' });
    const asked = await tool('Write', '--input', input);
    assert.equal(asked.code, 3);
    assert.match(asked.stderr, /Write needs approval \(Write calls ask for confirmation by default\./);
    assert.match(asked.stderr, /Create deploy\/compose\.yml/);
    assert.match(asked.stderr, /image: app:1/);
    assert.match(asked.stderr, /Run again with --yes to approve\./);
    assert.equal(fs.existsSync(path.join(root, 'deploy')), false);
    const approved = await tool('Write', '--input', input, '--yes');
    assert.equal(approved.code, 0, approved.stderr);
    assert.match(approved.stdout, /Created deploy\/compose\.yml \(3 lines\)\./);
    assert.equal(fs.readFileSync(path.join(root, 'deploy', 'compose.yml'), 'utf8'), 'services:\n  api:\n    image: app:1\n');
    assert.deepEqual(auditEntries().map((e) => [e.tool, e.decision, e.approvedBy, e.outcome]), [['Write', 'ask', 'cli --yes', 'ok']]);
  });

  it('overwrites atomically: a new file is renamed into place and no temp file is left', async () => {
    const session = 'session.json';
    assert.equal((await tool('Read', '--input', '{"path": "README.md"}', '--session', session)).code, 0);
    const before = fs.statSync(path.join(root, 'README.md')).ino;
    const written = await tool('Write', '--input', JSON.stringify({ path: 'README.md', content: '# App\n\nListens on 9090.\n' }), '--yes', '--session', session);
    assert.equal(written.code, 0, written.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), '# App\n\nListens on 9090.\n');
    assert.notEqual(fs.statSync(path.join(root, 'README.md')).ino, before, 'replaced by rename, not rewritten in place');
    assert.deepEqual(fs.readdirSync(root).filter((n) => n.endsWith('.tmp')), []);
  });

  it('--session keeps the read set: an Edit of a file read earlier works, an Edit of an unread one is refused', async () => {
    const session = path.join('state', 'session.json');
    fs.mkdirSync(path.join(root, 'state'));
    agentFile('editor', 'tools: Read, Edit\n');
    assert.equal((await tool('Read', '--input', '{"path": "src/app.js"}', '--session', session)).code, 0);
    const saved = JSON.parse(fs.readFileSync(path.join(root, session), 'utf8')) as { path: string }[];
    assert.deepEqual(saved.map((e) => e.path), [path.join(root, 'src', 'app.js')], 'the session file is resolved against the working folder');
    const edit = await tool('Edit', '--input', JSON.stringify({ path: 'src/app.js', old_string: '8080', new_string: '9090' }), '--yes', '--session', session, '--agent', 'editor');
    assert.equal(edit.code, 0, edit.stderr);
    assert.match(fs.readFileSync(path.join(root, 'src', 'app.js'), 'utf8'), /const port = 9090;/);
    const unread = await tool('Edit', '--input', JSON.stringify({ path: 'README.md', old_string: '8080', new_string: '9090' }), '--yes', '--session', session, '--agent', 'editor');
    assert.equal(unread.code, 3);
    assert.match(unread.stderr, /README\.md already exists and has not been read in this session/);
    const noSession = await tool('Edit', '--input', JSON.stringify({ path: 'src/app.js', old_string: '9090', new_string: '7070' }), '--yes', '--agent', 'editor');
    assert.equal(noSession.code, 3, 'without --session nothing was read');
  });

  it('refuses a malformed session file instead of overwriting it', async () => {
    fs.writeFileSync(path.join(root, 'broken.json'), '{not json');
    const result = await tool('Read', '--input', '{"path": "src/app.js"}', '--session', 'broken.json');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /session file .*broken\.json is not valid JSON/);
    assert.equal(fs.readFileSync(path.join(root, 'broken.json'), 'utf8'), '{not json');
  });

  it('refuses a secret file with exit 3, even with --yes, and audits the refusal', async () => {
    const result = await tool('Read', '--input', '{"path": ".env"}', '--yes');
    assert.equal(result.code, 3);
    assert.match(result.stderr, /^Denied: '\.env' matches \*\*\/\.env\* on the secret deny list/m);
    assert.equal(result.stdout, '');
    assert.deepEqual(auditEntries().map((e) => [e.tool, e.decision, e.outcome]), [['Read', 'deny', 'refused']]);
  });

  it('refuses a path outside the workspace with exit 3', async () => {
    const result = await tool('Read', '--input', '{"path": "../outside.txt"}');
    assert.equal(result.code, 3);
    assert.match(result.stderr, /leaves the workspace folder/);
  });

  it('exits 2 for invalid JSON, invalid tool input, a missing --input and an unknown tool', async () => {
    const badJson = await tool('Read', '--input', '{path: src/app.js}');
    assert.equal(badJson.code, 2);
    assert.match(badJson.stderr, /--input is not valid JSON/);
    const badInput = await tool('Read', '--input', '{"file": "src/app.js"}');
    assert.equal(badInput.code, 2);
    assert.match(badInput.stderr, /^Invalid input for Read: /m);
    assert.equal((await tool('Read')).code, 2);
    const unknown = await tool('Deploy', '--input', '{}');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown tool 'Deploy'; tools: Read, Write/);
    const bogus = await tool('Read', '--input', '{}', '--bogus');
    assert.equal(bogus.code, 2);
    assert.match(bogus.stderr, /Unknown option '--bogus'/);
    assert.equal((await tool('Read', 'Glob', '--input', '{}')).code, 2);
    const badAgent = await tool('Read', '--input', '{"path": "src/app.js"}', '--agent', '../../etc');
    assert.equal(badAgent.code, 2);
    assert.match(badAgent.stderr, /--agent: Agent name "\.\.\/\.\.\/etc" cannot name a folder/);
    assert.equal((await tool('Read', '--input', '{"path": "src/app.js"}', '--root', 'missing')).code, 2);
  });

  it('exits 1 when the tool itself fails (Bash exit 4 with --yes)', async () => {
    const result = await tool('Bash', '--input', '{"command": "echo failing >&2; exit 4"}', '--yes');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Exit code 4 after /);
    assert.match(result.stderr, /failing/);
    assert.deepEqual(auditEntries().map((e) => [e.tool, e.decision, e.approvedBy, e.outcome]), [['Bash', 'ask', 'cli --yes', 'error']]);
  });

  it('runs Bash in the sandbox: the escapes of issue #15 are blocked and say so; --unsandboxed is explicit and audited', async function () {
    if (process.platform !== 'linux') this.skip();
    // a workspace outside /tmp, so a write next to it meets the read-only disk rather than the sandbox's private /tmp
    const base = fs.realpathSync(fs.mkdtempSync(path.join(scratchDirOutsideTmp(path.resolve('out')), 'cli-sandbox-')));
    const io = bufferIo(base);
    try {
      fs.mkdirSync(path.join(base, 'ws'));
      const escape = JSON.stringify({ command: 'echo built > out.txt; cd .. && touch escaped.txt; cat ws/.env' });
      fs.writeFileSync(path.join(base, 'ws', '.env'), 'TOKEN=cli-secret-77\n');
      const code = await runCli(['tool', 'Bash', '--root', 'ws', '--yes', '--input', escape], io);
      assert.equal(code, 1, io.stderr);
      assert.match(io.stderr, /blocked by the sandbox: write outside the workspace/);
      assert.match(io.stderr, /blocked by the sandbox: read of a secret location \(\.env /);
      assert.doesNotMatch(io.stderr, /cli-secret-77/);
      assert.equal(fs.existsSync(path.join(base, 'escaped.txt')), false);
      assert.equal(fs.readFileSync(path.join(base, 'ws', 'out.txt'), 'utf8'), 'built\n');
      const open = bufferIo(base);
      assert.equal(await runCli(['tool', 'Bash', '--root', 'ws', '--yes', '--unsandboxed', '--input', '{"command": "touch ../escaped.txt"}'], open), 0, open.stderr);
      assert.match(open.stdout, /Ran WITHOUT the sandbox/);
      assert.equal(fs.existsSync(path.join(base, 'escaped.txt')), true);
      const entries = fs.readFileSync(path.join(base, 'ws', AUDIT), 'utf8').trim().split('\n').map((line) => parseAuditLine(line) as AuditEntry);
      assert.deepEqual(entries.map((e) => e.sandbox), ['on', 'off']);
      const badHost = bufferIo(base);
      assert.equal(await runCli(['tool', 'Bash', '--root', 'ws', '--yes', '--allow-host', 'https://x.com/', '--input', '{"command": "true"}'], badHost), 2);
      assert.match(badHost.stderr, /--allow-host "https:\/\/x\.com\/" is not a host name/);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });

  it('redacts secrets from the output and says how many', async () => {
    const result = await tool('Read', '--input', '{"path": "ci.env.yml"}');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(!result.stdout.includes(GITHUB_TOKEN));
    assert.match(result.stdout, /\[REDACTED:github-token\]/);
    assert.match(result.stderr, /\(1 secret redacted\)/);
    assert.equal(auditEntries()[0]?.redactions, 1);
  });

  it('writes one audit line per call, for the agent named with --agent too', async () => {
    await tool('Read', '--input', '{"path": "src/app.js"}');
    await tool('Glob', '--input', '{"pattern": "**/*.md"}');
    await tool('Read', '--input', '{"path": ".env"}');
    await tool('Bash', '--input', '{"command": "true"}', '--yes');
    await tool('Bash', '--input', '{"command": "true"}');
    assert.deepEqual(auditEntries().map((e) => `${e.tool}:${e.outcome}`), ['Read:ok', 'Glob:ok', 'Read:refused', 'Bash:ok'], 'a call not approved did not run and is not logged');
    agentFile('reviewer', 'tools: Read\n');
    await tool('Read', '--input', '{"path": "README.md"}', '--agent', 'reviewer');
    const reviewer = fs.readFileSync(path.join(root, 'docs', 'ai', 'agents', 'reviewer', 'audit.jsonl'), 'utf8').trim().split('\n');
    assert.equal(reviewer.length, 1);
    assert.equal((parseAuditLine(reviewer[0] ?? '') as AuditEntry).agent, 'reviewer');
  });

  function agentFile(name: string, frontmatter: string): void {
    fs.mkdirSync(path.join(root, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(path.join(root, '.claude', 'agents', `${name}.md`), `---\nname: ${name}\ndescription: test agent\n${frontmatter}---\nYou help.\n`);
  }

  it('applies the agent\'s allow-list: a tool the agent was not given is refused with exit 3 and audited', async () => {
    // The bundled devops-engineer has no Edit, in the chat and here alike.
    const edit = await tool('Edit', '--input', JSON.stringify({ path: 'src/app.js', old_string: '8080', new_string: '9090' }), '--yes');
    assert.equal(edit.code, 3, edit.stderr);
    assert.match(edit.stderr, /The agent 'devops-engineer' is not allowed to use Edit/);
    agentFile('reader', 'tools: Read, Grep\n');
    const bash = await tool('Bash', '--input', '{"command": "true"}', '--yes', '--agent', 'reader');
    assert.equal(bash.code, 3, bash.stderr);
    assert.match(bash.stderr, /The agent 'reader' is not allowed to use Bash; its tools are: Read, Grep/);
    assert.equal((await tool('Read', '--input', '{"path": "src/app.js"}', '--agent', 'reader')).code, 0);
    const reader = fs.readFileSync(path.join(root, 'docs', 'ai', 'agents', 'reader', 'audit.jsonl'), 'utf8').trim().split('\n').map((line) => parseAuditLine(line) as AuditEntry);
    assert.deepEqual(reader.map((e) => `${e.tool}:${e.outcome}`), ['Bash:refused', 'Read:ok']);
  });

  it('applies the permission rules of .vscode/settings.json (comments and trailing commas allowed) and of the agent', async () => {
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{\n  // no one reads the README here\n  "devopsAgent.permissions.deny": ["Read(README.md)"],\n  /* the app is fine */ "devopsAgent.permissions.allow": ["Bash(echo *)",],\n}\n');
    const denied = await tool('Read', '--input', '{"path": "README.md"}');
    assert.equal(denied.code, 3, denied.stderr);
    assert.match(denied.stderr, /README\.md/);
    assert.equal((await tool('Read', '--input', '{"path": "src/app.js"}')).code, 0);
    const echoed = await tool('Bash', '--input', '{"command": "echo settings"}');
    assert.equal(echoed.code, 0, `allowed by the settings rule without --yes: ${echoed.stderr}`);
    agentFile('runner', 'tools: Read, Bash\npermissions:\n  allow: ["Bash(true)"]\n  deny: ["Bash(echo *)"]\n');
    assert.equal((await tool('Bash', '--input', '{"command": "true"}', '--agent', 'runner')).code, 0, 'the agent\'s allow rule');
    assert.equal((await tool('Bash', '--input', '{"command": "echo x"}', '--agent', 'runner')).code, 3, 'the agent\'s deny rule beats the settings\' allow');
  });

  it('refuses an unknown agent or unreadable settings with exit 2, naming what is there', async () => {
    const unknown = await tool('Read', '--input', '{"path": "src/app.js"}', '--agent', 'nobody');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no agent named 'nobody'.*devops-engineer/s);
    fs.mkdirSync(path.join(root, '.vscode'));
    fs.writeFileSync(path.join(root, '.vscode', 'settings.json'), '{ "devopsAgent.permissions.deny": [ }');
    const broken = await tool('Read', '--input', '{"path": "src/app.js"}');
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /\.vscode\/settings\.json/);
  });

  it('exits 4 and says so when the audit log cannot be written, after running the call', async () => {
    // A file where the agent's folder should be: the audit log cannot be created under it.
    fs.mkdirSync(path.join(root, 'docs', 'ai', 'agents'), { recursive: true });
    fs.writeFileSync(path.join(root, 'docs', 'ai', 'agents', 'devops-engineer'), 'not a folder\n');
    const read = await tool('Read', '--input', '{"path": "src/app.js"}');
    assert.equal(read.code, 4, read.stderr);
    assert.match(read.stdout, /const port = 8080;/, 'the call itself ran');
    assert.match(read.stderr, /the audit log .*audit\.jsonl could not be written/);
    const refused = await tool('Read', '--input', '{"path": ".env"}');
    assert.equal(refused.code, 4, 'a refusal that could not be audited is reported too');
    assert.match(refused.stderr, /could not be written/);
  });

  it('--allow-guarded overrides the no-mock guard for that one call', async () => {
    const input = JSON.stringify({ path: 'src/deploy.ts', content: PLACEHOLDER_CODE });
    const refused = await tool('Write', '--input', input, '--yes');
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /Refused by the no-mock rule: src\/deploy\.ts/);
    assert.equal(fs.existsSync(path.join(root, 'src', 'deploy.ts')), false);
    const allowed = await tool('Write', '--input', input, '--yes', '--allow-guarded');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'src', 'deploy.ts'), 'utf8'), PLACEHOLDER_CODE);
    const other = await tool('Write', '--input', JSON.stringify({ path: 'src/other.ts', content: PLACEHOLDER_CODE }), '--yes');
    assert.equal(other.code, 3, 'the override was for that call only');
  });

  it('--allow-guarded works for Edit too, whose input fields are renamed when parsed', async () => {
    const session = 'session.json';
    agentFile('editor', 'tools: Read, Edit\n');
    assert.equal((await tool('Read', '--input', '{"path": "src/app.js"}', '--session', session)).code, 0);
    const input = JSON.stringify({ path: 'src/app.js', old_string: 'module.exports = { port };', new_string: 'const mockServer = { port };\nmodule.exports = { port };' });
    const refused = await tool('Edit', '--input', input, '--yes', '--session', session, '--agent', 'editor');
    assert.equal(refused.code, 3);
    assert.match(refused.stderr, /no-mock rule/);
    const allowed = await tool('Edit', '--input', input, '--yes', '--session', session, '--allow-guarded', '--agent', 'editor');
    assert.equal(allowed.code, 0, allowed.stderr);
    assert.match(fs.readFileSync(path.join(root, 'src', 'app.js'), 'utf8'), /const mockServer = \{ port \};/);
  });
});
