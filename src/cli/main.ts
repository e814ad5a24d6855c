import type { CliIo } from './cliIo';
import { processIo } from './cliIo';
import { EXIT_INTERNAL_ERROR, EXIT_OK, EXIT_USAGE, UsageError } from './exitCodes';
import { errorMessage } from '../core/errors/errorText';

declare const PACKAGE_VERSION: string | undefined;

type Subcommand = (args: string[], io: CliIo) => Promise<number>;

interface SubcommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Subcommand>;
}

// Each subcommand lives in its own file and is loaded only when used, so `--help` stays instant.
const SUBCOMMANDS: Record<string, SubcommandEntry> = {
  check: { summary: 'check Dockerfiles, workflows, manifests, Compose, secrets: check [PATH...] [--format text|json|sarif] [--fail-on LEVEL]', load: async () => (await import('./commands/check')).runCheckCommand },
  certificates: { summary: 'validate certificates and verify their hashes; certificates new --from-json FILE', load: async () => (await import('./commands/certificates')).runCertificatesCommand },
  memory: { summary: 'show the working-memory files of an agent [--agent NAME] [--json]', load: async () => (await import('./commands/memory')).runMemoryCommand },
  citations: { summary: 'check path:line citations in an answer: citations FILE|- [--root DIR] [--json]', load: async () => (await import('./commands/citations')).runCitationsCommand },
  audit: { summary: 'summarise the tool-call audit log [--agent NAME] [--json]', load: async () => (await import('./commands/audit')).runAuditCommand },
  agents: { summary: 'list agent definitions; agents lint FILE...', load: async () => (await import('./commands/agents')).runAgentsCommand },
  dora: { summary: 'delivery metrics (DORA) from git history [--root DIR] [--since] [--until] [--deployments tags|merges] [--json]', load: async () => (await import('./commands/dora')).runDoraCommand },
  tool: { summary: 'run one tool under the same policy as the chat', load: async () => (await import('./commands/tool')).runToolCommand },
  hook: { summary: 'answer a Claude Code hook event on stdin: hook claude-code', load: async () => (await import('./commands/hook')).runHookCommand },
  init: { summary: 'set a project up for Claude Code (hooks, MCP server, agent): init claude-code [--root DIR] [--dry-run]', load: async () => (await import('./commands/init')).runInitCommand },
  mcp: { summary: 'serve the harness tools over MCP on stdio [--root DIR]', load: async () => (await import('./commands/mcp')).runMcpCommand },
};

export function usage(): string {
  const width = Math.max(0, ...Object.keys(SUBCOMMANDS).map((n) => n.length));
  const lines = Object.entries(SUBCOMMANDS).map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`);
  return [
    'Usage: devops-agent <command> [options]',
    '',
    'Runs the DevOps Engineer Agent checks without a model (for CI and scripts).',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  --help, -h     show help (also after a command)',
    '  --version, -v  print the version',
    '',
    'Exit codes: 0 ok, 1 a check failed, 2 usage or input error, 3 refused by policy,',
    '            4 the audit log could not be written, 70 unexpected internal error.',
  ].join('\n');
}

function cliVersion(): string {
  return typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.out(usage());
    return command === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.out(cliVersion());
    return EXIT_OK;
  }
  const entry = SUBCOMMANDS[command];
  if (!entry) {
    io.err(`devops-agent: unknown command '${command}'\n\n${usage()}`);
    return EXIT_USAGE;
  }
  try {
    return await (await entry.load())(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`devops-agent ${command}: ${error.message}`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

if (require.main === module) {
  runCli(process.argv.slice(2), processIo()).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => {
      const stack = error instanceof Error && error.stack ? `\n${error.stack}` : '';
      process.stderr.write(`devops-agent: unexpected error (a bug in devops-agent, please report it): ${errorMessage(error)}${stack}\n`);
      // a crashed hook must not exit 2: Claude Code would read that as "block"
      process.exitCode = process.argv[2] === 'hook' ? 1 : EXIT_INTERNAL_ERROR;
    },
  );
}
