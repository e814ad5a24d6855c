import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RefusedConnection } from './allowListProxy';
import { ALLOWED_HOSTS_HINT } from './sandboxSettings';
import type { HardLinkedFile, SecretLocation } from './secretLocations';

export interface DenialContext {
  /** The command line as the user approved it. */
  readonly command: string;
  /** Unix sockets of services on this machine the sandbox hides. */
  readonly hiddenSockets: readonly string[];
  /** The ones DOCKER_HOST-style variables name (container engines whatever their file name). */
  readonly engineSockets?: readonly string[];
  readonly roots: readonly string[];
  readonly homeDir: string;
  readonly cwd: string;
  readonly secrets: readonly SecretLocation[];
  /** Workspace files hard-linked to files outside it, bound read-only. */
  readonly hardLinked?: readonly HardLinkedFile[];
  readonly allowedHosts: readonly string[];
  readonly refused: readonly RefusedConnection[];
}

/** The prefix every denial note starts with, so the agent and the user see it is the sandbox and not the command. */
export const BLOCKED_BY_SANDBOX = 'blocked by the sandbox:';

const NO_DNS_OR_ROUTE = /could not resolve host|temporary failure in name resolution|name or service not known|getaddrinfo|ENOTFOUND|EAI_AGAIN|network is unreachable|ENETUNREACH/i;
const LOCAL_REFUSED = /(connection refused|ECONNREFUSED|couldn't connect to server|failed to connect)[^\n]*(127\.\d+\.\d+\.\d+|localhost|::1)|(127\.\d+\.\d+\.\d+|localhost|::1)[^\n]*(connection refused|ECONNREFUSED|couldn't connect to server)/i;
/** What the OpenSSH client prints when it cannot connect (git over ssh passes it through). */
const SSH_CLIENT_ERROR = /^ssh: (could not resolve hostname|connect to host)|kex_exchange_identification|ssh_exchange_identification/i;
const DOCKER_SOCKET = /docker\.sock|cannot connect to the docker daemon/i;

/**
 * Reads a sandboxed command's output for the errors the sandbox causes and says what was blocked, in words the
 * agent will not retry blindly: writes outside the workspace (EROFS), hard links out of it (EXDEV), reads of secret
 * locations (EACCES on a hidden path), hosts the proxy refused, the network and the Docker socket.
 */
export function explainSandboxDenials(output: string, context: DenialContext): string[] {
  const notes = new Set<string>();
  const writable = `${context.roots.join(', ')} and a private /tmp`;
  for (const line of output.split('\n')) {
    const pinned = /read-only file system|EROFS|device or resource busy|EBUSY/i.test(line);
    const linkedFile = pinned ? namedIn(line, context, context.hardLinked ?? []) : undefined;
    if (linkedFile !== undefined) {
      notes.add(`${BLOCKED_BY_SANDBOX} write to ${linkedFile.shown}, which is hard-linked to a file outside the workspace (${linkedFile.links} links): ` +
        'writing it would change that file too, so it is read-only and cannot be moved or deleted in the sandbox; write your change to a new file, or ask the user to break the link (`cp --remove-destination`)');
    } else if (/read-only file system|EROFS/i.test(line)) {
      const guarded = /(\.git\/hooks|\.git\/config|\.vscode)\b/.exec(line);
      if (guarded?.[1] === '.git/config') notes.add(GIT_CONFIG_NOTE);
      else {
        notes.add(guarded
          ? `${BLOCKED_BY_SANDBOX} write to ${guarded[1]} (read-only in the sandbox: git and VS Code would act on it outside the sandbox; ask the user to change it)`
          : `${BLOCKED_BY_SANDBOX} write outside the workspace (only ${writable} are writable; do not retry elsewhere outside it)`);
      }
    } else if (/device or resource busy|EBUSY/i.test(line) && /\.git\/config\b/.test(line)) {
      notes.add(GIT_CONFIG_NOTE);
    }
    if (/invalid cross-device link|EXDEV/i.test(line)) {
      notes.add(`${BLOCKED_BY_SANDBOX} hard link to a file outside the workspace (links cannot cross the sandbox's mounts; copy the file instead)`);
    }
    if (/permission denied|EACCES/i.test(line)) {
      const secret = secretNamedIn(line, context);
      if (secret !== undefined) notes.add(`${BLOCKED_BY_SANDBOX} read of a secret location (${secret.shown} is on the secret deny list and hidden from commands)`);
    }
    const privatePath = DOCKER_SOCKET.test(line) ? undefined : hostOnlyPrivatePath(line);
    if (privatePath !== undefined) {
      notes.add(`${BLOCKED_BY_SANDBOX} ${privatePath.folder} is private to each command: ${privatePath.path} on this machine is not visible and nothing written there is kept (use the workspace for files that must last)`);
    }
    if (SSH_CLIENT_ERROR.test(line)) {
      notes.add(`${BLOCKED_BY_SANDBOX} SSH (git over ssh, ssh, scp, rsync over ssh) cannot leave the sandbox: only HTTP(S) through its proxy can, and ~/.ssh is hidden; ` +
        `do not retry over ssh: use an https:// remote whose host is in ${ALLOWED_HOSTS_HINT}, or ask the user to run it`);
    } else if (DOCKER_SOCKET.test(line)) {
      notes.add(`${BLOCKED_BY_SANDBOX} the Docker socket is not reachable from Bash (use the Docker tool for containers and images)`);
    } else if (NO_DNS_OR_ROUTE.test(line)) {
      notes.add(`${BLOCKED_BY_SANDBOX} network access (${allowedSummary(context.allowedHosts)})`);
    } else if (LOCAL_REFUSED.test(line)) {
      notes.add(`${BLOCKED_BY_SANDBOX} servers on this machine (127.0.0.1, localhost) are not reachable: the sandbox has a loopback of its own (a server the same command starts is reachable)`);
    }
  }
  const socketFailed = /couldn't connect|failed to connect|can't connect|no such file|connection refused|permission denied/i.test(output);
  const namedSocket = context.hiddenSockets.find((socket) => context.command.includes(socket) || output.includes(socket));
  if (socketFailed && (DOCKER_SOCKET.test(context.command) || (namedSocket !== undefined && isEngineSocket(namedSocket, context)))) {
    notes.add(`${BLOCKED_BY_SANDBOX} the Docker socket is not reachable from Bash (use the Docker tool for containers and images)`);
  } else if (socketFailed && namedSocket !== undefined) {
    notes.add(`${BLOCKED_BY_SANDBOX} the Unix socket ${namedSocket} belongs to a service outside the sandbox and is hidden ` +
      '(commands in the sandbox reach no service on this machine; ask the user to run what needs it)');
  }
  for (const refused of context.refused) {
    notes.add(`${BLOCKED_BY_SANDBOX} network access to ${refused.host}:${refused.port} (not in ${ALLOWED_HOSTS_HINT}; ask the user to add it if the command needs it)`);
  }
  return [...notes];
}

