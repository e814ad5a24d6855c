import * as fs from 'node:fs';
import * as os from 'node:os';
import { writeFileAtomic } from '../../core/fs/atomicWrite';
import * as path from 'node:path';
import { AgentNameError, assertAgentName } from '../../core/memory/agentFolder';
import { appendAuditEntry, auditLogPath } from '../../core/policy/auditLog';
import { GuardOverrides } from '../../core/policy/guardOverrides';
import { mergePermissionRules, parsePermissionRules } from '../../core/policy/permissions';
import { readWorkspacePermissionSettings, WorkspaceSettingsError } from '../../core/policy/workspacePermissionSettings';
import { findAgents } from '../../core/agents/findAgents';
import type { SandboxSettings } from '../../core/sandbox/sandboxSettings';
import { parseAllowedHosts } from '../../core/sandbox/sandboxSettings';
import { executePreparedCall, parsedCallKey, prepareToolCall } from '../../core/runtime/toolExecutor';
import type { ToolSession } from '../../core/runtime/toolExecutor';
import { fileSystemFileAccess } from '../../core/tools/files/fileSystemFileAccess';
import { ReadSet } from '../../core/session/readSet';
import { DEFAULT_TOOL_LIMITS } from '../../core/tools/framework/tool';
import { HARNESS_TOOLS, findTool, toolsForAgent } from '../../core/tools/toolRegistry';
import type { CliIo } from '../cliIo';
import { EXIT_AUDIT_FAILED, EXIT_CHECK_FAILED, EXIT_OK, EXIT_REFUSED, EXIT_USAGE, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';
import { errorCode } from '../../core/errors/errorText';
import { createToolSession } from '../../core/runtime/toolSession';

const HELP = `Usage: devops-agent tool NAME --input JSON [--root DIR] [--yes] [--session FILE] [--agent NAME] [--allow-guarded]
                         [--allow-host HOST]... [--unsandboxed]

Runs one harness tool headlessly, through the same policy as the chat: the agent's tool list (its definition in
.claude/agents, .github/agents, ~/.claude/agents or the bundled devops-engineer), the permission rules of the
workspace's .vscode/settings.json (devopsAgent.permissions.allow/ask/deny; user settings are not read) and of the
agent's frontmatter, confinement to the workspace, the guards, secret redaction and the audit log.

  NAME              ${HARNESS_TOOLS.map((t) => t.name).join(', ')}
  --input JSON      the tool's input (or @FILE to read it from a file, - for stdin)
  --root DIR        workspace folder (default: current folder)
  --yes             approve calls that would ask (never those that are denied)
  --session FILE    keep the session's read set in FILE between calls (read-before-edit needs it)
  --agent NAME      agent the call is made for: its tools and rules apply, its audit log and memory folder are
                    used (default devops-engineer)
  --allow-guarded   override the no-mock guard for this one call
  --allow-host HOST Bash: a host the sandboxed command may reach through the sandbox's proxy (repeatable;
                    registry.npmjs.org, *.github.com, host:8080), like devopsAgent.sandbox.allowedHosts
  --unsandboxed     Bash: run without the OS sandbox (full access to your files and the network; audited)

Exit codes: 0 ok, 1 the tool failed, 2 usage or input error, 3 refused by policy, 4 the call's audit-log entry
could not be written (the message says why; the call's own output is printed as usual).`;

export async function runToolCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      input: { type: 'string' }, root: { type: 'string' }, yes: { type: 'boolean' }, session: { type: 'string' },
      agent: { type: 'string' }, 'allow-guarded': { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      'allow-host': { type: 'string', multiple: true }, unsandboxed: { type: 'boolean' },
    },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const name = positionals[0];
  if (!name) throw new UsageError(`name a tool.\n\n${HELP}`);
  if (positionals.length > 1) throw new UsageError(`one tool at a time; unexpected ${positionals.slice(1).map((p) => `'${p}'`).join(', ')} (the input goes in --input JSON)`);
  const tool = findTool(name);
  if (!tool) throw new UsageError(`unknown tool '${name}'; tools: ${HARNESS_TOOLS.map((t) => t.name).join(', ')}`);
  const input = await readInput(values.input, io);
  const root = path.resolve(io.cwd, values.root ?? '.');
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    throw new UsageError(`--root ${root} does not exist`);
  }
  const sessionFile = values.session === undefined ? undefined : path.resolve(io.cwd, values.session);
  const readSet = sessionFile ? loadSession(sessionFile) : new ReadSet();
  const agentName = values.agent ?? 'devops-engineer';
  try {
    assertAgentName(agentName);
  } catch (error) {
    if (error instanceof AgentNameError) throw new UsageError(`--agent: ${error.message}`);
    throw error;
  }
  const agents = await findAgents({ roots: [realRoot], userHome: os.homedir(), includeBundled: true });
  const agent = agents.find((a) => a.name === agentName);
  if (!agent) throw new UsageError(`there is no agent named '${agentName}'; found: ${agents.map((a) => a.name).join(', ')}`);
  let fromSettings;
  try {
    fromSettings = parsePermissionRules(readWorkspacePermissionSettings(realRoot), '.vscode/settings.json');
  } catch (error) {
    if (error instanceof WorkspaceSettingsError) throw new UsageError(error.message);
    throw error;
  }
  const fromAgent = parsePermissionRules(agent.permissions, agent.file ?? agent.name);
  for (const problem of [...fromSettings.problems, ...fromAgent.problems]) io.err(`warning: ${problem}`);
  const overrides = new GuardOverrides();
  const key = parsedCallKey(tool, input);
  if (values['allow-guarded'] && key !== undefined) overrides.grant(key);
  const session: ToolSession = createToolSession({
    agentName,
    allowedTools: toolsForAgent(HARNESS_TOOLS, agent.tools).map((t) => t.name),
    readSet,
    rules: mergePermissionRules(fromSettings.rules, fromAgent.rules),
    overrides,
    audit: { append: (entry) => appendAuditEntry(auditLogPath(realRoot, agentName), entry) },
  });
  const hosts = parseAllowedHosts(values['allow-host'] ?? []);
  if (hosts.problems.length > 0) throw new UsageError(hosts.problems.join('\n').replace(/devopsAgent\.sandbox\.allowedHosts\[\d+\]/g, '--allow-host'));
  const sandbox: SandboxSettings = { enabled: values.unsandboxed !== true, allowedHosts: hosts.hosts };
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  const auditFailed = (reason: string): number => {
    io.err(`devops-agent tool: the audit log ${auditLogPath(realRoot, agentName)} could not be written: ${reason}`);
    return EXIT_AUDIT_FAILED;
  };
  const ctx = {
    agentName, roots: [realRoot], signal: controller.signal, readSet, limits: DEFAULT_TOOL_LIMITS,
    files: fileSystemFileAccess, environment: { sandbox }, progress: (message: string) => io.err(`… ${message}`),
  };
  try {
    const prepared = await prepareToolCall(tool, tool.name, input, session, ctx);
    const verdict = prepared.verdict;
    if (verdict.kind === 'refuse') {
      // audited like a refusal in the chat
      const audited = await executePreparedCall(prepared, session, ctx, 'rule');
      io.err(verdict.message);
      if (audited.auditFailure !== undefined) return auditFailed(audited.auditFailure);
      return key === undefined ? EXIT_USAGE : EXIT_REFUSED;
    }
    if (verdict.kind === 'ask' && !values.yes) {
      io.err(`${tool.name} needs approval (${verdict.reason}):\n${verdict.preview.title}\n${verdict.preview.detail}\n\nRun again with --yes to approve.`);
      return EXIT_REFUSED;
    }
    const executed = await executePreparedCall(prepared, session, ctx, verdict.kind === 'ask' ? 'cli --yes' : 'rule');
    if (sessionFile) await saveSession(sessionFile, readSet);
    if (executed.redactions > 0) io.err(`(${executed.redactions} secret${executed.redactions === 1 ? '' : 's'} redacted)`);
    (executed.result.ok ? io.out : io.err)(executed.result.text);
    if (executed.auditFailure !== undefined) return auditFailed(executed.auditFailure);
    return executed.result.ok ? EXIT_OK : EXIT_CHECK_FAILED;
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}

async function readInput(raw: string | undefined, io: CliIo): Promise<unknown> {
  if (raw === undefined) throw new UsageError('--input JSON is required');
  let text = raw;
  if (raw === '-') text = await io.readStdin();
  else if (raw.startsWith('@')) {
    try {
      text = fs.readFileSync(path.resolve(io.cwd, raw.slice(1)), 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read ${raw.slice(1)}: ${(error as Error).message}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UsageError(`--input is not valid JSON: ${(error as Error).message}`);
  }
}

/** A missing session file starts a new session; an unreadable one is an error, so it is never overwritten. */
function loadSession(file: string): ReadSet {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return new ReadSet();
    throw new UsageError(`cannot read the session file ${file}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`the session file ${file} is not valid JSON (${(error as Error).message}); delete it to start a new session`);
  }
  if (!Array.isArray(value)) throw new UsageError(`the session file ${file} is not a read set (a JSON list); delete it to start a new session`);
  return ReadSet.fromJSON(value);
}

async function saveSession(file: string, readSet: ReadSet): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(readSet.toJSON())}\n`);
}
