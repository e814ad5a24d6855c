import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import { parseAgentText } from '../../../src/core/agents/parseAgentFile';
import { bufferIo } from './bufferIo';

describe('cli: devops-agent init claude-code', () => {
  let root: string;
  beforeEach(() => { root = fs.mkdtempSync(path.join(os.tmpdir(), 'init-cc-')); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
  const settingsFile = (): string => path.join(root, '.claude', 'settings.json');
  const init = async (...extra: string[]): Promise<ReturnType<typeof bufferIo> & { code: number }> => {
    const io = bufferIo(root);
    const code = await runCli(['init', 'claude-code', '--root', root, ...extra], io);
    return Object.assign(io, { code });
  };

  it('writes hooks, the MCP server and the agent into an empty project', async () => {
    const run = await init();
    assert.equal(run.code, 0, run.stderr);
    const settings = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as { hooks: Record<string, { matcher?: string; hooks: { type: string; command: string; timeout: number }[] }[]> };
    assert.deepEqual(Object.keys(settings.hooks), ['PreToolUse', 'PostToolUse', 'Stop', 'SubagentStop']);
    assert.deepEqual(settings.hooks.PreToolUse, [{ matcher: 'Write|Edit|MultiEdit|Read|Bash', hooks: [{ type: 'command', command: 'devops-agent hook claude-code', timeout: 60 }] }]);
    assert.deepEqual(settings.hooks.Stop, [{ hooks: [{ type: 'command', command: 'devops-agent hook claude-code', timeout: 60 }] }]);
    assert.deepEqual(JSON.parse(fs.readFileSync(path.join(root, '.mcp.json'), 'utf8')), { mcpServers: { 'devops-agent': { type: 'stdio', command: 'devops-agent', args: ['mcp'] } } });
    const agent = parseAgentText(fs.readFileSync(path.join(root, '.claude/agents/devops-engineer.md'), 'utf8'), { source: 'workspace', fallbackName: 'devops-engineer' });
    assert.equal(agent.name, 'devops-engineer');
    assert.ok(agent.unknownTools.includes('mcp__devops-agent__certificate_create'));
    assert.match(run.stdout, /^wrote \.claude\/settings\.json:\n {2}\+ hooks\.PreToolUse \(Write\|Edit\|MultiEdit\|Read\|Bash\): devops-agent hook claude-code/);
  });

  it('merges into existing settings without touching other keys or hooks, and a second run changes nothing', async () => {
    fs.mkdirSync(path.dirname(settingsFile()), { recursive: true });
    const existing = { permissions: { allow: ['Bash(npm test)'] }, hooks: { PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: 'my-linter' }] }] } };
    fs.writeFileSync(settingsFile(), JSON.stringify(existing));
    assert.equal((await init('--command', 'npx devops-agent')).code, 0);
    const merged = JSON.parse(fs.readFileSync(settingsFile(), 'utf8')) as typeof existing & { hooks: Record<string, unknown[]> };
    assert.deepEqual(merged.permissions, existing.permissions);
    assert.deepEqual(merged.hooks.PreToolUse?.[0], existing.hooks.PreToolUse[0]);
    assert.equal(merged.hooks.PreToolUse?.length, 2);
    const before = fs.readFileSync(settingsFile(), 'utf8');
    const again = await init('--command', 'npx devops-agent');
    assert.equal(again.code, 0);
    assert.equal(fs.readFileSync(settingsFile(), 'utf8'), before);
    assert.match(again.stdout, /Claude Code is already set up/);
  });

  it('--dry-run prints the change and writes nothing', async () => {
    const run = await init('--dry-run');
    assert.equal(run.code, 0);
    assert.match(run.stdout, /^would write \.claude\/settings\.json:/);
    assert.match(run.stdout, /"command": "devops-agent hook claude-code"/);
    assert.equal(fs.existsSync(path.join(root, '.claude')), false);
    assert.equal(fs.existsSync(path.join(root, '.mcp.json')), false);
  });

  it('never clobbers: invalid settings stop everything, a different agent file is kept unless --force', async () => {
    fs.mkdirSync(path.join(root, '.claude', 'agents'), { recursive: true });
    fs.writeFileSync(settingsFile(), '{ "hooks": ');
    const bad = await init();
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /\.claude\/settings\.json is not valid JSON .*nothing was changed/);
    assert.equal(fs.readFileSync(settingsFile(), 'utf8'), '{ "hooks": ');
    assert.equal(fs.existsSync(path.join(root, '.mcp.json')), false);

    fs.writeFileSync(settingsFile(), '{}');
    const mine = '---\nname: devops-engineer\ndescription: mine\n---\nMy own agent.\n';
    fs.writeFileSync(path.join(root, '.claude/agents/devops-engineer.md'), mine);
    const kept = await init();
    assert.match(kept.stdout, /devops-engineer\.md exists and differs from the bundled agent; kept as it is/);
    assert.equal(fs.readFileSync(path.join(root, '.claude/agents/devops-engineer.md'), 'utf8'), mine);
    await init('--force');
    assert.notEqual(fs.readFileSync(path.join(root, '.claude/agents/devops-engineer.md'), 'utf8'), mine);
  });

  it('usage errors', async () => {
    assert.equal((await init('--bogus')).code, 2);
    const io = bufferIo(root);
    assert.equal(await runCli(['init', 'cursor'], io), 2);
    assert.match(io.stderr, /expected `init claude-code`/);
  });
});