/** git config writes .git/config.lock and renames it over .git/config, which the sandbox keeps read-only. */
const GIT_CONFIG_NOTE =
  `${BLOCKED_BY_SANDBOX} write to .git/config (read-only in the sandbox on purpose: hooks, aliases and core.sshCommand set there would run ` +
  'outside the sandbox the next time git runs; `git config` changes, `git remote add` and `git branch --set-upstream-to` cannot work here, ' +
  'so do not retry them: ask the user to run them, or pass one-off settings as `git -c key=value`)';

function isEngineSocket(socket: string, context: DenialContext): boolean {
  return /(docker|podman)\.sock$/.test(socket) || (context.engineSockets ?? []).includes(socket);
}

/** A path in /tmp, /var/tmp or /run that a command could not find although it (or its folder) exists outside. */
function hostOnlyPrivatePath(line: string): { folder: string; path: string } | undefined {
  if (!/no such file or directory|ENOENT/i.test(line)) return undefined;
  for (const match of line.matchAll(/(\/(?:var\/)?(?:tmp|run))(\/[^\s'"`’:]+)/g)) {
    const folder = match[1] as string;
    const candidate = `${folder}${match[2] as string}`;
    if (fs.existsSync(candidate) || (path.dirname(candidate) !== folder && fs.existsSync(path.dirname(candidate)))) return { folder, path: candidate };
  }
  return undefined;
}

function allowedSummary(allowedHosts: readonly string[]): string {
  return allowedHosts.length === 0
    ? `no host is allowed; the user can allow hosts in ${ALLOWED_HOSTS_HINT}`
    : `only ${allowedHosts.join(', ')} through the sandbox's HTTP proxy; others need ${ALLOWED_HOSTS_HINT}`;
}

/** The hidden location an error line names: absolute, `~/`-relative, or relative to the working folder. */
function secretNamedIn(line: string, context: DenialContext): SecretLocation | undefined {
  return namedIn(line, context, context.secrets);
}

/** The entry of `locations` an error line names (a folder entry also by a path inside it). */
function namedIn<T extends { readonly path: string; readonly kind?: 'folder' | 'file' }>(line: string, context: DenialContext, locations: readonly T[]): T | undefined {
  if (locations.length === 0) return undefined;
  const candidates = [...line.matchAll(/(?:^|[\s'"`‘(:])((?:~|\.{1,2}|\/)?[^\s'"`’):]*)/g)].map((m) => m[1] ?? '').filter((t) => t.length > 0);
  for (const candidate of candidates) {
    const absolute = candidate.startsWith('~/')
      ? path.join(context.homeDir, candidate.slice(2))
      : path.resolve(context.cwd, candidate);
    const hit = locations.find((secret) => absolute === secret.path || absolute.startsWith(`${secret.path}${path.sep}`));
    if (hit !== undefined) return hit;
  }
  // the command may have changed folder first (`cd .. && cat ws/.env`): match the path's tail instead
  for (const candidate of candidates) {
    const tail = candidate.replace(/^(\.\.?\/)+/, '');
    if (tail === '' || path.isAbsolute(tail) || tail.startsWith('~')) continue;
    const hit = locations.find((secret) => secret.path.endsWith(`${path.sep}${tail}`) || tail.startsWith(`${path.basename(secret.path)}/`) && secret.kind === 'folder');
    if (hit !== undefined) return hit;
  }
  return undefined;
}
