import * as fsSync from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SandboxAvailability } from './sandboxAvailability';
import { explainSandboxDenials } from './sandboxDenials';
import type { ProxyLease } from './proxyPool';
import { leaseProxy } from './proxyPool';
import type { SecretScan } from './secretLocations';
import { findSecretLocations } from './secretLocations';
import { hostUnixSockets, socketsNamedIn } from './hostSockets';

/** What a command needs to run confined. */
export interface SandboxRequest {
  readonly command: string;
  /** Real path of the working folder (inside a root). */
  readonly cwd: string;
  /** Real paths of the workspace folders: the only writable places besides the private /tmp. */
  readonly roots: readonly string[];
  readonly homeDir: string;
  readonly allowedHosts: readonly string[];
  /** The environment the command would get unsandboxed; proxy and temp variables are set on top. */
  readonly env: NodeJS.ProcessEnv;
}

/** A command wrapped in bubblewrap, ready to spawn; dispose() after it ended (returns its proxy to the pool). */
export interface SandboxedCommand {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly secrets: SecretScan;
  /** "blocked by the sandbox: …" lines for what the output and the proxy show was refused, each once. */
  explain(output: string): string[];
  dispose(): Promise<void>;
}

/** Where the proxy socket appears inside the sandbox (under the sandbox's own /run). */
const PROXY_SOCKET_INSIDE = '/run/devops-agent-sandbox/proxy.sock';
/** The sandbox has its own network namespace, so this port is free in it whatever the host runs. */
export const SANDBOX_PROXY_PORT = 3128;
const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'];
let maskSources: { folder: string; file: string } | undefined;

/** An unreadable empty folder and file to mount over secrets: a read fails with "Permission denied". */
function unreadableMaskSources(): { folder: string; file: string } {
  if (maskSources !== undefined && fsSync.existsSync(maskSources.file)) return maskSources;
  const base = fsSync.mkdtempSync(path.join(os.tmpdir(), 'devops-agent-sandbox-'));
  const folder = path.join(base, 'hidden-folder');
  const file = path.join(base, 'hidden-file');
  fsSync.mkdirSync(folder, { mode: 0o000 });
  fsSync.writeFileSync(file, '', { mode: 0o000 });
  fsSync.chmodSync(folder, 0o000);
  fsSync.chmodSync(file, 0o000);
  process.once('exit', () => {
    try {
      fsSync.chmodSync(folder, 0o700);
      fsSync.rmSync(base, { recursive: true, force: true });
    } catch {
      // a leftover empty folder in the temp folder is harmless
    }
  });
  maskSources = { folder, file };
  return maskSources;
}

function isDirectory(target: string): boolean {
  try {
    return fsSync.lstatSync(target).isDirectory();
  } catch {
    return false;
  }
}

function existsNoFollow(target: string): boolean {
  try {
    fsSync.lstatSync(target);
    return true;
  } catch {
    return false;
  }
}

/** Submodules nest this deep at most before their git folders are left unguarded (each level is a folder listing). */
const MAX_SUBMODULE_DEPTH = 4;

/** The hooks folder and config of a git folder and of its submodules' git folders (.git/modules/NAME/…). */
function gitControlFiles(gitFolder: string, depth = 0): string[] {
  const files = [path.join(gitFolder, 'hooks'), path.join(gitFolder, 'config')];
  if (depth >= MAX_SUBMODULE_DEPTH) return files;
  let modules: fsSync.Dirent[] = [];
  try {
    modules = fsSync.readdirSync(path.join(gitFolder, 'modules'), { withFileTypes: true });
  } catch {
    return files;
  }
  for (const entry of modules) {
    if (entry.isDirectory()) files.push(...gitControlFiles(path.join(gitFolder, 'modules', entry.name), depth + 1));
  }
  return files;
}

/** The bubblewrap arguments: read-only root, writable roots, private /tmp and /run, hidden secrets, no network. */
export function bubblewrapArguments(options: {
  readonly roots: readonly string[];
  readonly cwd: string;
  readonly secrets: SecretScan;
  readonly hiddenSockets: readonly string[];
  readonly proxySocket?: string;
  readonly disableUserns: boolean;
}): string[] {
  const masks = unreadableMaskSources();
  const args = [
    '--unshare-user', '--unshare-pid', '--unshare-net', '--unshare-ipc', '--die-with-parent', '--cap-drop', 'ALL',
    ...(options.disableUserns ? ['--disable-userns'] : []),
    '--ro-bind', '/', '/',
    '--dev', '/dev',
    '--proc', '/proc',
    '--tmpfs', '/tmp',
  ];
  if (isDirectory('/var/tmp')) args.push('--tmpfs', '/var/tmp');
  // /run holds the Docker, containerd and D-Bus sockets and the user's runtime folder: none belong in the sandbox
  if (isDirectory('/run')) args.push('--tmpfs', '/run');
  if (isDirectory('/var/run')) args.push('--tmpfs', '/var/run');
  for (const root of options.roots) args.push('--bind', root, root);
  // inside the workspace, what git or VS Code would later run or obey outside the sandbox stays read-only
  const guarded = [
    ...options.roots.map((root) => path.join(root, '.vscode')),
    ...[...new Set([...options.roots.map((root) => path.join(root, '.git')), ...options.secrets.gitFolders])].flatMap(gitControlFiles),
  ];
  for (const target of guarded) {
    if (existsNoFollow(target) && !fsSync.lstatSync(target).isSymbolicLink()) args.push('--ro-bind', target, target);
  }
  // a file shared with one outside the workspace through a hard link: writing it would change that file too
  for (const file of options.secrets.hardLinked) args.push('--ro-bind', file.path, file.path);
  for (const socket of options.hiddenSockets) {
    if (existsNoFollow(socket)) args.push('--ro-bind', masks.file, socket);
  }
  for (const secret of options.secrets.locations) {
    args.push('--ro-bind', secret.kind === 'folder' ? masks.folder : masks.file, secret.path);
  }
  if (options.proxySocket !== undefined) args.push('--bind', options.proxySocket, PROXY_SOCKET_INSIDE);
  args.push('--chdir', options.cwd);
  return args;
}

