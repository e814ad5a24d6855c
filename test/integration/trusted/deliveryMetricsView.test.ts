import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as vscode from 'vscode';
import type { DevopsAgentApi } from '../../../src/extension';
import type { DeliveryMetricsViewProvider } from '../../../src/vscode/deliveryMetricsView';

const EXTENSION_ID = 'devops-agent.devops-agent';
const DAY = 86_400;

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Delivery Metrics view (real VS Code)', function () {
  this.timeout(90_000);
  let view: DeliveryMetricsViewProvider;
  let root: string;
  const tags: string[] = [];
  // Commits made with commit-tree keep the work tree and HEAD as they are, so other suites see the same files.
  const git = (date: number, ...args: string[]): string => execFileSync('git', args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 'Release', GIT_AUTHOR_EMAIL: 'r@example.invalid', GIT_COMMITTER_NAME: 'Release', GIT_COMMITTER_EMAIL: 'r@example.invalid', GIT_AUTHOR_DATE: `${date} +0000`, GIT_COMMITTER_DATE: `${date} +0000` },
  }).trim();

  before(async () => {
    const api = await vscode.extensions.getExtension<DevopsAgentApi>(EXTENSION_ID)!.activate();
    view = (await api.harness()).deliveryMetricsView;
    root = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
  });
  after(() => {
    for (const tag of tags) git(0, 'tag', '-d', tag);
  });

  it('once shown, explains what the single-commit fixture lacks (activation.test checks the harness is not loaded before)', async () => {
    await vscode.commands.executeCommand('devopsAgent.deliveryMetrics.show');
    const error = await eventually('the view to measure', () => view.lastError);
    assert.match(error, /has a single commit.*git fetch --unshallow/);
  });

  it('re-measures by itself when release tags appear, and shows the figures', async () => {
    const now = Math.floor(Date.now() / 1000);
    const tree = git(now, 'rev-parse', 'HEAD^{tree}');
    const feature = git(now - 10 * DAY, 'commit-tree', tree, '-p', 'HEAD', '-m', 'feature');
    git(now - 9 * DAY, 'tag', '-a', 'v1.0.0', '-m', 'release 1.0.0', feature);
    tags.push('v1.0.0');
    const fix = git(now - 5 * DAY, 'commit-tree', tree, '-p', feature, '-m', 'fix');
    git(now - 4 * DAY, 'tag', '-a', 'v1.0.1', '-m', 'release 1.0.1', fix);
    tags.push('v1.0.1');

    const report = await eventually('a report with the two releases', () => (view.lastReport?.deployments.count === 2 ? view.lastReport : undefined));
    assert.deepEqual(report.deployments.list.map((d) => [d.name, d.failed, d.fixedBy]), [['v1.0.0', true, 'v1.0.1'], ['v1.0.1', false, null]]);
    assert.equal(report.recoveryTime.medianHours, 120);
    assert.equal(report.leadTime.medianHours, 24);
    assert.equal(report.changeFailureRate, 0.5);
    assert.equal(report.window.days, 90);
  });

  it('opens a deployment\'s commit in a read-only editor', async () => {
    const sha = view.lastReport!.deployments.list[0]!.sha;
    await view.openDeploymentCommit(sha, 'v1.0.0');
    const editor = await eventually('the commit editor', () => (vscode.window.activeTextEditor?.document.uri.scheme === 'devops-agent-commit' ? vscode.window.activeTextEditor : undefined));
    assert.match(editor.document.getText(), new RegExp(`^commit ${sha}`));
    assert.match(editor.document.getText(), /\n\s+feature\n/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('follows the devopsAgent.dora settings', async () => {
    const config = vscode.workspace.getConfiguration('devopsAgent.dora');
    await config.update('failureWindowDays', 3, vscode.ConfigurationTarget.Global);
    try {
      const report = await eventually('a report with a 3-day failure window', () => (view.lastReport?.settings.failureWindowDays === 3 ? view.lastReport : undefined));
      assert.equal(report.changeFailureRate, 0, 'the patch came 5 days later');
    } finally {
      await config.update('failureWindowDays', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
