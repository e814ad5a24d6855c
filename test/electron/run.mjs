// The same integration suite, run with @vscode/test-electron in a downloaded desktop VS Code.
// Needs a machine that can download VS Code (not the sandbox CI: there `npm test` uses code-server instead).
//   npm run test:electron
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
execFileSync('node', ['scripts/build-tests.mjs'], { cwd: repo, stdio: 'inherit' });
const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-agent-electron-'));
fs.cpSync(path.join(repo, 'test/fixtures/workspace'), workspace, { recursive: true });
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: workspace });
execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', 'add', '-A'], { cwd: workspace });
execFileSync('git', ['-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-qm', 'fixture'], { cwd: workspace });
try {
  await runTests({
    // stable or insiders (CI runs both), or an exact version such as 1.104.0
    version: process.env.VSCODE_VERSION || 'stable',
    extensionDevelopmentPath: repo,
    extensionTestsPath: path.join(repo, 'out/test/integration/index.js'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
    extensionTestsEnv: { DEVOPS_AGENT_TEST_SUITE: 'trusted', DEVOPS_AGENT_REPO: repo },
  });
} catch (error) {
  console.error(`integration tests failed in desktop VS Code: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(workspace, { recursive: true, force: true });
}
