import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import type { ToolEnvironment } from '../framework/tool';

/** Where the tools' Docker engine is, for previews and messages; no client is loaded to know it. */
export interface DockerAddress {
  /** The address tried, as a user would write it in DOCKER_HOST (unix:///var/run/docker.sock, tcp://host:2375, …). */
  readonly address: string;
  /** Where the address came from. */
  readonly origin: 'setting' | 'DOCKER_HOST' | 'default';
  /** dockerode options for the address; undefined means docker-modem reads DOCKER_HOST and friends itself. */
  readonly options: Docker.DockerOptions | undefined;
}

/** A client for one Docker engine, and where it points, for messages. */
export interface DockerEndpoint extends DockerAddress {
  readonly docker: Docker;
}

function defaultSocketPath(): string {
  if (process.platform === 'win32') return '//./pipe/docker_engine';
  // Docker Desktop's per-user socket first, as the docker CLI and docker-modem do
  const userSocket = path.join(os.homedir(), '.docker', 'run', 'docker.sock');
  return existsSync(userSocket) ? userSocket : '/var/run/docker.sock';
}

function socketAddress(socketPath: string): string {
  return socketPath.startsWith('//') || socketPath.startsWith('\\\\') ? `npipe://${socketPath}` : `unix://${socketPath}`;
}

function tlsFiles(): Docker.DockerOptions {
  const certPath = process.env.DOCKER_CERT_PATH;
  if (certPath === undefined || certPath === '') return {};
  return {
    ca: readFileSync(path.join(certPath, 'ca.pem')),
    cert: readFileSync(path.join(certPath, 'cert.pem')),
    key: readFileSync(path.join(certPath, 'key.pem')),
  };
}

/** Turns a DOCKER_HOST-style address into dockerode options; throws on an address it cannot use. */
export function dockerOptionsForAddress(address: string): Docker.DockerOptions {
  if (address.startsWith('unix://')) return { socketPath: address.slice('unix://'.length) || '/var/run/docker.sock' };
  if (address.startsWith('npipe://')) return { socketPath: address.slice('npipe://'.length) || '//./pipe/docker_engine' };
  if (address.startsWith('/') || address.startsWith('\\\\')) return { socketPath: address };
  const withScheme = address.includes('://') ? address : `tcp://${address}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new Error(`"${address}" is not a Docker address; use unix:///var/run/docker.sock, tcp://host:2375 or ssh://user@host.`);
  }
  const port = url.port !== '' ? url.port : url.protocol === 'https:' ? '2376' : url.protocol === 'ssh:' ? '22' : '2375';
  if (url.protocol === 'ssh:') {
    return { protocol: 'ssh', host: url.hostname, port, username: url.username, sshOptions: { agent: process.env.SSH_AUTH_SOCK } };
  }
  if (url.protocol !== 'tcp:' && url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${address}" uses ${url.protocol}, which the Docker tool does not support; use unix://, npipe://, tcp://, https:// or ssh://.`);
  }
  const tls = url.protocol === 'https:' || port === '2376' || process.env.DOCKER_TLS_VERIFY === '1';
  return tls ? { protocol: 'https', host: url.hostname, port, ...tlsFiles() } : { protocol: 'http', host: url.hostname, port };
}

/** The engine the tools talk to: the dockerHost setting, else DOCKER_HOST, else the platform's default socket. */
export function dockerAddress(environment: ToolEnvironment): DockerAddress {
  const setting = environment.dockerHost?.trim();
  if (setting !== undefined && setting !== '') return { address: setting, origin: 'setting', options: dockerOptionsForAddress(setting) };
  const fromEnvironment = process.env.DOCKER_HOST?.trim();
  // docker-modem reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself, exactly like the docker CLI
  if (fromEnvironment !== undefined && fromEnvironment !== '') return { address: fromEnvironment, origin: 'DOCKER_HOST', options: undefined };
  const socketPath = defaultSocketPath();
  return { address: socketAddress(socketPath), origin: 'default', options: { socketPath } };
}

/** A client for that engine. dockerode loads here, on the first Docker call, not with the extension. */
export async function connectDocker(environment: ToolEnvironment): Promise<DockerEndpoint> {
  const where = dockerAddress(environment);
  const { default: Docker } = await import('dockerode');
  return { ...where, docker: where.options === undefined ? new Docker() : new Docker(where.options) };
}

const CONNECTION_ERROR_CODES = new Set(['ENOENT', 'ECONNREFUSED', 'EACCES', 'EPERM', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE']);

/** True when an error means the engine could not be reached at all (as opposed to the engine refusing a request). */
export function isDockerUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, statusCode } = error as { code?: unknown; statusCode?: unknown };
  if (statusCode !== undefined) return false;
  return typeof code === 'string' && CONNECTION_ERROR_CODES.has(code);
}

/** Says which address was tried, why it failed and how to get an engine running. */
export function dockerUnreachableMessage(error: unknown, endpoint: DockerAddress): string {
  const code = (error as { code?: string }).code ?? '';
  const origin =
    endpoint.origin === 'setting' ? 'from the Docker host setting' : endpoint.origin === 'DOCKER_HOST' ? 'from DOCKER_HOST' : 'the default socket; DOCKER_HOST is not set';
  const reason =
    code === 'ENOENT'
      ? 'the socket does not exist, so no engine is running there'
      : code === 'ECONNREFUSED'
        ? 'nothing accepts connections there (the engine is stopped or still starting)'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied on the socket'
          : `${(error as Error).message}`;
  const fix =
    code === 'EACCES' || code === 'EPERM'
      ? 'Give this user access to the engine: `sudo usermod -aG docker $USER`, then log out and in again (or use rootless Docker).'
      : 'Start Docker: open Docker Desktop, or on Linux `sudo systemctl start docker`; on a machine without systemd start the daemon yourself ' +
        '(`sudo setsid dockerd >/var/log/dockerd.log 2>&1 &`). If the engine runs elsewhere, set DOCKER_HOST or the Docker host setting to its address.';
  return `Cannot reach the Docker engine at ${endpoint.address} (${origin}): ${reason}. ${fix}`;
}
