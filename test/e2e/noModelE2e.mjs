// End to end without any language model: the packaged .vsix in a fresh code-server with no endpoint configured,
// driven through the chat UI in headless Chromium, as a newcomer meets it. The model picker must already show
// "No language model — checks only"; `@devops /review the Dockerfile` must answer with the demo's real findings as
// links and write a certificate that verifies; the answer's buttons must open the provider configuration and the
// model setup guide. Screenshots under test-results/e2e/no-model/.
//   node test/e2e/noModelE2e.mjs            (expects `npm run package` to be current; packages when the .vsix is missing)
import fs from 'node:fs';
import path from 'node:path';
import { requireBuilt, sleep, startE2eRun } from '../harness/e2eRun.mjs';

const { CHECKS_ONLY_MODEL_NAME, MODEL_SETUP_README_HEADING } = requireBuilt('src/core/models/checksOnlyModel.js');
const { runChecks } = requireBuilt('src/core/checks/runChecks.js');
const { parseCertificateFile } = requireBuilt('src/core/certificates/parseCertificate.js');
const { describeCertificateCheck } = requireBuilt('src/core/certificates/certificateVerification.js');
const { verifyEvidenceCitations } = requireBuilt('src/core/certificates/evidenceCitations.js');
const { statusForFindings } = requireBuilt('src/core/certificates/certificateFromChecks.js');

// what a newcomer has: no endpoint, no key, no Copilot
const run = await startE2eRun({ name: 'e2e (no model)', results: 'test-results/e2e/no-model' });
const { workspace } = run;

