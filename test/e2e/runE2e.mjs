// End to end: the packaged .vsix installed into code-server, driven through the real UI in headless Chromium,
// with the replay model serving a recorded review of the demo workspace.
// Each step saves a screenshot under test-results/e2e/; a failure also saves the page and the extension host log.
//   node test/e2e/runE2e.mjs            (expects `npm run package` to be current; packages when the .vsix is missing)
import fs from 'node:fs';
import path from 'node:path';
import { requireBuilt, sleep, startE2eRun } from '../harness/e2eRun.mjs';

const { startReplayServer, loadReplayTranscripts } = requireBuilt('test/harness/replayServer.js');
const replay = await startReplayServer(await loadReplayTranscripts(path.join(import.meta.dirname, '../fixtures/transcripts/e2e-review.json')));
// the no-model run keeps its results in a folder of its own under this one
const run = await startE2eRun({
  name: 'e2e',
  results: 'test-results/e2e',
  keep: ['no-model'],
  settings: { 'devopsAgent.openai.baseUrl': replay.url, 'devopsAgent.openai.models': [{ id: 'replay-e2e', name: 'Replay Model' }] },
}).catch(async (error) => {
  await replay.close();
  throw error;
});
const { out: OUT, workspace } = run;
const chatText = () => run.chatText();
const waitForChat = (predicate, what, timeoutMs) => run.waitForChat(predicate, what, timeoutMs);
const runCommand = (title) => run.runCommand(title);
const step = (name, body) => run.step(name, body);

async function paneText(title) {
  return run.page.evaluate((t) => {
    const header = [...document.querySelectorAll('.part.sidebar .pane-header')].find((h) => h.getAttribute('aria-label')?.startsWith(t) || h.textContent?.includes(t));
    return header?.parentElement?.querySelector('.pane-body')?.innerText ?? '';
  }, title);
}
async function waitForPane(title, pattern, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = await paneText(title);
    if (pattern.test(text)) return text;
    await sleep(250);
  }
  throw new Error(`${title} view does not show ${what}; it shows: ${text}`);
}
async function expandPane(title) {
  const header = run.page.locator('.part.sidebar .pane-header', { hasText: title }).first();
  if ((await header.getAttribute('aria-expanded')) !== 'true') await header.click();
}

