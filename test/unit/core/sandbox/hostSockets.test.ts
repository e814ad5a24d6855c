import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { hostUnixSockets, socketPathsInTable } from '../../../../src/core/sandbox/hostSockets';
import { scratchDirOutsideTmp } from '../../../harness/scratchOutsideTmp';

describe('core/sandbox/hostSockets', () => {
  it('reads the socket paths of a /proc/net/unix table, spaces included, without abstract or relative names', () => {
    const table = [
      'Num       RefCount Protocol Flags    Type St Inode Path',
      '0000000000000000: 00000002 00000000 00010000 0001 01 21843 /run/systemd/private',
      '0000000000000000: 00000002 00000000 00010000 0001 01 31337 /home/u/.local/share/my agent/agent.sock',
      '0000000000000000: 00000002 00000000 00010000 0001 01 28412 @/tmp/.X11-unix/X0',
      '0000000000000000: 00000003 00000000 00000000 0001 03 29001',
      '0000000000000000: 00000002 00000000 00010000 0001 01 29002 relative.sock',
      '',
    ].join('\n');
    assert.deepEqual(socketPathsInTable(table), ['/run/systemd/private', '/home/u/.local/share/my agent/agent.sock']);
  });

  it('lists live sockets outside the folders the sandbox makes private, from the table and the well-known places', async () => {
    // outside /tmp: the sandbox makes /tmp private, so sockets there are left alone
    const base = fs.realpathSync(fs.mkdtempSync(path.join(scratchDirOutsideTmp(path.resolve('out')), 'host-sockets-')));
    const home = path.join(base, 'home');
    fs.mkdirSync(path.join(home, '.colima', 'default'), { recursive: true });
    const listened = [path.join(base, 'service.sock'), path.join(home, '.colima', 'default', 'docker.sock')];
    const servers = await Promise.all(listened.map(async (socketPath) => {
      const server = net.createServer();
      await new Promise<void>((resolve) => server.listen(socketPath, resolve));
      return server;
    }));
    fs.writeFileSync(path.join(base, 'not-a-socket.sock'), '');
    try {
      const table = `header\n0: 2 0 10000 1 1 1 ${listened[0]}\n0: 2 0 10000 1 1 2 ${path.join(base, 'not-a-socket.sock')}\n0: 2 0 10000 1 1 3 /run/x.sock\n`;
      const found = hostUnixSockets({ DOCKER_HOST: `unix://${listened[0]}` }, home, table);
      assert.equal(found.includes('/run/x.sock'), false);
      assert.equal(found.some((socket) => socket.endsWith('not-a-socket.sock')), false);
      assert.deepEqual(found.filter((socket) => socket.startsWith(base)).sort(), [...listened].sort(), 'named by DOCKER_HOST and the table once, and the Colima socket');
    } finally {
      for (const server of servers) server.close();
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
