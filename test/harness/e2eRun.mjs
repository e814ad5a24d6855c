// What every end-to-end run shares: the packaged .vsix installed into a fresh code-server profile on a fresh copy of
// the demo workspace, headless Chromium on it, numbered steps that each save a screenshot (a failure also saves the
// page and VS Code's logs), the counts file scripts/test-all.sh reads, and the UI helpers the steps use.
//   const run = await startE2eRun({ name: 'e2e (no model)', results: 'test-results/e2e/no-model' });
//   await run.main(async () => { await run.step('…', async () => { … }); });   // exits with the run's status
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { REPO, installVsix, startCodeServer, writeUserSettings, launchBrowser } from './codeServer.mjs';

const require = createRequire(import.meta.url);
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** The packaged extension; packaged first when missing or when E2E_REPACKAGE is set. */
export function packagedVsix() {
  const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
  const vsix = path.join(REPO, `devops-agent-${version}.vsix`);
  if (!fs.existsSync(vsix) || process.env.E2E_REPACKAGE) execFileSync('npm', ['run', '-s', 'package'], { cwd: REPO, stdio: 'inherit' });
  return vsix;
}

/** A module of the test build (out/), built first when it is missing. */
export function requireBuilt(relative) {
  const file = path.join(REPO, 'out', relative);
  if (!fs.existsSync(file)) execFileSync('node', ['scripts/build-tests.mjs'], { cwd: REPO, stdio: 'inherit' });
  return require(file);
}

/**
 * Prepares the results folder, the demo workspace and a fresh profile with `settings`, installs the .vsix and starts
 * code-server. `keep` names entries of the results folder another run owns (left in place).
 */
export async function startE2eRun({ name, results, keep = [], settings = {} }) {
  const out = path.join(REPO, results);
  fs.mkdirSync(out, { recursive: true });
  for (const entry of fs.readdirSync(out)) {
    if (!keep.includes(entry)) fs.rmSync(path.join(out, entry), { recursive: true, force: true });
  }
  const vsix = packagedVsix();
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `devops-agent-${path.basename(results)}-`));
  const workspace = path.join(runDir, 'demo');
  execFileSync('bash', [path.join(REPO, 'demo/make-demo-workspace.sh'), workspace], { stdio: 'ignore' });
  const profile = path.join(runDir, 'profile');
  writeUserSettings(profile, { 'workbench.colorTheme': 'Default Dark Modern', 'window.commandCenter': true, ...settings });
  installVsix(profile, vsix);
  const server = await startCodeServer({ profile, log: path.join(out, 'code-server.log') });
  return new E2eRun({ name, out, runDir, workspace, profile, server });
}

class E2eRun {
  constructor({ name, out, runDir, workspace, profile, server }) {
    Object.assign(this, { name, out, runDir, workspace, profile, server });
    this.counts = { passed: 0, failed: 0, skipped: 0 };
    this.stepNo = 0;
    this.browser = undefined;
    this.page = undefined;
    this.writeCounts();
  }

  writeCounts() {
    fs.writeFileSync(path.join(this.out, 'counts.json'), JSON.stringify(this.counts));
  }

  /**
   * Opens the demo workspace in Chromium, runs `body`, and always closes the browser, stops code-server and removes
   * the run's folders (`cleanup` first, for what the caller started). Exits the process with the run's status.
   */
  async main(body, cleanup = async () => {}) {
    let exitCode = 0;
    try {
      this.browser = await launchBrowser(path.join(this.runDir, 'chromium'));
      this.page = this.browser.pages()[0] ?? await this.browser.newPage();
      const consoleLog = fs.createWriteStream(path.join(this.out, 'browser-console.log'));
      this.page.on('console', (m) => consoleLog.write(`[${m.type()}] ${m.text()}\n`));
      await this.page.goto(`${this.server.url}/?folder=${encodeURIComponent(this.workspace)}`);
      await this.page.waitForSelector('.monaco-workbench', { timeout: 90_000 });
      await body();
    } catch (error) {
      exitCode = 1;
      if (!this.counts.failed) {
        this.counts.failed += 1;
        console.log(`  ✘ ${this.name} setup: ${error?.stack ?? error}`);
        this.saveHostLogs();
      }
    } finally {
      this.writeCounts();
      await cleanup().catch((error) => console.log(`  cleanup: ${error?.message ?? error}`));
      await this.browser?.close().catch(() => {});
      await this.server.stop();
      fs.rmSync(this.runDir, { recursive: true, force: true });
    }
    const skipped = this.counts.skipped ? `, ${this.counts.skipped} skipped` : '';
    console.log(`${this.name}: ${this.counts.passed} passed, ${this.counts.failed} failed${skipped} (screenshots in ${path.relative(REPO, this.out)})`);
    process.exit(exitCode || (this.counts.failed ? 1 : 0));
  }

