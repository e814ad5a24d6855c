import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AGENT_FILE_GLOBS, USER_AGENT_DIR, USER_AGENT_GLOB, agentFilesSignature, findAgents } from '../../../../src/core/agents/findAgents';

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function agentText(name: string, description = `${name} agent`, tools = 'Read'): string {
  return `---\nname: ${name}\ndescription: ${description}\ntools: ${tools}\n---\nbody of ${name}\n`;
}

describe('core/agents/findAgents', () => {
  let base: string;
  let root: string;
  let second: string;
  let home: string;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'find-agents-'));
    root = path.join(base, 'ws');
    second = path.join(base, 'ws2');
    home = path.join(base, 'home');
    write(path.join(root, '.claude/agents/devops-engineer.md'), agentText('devops-engineer', 'workspace override', 'Read, Bash'));
    write(path.join(root, '.claude/agents/notes.txt'), 'not an agent');
    write(path.join(root, '.github/agents/reviewer.agent.md'), agentText('reviewer', 'workspace reviewer'));
    write(path.join(root, '.github/agents/README.md'), '# not an agent: .github/agents only holds *.agent.md');
    write(path.join(root, '.github/chatmodes/helm.chatmode.md'), "---\ndescription: Helm mode\ntools: ['runCommands']\n---\nbody\n");
    fs.mkdirSync(path.join(root, '.claude/agents/folder.md'));
    write(path.join(second, '.claude/agents/reviewer.md'), agentText('reviewer', 'second folder reviewer'));
    write(path.join(second, '.claude/agents/solo.md'), agentText('solo'));
    write(path.join(home, '.claude/agents/reviewer.md'), agentText('reviewer', 'user reviewer'));
    write(path.join(home, '.claude/agents/personal.md'), agentText('personal', 'user only'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('fingerprints the agent files: unchanged until a file is added, edited or removed', async () => {
    const options = { roots: [root, second], userHome: home };
    const before = await agentFilesSignature(options);
    assert.equal(await agentFilesSignature(options), before);
    assert.match(before, /reviewer\.agent\.md/);
    assert.doesNotMatch(before, /notes\.txt|README\.md|folder\.md/);
    const added = path.join(second, '.claude/agents/extra.md');
    write(added, agentText('extra'));
    const withExtra = await agentFilesSignature(options);
    assert.notEqual(withExtra, before);
    write(added, agentText('extra', 'a longer description that changes the size'));
    assert.notEqual(await agentFilesSignature(options), withExtra);
    fs.rmSync(added);
    assert.equal(await agentFilesSignature(options), before);
  });

  it('finds workspace, chat-mode, user and bundled agents, sorted by name', async () => {
    const agents = await findAgents({ roots: [root], userHome: home });
    assert.deepEqual(agents.map((a) => [a.name, a.source]), [
      ['devops-engineer', 'workspace'],
      ['helm', 'workspace'],
      ['personal', 'user'],
      ['reviewer', 'workspace'],
    ]);
    const helm = agents.find((a) => a.name === 'helm');
    assert.equal(helm?.file, path.join(root, '.github/chatmodes/helm.chatmode.md'));
    assert.deepEqual(helm?.tools, ['Bash']);
  });

  it('lets the workspace override the user and the bundle, with a warning on the winner', async () => {
    const agents = await findAgents({ roots: [root], userHome: home });
    const devops = agents.find((a) => a.name === 'devops-engineer');
    assert.equal(devops?.description, 'workspace override');
    assert.deepEqual(devops?.tools, ['Read', 'Bash']);
    assert.deepEqual(devops?.problems.map((p) => [p.line, p.severity, p.message]), [[1, 'warning', 'overrides the bundled agent']]);
    const reviewer = agents.find((a) => a.name === 'reviewer');
    assert.equal(reviewer?.description, 'workspace reviewer');
    assert.deepEqual(reviewer?.problems.map((p) => p.message), [`overrides the user agent in ${path.join(home, '.claude/agents/reviewer.md')}`]);
  });

  it('lets the user override the bundle', async () => {
    const userHome = path.join(base, 'home-with-devops');
    write(path.join(userHome, USER_AGENT_DIR, 'devops-engineer.md'), agentText('devops-engineer', 'mine'));
    const agents = await findAgents({ roots: [], userHome });
    assert.deepEqual(agents.map((a) => [a.name, a.source, a.description]), [['devops-engineer', 'user', 'mine']]);
    assert.match(agents[0].problems[0].message, /overrides the bundled agent/);
  });

  it('prefers the earlier workspace folder and says which definition it ignored', async () => {
    const agents = await findAgents({ roots: [second, root], includeBundled: false });
    const reviewer = agents.find((a) => a.name === 'reviewer');
    assert.equal(reviewer?.description, 'second folder reviewer');
    assert.match(reviewer?.problems[0].message ?? '', /also defined by the workspace agent in .*reviewer\.agent\.md, which is ignored/);
    assert.ok(agents.some((a) => a.name === 'solo'));
  });

  it('returns only the bundled agent for folders without agents, and nothing without the bundle', async () => {
    const empty = path.join(base, 'empty');
    fs.mkdirSync(empty);
    const agents = await findAgents({ roots: [empty, path.join(base, 'does-not-exist')] });
    assert.deepEqual(agents.map((a) => [a.name, a.source, a.file]), [['devops-engineer', 'bundled', undefined]]);
    assert.deepEqual(agents[0].problems, []);
    assert.deepEqual(await findAgents({ roots: [empty], includeBundled: false }), []);
  });

  it('reads no user agents when no home is given', async () => {
    const agents = await findAgents({ roots: [], includeBundled: false });
    assert.deepEqual(agents, []);
    const withHome = await findAgents({ roots: [], userHome: home, includeBundled: false });
    assert.deepEqual(withHome.map((a) => a.name), ['personal', 'reviewer']);
  });

  it('keeps broken files in the list with their problems', async () => {
    const ws = path.join(base, 'broken');
    write(path.join(ws, '.claude/agents/broken.md'), '---\nname: broken\ndescription: [unclosed\n---\n');
    const [broken] = await findAgents({ roots: [ws], includeBundled: false });
    assert.equal(broken.name, 'broken');
    assert.equal(broken.problems[0].severity, 'error');
    assert.equal(broken.problems[0].line, 3);
  });

  it('exports the globs it reads, for file watchers', () => {
    assert.deepEqual([...AGENT_FILE_GLOBS], ['.claude/agents/*.md', '.github/agents/*.agent.md', '.github/chatmodes/*.chatmode.md']);
    assert.equal(USER_AGENT_DIR, '.claude/agents');
    assert.equal(USER_AGENT_GLOB, '*.md');
  });
});
