import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { connectDocker } from '../../../../../src/core/tools/docker/dockerConnection';
import { dockerTool } from '../../../../../src/core/tools/docker/docker';
import { DOCKER_CREATED_BY_LABEL } from '../../../../../src/core/tools/docker/dockerInput';
import type { ToolResult } from '../../../../../src/core/tools/framework/tool';
import { ToolInputError } from '../../../../../src/core/tools/framework/tool';
import type { RecordingToolContext } from '../processToolContext';
import { processToolContext } from '../processToolContext';

const TEST_IMAGE = 'local/busybox:latest';
const ENGINE_BANNER = [
  '',
  '================================================================================',
  '  SKIPPING the Docker tool tests: no Docker engine answers (or local/busybox:latest is missing).',
  '  Start the local engine and its test image (root, no registry needed):',
  '      sudo bash scripts/docker-engine-start.sh',
  '  and stop it afterwards with: sudo bash scripts/docker-engine-stop.sh',
  '================================================================================',
  '',
].join('\n');

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('core/tools/docker: engine unreachable', () => {
  it('names the socket it tried and how to start Docker', async () => {
    const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'docker-none-')));
    try {
      const socket = path.join(root, 'no-engine-here.sock');
      const ctx = processToolContext([root], { environment: { dockerHost: `unix://${socket}` } });
      const result = await dockerTool.run(dockerTool.parse({ action: 'ps' }), ctx);
      assert.equal(result.ok, false);
      assert.match(result.text, new RegExp(`Cannot reach the Docker engine at unix://${socket} \\(from the Docker host setting\\)`));
      assert.match(result.text, /the socket does not exist/);
      assert.match(result.text, /systemctl start docker/);
      const tcp = await dockerTool.run(dockerTool.parse({ action: 'images' }), processToolContext([root], { environment: { dockerHost: 'tcp://127.0.0.1:1' } }));
      assert.equal(tcp.ok, false);
      assert.match(tcp.text, /Cannot reach the Docker engine at tcp:\/\/127\.0\.0\.1:1 .*nothing accepts connections/);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('validates input before talking to any engine', () => {
    assert.throws(() => dockerTool.parse({ action: 'pull' }), /must be one of/);
    assert.throws(() => dockerTool.parse({ action: 'run', image: TEST_IMAGE, ports: ['80:80'] }), /unknown field "ports"/);
    assert.throws(() => dockerTool.parse({ action: 'run' }), /"image" is required/);
    assert.throws(() => dockerTool.parse({ action: 'run', image: '--privileged' }), ToolInputError);
    assert.throws(() => dockerTool.parse({ action: 'run', image: TEST_IMAGE, name: '-x' }), ToolInputError);
    assert.throws(() => dockerTool.parse({ action: 'exec', container: 'c1' }), /"command" is required/);
    assert.throws(() => dockerTool.parse({ action: 'exec', container: 'c1', command: ['ls', 3] }), ToolInputError);
    assert.throws(() => dockerTool.parse({ action: 'run', image: TEST_IMAGE, env: { 'BAD NAME': 'x' } }), /invalid name/);
    assert.throws(() => dockerTool.parse({ action: 'build', context: '.', tag: 'UPPER CASE' }), ToolInputError);
    assert.equal(dockerTool.riskOf(dockerTool.parse({ action: 'ps' })), 'read');
    assert.equal(dockerTool.riskOf(dockerTool.parse({ action: 'logs', container: 'web' })), 'read');
    assert.equal(dockerTool.riskOf(dockerTool.parse({ action: 'run', image: TEST_IMAGE })), 'execute');
    assert.equal(dockerTool.riskOf(dockerTool.parse({ action: 'rm', container: 'web' })), 'execute');
    assert.deepEqual(dockerTool.parse({ action: 'run', image: TEST_IMAGE, detach: true }), { action: 'run', image: TEST_IMAGE, detach: true, rm: false });
    assert.equal(dockerTool.subjectOf(dockerTool.parse({ action: 'exec', container: 'web', command: ['ls', '-la', 'my dir'] })), "exec web ls -la 'my dir'");
  });

  it('previews run with the image, command, name and env names but not env values', async () => {
    const preview = await dockerTool.preview(
      dockerTool.parse({ action: 'run', image: TEST_IMAGE, command: 'echo $TOKEN', env: { TOKEN: 's3cr3t-value', MODE: 'ci' }, name: 'job-1' }),
      processToolContext([os.tmpdir()], { environment: { dockerHost: 'unix:///nowhere.sock' } }),
    );
    assert.equal(preview.title, `Docker run ${TEST_IMAGE}`);
    assert.match(preview.detail, /docker run --rm --init --name job-1 local\/busybox:latest echo \$TOKEN/);
    assert.match(preview.detail, /`TOKEN`, `MODE`/);
    assert.doesNotMatch(preview.detail, /s3cr3t-value/);
    assert.match(preview.detail, /unix:\/\/\/nowhere\.sock/);
  });
});

