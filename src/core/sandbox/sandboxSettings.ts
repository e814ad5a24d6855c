/** How Bash commands are confined: `devopsAgent.sandbox.*` in VS Code, flags of `devops-agent tool`. */
export interface SandboxSettings {
  /** False only when the user explicitly chose to run Bash without the sandbox. */
  readonly enabled: boolean;
  /** Host patterns commands may reach through the sandbox's proxy: `registry.npmjs.org`, `*.github.com`, `host:8080`. */
  readonly allowedHosts: readonly string[];
}

export const DEFAULT_SANDBOX_SETTINGS: SandboxSettings = { enabled: true, allowedHosts: [] };

/** The setting names as users write them, for messages. */
export const SANDBOX_ENABLED_SETTING = 'devopsAgent.sandbox.enabled';
export const SANDBOX_ALLOWED_HOSTS_SETTING = 'devopsAgent.sandbox.allowedHosts';
/** Where a user adds a host, in VS Code and in the CLI. */
export const ALLOWED_HOSTS_HINT = `${SANDBOX_ALLOWED_HOSTS_SETTING}, or --allow-host in the CLI`;

const HOST_PATTERN = /^(\*\.)?([a-z0-9-]+(\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;

/** Reads allowedHosts; entries that are not host patterns become problems (never silently widened to "anything"). */
export function parseAllowedHosts(value: unknown): { hosts: string[]; problems: string[] } {
  if (value === undefined || value === null) return { hosts: [], problems: [] };
  if (!Array.isArray(value)) return { hosts: [], problems: [`${SANDBOX_ALLOWED_HOSTS_SETTING} must be a list of host names such as "registry.npmjs.org".`] };
  const hosts: string[] = [];
  const problems: string[] = [];
  value.forEach((entry, index) => {
    const text = typeof entry === 'string' ? entry.trim().toLowerCase() : '';
    if (text === '' || !HOST_PATTERN.test(text)) {
      problems.push(`${SANDBOX_ALLOWED_HOSTS_SETTING}[${index}] ${JSON.stringify(entry)} is not a host name: write "registry.npmjs.org", "*.github.com" or "host:8080" (no scheme, no path).`);
      return;
    }
    hosts.push(text);
  });
  return { hosts: [...new Set(hosts)], problems };
}

/**
 * Whether a host and port the sandboxed command asked its proxy for is on the list. `*.example.com` covers the
 * subdomains of example.com, not example.com itself; a pattern without a port allows every port.
 */
export function hostAllowed(host: string, port: number, allowedHosts: readonly string[]): boolean {
  const wanted = host.toLowerCase().replace(/\.$/, '');
  return allowedHosts.some((pattern) => {
    const portMatch = /:(\d+)$/.exec(pattern);
    if (portMatch && Number(portMatch[1]) !== port) return false;
    const name = portMatch ? pattern.slice(0, portMatch.index) : pattern;
    if (name.startsWith('*.')) return wanted.endsWith(name.slice(1)) && wanted.length > name.length - 1;
    return wanted === name;
  });
}