await run.main(async () => {
  const { page } = run;

  await run.step(`chat: the model picker has "${CHECKS_ONLY_MODEL_NAME}" selected`, async () => {
    await run.openChat();
    await run.waitForSelectedModel(CHECKS_ONLY_MODEL_NAME);
    // the picker opened: the entry is listed (and checked) under our vendor
    await page.locator('.interactive-input-part .model-picker-item .model-picker-name').first().click();
    await page.locator('.action-widget', { hasText: CHECKS_ONLY_MODEL_NAME }).first().waitFor({ timeout: 10_000 });
    await sleep(300);
    await run.screenshot('model-picker');
    await page.keyboard.press('Escape');
  });

  await run.step('@devops /review the Dockerfile: the demo\'s real findings as links, and a certificate that verifies', async () => {
    // what the engine finds in the demo Dockerfile, run here in the test's own process, decides what the chat must show
    const expected = await runChecks({ root: workspace, paths: ['Dockerfile'] });
    const status = statusForFindings(expected.findings);
    if (!expected.findings.some((f) => f.references.includes('DL3007'))) throw new Error('the engine no longer finds node:latest (DL3007) in the demo Dockerfile');
    await run.sendChat('@devops /review the Dockerfile');
    const answered = new RegExp(`Certificate CERT-\\S+: ${status}`);
    const noEngine = /needs the DevOps check engine or a language model/;
    await run.waitForChat((t) => answered.test(t) || noEngine.test(t), `the findings and a ${status} certificate`, 90_000);
    if (noEngine.test(await run.chatText())) throw new Error('@devops answered that it has no DevOps check engine: the participant was started without a CheckRunner');
    await sleep(1_000);
    await run.openCompletedSteps();
    // the chat may re-render the finished answer for a moment (its text briefly gone): read it once it is back
    const text = await run.waitForChat((t) => answered.test(t) && /DevOps checks of `?Dockerfile`?/.test(t), 'the answer naming what it checked', 15_000);
    for (const finding of expected.findings) {
      if (!text.includes(finding.ruleId)) throw new Error(`the answer lacks the finding ${finding.ruleId} at line ${finding.range.line}:\n${text.slice(-1500)}`);
    }
    // each finding's citation renders as a pill pointing at its line of the Dockerfile
    await page.locator('.interactive-session .chat-inline-anchor-widget:visible[data-href*="/Dockerfile#"]').first().waitFor({ timeout: 15_000 });
    const hrefs = await page.$$eval('.interactive-session .chat-inline-anchor-widget[data-href*="/Dockerfile#"]', (els) => els.map((e) => e.getAttribute('data-href')));
    const unlinked = [...new Set(expected.findings.map((f) => f.range.line))].filter((line) => !hrefs.some((h) => new RegExp(`/Dockerfile#L?${line}(?:\\D|$)`).test(h)));
    if (unlinked.length) throw new Error(`no link to Dockerfile line(s) ${unlinked.join(', ')}; the links: ${hrefs.join(' ')}`);
    // the whole answer in one picture: the chat maximized for a moment
    await run.runCommand('Toggle Maximized Secondary Side Bar');
    await sleep(1_000);
    await run.screenshot('review-answer');
    await run.runCommand('Toggle Maximized Secondary Side Bar');
    // the certificate: one file on disk, its status from the worst finding, integrity ok, evidence quoting real lines
    const folder = path.join(workspace, 'docs/ai/agents/devops-engineer/certificates');
    const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter((f) => f.endsWith('.md')) : [];
    if (files.length !== 1) throw new Error(`expected one certificate in ${folder}, found ${files.join(', ') || 'none'}`);
    const file = path.join(folder, files[0]);
    const certificate = await parseCertificateFile(file);
    const verdict = describeCertificateCheck(certificate);
    if (certificate.status !== status || certificate.integrity !== 'ok' || !certificate.valid || verdict.severity !== 'info') {
      throw new Error(`the certificate does not verify: ${certificate.status} ${certificate.integrity}: ${verdict.message}`);
    }
    if (!text.includes(certificate.id)) throw new Error(`the answer does not name the certificate ${certificate.id}`);
    const body = fs.readFileSync(file, 'utf8');
    const evidence = body.split('## EVIDENCE')[1].split('## SIGNATURE')[0].split('\n').filter((l) => l.startsWith('- ')).map((l) => l.slice(2));
    const report = await verifyEvidenceCitations(evidence, { roots: [fs.realpathSync(workspace)] });
    if (report.checks.length === 0 || report.failures.length > 0) throw new Error(`evidence does not verify: ${JSON.stringify(report.failures.map((f) => f.check.message))}`);
    if (!evidence.some((e) => e.startsWith('Dockerfile:1 `FROM node:latest`'))) throw new Error(`evidence lacks the FROM line: ${evidence.join(' | ')}`);
  });

  await run.step('the answer\'s Configure Model Provider button opens the provider configuration', async () => {
    const button = page.locator('.interactive-session .monaco-button:visible', { hasText: 'Configure Model Provider' }).last();
    await button.waitFor({ timeout: 15_000 });
    await button.click();
    await page.waitForSelector('.quick-input-widget .quick-input-list .monaco-list-row:has-text("Set base URL")', { timeout: 15_000 });
    const picker = await page.$eval('.quick-input-widget', (e) => e.innerText);
    if (!/OpenAI-compatible model provider/.test(picker)) throw new Error(`the quick pick is not the provider configuration: ${picker.slice(0, 300)}`);
    if (!/not set: @devops runs checks only/.test(picker)) throw new Error(`the configuration does not say no base URL is set: ${picker.slice(0, 300)}`);
  });

  await run.step('the model setup button opens the README at its section on connecting a model', async () => {
    await page.keyboard.press('Escape');
    const button = page.locator('.interactive-session .monaco-button:visible', { hasText: 'how to connect a model' }).last();
    await button.click();
    await page.waitForSelector('.tabs-container .tab.active:has-text("README.md")', { timeout: 15_000 });
    const deadline = Date.now() + 10_000;
    for (let editor = ''; ; await sleep(250)) {
      editor = (await page.$eval('.editor-instance .view-lines', (e) => e.innerText).catch(() => '')).replace(/\s+/g, ' ');
      if (editor.includes(`# ${MODEL_SETUP_README_HEADING}`)) break;
      if (Date.now() > deadline) throw new Error(`the README is not shown at "${MODEL_SETUP_README_HEADING}": ${editor.slice(0, 300)}`);
    }
  });

  await run.step('a request that needs reasoning says so in one line, with the ways to get a model', async () => {
    await run.sendChat('@devops /incident the api container keeps restarting');
    await run.waitForChat((t) => /`?\/incident`? needs reasoning, which needs a language model/.test(t), 'the one-line notice');
    for (const title of ['Configure Model Provider', 'Set API Key', 'how to connect a model']) {
      await page.locator('.interactive-session .monaco-button:visible', { hasText: title }).last().waitFor({ timeout: 15_000 });
    }
  });
});
