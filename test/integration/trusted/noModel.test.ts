import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parseCertificateFile } from '../../../src/core/certificates/parseCertificate';
import type { ChecksReview } from '../../../src/core/checks/reviewWithChecks';
import { memoryFilePath } from '../../../src/core/memory/memoryStore';
import { CHECKS_ONLY_MODEL_ID, CHECKS_ONLY_MODEL_NAME } from '../../../src/core/models/checksOnlyModel';
import type { TurnMetadata } from '../../../src/core/runtime/turnMetadata';
import type { DevopsAgentApi } from '../../../src/extension';
import { nextTurn, waitForModel } from './chatTurns';

async function ask(api: DevopsAgentApi, query: string): Promise<TurnMetadata> {
  const turn = nextTurn(api, 90_000);
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: CHECKS_ONLY_MODEL_ID } });
  return turn;
}

describe('@devops with no model configured (real VS Code)', function () {
  this.timeout(120_000);
  let api: DevopsAgentApi;
  let root: string;
  let previous: unknown;

  before(async () => {
    const config = vscode.workspace.getConfiguration('devopsAgent');
    previous = config.inspect('openai.baseUrl')?.globalValue;
    await config.update('openai.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    api = await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
    root = fs.realpathSync(vscode.workspace.workspaceFolders![0]!.uri.fsPath);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('devopsAgent').update('openai.baseUrl', previous, vscode.ConfigurationTarget.Global);
  });

  it('offers the "No language model — checks only" entry, which answers other callers in plain text', async () => {
    const model = await waitForModel(CHECKS_ONLY_MODEL_ID);
    assert.equal(model.name, CHECKS_ONLY_MODEL_NAME);
    const ours = await vscode.lm.selectChatModels({ vendor: 'devops-agent' });
    assert.deepEqual(ours.map((m) => m.id), [CHECKS_ONLY_MODEL_ID], 'without an endpoint it is the provider\'s only entry');
    // as Copilot agent mode or another extension would call it
    const response = await model.sendRequest([vscode.LanguageModelChatMessage.User('Write me a Dockerfile for a Node service.')], {}, new vscode.CancellationTokenSource().token);
    let text = '';
    for await (const chunk of response.text) text += chunk;
    assert.match(text, /is not a language model, so it cannot answer this request/);
    assert.match(text, /Configure Model Provider/);
    assert.doesNotMatch(text, /FROM node/, 'it never invents an answer');
  });

  it('/memory SECTION: text updates working memory, and /memory shows it', async () => {
    const updated = await ask(api, '@devops /memory Active Tasks: pin the base image of the Dockerfile');
    assert.equal(updated.error, undefined, `the turn failed: ${updated.error}`);
    assert.equal(updated.command, 'memory');
    const file = memoryFilePath(root, 'devops-engineer', 'working-memory');
    assert.match(fs.readFileSync(file, 'utf8'), /## Active Tasks\n[\s\S]*- pin the base image of the Dockerfile\n/);

    const shown = await ask(api, '@devops /memory');
    assert.match(shown.rounds[0]?.text ?? '', /\*\*Active Tasks\*\*: .*pin the base image of the Dockerfile/);
    assert.ok((shown.citations?.total ?? 0) >= 3, 'the sections are linked');
    assert.equal(shown.citations?.problems, 0, 'every link to a memory section verifies');
  });

  it('/review the Dockerfile runs the DevOps checks: findings as verified path:line links and a certificate that verifies', async () => {
    const meta = await ask(api, '@devops /review the Dockerfile');
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    assert.equal(meta.noModel, true);
    const text = meta.rounds[0]?.text ?? '';
    assert.match(text, /\*\*DevOps checks of `Dockerfile`\*\*: 1 file checked, \d+ findings? \(/);
    // the fixture's Dockerfile has no USER: a real finding on its real first line
    assert.match(text, /- Dockerfile:1 `FROM node:20-alpine` — .* dockerfile\/no-user/);
    assert.ok((meta.citations?.total ?? 0) >= 1, 'the findings are citations');
    assert.equal(meta.citations?.problems, 0, 'every finding verifies against the file and links to it');
    const file = meta.certificate?.file;
    assert.ok(meta.certificate?.written && file, 'a certificate was written');
    assert.match(path.relative(root, file), /^docs\/ai\/agents\/devops-engineer\/certificates\/devops_checks_review_docker_config_\d{8}_\d{6}\.md$/);
    const certificate = await parseCertificateFile(file);
    assert.equal(certificate.valid, true, JSON.stringify(certificate.problems));
    assert.equal(certificate.integrity, 'ok');
    assert.equal(certificate.status, 'CONDITIONALLY_APPROVED', 'warnings, no errors');
  });

  it('"DevOps Agent: Review Workspace" checks every folder file and writes the certificate its worst finding decides', async () => {
    fs.mkdirSync(path.join(root, 'review-ws', '.github', 'workflows'), { recursive: true });
    const workflow = path.join(root, 'review-ws', '.github', 'workflows', 'ci.yml');
    fs.writeFileSync(workflow, 'on: pull_request_target\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n      - run: echo "${{ github.event.pull_request.title }}"\n');
    try {
      const review = await vscode.commands.executeCommand<ChecksReview | undefined>('devopsAgent.reviewWorkspace', vscode.workspace.workspaceFolders![0]!.uri);
      assert.ok(review, 'the review ran');
      assert.ok(review.report.files.some((f) => f.path === 'Dockerfile'), 'the Dockerfile was checked');
      assert.ok(review.report.files.some((f) => f.path === 'review-ws/.github/workflows/ci.yml'), 'the workflow was checked');
      const injection = review.report.findings.find((f) => f.file === 'review-ws/.github/workflows/ci.yml' && f.references.includes('template-injection'));
      assert.ok(injection, `template injection found: ${review.report.findings.map((f) => f.ruleId).join(', ')}`);
      assert.equal(injection.range.line, 9);
      assert.ok(review.certificate, `a certificate was written: ${review.notWritten}`);
      assert.equal(review.certificate.status, 'REQUIRES_REMEDIATION', 'an error-level finding requires remediation');
      const parsed = await parseCertificateFile(review.certificate.file);
      assert.equal(parsed.valid, true, JSON.stringify(parsed.problems));
      assert.equal(parsed.integrity, 'ok');
      assert.equal(parsed.id, review.certificate.id);
      assert.match(fs.readFileSync(review.certificate.file, 'utf8'), /review-ws\/\.github\/workflows\/ci\.yml:9/);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, review.certificate.file, 'the certificate opens');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(path.join(root, 'review-ws'), { recursive: true, force: true });
    }
  });

  it('/metrics measures delivery metrics from the workspace\'s git history', async () => {
    const git = (...args: string[]): void => { execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'tag.gpgsign=false', '-c', 'commit.gpgsign=false', ...args], { cwd: root, stdio: 'ignore' }); };
    git('tag', '-a', 'v0.1.0', '-m', 'release');
    git('commit', '--allow-empty', '-q', '-m', 'health route');
    git('tag', '-a', 'v0.2.0', '-m', 'release');
    let meta: TurnMetadata;
    try {
      meta = await ask(api, '@devops /metrics last 30 days');
    } finally {
      git('tag', '-d', 'v0.1.0', 'v0.2.0');
    }
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    const text = meta.rounds[0]?.text ?? '';
    assert.match(text, /Delivery metrics for /);
    assert.match(text, /\(until excluded, 30 days\)/);
    assert.match(text, /Deployment frequency\s+2 \(/, 'the two release tags');
  });

  it('says what needs a model in one line instead of failing', async () => {
    const meta = await ask(api, '@devops /incident the api container keeps restarting');
    assert.equal(meta.error, undefined);
    assert.match(meta.rounds[0]?.text ?? '', /`\/incident` needs reasoning, which needs a language model\./);
    assert.equal(meta.certificate?.written, false);
  });

  it('opens the model setup guide at the README section on models', async () => {
    await vscode.commands.executeCommand('devopsAgent.openModelSetupGuide');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'an editor opened');
    assert.equal(path.basename(editor.document.uri.fsPath), 'README.md');
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, '## Configure a model');
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