/**
 * The POSIX sh script bubblewrap runs: it runs the command as `bash -c` and, once that ends, tells on fd 3 whether
 * processes the command started are still running (they die with the sandbox; the result says so). fd 3 is closed for
 * the command itself. With a proxy, socat (the proxy on 127.0.0.1:3128 inside) starts first, its log piped into the
 * script, which blocks until socat says it listens: no polling, which on a busy machine took CPU from socat itself.
 * The rest of socat's log goes to a `cat` into /dev/null, so socat never blocks on a full pipe.
 */
export function sandboxShellScript(socat: string | undefined): string {
  const leftoverScan = (exclude: string): string[] => [
    'bash -c "$1" </dev/null 3>&-',
    'status=$?',
    'n=0',
    'for d in /proc/[0-9]*; do',
    '  p=${d#/proc/}',
    `  case " 1 $$ ${exclude} " in *" $p "*) continue;; esac`,
    '  read -r _ _ st pp _ < "$d/stat" 2>/dev/null || continue',
    '  [ "$st" = Z ] || [ "$pp" = "${proxy_pid:-none}" ] || n=$((n+1))',
    'done',
    '[ "$n" -gt 0 ] && echo leftovers >&3',
    'exit "$status"',
  ];
  if (socat === undefined) return leftoverScan('').join('\n');
  return [
    `{ ${shellQuote(socat)} -d -d TCP-LISTEN:${SANDBOX_PROXY_PORT},bind=127.0.0.1,fork,reuseaddr UNIX-CONNECT:${PROXY_SOCKET_INSIDE} 2>&1 >/dev/null 3>&- &`,
    '  echo "proxy $!"; } | {',
    // a background job's stdin is /dev/null before its own redirections apply: keep the log pipe on fd 4 for `cat`
    'exec 4<&0 </dev/null',
    // socat's pid and its "listening on" line may come in either order; a socat that failed ends the pipe
    'proxy_pid= ready=',
    'while [ -z "$proxy_pid" ] || [ -z "$ready" ]; do',
    '  read -r line <&4 || break',
    '  case $line in "proxy "*) proxy_pid=${line#proxy };; *"listening on"*) ready=1;; esac',
    'done',
    'cat <&4 >/dev/null 3>&- 4<&- &',
    'exec 4<&-',
    'drain_pid=$!',
    // this side of the pipe is a process of its own: /proc/self is it while the builtin read runs
    'read -r self _ < /proc/self/stat',
    ...leftoverScan('$self ${proxy_pid:-none} $drain_pid'),
    '}',
  ].join('\n');
}

function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Everything a command needs to run in the sandbox: the scan for secrets, the proxy when hosts are allowed, argv. */
export async function prepareSandboxedCommand(request: SandboxRequest, availability: Extract<SandboxAvailability, { ok: true }>): Promise<SandboxedCommand> {
  const secrets = await findSecretLocations(request.roots, request.homeDir);
  const env: NodeJS.ProcessEnv = { ...request.env, TMPDIR: '/tmp' };
  for (const name of PROXY_VARIABLES) delete env[name];
  // the home folder is read-only in the sandbox: npm keeps its cache in the private /tmp instead
  env.npm_config_cache = '/tmp/.npm';
  const hiddenSockets = hostUnixSockets(request.env, request.homeDir);
  let proxy: ProxyLease | undefined;
  if (request.allowedHosts.length > 0 && availability.socat !== undefined) {
    proxy = await leaseProxy(request.allowedHosts);
    const address = `http://127.0.0.1:${SANDBOX_PROXY_PORT}`;
    Object.assign(env, {
      http_proxy: address, https_proxy: address, HTTP_PROXY: address, HTTPS_PROXY: address,
      no_proxy: 'localhost,127.0.0.1,::1', NO_PROXY: 'localhost,127.0.0.1,::1', NODE_USE_ENV_PROXY: '1',
    });
  }
  const args = bubblewrapArguments({
    roots: request.roots, cwd: request.cwd, secrets, hiddenSockets, disableUserns: availability.disableUserns ?? false,
    ...(proxy !== undefined ? { proxySocket: proxy.socketPath } : {}),
  });
  // the wrapper is POSIX sh (dash on Debian starts faster than bash); the command itself runs in bash
  args.push('/bin/sh', '-c', sandboxShellScript(proxy !== undefined ? availability.socat : undefined), 'devops-agent-sandbox', request.command);
  const activeProxy = proxy;
  return {
    file: availability.bwrap,
    args,
    env,
    secrets,
    explain: (output) => explainSandboxDenials(output, {
      command: request.command, hiddenSockets, engineSockets: socketsNamedIn(request.env).map((socket) => path.resolve(socket)),
      roots: request.roots, homeDir: request.homeDir, cwd: request.cwd, secrets: secrets.locations, hardLinked: secrets.hardLinked,
      allowedHosts: request.allowedHosts, refused: activeProxy?.refused ?? [],
    }),
    dispose: async () => {
      await activeProxy?.release();
    },
  };
}
