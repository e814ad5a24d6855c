import * as assert from 'node:assert/strict';
import { connectDocker, dockerOptionsForAddress, dockerUnreachableMessage, isDockerUnreachable } from '../../../../../src/core/tools/docker/dockerConnection';

describe('core/tools/docker/dockerConnection', () => {
  let savedHost: string | undefined;
  beforeEach(() => {
    savedHost = process.env.DOCKER_HOST;
  });
  afterEach(() => {
    if (savedHost === undefined) delete process.env.DOCKER_HOST;
    else process.env.DOCKER_HOST = savedHost;
  });

  it('understands the DOCKER_HOST address forms', () => {
    assert.deepEqual(dockerOptionsForAddress('unix:///run/user/1000/docker.sock'), { socketPath: '/run/user/1000/docker.sock' });
    assert.deepEqual(dockerOptionsForAddress('/var/run/docker.sock'), { socketPath: '/var/run/docker.sock' });
    assert.deepEqual(dockerOptionsForAddress('npipe:////./pipe/docker_engine'), { socketPath: '//./pipe/docker_engine' });
    assert.deepEqual(dockerOptionsForAddress('tcp://10.0.0.5:2375'), { protocol: 'http', host: '10.0.0.5', port: '2375' });
    assert.deepEqual(dockerOptionsForAddress('build-host:2375'), { protocol: 'http', host: 'build-host', port: '2375' });
    assert.equal(dockerOptionsForAddress('tcp://10.0.0.5:2376').protocol, 'https');
    assert.deepEqual(
      { ...dockerOptionsForAddress('ssh://deploy@builder:2222'), sshOptions: undefined },
      { protocol: 'ssh', host: 'builder', port: '2222', username: 'deploy', sshOptions: undefined },
    );
    assert.throws(() => dockerOptionsForAddress('ftp://x'), /does not support/);
  });

  it('takes the setting first, then DOCKER_HOST, then the default socket', async () => {
    process.env.DOCKER_HOST = 'unix:///from/env.sock';
    assert.deepEqual(pick(await connectDocker({ dockerHost: 'unix:///from/setting.sock' })), { address: 'unix:///from/setting.sock', origin: 'setting' });
    assert.deepEqual(pick(await connectDocker({})), { address: 'unix:///from/env.sock', origin: 'DOCKER_HOST' });
    delete process.env.DOCKER_HOST;
    const fallback = await connectDocker({ dockerHost: '  ' });
    assert.equal(fallback.origin, 'default');
    assert.match(fallback.address, process.platform === 'win32' ? /^npipe:/ : /^unix:\/\/.*docker\.sock$/);
  });

  it('tells connection failures from engine answers, and explains permission problems', async () => {
    assert.equal(isDockerUnreachable(Object.assign(new Error('connect ENOENT'), { code: 'ENOENT' })), true);
    assert.equal(isDockerUnreachable(Object.assign(new Error('no such container'), { statusCode: 404 })), false);
    assert.equal(isDockerUnreachable(new Error('plain')), false);
    const endpoint = await connectDocker({ dockerHost: 'unix:///var/run/docker.sock' });
    const denied = dockerUnreachableMessage(Object.assign(new Error('connect EACCES'), { code: 'EACCES' }), endpoint);
    assert.match(denied, /permission denied on the socket/);
    assert.match(denied, /usermod -aG docker/);
  });
});

function pick(endpoint: { address: string; origin: string }): { address: string; origin: string } {
  return { address: endpoint.address, origin: endpoint.origin };
}
