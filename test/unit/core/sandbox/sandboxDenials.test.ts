import * as assert from 'node:assert/strict';
import type { DenialContext } from '../../../../src/core/sandbox/sandboxDenials';
import { explainSandboxDenials } from '../../../../src/core/sandbox/sandboxDenials';

describe('core/sandbox/sandboxDenials', () => {
  const context: DenialContext = {
    command: 'make',
    hiddenSockets: ['/home/u/.docker/run/docker.sock'],
    roots: ['/home/u/project'],
    homeDir: '/home/u',
    cwd: '/home/u/project/sub',
    secrets: [
      { path: '/home/u/.ssh', kind: 'folder', shown: '~/.ssh' },
      { path: '/home/u/project/.env', kind: 'file', shown: '.env' },
    ],
    allowedHosts: [],
    refused: [],
  };

  it('names each kind of denial once, in words the agent will not retry blindly', () => {
    const notes = explainSandboxDenials([
      "touch: cannot touch '/etc/x': Read-only file system",
      "touch: cannot touch '/usr/y': Read-only file system",
      "ln: failed to create hard link 'h' => '/etc/hostname': Invalid cross-device link",
      'cat: /home/u/.ssh/id_rsa: Permission denied',
      'cat: ../.env: Permission denied',
      'cat: /home/u/project/public.txt: Permission denied',
      'curl: (6) Could not resolve host: example.com',
      'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?',
      "bash: .git/hooks/pre-commit: Read-only file system",
    ].join('\n'), context);
    assert.deepEqual(notes, [
      'blocked by the sandbox: write outside the workspace (only /home/u/project and a private /tmp are writable; do not retry elsewhere outside it)',
      'blocked by the sandbox: hard link to a file outside the workspace (links cannot cross the sandbox\'s mounts; copy the file instead)',
      'blocked by the sandbox: read of a secret location (~/.ssh is on the secret deny list and hidden from commands)',
      'blocked by the sandbox: read of a secret location (.env is on the secret deny list and hidden from commands)',
      'blocked by the sandbox: network access (no host is allowed; the user can allow hosts in devopsAgent.sandbox.allowedHosts, or --allow-host in the CLI)',
      'blocked by the sandbox: the Docker socket is not reachable from Bash (use the Docker tool for containers and images)',
      'blocked by the sandbox: write to .git/hooks (read-only in the sandbox: git and VS Code would act on it outside the sandbox; ask the user to change it)',
    ]);
  });

  it('reports refused hosts and says nothing about ordinary failures', () => {
    assert.deepEqual(explainSandboxDenials('npm ERR! 403', { ...context, refused: [{ host: 'evil.example', port: 443 }] }), [
      'blocked by the sandbox: network access to evil.example:443 (not in devopsAgent.sandbox.allowedHosts, or --allow-host in the CLI; ask the user to add it if the command needs it)',
    ]);
    assert.deepEqual(explainSandboxDenials('Error: expected 1 to equal 2\ncat: missing.txt: No such file or directory\nPermission denied (publickey)', context), []);
  });
});
