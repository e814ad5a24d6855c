import * as net from 'node:net';
import { ALLOWED_HOSTS_HINT, hostAllowed } from './sandboxSettings';

/** Largest request head the proxy reads before deciding; a longer one is refused. */
const MAX_HEAD_BYTES = 64 * 1024;

/** What the sandboxed command asked the proxy for and got refused. */
export interface RefusedConnection {
  readonly host: string;
  readonly port: number;
}

/**
 * The sandbox's only way out: an HTTP proxy on a Unix socket (bound into the sandbox, where socat exposes it on
 * 127.0.0.1:3128) that lets through CONNECT tunnels and plain HTTP requests to allowed hosts and answers everything
 * else with 403 "blocked by the sandbox". Each request is judged on its own (a kept-alive connection cannot smuggle a
 * second host: plain HTTP is forced to `Connection: close`).
 */
export class AllowListProxy {
  private readonly refusedList: RefusedConnection[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, readonly socketPath: string, private readonly allowedHosts: readonly string[]) {}

  static async start(socketPath: string, allowedHosts: readonly string[]): Promise<AllowListProxy> {
    const server = net.createServer();
    const proxy = new AllowListProxy(server, socketPath, allowedHosts);
    server.on('connection', (socket) => proxy.handle(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return proxy;
  }

  /** Hosts refused so far, first refusal first, each once. */
  get refused(): readonly RefusedConnection[] {
    return this.refusedList;
  }

  /**
   * Ends every connection still open and forgets the refusals: the proxy starts afresh for the next command. While
   * idle it does not keep the process alive (the CLI exits when its command is done).
   */
  reset(): void {
    for (const socket of this.sockets) socket.destroy();
    this.refusedList.length = 0;
    this.server.unref();
  }

  /** Serving a command again: keep the process alive while it runs. */
  resume(): void {
    this.server.ref();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private track(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  private handle(client: net.Socket): void {
    this.track(client);
    let head = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) {
        if (head.length > MAX_HEAD_BYTES) client.end('HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n');
        return;
      }
      client.off('data', onData);
      client.pause();
      this.route(client, head.subarray(0, end).toString('latin1'), head.subarray(end + 4));
    };
    client.on('data', onData);
  }

  private route(client: net.Socket, head: string, rest: Buffer): void {
    const lines = head.split('\r\n');
    const [method = '', target = '', version = 'HTTP/1.1'] = (lines[0] ?? '').split(' ');
    if (method.toUpperCase() === 'CONNECT') {
      const address = parseAuthority(target, 443);
      if (address === undefined) return void client.end(badRequest('CONNECT needs host:port'));
      if (!this.decide(client, address)) return;
      const upstream = net.connect(address.port, address.host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        if (rest.length > 0) upstream.write(rest);
        upstream.pipe(client);
        client.pipe(upstream);
        client.resume();
      });
      this.connectUpstream(client, upstream, address);
      return;
    }
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      return void client.end(badRequest('the sandbox proxy takes absolute http:// URLs and CONNECT only'));
    }
    if (url.protocol !== 'http:') return void client.end(badRequest(`unsupported scheme ${url.protocol}`));
    const address = { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port === '' ? 80 : Number(url.port) };
    if (!this.decide(client, address)) return;
    const headers = lines.slice(1).filter((line) => !/^(proxy-[a-z-]*|connection|keep-alive)\s*:/i.test(line));
    const request = [`${method} ${url.pathname}${url.search} ${version}`, ...headers, 'Connection: close', '', ''].join('\r\n');
    const upstream = net.connect(address.port, address.host, () => {
      upstream.write(request, 'latin1');
      if (rest.length > 0) upstream.write(rest);
      upstream.pipe(client);
      client.pipe(upstream);
      client.resume();
    });
    this.connectUpstream(client, upstream, address);
  }

  private connectUpstream(client: net.Socket, upstream: net.Socket, address: RefusedConnection): void {
    this.track(upstream);
    upstream.once('error', (error) => {
      if (client.writable && client.bytesWritten === 0) {
        client.end(`HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${address.host}:${address.port} is allowed but could not be reached: ${error.message}\n`);
      } else client.destroy();
    });
    client.once('close', () => upstream.destroy());
    upstream.once('close', () => client.end());
  }

  /** True when allowed; otherwise answers 403 with the reason and records the refusal. */
  private decide(client: net.Socket, address: RefusedConnection): boolean {
    if (hostAllowed(address.host, address.port, this.allowedHosts)) return true;
    if (!this.refusedList.some((r) => r.host === address.host && r.port === address.port)) this.refusedList.push(address);
    const body = `blocked by the sandbox: network access to ${address.host}:${address.port} (not in ${ALLOWED_HOSTS_HINT})\n`;
    client.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nX-Blocked-By: devops-agent-sandbox\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    return false;
  }
}

function parseAuthority(authority: string, defaultPort: number): RefusedConnection | undefined {
  const match = /^(\[[^\]]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(authority);
  if (!match) return undefined;
  const port = match[2] === undefined ? defaultPort : Number(match[2]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: (match[1] as string).replace(/^\[|\]$/g, '').toLowerCase(), port };
}

function badRequest(why: string): string {
  return `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${why}\n`;
}
