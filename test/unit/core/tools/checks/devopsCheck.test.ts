import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { devopsCheckTool } from '../../../../../src/core/tools/toolRegistry';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';

const DOCKERFILE = ['FROM node:latest', 'WORKDIR /app', 'COPY . .', 'RUN npm install', 'CMD node server.js', ''].join('\n');
const WORKFLOW = ['name: ci', 'on: push', 'jobs:', '  test:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@main', '      - run: npm test', ''].join('\n');

describe('core/tools/checks/devopsCheck', function () {
  this.timeout(30_000);
  let root: string;

  before(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'devops-check-tool-')));
    fs.writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
    fs.mkdirSync(path.join(root, '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(path.join(root, '.github', 'workflows', 'ci.yml'), WORKFLOW);
    fs.writeFileSync(path.join(root, '.env'), 'GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789\n');
    const git = (...args: string[]): void => { execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: root, stdio: 'ignore' }); };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'init');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('cites every finding as path:line with the code of that line, and counts those lines as read', async () => {
    const ctx = processToolContext([root]);
    const result = await devopsCheckTool.run(devopsCheckTool.parse({}), ctx);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /^DevOps checks: 3 files checked, \d+ findings \(/);
    assert.match(result.text, /^Dockerfile:1 `FROM node:latest` — warning dockerfile\/latest-tag \(DL3007\): /m);
    assert.match(result.text, /^\.github\/workflows\/ci\.yml:7 `- uses: actions\/checkout@main` — warning actions\/unpinned-uses \(unpinned-uses\): /m);
    assert.match(result.text, /^\.env:1 `GITHUB_TOKEN=` — error secrets\/committed-secret /m, 'the committed token is a finding');
    assert.doesNotMatch(result.text, /ghp_abcdefghijklmnopqrstuvwxyz0123456789/, 'the secret itself is not repeated to the model');
    assert.equal(ctx.readSet.covers(path.join(root, 'Dockerfile'), 1, 1), true);
    assert.equal(ctx.readSet.covers(path.join(root, '.github', 'workflows', 'ci.yml'), 7, 7), true);
    assert.equal(ctx.readSet.covers(path.join(root, 'Dockerfile'), 2, 2), false, 'only cited lines count as read');
  });

  it('narrows to the paths, kinds and minimum severity asked for', async () => {
    const onlyDockerfile = await devopsCheckTool.run(devopsCheckTool.parse({ paths: ['Dockerfile'] }), processToolContext([root]));
    assert.match(onlyDockerfile.text, /^DevOps checks: 1 file checked/);
    assert.doesNotMatch(onlyDockerfile.text, /ci\.yml/);
    const workflows = await devopsCheckTool.run(devopsCheckTool.parse({ kinds: ['github-workflow'] }), processToolContext([root]));
    assert.match(workflows.text, /^DevOps checks: 1 file checked/);
    assert.doesNotMatch(workflows.text, /Dockerfile:/);
    const errors = await devopsCheckTool.run(devopsCheckTool.parse({ min_severity: 'error' }), processToolContext([root]));
    assert.match(errors.text, /below error left out/);
    assert.doesNotMatch(errors.text, / — (warning|note) /);
  });

  it('does not run git in an untrusted workspace: committed secrets files cannot be known there', async () => {
    const result = await devopsCheckTool.run(devopsCheckTool.parse({}), processToolContext([root], { environment: { runGit: false } }));
    assert.equal(result.ok, true, result.text);
    assert.doesNotMatch(result.text, /\.env:1/);
    assert.match(result.text, /^Dockerfile:1 `FROM node:latest`/m);
  });

  it('refuses paths outside the workspace, missing paths and bad input with a message the model can act on', async () => {
    const outside = await devopsCheckTool.run(devopsCheckTool.parse({ paths: ['../etc'] }), processToolContext([root]));
    assert.equal(outside.ok, false);
    assert.match(outside.text, /^devops_check /);
    const missing = await devopsCheckTool.run(devopsCheckTool.parse({ paths: ['deploy/k8s.yaml'] }), processToolContext([root]));
    assert.equal(missing.ok, false);
    assert.match(missing.text, /deploy\/k8s\.yaml does not exist/);
    assert.throws(() => devopsCheckTool.parse({ kinds: ['terraform'] }), ToolInputError);
    assert.throws(() => devopsCheckTool.parse({ path: 'Dockerfile' }), ToolInputError);
    assert.throws(() => devopsCheckTool.parse({ min_severity: 'fatal' }), ToolInputError);
  });

  it('says so when there is nothing to check', async () => {
    const empty = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'devops-check-empty-')));
    try {
      fs.writeFileSync(path.join(empty, 'README.md'), '# nothing here\n');
      const result = await devopsCheckTool.run(devopsCheckTool.parse({}), processToolContext([empty]));
      assert.equal(result.ok, true);
      assert.match(result.text, /^DevOps checks: 0 files checked, no findings\.\nNo Dockerfile, workflow/);
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