  /** One numbered step: a screenshot after it; on failure a screenshot, the page and the logs, then the run stops. */
  async step(name, body) {
    this.stepNo += 1;
    const label = `${String(this.stepNo).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
    const t0 = Date.now();
    try {
      await body();
      await this.page.screenshot({ path: path.join(this.out, `${label}.png`) });
      this.counts.passed += 1;
      console.log(`  ✔ ${name} (${Date.now() - t0} ms)`);
    } catch (error) {
      this.counts.failed += 1;
      console.log(`  ✘ ${name}\n    ${String(error?.stack ?? error).split('\n').slice(0, 6).join('\n    ')}`);
      await this.page.screenshot({ path: path.join(this.out, `${label}-FAILED.png`) }).catch(() => {});
      fs.writeFileSync(path.join(this.out, `${label}-FAILED.html`), await this.page.content().catch(() => ''));
      this.saveHostLogs();
      throw error;
    } finally {
      this.writeCounts();
    }
  }

  /** A screenshot beside the steps' ones, for a view worth keeping. */
  async screenshot(name) {
    await this.page.screenshot({ path: path.join(this.out, `${name}.png`) });
  }

  saveHostLogs() {
    const logs = path.join(this.profile, 'user-data/logs');
    if (fs.existsSync(logs)) fs.cpSync(logs, path.join(this.out, 'vscode-logs'), { recursive: true });
  }

  chatText() {
    return this.page.$$eval('.interactive-session', (els) => els.map((e) => e.innerText).join('\n'));
  }

  /** Waits until the chat's text satisfies the predicate, and returns that text. */
  async waitForChat(predicate, what, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = await this.chatText();
      if (predicate(text)) return text;
      await sleep(250);
    }
    throw new Error(`chat never showed ${what}; it shows:\n${(await this.chatText()).slice(-1500)}`);
  }

  /** The name on the chat input's model picker ("Models" while none is selected). */
  selectedModel() {
    return this.page.$$eval('.interactive-input-part .model-picker-item .model-picker-name', (els) => els.map((e) => e.innerText.trim()).join(' | '));
  }

  async waitForSelectedModel(name, timeoutMs = 60_000) {
    const deadline = Date.now() + timeoutMs;
    let shown = '';
    while (Date.now() < deadline) {
      shown = await this.selectedModel();
      if (shown === name) return;
      await sleep(250);
    }
    throw new Error(`the chat's model picker shows "${shown}", not "${name}"`);
  }

  /** Runs a command by its title from the Command Palette (F1). */
  async runCommand(title) {
    await this.page.keyboard.press('F1');
    await this.page.waitForSelector('.quick-input-widget .quick-input-box input', { timeout: 10_000 });
    await this.page.keyboard.type(title, { delay: 10 });
    await this.page.waitForSelector(`.quick-input-list .monaco-list-row:has-text("${title}")`, { timeout: 10_000 });
    await this.page.keyboard.press('Enter');
  }

  /** Opens the chat and waits for its input. */
  async openChat() {
    await this.runCommand('Chat: Open Chat');
    await this.page.locator('.interactive-input-part .monaco-editor').first().waitFor({ timeout: 30_000 });
  }

  /** Types a request into the emptied chat input (after a request VS Code leaves `@participant` in it), and sends it. */
  async sendChat(text) {
    await this.page.locator('.interactive-input-part .monaco-editor').first().click();
    await this.page.keyboard.press('Control+A');
    await this.page.keyboard.press('Backspace');
    await this.page.keyboard.type(text, { delay: 15 });
    await sleep(300);
    await this.page.keyboard.press('Enter');
  }

  /** VS Code folds the text written before an answer's last part into "Completed N steps": opens the last fold. */
  async openCompletedSteps() {
    const steps = this.page.locator('.interactive-session summary.completed-response-summary').last();
    if (await steps.count() && (await steps.getAttribute('aria-expanded')) !== 'true') {
      await steps.click();
      await this.page.waitForSelector('.interactive-session summary.completed-response-summary[aria-expanded="true"]', { timeout: 5_000 });
    }
  }
}
