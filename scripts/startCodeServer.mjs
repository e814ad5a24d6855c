// Installs the freshly packaged .vsix into a private code-server profile and opens a workspace in it.
//   node scripts/startCodeServer.mjs [--workspace DIR] [--port N] [--model-url URL]
// The model: --model-url, else $DEVOPS_AGENT_BASE_URL (an OpenAI-compatible base URL); neither = checks only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO, CACHE, installVsix, startCodeServer, writeUserSettings } from '../test/harness/codeServer.mjs';
import { describeModel } from './modelBanner.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const { version } = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
const vsix = path.join(REPO, `devops-agent-${version}.vsix`);
if (!fs.existsSync(vsix)) throw new Error(`${vsix} is missing: run npm run package`);

let workspace = option('--workspace');
if (!workspace) {
  // a fresh copy of demo/ with its own git history, so the agent's edits never touch the repository
  workspace = path.join(CACHE, 'demo-workspace');
  fs.rmSync(workspace, { recursive: true, force: true });
  execFileSync('bash', [path.join(REPO, 'demo/make-demo-workspace.sh'), workspace], { stdio: 'inherit' });
}
workspace = path.resolve(workspace);
const modelUrl = (option('--model-url') ?? process.env.DEVOPS_AGENT_BASE_URL ?? '').trim();
if (args.includes('--model-url') && !option('--model-url')) usage('--model-url needs a URL, e.g. --model-url http://127.0.0.1:11434/v1');
if (modelUrl && !/^https?:\/\/[^/\s]+/.test(modelUrl)) usage(`--model-url ${modelUrl}: not an http(s) URL; e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:1234/v1 (LM Studio)`);
const modelLine = await describeModel(modelUrl);
const profile = path.join(CACHE, 'start-profile');
// always written, so a URL given last time does not linger in the profile
writeUserSettings(profile, { 'devopsAgent.openai.baseUrl': modelUrl });
console.log(installVsix(profile, vsix));
const server = await startCodeServer({ profile, port: option('--port') ? Number(option('--port')) : 8080, smokeTestDriver: false });
console.log(`\nDevOps Engineer Agent is running in VS Code (code-server):\n\n    ${server.url}/?folder=${encodeURIComponent(workspace)}\n`);
console.log(`${modelLine}\n`);
console.log('Open the DevOps Agent view in the activity bar, or type @devops in the chat. Ctrl-C stops everything.');
await new Promise(() => {});

function usage(message) {
  console.error(`npm start: ${message}\nUsage: npm start -- [--workspace DIR] [--port N] [--model-url URL]`);
  process.exit(2);
}
