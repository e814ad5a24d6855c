import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { AllowListProxy } from '../../../../src/core/sandbox/allowListProxy';

/** Sends raw bytes to the proxy's Unix socket and collects everything it answers until it closes. */
function exchange(socketPath: string, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath, () => socket.write(request));
    let answer = '';
    socket.on('data', (chunk: Buffer) => { answer += chunk.toString('latin1'); });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('core/sandbox/allowListProxy', () => {
  let folder: string;
  let server: http.Server;
  let port: number;
  const seen: string[] = [];
  before(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'proxy-'));
    server = http.createServer((req, res) => { seen.push(`${req.headers.host} ${req.url} ${req.headers.connection}`); res.end('upstream-body'); });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => { server.close(); fs.rmSync(folder, { recursive: true, force: true }); });

  it('forwards plain HTTP to an allowed host with Connection: close, and refuses the rest with 403', async () => {
    const proxy = await AllowListProxy.start(path.join(folder, 'a.sock'), [`127.0.0.1:${port}`]);
    try {
      const ok = await exchange(proxy.socketPath, `GET http://127.0.0.1:${port}/path?q=1 HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nProxy-Authorization: x\r\nConnection: keep-alive\r\n\r\n`);
      assert.match(ok, /^HTTP\/1\.1 200/);
      assert.match(ok, /upstream-body$/);
      assert.deepEqual(seen.splice(0), [`127.0.0.1:${port} /path?q=1 close`]);
      const refused = await exchange(proxy.socketPath, 'GET http://evil.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n');
      assert.match(refused, /^HTTP\/1\.1 403 Forbidden/);
      assert.match(refused, /blocked by the sandbox: network access to evil\.example:80 \(not in devopsAgent\.sandbox\.allowedHosts/);
      const otherPort = await exchange(proxy.socketPath, `CONNECT 127.0.0.1:${port + 1} HTTP/1.1\r\n\r\n`);
      assert.match(otherPort, /^HTTP\/1\.1 403/);
      assert.deepEqual(proxy.refused, [{ host: 'evil.example', port: 80 }, { host: '127.0.0.1', port: port + 1 }]);
      assert.match(await exchange(proxy.socketPath, 'GET /relative HTTP/1.1\r\n\r\n'), /^HTTP\/1\.1 400/);
      assert.deepEqual(seen, [], 'nothing refused reached the server');
    } finally {
      await proxy.close();
    }
  });

  it('tunnels CONNECT to an allowed host', async () => {
    const proxy = await AllowListProxy.start(path.join(folder, 'b.sock'), ['127.0.0.1']);
    try {
      const answer = await exchange(proxy.socketPath, `CONNECT 127.0.0.1:${port} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\nGET /tunnelled HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n`);
      assert.match(answer, /^HTTP\/1\.1 200 Connection Established\r\n\r\nHTTP\/1\.1 200 OK/);
      assert.match(answer, /upstream-body$/);
      assert.deepEqual(seen.splice(0), ['t /tunnelled close']);
    } finally {
      await proxy.close();
    }
  });
});
