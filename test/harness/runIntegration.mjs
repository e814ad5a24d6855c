// Runs the integration suite (mocha inside a real VS Code extension host) in code-server, headless.
// Opens the workbench with the `payload` query (extensionDevelopmentPath + extensionTestsPath), which code-server
// honours because it runs with --vscode-option enable-smoke-test-driver; the extension host reports its exit code
// through window.codeAutomationExit and its console through window.codeAutomationLog.
//   node test/harness/runIntegration.mjs [--suite NAME] [--untrusted]
// Writes mocha's counts to $MOCHA_COUNTS_FILE when set; exits with the extension host's exit code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { execFileSync } from 'node:child_process';
import { REPO, installVsix, startCodeServer, writeUserSettings, launchBrowser } from './codeServer.mjs';

const args = process.argv.slice(2);
const untrusted = args.includes('--untrusted');
const suite = args.includes('--suite') ? args[args.indexOf('--suite') + 1] : (untrusted ? 'untrusted' : 'trusted');
const TIMEOUT = Number(process.env.INTEGRATION_TIMEOUT_MS || 420_000);
const NOISE = /open-vsx\.org|^\s+at .*(workbench\.js|extensionHostProcess\.js)|^\[(AgentHost|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)|^(Resolving|Resolved) connection token|^Creating a socket|^Updating additional builtin|^%c|Extension host \(Remote\) is unresponsive|^\s*$/;

const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `devops-agent-it-${suite}-`));
const profile = path.join(runDir, 'profile');
const outDir = path.join(REPO, 'test-results', `integration-${suite}`);
fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

// A real workspace with a real git history, copied from the fixture so tests may change it freely. The bench suite
// opens an empty one: nothing in it may activate the extension before the benchmark does.
const workspace = path.join(runDir, 'workspace');
if (suite === 'bench') fs.mkdirSync(workspace, { recursive: true });
else fs.cpSync(path.join(REPO, 'test/fixtures/workspace'), workspace, { recursive: true });
const git = (...a) => execFileSync('git', a, { cwd: workspace, stdio: 'ignore' });
if (suite !== 'bench') {
  git('init', '-q', '-b', 'main');
  git('-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', 'add', '-A');
  git('-c', 'user.name=Fixture', '-c', 'user.email=fixture@example.invalid', 'commit', '-q', '-m', 'fixture');
}

writeUserSettings(profile, {
  // the integration suite drives tools without a person to click confirmations; policy is tested in core
  'chat.tools.autoApprove': true,
  'chat.tools.global.autoApprove': true,
  'security.workspace.trust.enabled': untrusted,
  'security.workspace.trust.startupPrompt': 'never',
  'security.workspace.trust.banner': 'never',
  'security.workspace.trust.untrustedFiles': 'open',
});

const countsFile = path.join(outDir, 'counts.json');
const extEnv = {
  MOCHA_COUNTS_FILE: countsFile,
  DEVOPS_AGENT_TEST_SUITE: suite,
  DEVOPS_AGENT_TEST_RESULTS: outDir,
  DEVOPS_AGENT_REPO: REPO,
  ...(process.env.DEVOPS_AGENT_TEST_GREP ? { DEVOPS_AGENT_TEST_GREP: process.env.DEVOPS_AGENT_TEST_GREP } : {}),
  ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}),
};

if (suite === 'bench') {
  // the activation benchmark's reference, an empty extension, installed so it loads in the same extension host;
  // a second copy is activated first, so the host's one-off start-up work is paid by neither measured extension
  for (const name of ['empty-reference', 'empty-warmup']) {
    const folder = path.join(runDir, name);
    fs.cpSync(path.join(REPO, 'bench/emptyExtension'), folder, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'package.json'), 'utf8'));
    fs.writeFileSync(path.join(folder, 'package.json'), JSON.stringify({ ...manifest, name }, null, 2));
    const vsix = path.join(runDir, `${name}.vsix`);
    execFileSync(path.join(REPO, 'node_modules/.bin/vsce'), ['package', '--allow-missing-repository', '--skip-license', '-o', vsix], { cwd: folder, stdio: 'ignore' });
    installVsix(profile, vsix);
  }
}

const server = await startCodeServer({ profile, trustWorkspace: !untrusted, log: path.join(outDir, 'code-server.log') });
let code = 2;
let browser;
try {
  const host = `127.0.0.1:${server.port}`;
  const payload = [
    ['extensionDevelopmentPath', `vscode-remote://${host}${REPO}`],
    ['extensionTestsPath', `vscode-remote://${host}${path.join(REPO, 'out/test/integration/index.js')}`],
    ['skipWelcome', 'true'],
    ['extensionEnvironment', JSON.stringify(extEnv)],
  ];
  const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  browser = await launchBrowser(path.join(runDir, 'chromium'));
  const page = browser.pages()[0] ?? await browser.newPage();
  const consoleLog = fs.createWriteStream(path.join(outDir, 'browser-console.log'));
  page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
  let finish;
  const finished = new Promise((resolve) => { finish = resolve; });
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = util.format(...(Array.isArray(logArgs) ? logArgs : [logArgs]));
    if (process.env.VERBOSE || !NOISE.test(line)) console.log(line);
  });
  await page.exposeFunction('codeAutomationExit', (exitCode, logs) => {
    for (const l of logs || []) {
      try {
        const f = path.join(outDir, 'vscode-logs', l.relativePath);
        fs.mkdirSync(path.dirname(f), { recursive: true });
        fs.writeFileSync(f, l.contents);
      } catch { /* best effort */ }
    }
    finish(exitCode);
  });
  const t0 = Date.now();
  await page.goto(url);
  code = await Promise.race([finished, new Promise((r) => setTimeout(() => r('timeout'), TIMEOUT))]);
  await page.screenshot({ path: path.join(outDir, 'final.png') }).catch(() => {});
  if (code === 'timeout') {
    console.log(`[integration] TIMEOUT after ${TIMEOUT} ms: the extension host never reported an exit code (logs in ${outDir})`);
    code = 124;
  } else {
    console.log(`[integration:${suite}] extension host exited with code ${code} after ${Date.now() - t0} ms`);
  }
} finally {
  await browser?.close().catch(() => {});
  await server.stop();
  fs.rmSync(runDir, { recursive: true, force: true });
}
if (!fs.existsSync(countsFile)) {
  fs.writeFileSync(countsFile, JSON.stringify({ passed: 0, failed: 1, skipped: 0, error: `suite ${suite} did not report` }));
}
process.exit(code);