describe('core/tools/docker: against the real engine', function () {
  this.timeout(30_000);
  const suffix = randomBytes(4).toString('hex');
  const names = { daemon: `devops-test-daemon-${suffix}`, cancel: `devops-test-cancel-${suffix}`, timeout: `devops-test-timeout-${suffix}`, kept: `devops-test-kept-${suffix}` };
  const tags = { ok: `devops-test/build-ok:${suffix}`, fail: `devops-test/build-fail:${suffix}`, slow: `devops-test/build-slow:${suffix}` };
  let docker: Docker;
  let root: string;

  const call = (input: unknown, ctx: RecordingToolContext = processToolContext([root])): Promise<ToolResult> => dockerTool.run(dockerTool.parse(input), ctx);

  async function containerExists(name: string): Promise<boolean> {
    const list = await docker.listContainers({ all: true, filters: { name: [`^/${name}$`] } });
    return list.length > 0;
  }

  before(async function () {
    docker = (await connectDocker({})).docker;
    try {
      await docker.ping();
      await docker.getImage(TEST_IMAGE).inspect();
    } catch {
      console.warn(ENGINE_BANNER);
      this.skip();
    }
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'docker-tool-')));
  });

  after(async () => {
    if (docker === undefined || root === undefined) return;
    const ours = await docker.listContainers({ all: true, filters: { label: [DOCKER_CREATED_BY_LABEL] } }).catch(() => []);
    for (const c of ours) {
      if (c.Names.some((n) => n.endsWith(suffix))) await docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined);
    }
    for (const name of Object.values(names)) await docker.getContainer(name).remove({ force: true }).catch(() => undefined);
    for (const tag of Object.values(tags)) await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('images lists the local test image', async () => {
    const result = await call({ action: 'images' });
    assert.equal(result.ok, true);
    assert.match(result.text, /REPOSITORY:TAG\s+IMAGE ID\s+CREATED\s+SIZE/);
    assert.match(result.text, /local\/busybox:latest\s+[0-9a-f]{12}/);
  });

  it('run waits, returns the exit code and demultiplexed output, and removes the container', async () => {
    const result = await call({ action: 'run', image: TEST_IMAGE, command: 'echo "greeting=$GREETING"; echo oops >&2; echo done', env: { GREETING: 'hello' }, name: names.kept });
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, /exited with code 0/);
    assert.match(result.text, /^greeting=hello$/m);
    assert.match(result.text, /^\[stderr\] oops$/m);
    assert.match(result.text, /^done$/m);
    assert.equal(await containerExists(names.kept), false, 'rm defaults to true when not detached');
    const failed = await call({ action: 'run', image: TEST_IMAGE, command: ['sh', '-c', 'echo last words; exit 7'] });
    assert.equal(failed.ok, false);
    assert.match(failed.text, /exited with code 7/);
    assert.match(failed.text, /last words/);
    const argv = await call({ action: 'run', image: TEST_IMAGE, command: ['echo', 'two  spaces'] });
    assert.match(argv.text, /^two {2}spaces$/m);
  });

  it('run of an image that is not present (and cannot be pulled) says so', async () => {
    const result = await call({ action: 'run', image: `local/no-such-image:${suffix}` });
    assert.equal(result.ok, false);
    assert.match(result.text, /not present locally and pulling it failed/);
  });

  it('a detached container: ps, inspect, logs, stats, exec, stop, rm', async () => {
    const started = await call({ action: 'run', image: TEST_IMAGE, detach: true, name: names.daemon, command: 'echo started; echo warning >&2; while true; do sleep 1; done' });
    assert.equal(started.ok, true, started.text);
    assert.match(started.text, new RegExp(`Started container ${names.daemon}`));

    const ps = await call({ action: 'ps' });
    assert.match(ps.text, new RegExp(`[0-9a-f]{12}\\s+${names.daemon}\\s+local/busybox:latest\\s+running`));

    const inspect = await call({ action: 'inspect', target: names.daemon });
    assert.equal(inspect.ok, true);
    assert.match(inspect.text, new RegExp(`"Name": "/${names.daemon}"`));
    assert.match(inspect.text, /"Init": true/);
    const image = await call({ action: 'inspect', target: TEST_IMAGE });
    assert.match(image.text, /^Image local\/busybox:latest:/);

    await sleep(300);
    const logs = await call({ action: 'logs', container: names.daemon, timestamps: true });
    assert.equal(logs.ok, true);
    assert.match(logs.text, /^\S+Z started$/m);
    assert.match(logs.text, /^\[stderr\] \S+Z warning$/m);

    const stats = await call({ action: 'stats', container: names.daemon });
    assert.equal(stats.ok, true, stats.text);
    assert.match(stats.text, /CPU %\s+MEM USAGE \/ LIMIT/);
    assert.match(stats.text, new RegExp(`${names.daemon}\\s+\\d+\\.\\d\\d%\\s+[\\d.]+ (B|KiB|MiB) / [\\d.]+ (KiB|MiB|GiB|TiB)`));

    const allStats = await call({ action: 'stats' });
    assert.match(allStats.text, new RegExp(`${names.daemon}\\s+\\d+\\.\\d\\d%`));

    const exec = await call({ action: 'exec', container: names.daemon, command: 'echo inside; echo complaint >&2; exit 4' });
    assert.equal(exec.ok, false);
    assert.match(exec.text, /^Exit code 4/);
    assert.match(exec.text, /^inside$/m);
    assert.match(exec.text, /^\[stderr\] complaint$/m);
    const execOk = await call({ action: 'exec', container: names.daemon, command: ['cat', '/etc/passwd'] });
    assert.equal(execOk.ok, true);
    assert.match(execOk.text, /^root:x:0:0/m);

    const busy = await call({ action: 'rm', container: names.daemon });
    assert.equal(busy.ok, false);
    assert.match(busy.text, /is running: stop it first/);

    const stopStarted = Date.now();
    const stop = await call({ action: 'stop', container: names.daemon });
    assert.equal(stop.ok, true, stop.text);
    assert.ok(Date.now() - stopStarted < 5_000, 'init as PID 1 forwards SIGTERM, so stop does not wait 10 s');
    const again = await call({ action: 'stop', container: names.daemon });
    assert.match(again.text, /already stopped/);
    const all = await call({ action: 'ps', all: true });
    assert.match(all.text, new RegExp(`${names.daemon}\\s+local/busybox:latest\\s+exited`));

    const rm = await call({ action: 'rm', container: names.daemon });
    assert.equal(rm.ok, true);
    assert.equal(await containerExists(names.daemon), false);
    const gone = await call({ action: 'inspect', target: names.daemon });
    assert.equal(gone.ok, false);
    assert.match(gone.text, /No container or image named/);
    const missingLogs = await call({ action: 'logs', container: names.daemon });
    assert.equal(missingLogs.ok, false);
    assert.match(missingLogs.text, /^Not found: No such container/);
  });

  it('build honours .dockerignore (exceptions included), passes build args and streams progress', async () => {
    const context = path.join(root, 'ctx-ok');
    write(path.join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nARG NOTE=none\nRUN echo "note=$NOTE" > /note.txt\nCOPY . /ctx/\n`);
    write(path.join(context, 'keep.txt'), 'kept\n');
    write(path.join(context, 'secret.txt'), 'must not be sent\n');
    write(path.join(context, 'logs', 'noise.log'), 'noise\n');
    write(path.join(context, 'logs', 'keep.log'), 'keep me\n');
    write(path.join(context, '.dockerignore'), '# test\nsecret.txt\nlogs\n!logs/keep.log\nDockerfile\n');
    const ctx = processToolContext([root]);
    const result = await call({ action: 'build', context: 'ctx-ok', tag: tags.ok, build_args: { NOTE: 'from-test' } }, ctx);
    assert.equal(result.ok, true, result.text);
    assert.match(result.text, new RegExp(`^Built ${tags.ok.replace(/[/.]/g, '\\$&')} \\([0-9a-f]{12}\\)`));
    assert.match(result.text, /excluded by \.dockerignore/);
    assert.ok(ctx.progressLines.some((line) => /^Step 1\/\d+ : FROM local\/busybox:latest$/.test(line)), ctx.progressLines.join('\n'));

    const listing = await call({ action: 'run', image: tags.ok, command: 'cat /note.txt; find /ctx | sort' });
    assert.equal(listing.ok, true, listing.text);
    assert.match(listing.text, /^note=from-test$/m);
    assert.match(listing.text, /^\/ctx\/keep\.txt$/m);
    assert.match(listing.text, /^\/ctx\/logs\/keep\.log$/m);
    assert.doesNotMatch(listing.text, /secret\.txt/);
    assert.doesNotMatch(listing.text, /noise\.log/);
  });

  it('a failing build step is reported with the step output', async () => {
    const context = path.join(root, 'ctx-fail');
    write(path.join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo failing-step-output && exit 3\n`);
    const result = await call({ action: 'build', context: 'ctx-fail', tag: tags.fail });
    assert.equal(result.ok, false);
    assert.match(result.text, /^Build of devops-test\/build-fail:\w+ failed after [\d.]+ s: The command '.*' returned a non-zero code: 3/);
    assert.match(result.text, /failing-step-output/);
    const noBase = path.join(root, 'ctx-nobase');
    write(path.join(noBase, 'Dockerfile'), `FROM local/no-such-base:${suffix}\n`);
    const missing = await call({ action: 'build', context: 'ctx-nobase', tag: tags.fail });
    assert.equal(missing.ok, false);
    assert.match(missing.text, /failed after/);
    const noDockerfile = await call({ action: 'build', context: '.', tag: tags.fail });
    assert.equal(noDockerfile.ok, false);
    assert.match(noDockerfile.text, /No Dockerfile at/);
    const outside = await call({ action: 'build', context: '..', tag: tags.fail });
    assert.equal(outside.ok, false);
    assert.match(outside.text, /refused/);
  });

  it('cancelling a running `run` stops and removes its container', async () => {
    const ctx = processToolContext([root]);
    const pending = call({ action: 'run', image: TEST_IMAGE, name: names.cancel, command: 'sleep 100' }, ctx);
    for (let i = 0; i < 100; i++) {
      const running = await docker.listContainers({ filters: { name: [`^/${names.cancel}$`] } });
      if (running.length > 0) break;
      await sleep(50);
    }
    const cancelledAt = Date.now();
    ctx.controller.abort();
    const result = await pending;
    assert.ok(Date.now() - cancelledAt < 5_000, `returned ${Date.now() - cancelledAt} ms after cancel`);
    assert.equal(result.ok, false);
    assert.match(result.text, /was cancelled; container .* was stopped and removed/);
    assert.equal(await containerExists(names.cancel), false);
  });

  it('a run past timeout_ms is stopped, and a kept container stays for inspection', async () => {
    const started = Date.now();
    const result = await call({ action: 'run', image: TEST_IMAGE, name: names.timeout, command: 'echo before-timeout; sleep 100', timeout_ms: 1_000, rm: false });
    assert.ok(Date.now() - started < 8_000);
    assert.equal(result.ok, false);
    assert.match(result.text, /timed out after 1 s; container .* was stopped\./);
    assert.match(result.text, /before-timeout/);
    const info = await docker.getContainer(names.timeout).inspect();
    assert.equal(info.State.Running, false);
  });

  it('cancelling a build returns promptly', async () => {
    const context = path.join(root, 'ctx-slow');
    write(path.join(context, 'Dockerfile'), `FROM ${TEST_IMAGE}\nRUN echo slow-step && sleep 30\n`);
    const ctx = processToolContext([root]);
    const pending = call({ action: 'build', context: 'ctx-slow', tag: tags.slow }, ctx);
    for (let i = 0; i < 200 && !ctx.progressLines.some((l) => /^Step 2\/\d+ : RUN/.test(l)); i++) await sleep(25);
    assert.ok(ctx.progressLines.some((l) => /^Step 2\/\d+ : RUN/.test(l)), 'the slow step started before the cancel');
    const cancelledAt = Date.now();
    ctx.controller.abort();
    const result = await pending;
    assert.ok(Date.now() - cancelledAt < 3_000);
    assert.equal(result.ok, false);
    assert.match(result.text, /cancelled/);
    await assert.rejects(docker.getImage(tags.slow).inspect());
  });
});
