import { access } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AgentDefinition } from '../../core/agents/agentDefinition';
import { findAgents } from '../../core/agents/findAgents';
import { loadAgentFile } from '../../core/agents/parseAgentFile';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';

const HELP = [
  'Usage: devops-agent agents [--root DIR] [--user-home DIR] [--json]',
  '       devops-agent agents lint FILE... [--json]',
  '',
  'Lists the agent definitions found in DIR (.claude/agents, .github/agents, .github/chatmodes),',
  'in ~/.claude/agents and in the extension; a workspace agent overrides a user one, which overrides a bundled one.',
  '`lint` prints each problem as file:line: severity: message.',
  '',
  'Options:',
  '  --root DIR       workspace folder (default: the current folder; may be repeated)',
  '  --user-home DIR  home folder whose .claude/agents holds user agents (default: your home)',
  '  --json           print a JSON array of agents',
  '',
  'Exit codes: 0 ok; 1 a linted file has an error; 2 usage error or a FILE that does not exist.',
].join('\n');

interface AgentJson {
  name: string;
  source: string;
  file: string | null;
  description: string;
  tools: string[];
  unknownTools: string[];
  model: string | null;
  problems: Array<{ line: number; message: string; severity: string }>;
}

function toJson(agent: AgentDefinition): AgentJson {
  return {
    name: agent.name,
    source: agent.source,
    file: agent.file ?? null,
    description: agent.description,
    tools: [...agent.tools],
    unknownTools: [...agent.unknownTools],
    model: agent.model ?? null,
    problems: agent.problems.map((p) => ({ line: p.line, message: p.message, severity: p.severity })),
  };
}

function problemSummary(agent: AgentDefinition): string {
  const errors = agent.problems.filter((p) => p.severity === 'error').length;
  return errors > 0 ? `${agent.problems.length} (${errors} error${errors === 1 ? '' : 's'})` : String(agent.problems.length);
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ')).join('\n');
}

async function listAgents(roots: string[], userHome: string, json: boolean, io: CliIo): Promise<number> {
  const agents = await findAgents({ roots, userHome, includeBundled: true });
  if (json) {
    io.out(JSON.stringify(agents.map(toJson), null, 2));
    return EXIT_OK;
  }
  const rows = [['NAME', 'SOURCE', 'TOOLS', 'PROBLEMS']];
  for (const agent of agents) {
    const tools = agent.toolsSpecified === 'all' ? 'all' : agent.tools.length === 0 ? '(none)' : agent.tools.join(',');
    rows.push([agent.name, agent.source, tools, problemSummary(agent)]);
  }
  io.out(table(rows));
  return EXIT_OK;
}

async function lintFiles(files: string[], json: boolean, io: CliIo): Promise<number> {
  if (files.length === 0) throw new UsageError('lint needs at least one FILE');
  let missing = false;
  let failed = false;
  const agents: AgentDefinition[] = [];
  let errors = 0;
  let warnings = 0;
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    const exists = await access(absolute).then(() => true, () => false);
    if (!exists) {
      io.err(`devops-agent agents lint: ${file}: no such file`);
      missing = true;
      continue;
    }
    const agent = await loadAgentFile(absolute, 'workspace');
    agents.push(agent);
    for (const p of agent.problems) {
      if (p.severity === 'error') errors++;
      else warnings++;
      if (!json) io.out(`${file}:${p.line}: ${p.severity}: ${p.message}`);
    }
    if (agent.problems.some((p) => p.severity === 'error')) failed = true;
  }
  if (json) io.out(JSON.stringify(agents.map(toJson), null, 2));
  else io.err(`${agents.length} file${agents.length === 1 ? '' : 's'} checked: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  return missing ? EXIT_USAGE : failed ? EXIT_CHECK_FAILED : EXIT_OK;
}

/** `devops-agent agents`: list agent definitions, or lint agent files. */
export async function runAgentsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    options: {
      root: { type: 'string', multiple: true },
      'user-home': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }, HELP);
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const json = values.json === true;
  const [action, ...rest] = positionals;
  if (action === 'lint') return lintFiles(rest, json, io);
  if (action !== undefined) throw new UsageError(`unknown action '${action}' (expected: lint)\n\n${HELP}`);
  const roots = (values.root ?? [io.cwd]).map((r) => path.resolve(io.cwd, r));
  for (const root of roots) {
    if (!(await access(root).then(() => true, () => false))) throw new UsageError(`--root ${root}: no such folder`);
  }
  const userHome = values['user-home'] !== undefined ? path.resolve(io.cwd, values['user-home']) : os.homedir();
  return listAgents(roots, userHome, json, io);
}
