import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Well-known Unix sockets in the home folder of services that act for the user: container engines (Docker Desktop,
 * Colima, Rancher Desktop, OrbStack, Lima, Podman machine) and SSH agents of password managers. They are listed even
 * when no process of this machine's network namespace bound them (a VM or another namespace serves them).
 */
export const HOME_SERVICE_SOCKETS: readonly string[] = [
  '.docker/run/docker.sock', '.docker/desktop/docker.sock', '.colima/default/docker.sock', '.rd/docker.sock',
  '.orbstack/run/docker.sock', '.lima/default/sock/docker.sock', '.local/share/containers/podman/machine/podman.sock',
  '.1password/agent.sock', '.bitwarden-ssh-agent.sock',
];

/** Well-known Unix sockets outside /run and /tmp: databases, LXD/Incus, the kubelet. */
export const SYSTEM_SERVICE_SOCKETS: readonly string[] = [
  '/var/lib/mysql/mysql.sock', '/var/snap/lxd/common/lxd/unix.socket', '/var/lib/lxd/unix.socket', '/var/lib/incus/unix.socket',
  '/var/lib/kubelet/pod-resources/kubelet.sock', '/var/lib/kubelet/device-plugins/kubelet.sock',
];

/** Folders the sandbox replaces with empty private ones: sockets there are out of reach already. */
const PRIVATE_IN_SANDBOX = ['/tmp', '/var/tmp', '/run', '/var/run', '/dev', '/proc'];

/** Paths of Unix sockets named by DOCKER_HOST-style variables, which may point anywhere. */
export function socketsNamedIn(env: NodeJS.ProcessEnv): string[] {
  const out: string[] = [];
  for (const name of ['DOCKER_HOST', 'CONTAINER_HOST', 'PODMAN_HOST']) {
    const value = env[name];
    if (value?.startsWith('unix://')) out.push(value.slice('unix://'.length));
  }
  return out;
}

/**
 * The file-system paths of the Unix sockets in a /proc/net/unix table (the sockets bound in this network namespace).
 * Abstract sockets (`@name`) and relative paths are left out: the first belong to the namespace, which the sandbox
 * does not share, and the second cannot be located.
 */
export function socketPathsInTable(table: string): string[] {
  const out: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    // Num RefCount Protocol Flags Type St Inode Path — the path is the rest of the line and may hold spaces
    const match = /^\s*\S+:\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s+\S+\s(.+)$/.exec(line);
    const socketPath = match?.[1];
    if (socketPath !== undefined && socketPath.startsWith('/')) out.push(socketPath);
  }
  return out;
}

/** A socket, or a symlink to one (Docker Desktop links /var/run/docker.sock into the home folder and back). */
function isSocket(target: string): boolean {
  try {
    return fs.statSync(target).isSocket();
  } catch {
    return false;
  }
}

function insidePrivateFolder(target: string): boolean {
  return PRIVATE_IN_SANDBOX.some((folder) => target === folder || target.startsWith(`${folder}/`));
}

/**
 * Unix sockets of this machine a sandboxed command could connect to (connect() needs no write access, so a
 * read-only mount does not stop it): every socket bound in this network namespace (/proc/net/unix), the ones
 * DOCKER_HOST-style variables name and the well-known ones, outside the folders the sandbox makes private.
 */
export function hostUnixSockets(env: NodeJS.ProcessEnv, homeDir: string, table: string = readSocketTable()): string[] {
  const candidates = [
    ...socketsNamedIn(env),
    ...HOME_SERVICE_SOCKETS.map((relative) => path.join(homeDir, relative)),
    ...SYSTEM_SERVICE_SOCKETS,
    ...socketPathsInTable(table),
  ];
  return [...new Set(candidates.map((candidate) => path.resolve(candidate)))].filter((candidate) => !insidePrivateFolder(candidate) && isSocket(candidate));
}

function readSocketTable(): string {
  try {
    return fs.readFileSync('/proc/net/unix', 'utf8');
  } catch {
    return '';
  }
}