await run.main(async () => {
  const { page } = run;

  await step('sidebar: agents listed, memory and certificates welcome', async () => {
    const icon = page.locator('.activitybar [aria-label^="DevOps Agent"]').first();
    await icon.waitFor({ timeout: 60_000 });
    await icon.click();
    await expandPane('Agents');
    await page.waitForSelector('.part.sidebar .pane-body .monaco-list-row:has-text("devops-engineer")', { timeout: 30_000 });
    await waitForPane('Working Memory', /Initialise Working Memory/, 'its welcome state');
    await waitForPane('Certificates', /No certificates yet/, 'its welcome state');
  });

  await step('Problems panel: the demo workspace\'s planted problems, found without a model', async () => {
    // Ctrl+Shift+M opens the Problems panel; the checks ran on the whole workspace when the extension started
    await page.keyboard.press('Control+Shift+M');
    await page.waitForSelector('.markers-panel', { timeout: 20_000 });
    // the list renders only the rows in view: give the panel the whole window while reading it
    await runCommand('View: Toggle Maximized Panel');
    const expected = [
      /node:latest uses the :latest tag/, /no USER instruction, so the container runs as root/, /actions\/checkout` is pinned to `main`/,
      /registry\.example\.com\/orders-api:latest/, /PAYMENTS_API_TOKEN holds a token value/,
    ];
    const deadline = Date.now() + 45_000;
    let text = '';
    for (;;) {
      text = await page.$$eval('.markers-panel .monaco-list-row', (rows) => rows.map((r) => `${r.getAttribute('aria-label') ?? ''} ${r.innerText}`).join('\n'));
      if (expected.every((re) => re.test(text))) break;
      if (Date.now() > deadline) throw new Error(`the Problems panel does not show the planted problems; it shows:\n${text.slice(0, 1500)}`);
      await sleep(500);
    }
    if (!/DevOps Agent/.test(text)) throw new Error(`the problems do not name their source "DevOps Agent":\n${text.slice(0, 800)}`);
    await sleep(300);
    await page.screenshot({ path: path.join(OUT, 'problems-panel.png') });
    await runCommand('View: Toggle Maximized Panel');
  });

  await step('chat: @devops /review the Dockerfile shows tool progress', async () => {
    await runCommand('Chat: Open Chat');
    const input = page.locator('.interactive-input-part .monaco-editor').first();
    await input.waitFor({ timeout: 30_000 });
    await run.waitForSelectedModel('Replay Model', 30_000);
    await input.click();
    await page.keyboard.type('@devops /review the Dockerfile', { delay: 15 });
    await sleep(300);
    await page.keyboard.press('Enter');
    // the Read runs without asking (read tools are allowed); its invocation shows in the chat as progress
    await waitForChat((t) => /Read:? Dockerfile|Dockerfile:1/.test(t), 'the Read tool running on the Dockerfile');
  });

  await step('Write asks for confirmation; accepting it writes the file', async () => {
    // the pending confirmation sits above the chat input; hidden copies of its buttons stay in the transcript
    const allow = page.locator('.monaco-button:visible', { hasText: /^(Allow|Continue)/ }).first();
    await allow.waitFor({ timeout: 60_000 });
    const carousel = page.locator('.chat-tool-confirmation-carousel-container', { hasText: 'Overwrite Dockerfile' }).first();
    await carousel.waitFor({ timeout: 30_000 });
    const confirmation = ((await carousel.textContent()) ?? '').replace(/\s+/g, ' '); // monaco renders spaces as U+00A0
    if (!/FROM node:20\.18-alpine/.test(confirmation)) throw new Error(`the confirmation does not show the Dockerfile diff: ${confirmation.slice(0, 600)}`);
    await allow.click();
    await waitForChat((t) => /certificate and the decision are recorded/.test(t), 'the final answer', 90_000);
    await waitForChat((t) => /Withdrawn/.test(t), 'the citation correction', 30_000);
    const written = fs.readFileSync(path.join(workspace, 'Dockerfile'), 'utf8');
    if (!written.startsWith('FROM node:20.18-alpine')) throw new Error(`Dockerfile was not written: ${written.slice(0, 80)}`);
  });

  await step('answer: verified citation is a link, wrong one flagged; the link opens the line', async () => {
    // the chat may re-render the finished answer for a moment: read it once the flagged citation is shown
    const text = await waitForChat((t) => /Dockerfile:42[^\n]*(out of range|⚠)/.test(t), 'the flagged citation', 15_000).catch(() => chatText());
    if (!/Dockerfile:42[^\n]*(out of range|⚠)/.test(text)) throw new Error(`the wrong citation is not flagged:\n${text.slice(-1200)}`);
    // VS Code folds the text written before the last tool call into "Completed N steps": open it
    const steps = page.locator('.interactive-session summary.completed-response-summary').last();
    if (await steps.count() && (await steps.getAttribute('aria-expanded')) !== 'true') {
      await steps.click();
      await page.waitForSelector('.interactive-session summary.completed-response-summary[aria-expanded="true"]', { timeout: 5_000 });
    }
    // the citation `Dockerfile:1` renders as a pill pointing at the file and line
    const anchor = page.locator('.interactive-session .chat-inline-anchor-widget:visible[data-href*="/Dockerfile#1"]').first();
    await anchor.waitFor({ timeout: 10_000 });
    await anchor.scrollIntoViewIfNeeded();
    await sleep(500);
    // a DOM click: the sticky request header can sit over the pill after scrolling
    await anchor.dispatchEvent('click');
    await page.waitForSelector('.tabs-container .tab.active:has-text("Dockerfile")', { timeout: 15_000 });
    const status = await page.$$eval('.statusbar-item', (els) => els.map((e) => e.innerText).filter((t) => /Ln \d+/.test(t)));
    if (!status.some((s) => /Ln 1\b/.test(s))) throw new Error(`editor is not at line 1: ${status}`);
  });

  await step('certificate appears under its status, opens with the schema, integrity ok', async () => {
    // clicking the icon of the container already shown would hide the side bar
    if (!(await page.locator('.part.sidebar .pane-header:visible', { hasText: 'Certificates' }).count())) await page.locator('.activitybar [aria-label^="DevOps Agent"]').first().click();
    await expandPane('Certificates');
    const group = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: /Conditionally Approved|CONDITIONALLY_APPROVED/i }).first();
    await group.waitFor({ timeout: 30_000 });
    if ((await group.getAttribute('aria-expanded')) === 'false') await group.click();
    const item = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: /docker.?config/i }).first();
    await item.waitFor({ timeout: 15_000 });
    // the tree may re-render while the watcher catches up: click again until the editor opens
    for (let attempt = 0; ; attempt++) {
      await item.click();
      const opened = await page.waitForSelector('.tabs-container .tab.active:has-text("dockerfile_review_docker_config")', { timeout: 5_000 }).catch(() => null);
      if (opened) break;
      if (attempt === 3) throw new Error('clicking the certificate did not open it');
    }
    const editor = (await page.$eval('.editor-instance .view-lines', (e) => e.innerText)).replace(/\s+/g, ' ');
    if (!/# DOCKERFILE REVIEW CERTIFICATE/.test(editor) || !/Certificate ID\*\*: CERT-/.test(editor)) throw new Error(`the editor does not show the certificate: ${editor.slice(0, 400)}`);
    const folder = path.join(workspace, 'docs/ai/agents/devops-engineer/certificates');
    const [file] = fs.readdirSync(folder);
    const text = fs.readFileSync(path.join(folder, file), 'utf8');
    for (const heading of ['## REVIEW SCOPE', '## FINDINGS', '## DECISION/OUTCOME', '**Status**: CONDITIONALLY_APPROVED', '## EVIDENCE', '## SIGNATURE', 'Certificate Hash: sha256:']) {
      if (!text.includes(heading)) throw new Error(`the certificate lacks "${heading}":\n${text}`);
    }
    // the tree may re-render under the context menu (the watcher, the checks' first run): ask again until it answers
    const deadline = Date.now() + 30_000;
    let asked = 0;
    for (let attempt = 0; ; attempt++) {
      if (attempt % 6 === 0) {
        await page.keyboard.press('Escape');
        await item.click({ button: 'right' });
        const verify = page.locator('.context-view .action-label', { hasText: 'Verify Integrity' }).first();
        if (await verify.waitFor({ timeout: 3_000 }).then(() => true, () => false)) {
          await verify.click();
          asked++;
        }
      }
      // toasts may be hidden in this workbench: open the notification centre once the message has arrived
      const shown = await page.$$eval('.notifications-center, .notifications-toasts', (els) => els.map((e) => e.innerText).join('\n'));
      if (/Integrity ok/.test(shown)) break;
      if (Date.now() > deadline) throw new Error(`no "Integrity ok" notification after asking ${asked} time(s); notifications show: ${shown.slice(0, 300)}`);
      if (!(await page.locator('.notifications-center.visible').count())) await page.click('[id="status.notifications"]').catch(() => {});
      await sleep(1_000);
    }
    await page.keyboard.press('Escape');
  });

  await step('working memory shows the new decision', async () => {
    await expandPane('Working Memory');
    for (const other of ['Certificates', 'Agents']) {
      const header = page.locator('.part.sidebar .pane-header', { hasText: other }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    // rows open their file when clicked; the twistie expands or collapses them
    const toggle = (row) => row.locator('.monaco-tl-twistie').first().click();
    const current = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: 'working-memory.md' }).first();
    if (await current.count() && (await current.getAttribute('aria-expanded')) === 'true') await toggle(current);
    const deadline = Date.now() + 20_000;
    for (;;) {
      const memory = await paneText('Working Memory');
      if (/Pin the orders-api base image/.test(memory)) break;
      if (Date.now() > deadline) throw new Error(`the decision is not in the Working Memory view:\n${memory}`);
      const decisions = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: 'decisions-log' }).first();
      if (await decisions.count()) {
        if ((await decisions.getAttribute('aria-expanded')) === 'false') await toggle(decisions);
      } else {
        const agent = page.locator('.part.sidebar .pane-body .monaco-list-row', { hasText: 'devops-engineer' }).first();
        if (await agent.count() && (await agent.getAttribute('aria-expanded')) === 'false') await toggle(agent);
      }
      await sleep(500);
    }
  });

  await step('Delivery Metrics view charts the demo releases; a deployment opens its commit', async () => {
    await runCommand('DevOps Agent: Show Delivery Metrics (DORA)');
    // the webview's document sits in nested iframes: find the frame that holds the figures
    let frame;
    const deadline = Date.now() + 60_000;
    for (;;) {
      for (const f of page.frames()) {
        if (await f.locator('#content .tile').count().catch(() => 0)) frame = f;
      }
      if (frame) break;
      if (Date.now() > deadline) throw new Error('the Delivery Metrics view shows no figures');
      await sleep(500);
    }
    const figures = (await frame.locator('#content .tiles').innerText()).replace(/\s+/g, ' ');
    // the demo history: v1.0.0 … v1.5.0 with v1.1.1 (patch) and v1.3.0 (revert) fixing v1.1.0 and v1.2.0
    for (const expected of [/Deployments 7\b/, /Change failure rate 28\.6 %/, /Recovery time 2\.5 days/, /Rework rate 14\.3 %/]) {
      if (!expected.test(figures)) throw new Error(`the figures do not show ${expected}: ${figures}`);
    }
    const canvases = await frame.locator('#content .chart canvas').count();
    if (canvases < 3) throw new Error(`expected three charts, found ${canvases} canvases`);
    const table = await frame.locator('table.deployments').innerText();
    if (!/v1\.2\.0[\s\S]*fixed by v1\.3\.0 \(revert\)/.test(table)) throw new Error(`the deployments table does not show the revert: ${table}`);
    // the view alone in the side bar, scrolled from the figures to the charts, for the screenshots
    for (const other of ['Working Memory', 'Certificates', 'Agents']) {
      const header = page.locator('.part.sidebar .pane-header', { hasText: other }).first();
      if ((await header.getAttribute('aria-expanded')) === 'true') await header.click();
    }
    await sleep(1_000);
    await page.screenshot({ path: path.join(OUT, 'delivery-metrics-view.png') });
    await frame.locator('#chart-lead-time').scrollIntoViewIfNeeded();
    await sleep(500);
    await page.screenshot({ path: path.join(OUT, 'delivery-metrics-charts.png') });
    // recovery is drawn as diamonds over the failure bars, with its own legend entry
    const failuresChart = frame.locator('#chart-failures');
    await failuresChart.scrollIntoViewIfNeeded();
    await failuresChart.screenshot({ path: path.join(OUT, 'delivery-metrics-failures-chart.png') });
    if (!(await failuresChart.locator('.u-legend .u-marker.marker-diamond').count())) throw new Error('the failures chart has no diamond legend entry for recovery');
    const legend = await failuresChart.locator('.u-legend').innerText();
    if (!/failed deployments[\s\S]*recovery, median \(h\)/.test(legend)) throw new Error(`the failures chart legend lacks its two series: ${legend}`);
    // the chart data as a table, opened from the keyboard: both failed weeks show their recovery time
    await frame.locator('details.weekly-figures summary').focus();
    await page.keyboard.press('Enter');
    const weekly = frame.locator('details.weekly-figures[open] table.weekly tbody tr');
    await weekly.first().waitFor({ timeout: 5_000 });
    const weeks = await weekly.evaluateAll((rows) => rows.map((r) => [...r.children].map((c) => c.textContent)));
    const failedWeeks = weeks.filter((cells) => Number(cells[3]) > 0);
    const failures = failedWeeks.reduce((sum, cells) => sum + Number(cells[3]), 0);
    if (failures !== 2 || failedWeeks.some((cells) => !/^\d+\.\d$/.test(cells[4] ?? ''))) throw new Error(`the weekly table does not show the two failures with their recovery: ${JSON.stringify(failedWeeks)}`);
    await page.screenshot({ path: path.join(OUT, 'delivery-metrics-table.png') });
    await frame.locator('button.link', { hasText: 'v1.2.0' }).first().click();
    await page.waitForSelector('.tabs-container .tab.active:has-text("v1.2.0")', { timeout: 15_000 });
    const editor = (await page.$eval('.editor-instance .view-lines', (e) => e.innerText)).replace(/\s+/g, ' ');
    if (!/Rate limit for POST \/orders/.test(editor)) throw new Error(`the commit editor does not show the v1.2.0 commit: ${editor.slice(0, 300)}`);
  });

  if (replay.mismatches.length) throw new Error(`replay mismatches:\n${replay.mismatches.join('\n')}`);
}, async () => {
  if (replay.mismatches.length) console.log(`replay mismatches:\n  ${replay.mismatches.join('\n  ')}`);
  await replay.close();
});
