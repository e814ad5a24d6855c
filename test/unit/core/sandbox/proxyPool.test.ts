import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import { closeIdleProxies, leaseProxy } from '../../../../src/core/sandbox/proxyPool';

/** Asks the proxy at socketPath to CONNECT to host:port and returns its status line. */
function connectThrough(socketPath: string, authority: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => socket.write(`CONNECT ${authority} HTTP/1.1\r\nHost: ${authority}\r\n\r\n`));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      if (answer.includes('\r\n')) {
        socket.destroy();
        resolve(answer.split('\r\n')[0] as string);
      }
    });
    socket.on('error', reject);
  });
}

describe('core/sandbox/proxyPool', () => {
  afterEach(() => closeIdleProxies());

  it('lends the same listening proxy to the next command with the same hosts, with its refusals forgotten', async () => {
    const first = await leaseProxy(['registry.npmjs.org']);
    assert.match(await connectThrough(first.socketPath, 'example.com:443'), /403/);
    assert.deepEqual(first.refused, [{ host: 'example.com', port: 443 }]);
    await first.release();
    const second = await leaseProxy(['registry.npmjs.org']);
    assert.equal(second.socketPath, first.socketPath, 'the proxy kept listening between the two commands');
    assert.deepEqual(second.refused, [], 'a refusal of the first command is not the second one\'s');
    await second.release();
  });

  it('never shares a proxy between two commands at once, nor between different allow-lists', async () => {
    const a = await leaseProxy(['a.example']);
    const b = await leaseProxy(['a.example']);
    const c = await leaseProxy(['c.example']);
    assert.notEqual(a.socketPath, b.socketPath);
    assert.notEqual(a.socketPath, c.socketPath);
    await a.release();
    const d = await leaseProxy(['c.example']);
    assert.notEqual(d.socketPath, a.socketPath, 'an idle proxy for other hosts is not reused');
    for (const lease of [b, c, d]) await lease.release();
  });

  it('closes idle proxies and removes their sockets', async () => {
    const lease = await leaseProxy(['x.example']);
    await lease.release();
    assert.equal(fs.existsSync(lease.socketPath), true);
    await closeIdleProxies();
    assert.equal(fs.existsSync(lease.socketPath), false);
  });
});
