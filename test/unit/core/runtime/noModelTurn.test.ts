import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CheckReport } from '../../../../src/core/checks/checkTypes';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import { LineIndexCache } from '../../../../src/core/citations/lineIndexCache';
import { verifyCitations } from '../../../../src/core/citations/verifyCitations';
import { memoryFilePath } from '../../../../src/core/memory/memoryStore';
import type { NoModelAnswer } from '../../../../src/core/runtime/noModelTurn';
import { DELIVERY_METRICS_FOCUS_COMMAND, answerWithoutModel, appendBullet, findingsMarkdown } from '../../../../src/core/runtime/noModelTurn';
import { DAY_SECONDS, DatedGitRepo } from '../metrics/datedGitRepo';

const AGENT = 'devops-engineer';
const textOf = (answer: NoModelAnswer): string => answer.parts.map((p) => (p.kind === 'markdown' || p.kind === 'needs-model' ? p.text : `[${p.kind}]`)).join('\n');

describe('core/runtime/noModelTurn', () => {
  let root: string;
  beforeEach(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'no-model-'))); });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('/certify opens the New Certificate form', async () => {
    const answer = await answerWithoutModel({ command: 'certify', prompt: 'the release pipeline', root, agent: AGENT });
    assert.deepEqual(answer.parts.map((p) => p.kind), ['markdown', 'open-new-certificate']);
  });

  it('says in one line that other requests need a model, and what works without one', async () => {
    for (const command of [undefined, 'incident']) {
      const answer = await answerWithoutModel({ command, prompt: 'why does the api container restart?', root, agent: AGENT });
      const needs = answer.parts.filter((p) => p.kind === 'needs-model');
      assert.equal(needs.length, 1);
      assert.match(textOf(answer), /needs reasoning, which needs a language model/);
      assert.match(textOf(answer), /\/review/);
    }
  });

  it('/metrics measures the delivery metrics from the real git history, in the window the request names', async () => {
    const now = Math.floor(Date.now() / 1000);
    const repo = new DatedGitRepo(path.join(root, 'service'), now - 20 * DAY_SECONDS);
    repo.commit(0, 'init');
    repo.annotatedTag(1, 'v1.0.0');
    repo.commit(2, 'feature');
    repo.annotatedTag(3, 'v1.1.0');
    repo.commit(4, 'fix');
    repo.annotatedTag(5, 'v1.1.1');
    const answer = await answerWithoutModel({ command: 'metrics', prompt: 'last 30 days', root: repo.dir, agent: AGENT });
    assert.deepEqual(answer.parts.map((p) => p.kind), ['markdown', 'command', 'needs-model']);
    const text = textOf(answer);
    assert.match(text, /\(until excluded, 30 days\)/);
    assert.match(text, /Deployment frequency\s+3 \(/);
    assert.match(text, /Change failure rate\s+33\.3 %/, 'v1.1.0 was fixed by the patch release v1.1.1');
    assert.deepEqual(answer.parts[1], { kind: 'command', command: DELIVERY_METRICS_FOCUS_COMMAND, title: 'Open Delivery Metrics' });
    const defaultWindow = await answerWithoutModel({ command: 'metrics', prompt: '', root: repo.dir, agent: AGENT, doraSettings: { days: 7 } });
    assert.match(textOf(defaultWindow), /\(until excluded, 7 days\)/, 'the settings window when the request names none');
  });

  it('/metrics says why when there is no history to measure, and runs no git in an untrusted workspace', async () => {
    const notRepo = await answerWithoutModel({ command: 'metrics', prompt: '', root, agent: AGENT });
    assert.match(textOf(notRepo), /^Delivery metrics could not be measured: .*git/i);
    const untrusted = await answerWithoutModel({ command: 'metrics', prompt: '', root, agent: AGENT, trusted: false });
    assert.match(textOf(untrusted), /not trusted, so git is not run/);
  });

  it('says a folder must be open when there is none', async () => {
    const answer = await answerWithoutModel({ command: 'memory', prompt: '', root: undefined, agent: AGENT });
    assert.match(textOf(answer), /Open a folder first/);
  });

  it('/review without the check engine says so instead of pretending', async () => {
    const answer = await answerWithoutModel({ command: 'review', prompt: 'the Dockerfile', root, agent: AGENT });
    assert.deepEqual(answer.parts.map((p) => p.kind), ['needs-model']);
  });

  it('/memory on an empty memory says how to add to it, and writes nothing', async () => {
    const answer = await answerWithoutModel({ command: 'memory', prompt: '', root, agent: AGENT });
    assert.match(textOf(answer), /Working memory of \*\*devops-engineer\*\* is empty/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
  });

  it('/memory SECTION: text adds a bullet to that section, and /memory shows it with a verified link to the heading', async () => {
    const added = await answerWithoutModel({ command: 'memory', prompt: 'active tasks: pin the base image of the Dockerfile', root, agent: AGENT });
    assert.match(textOf(added), /^Added to \*\*Active Tasks\*\* in docs\/ai\/agents\/devops-engineer\/working-memory\.md:\d+\./);
    const file = memoryFilePath(root, AGENT, 'working-memory');
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /## Active Tasks\n\n- pin the base image of the Dockerfile\n/);
    assert.doesNotMatch(text.split('## Active Tasks')[1] ?? '', /Nothing recorded yet/);
    await answerWithoutModel({ command: 'memory', prompt: 'Active Tasks: rotate the token in .env', root, agent: AGENT });
    assert.match(fs.readFileSync(file, 'utf8'), /- pin the base image of the Dockerfile\n- rotate the token in \.env\n/);

    const shown = await answerWithoutModel({ command: 'memory', prompt: 'show', root, agent: AGENT });
    assert.equal(shown.parts.some((p) => p.kind === 'needs-model'), false);
    const markdown = textOf(shown);
    assert.match(markdown, /\*\*Active Tasks\*\*: - pin the base image of the Dockerfile · - rotate the token in \.env/);
    const citations = parseCitations(markdown, { roots: [root] });
    assert.ok(citations.length >= 5, markdown);
    const checks = await verifyCitations(citations, { roots: [root], cache: new LineIndexCache() });
    assert.deepEqual(checks.filter((c) => c.status !== 'verified').map((c) => c.message), []);
    assert.ok(shown.readFiles.includes(file));
  });

  it('/memory changes nothing in an untrusted workspace, and says so', async () => {
    const answer = await answerWithoutModel({ command: 'memory', prompt: 'Active Tasks: pin the image', root, agent: AGENT, trusted: false });
    assert.match(textOf(answer), /not trusted, so working memory is not changed/);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false);
  });

  it('/memory decision: … because … appends to the decisions log', async () => {
    const answer = await answerWithoutModel({ command: 'memory', prompt: 'decision: pin node to 20.18 because :latest moves under us', root, agent: AGENT });
    assert.match(textOf(answer), /Recorded the decision at docs\/ai\/agents\/devops-engineer\/decisions-log\.md:\d+/);
    const log = fs.readFileSync(memoryFilePath(root, AGENT, 'decisions-log'), 'utf8');
    assert.match(log, /## \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC — pin node to 20\.18\n/);
    assert.match(log, /\*\*Rationale\*\*: :latest moves under us/);
  });

  it('/memory with a question shows memory and says answering needs a model', async () => {
    const answer = await answerWithoutModel({ command: 'memory', prompt: 'what did we decide about the base image?', root, agent: AGENT });
    assert.equal(answer.parts.filter((p) => p.kind === 'needs-model').length, 1);
    assert.equal(fs.existsSync(path.join(root, 'docs')), false, 'a question writes nothing');
  });

  it('appendBullet replaces the template line and keeps what is there', () => {
    assert.equal(appendBullet('_Nothing recorded yet._', 'a'), '- a');
    assert.equal(appendBullet('- a', '  b\n c '), '- a\n- b c');
    assert.equal(appendBullet('', 'a'), '- a');
  });

  it('renders findings with citations that verify against the files, quote included', async () => {
    fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM node:latest\nCMD ["node", "server.js"]\n');
    const range = (line: number) => ({ line, column: 1, endLine: line, endColumn: 2 });
    const report: CheckReport = {
      files: [{ path: 'Dockerfile', kind: 'dockerfile' }, { path: 'compose.yaml', kind: 'compose' }],
      findings: [
        { file: 'Dockerfile', ruleId: 'dockerfile/latest-tag', severity: 'error', references: ['DL3007'], message: 'Base image `node:latest` is *not* pinned', range: range(1) },
        { file: 'Dockerfile', ruleId: 'dockerfile/no-user', severity: 'warning', references: ['DL3002'], message: 'No USER: runs as root', range: range(2) },
      ],
      rules: [],
    };
    const lines = new Map([['Dockerfile', ['FROM node:latest', 'CMD ["node", "server.js"]']]]);
    const markdown = findingsMarkdown(report, { paths: [], kinds: [], description: 'the whole workspace' }, (f, l) => lines.get(f)?.[l - 1]);
    assert.match(markdown, /^\*\*DevOps checks of the whole workspace\*\*: 2 files checked, 2 findings \(1 error, 1 warning, 0 notes\)\./);
    assert.match(markdown, /No findings in `compose.yaml`\./);
    const citations = parseCitations(markdown, { roots: [root] });
    assert.deepEqual(citations.map((c) => [c.path, c.startLine, c.quote]), [['Dockerfile', 1, 'FROM node:latest'], ['Dockerfile', 2, 'CMD ["node", "server.js"]']]);
    const checks = await verifyCitations(citations, { roots: [root], cache: new LineIndexCache() });
    assert.deepEqual(checks.map((c) => c.status), ['verified', 'verified']);
  });
});
