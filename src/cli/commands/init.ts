import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import { claudeCodeAgentFile, mergeClaudeSettings, mergeMcpConfig, SetupConflictError } from '../../core/hooks/claudeCodeSetup';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';
import { errorCode } from '../../core/errors/errorText';

const HELP = `Usage: devops-agent init claude-code [--root DIR] [--dry-run] [--command CMD] [--force]

Sets a project up for Claude Code, merging into what is there and never removing anything:
  .claude/settings.json               hooks PreToolUse, PostToolUse, Stop, SubagentStop -> CMD hook claude-code
  .mcp.json                           the devops-agent MCP server (CMD mcp)
  .claude/agents/devops-engineer.md   the devops-engineer agent (an existing, different file is kept unless --force)

  --root DIR     project folder (default: current folder)
  --dry-run      print what would change; write nothing
  --command CMD  how Claude Code starts this CLI (default: devops-agent, which must be on PATH)
  --force        replace an existing, different .claude/agents/devops-engineer.md

Exit codes: 0 done (or nothing to do); 1 a file could not be merged (nothing was written); 2 usage error.`;

interface PlannedFile {
  readonly file: string;
  readonly text: string;
  readonly changes: readonly string[];
}

export async function runInitCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      root: { type: 'string' }, 'dry-run': { type: 'boolean' }, command: { type: 'string' }, force: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1 || positionals[0] !== 'claude-code') throw new UsageError(`expected \`init claude-code\`.\n\n${HELP}`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  const isFolder = await fs.stat(root).then((s) => s.isDirectory(), () => false);
  if (!isFolder) throw new UsageError(`--root ${root} is not a folder`);
  const command = values.command ?? 'devops-agent';
  if (command.trim() === '') throw new UsageError('--command is empty');

  const settingsFile = path.join(root, '.claude', 'settings.json');
  const mcpFile = path.join(root, '.mcp.json');
  const agentFile = path.join(root, '.claude', 'agents', 'devops-engineer.md');
  const planned: PlannedFile[] = [];
  const kept: string[] = [];
  try {
    const settings = mergeClaudeSettings(await readIfExists(settingsFile), `${command} hook claude-code`, relative(root, settingsFile));
    if (settings.added.length > 0) planned.push({ file: settingsFile, text: settings.text, changes: settings.added });
    const mcp = mergeMcpConfig(await readIfExists(mcpFile), command, ['mcp'], relative(root, mcpFile));
    if (mcp.added.length > 0) planned.push({ file: mcpFile, text: mcp.text, changes: mcp.added });
  } catch (error) {
    if (error instanceof SetupConflictError) {
      io.err(`devops-agent init: ${error.message}`);
      return EXIT_CHECK_FAILED;
    }
    throw error;
  }
  const agentText = claudeCodeAgentFile();
  const existingAgent = await readIfExists(agentFile);
  if (existingAgent === undefined) planned.push({ file: agentFile, text: agentText, changes: ['the devops-engineer agent (new file)'] });
  else if (existingAgent === agentText) kept.push(`${relative(root, agentFile)} is up to date`);
  else if (values.force) planned.push({ file: agentFile, text: agentText, changes: ['the devops-engineer agent (replaces your version: --force)'] });
  else kept.push(`${relative(root, agentFile)} exists and differs from the bundled agent; kept as it is (--force replaces it)`);

  const lines: string[] = [];
  for (const plan of planned) {
    lines.push(`${values['dry-run'] ? 'would write' : 'wrote'} ${relative(root, plan.file)}:`);
    for (const change of plan.changes) lines.push(`  + ${change}`);
    if (values['dry-run'] && plan.file !== agentFile) lines.push(...plan.text.trimEnd().split('\n').map((l) => `    ${l}`));
    if (!values['dry-run']) {
      await fs.mkdir(path.dirname(plan.file), { recursive: true });
      await writeFileAtomic(plan.file, plan.text);
    }
  }
  lines.push(...kept);
  if (planned.length === 0) lines.push(`Claude Code is already set up in ${root}; nothing to change.`);
  io.out(lines.join('\n'));
  return EXIT_OK;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw new UsageError(`cannot read ${file}: ${(error as Error).message}`);
  }
}

function relative(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}
