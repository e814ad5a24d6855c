/** The tools this harness provides, in the order they are listed everywhere. */
export const HARNESS_TOOL_NAMES = ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'Git', 'Docker'] as const;

export type HarnessToolName = (typeof HARNESS_TOOL_NAMES)[number];

/**
 * Tool names written in agent files, mapped to the harness tools that do the same job.
 *
 * | written as                                                        | grants            | where the name comes from          |
 * |-------------------------------------------------------------------|-------------------|------------------------------------|
 * | Read, NotebookRead                                                | Read              | Claude Code                        |
 * | Write                                                             | Write             | Claude Code                        |
 * | Edit, MultiEdit, NotebookEdit                                     | Edit              | Claude Code                        |
 * | Bash, BashOutput, KillShell, KillBash                             | Bash              | Claude Code                        |
 * | Glob, LS                                                          | Glob              | Claude Code                        |
 * | Grep                                                              | Grep              | Claude Code                        |
 * | Git, Docker                                                       | Git, Docker       | this harness                       |
 * | read                                                              | Read              | Copilot custom-agent alias         |
 * | edit                                                              | Write, Edit       | Copilot alias (covers Edit, MultiEdit, Write) |
 * | execute, shell, powershell                                        | Bash              | Copilot alias                      |
 * | search, codebase, search/codebase                                 | Grep, Glob, Read  | Copilot alias / VS Code tool set   |
 * | editFiles, edit/editFiles                                         | Write, Edit       | VS Code chat mode                  |
 * | createFile, createDirectory, edit/createFile, edit/createDirectory| Write             | VS Code chat mode                  |
 * | runCommands, runInTerminal, terminalCommand, getTerminalOutput,   | Bash              | VS Code chat mode                  |
 * |   runTasks, runTask, createAndRunTask, runTests, execute/…        |                   |                                    |
 * | textSearch, usages, searchResults, search/…                       | Grep              | VS Code chat mode                  |
 * | fileSearch, listDirectory, findTestFiles, search/…                | Glob              | VS Code chat mode                  |
 * | readFile, read/readFile                                           | Read              | VS Code chat mode                  |
 * | changes, search/changes                                           | Git               | VS Code chat mode                  |
 *
 * Lookup is exact first, then case-insensitive: Claude Code's `Edit` grants Edit alone while the
 * Copilot alias `edit` (the same letters in lower case) also grants Write, as Copilot's alias does.
 */
const TOOL_ALIASES: ReadonlyArray<readonly [string, readonly HarnessToolName[]]> = [
  ['Read', ['Read']], ['NotebookRead', ['Read']],
  ['Write', ['Write']],
  ['Edit', ['Edit']], ['MultiEdit', ['Edit']], ['NotebookEdit', ['Edit']],
  ['Bash', ['Bash']], ['BashOutput', ['Bash']], ['KillShell', ['Bash']], ['KillBash', ['Bash']],
  ['Glob', ['Glob']], ['LS', ['Glob']],
  ['Grep', ['Grep']],
  ['Git', ['Git']],
  ['Docker', ['Docker']],
  ['read', ['Read']],
  ['edit', ['Write', 'Edit']],
  ['execute', ['Bash']], ['shell', ['Bash']], ['powershell', ['Bash']],
  ['search', ['Grep', 'Glob', 'Read']], ['codebase', ['Grep', 'Glob', 'Read']], ['search/codebase', ['Grep', 'Glob', 'Read']],
  ['editFiles', ['Write', 'Edit']], ['edit/editFiles', ['Write', 'Edit']],
  ['createFile', ['Write']], ['createDirectory', ['Write']], ['edit/createFile', ['Write']], ['edit/createDirectory', ['Write']],
  ['runCommands', ['Bash']], ['runInTerminal', ['Bash']], ['terminalCommand', ['Bash']], ['getTerminalOutput', ['Bash']],
  ['runTasks', ['Bash']], ['runTask', ['Bash']], ['createAndRunTask', ['Bash']], ['runTests', ['Bash']],
  ['execute/runInTerminal', ['Bash']], ['execute/getTerminalOutput', ['Bash']], ['execute/runTask', ['Bash']],
  ['execute/createAndRunTask', ['Bash']], ['execute/runTests', ['Bash']],
  ['textSearch', ['Grep']], ['usages', ['Grep']], ['searchResults', ['Grep']],
  ['search/textSearch', ['Grep']], ['search/usages', ['Grep']], ['search/searchResults', ['Grep']],
  ['fileSearch', ['Glob']], ['listDirectory', ['Glob']], ['findTestFiles', ['Glob']],
  ['search/fileSearch', ['Glob']], ['search/listDirectory', ['Glob']], ['read/listDirectory', ['Glob']],
  ['readFile', ['Read']], ['read/readFile', ['Read']],
  ['changes', ['Git']], ['search/changes', ['Git']],
];

/** Claude Code tools this harness does not provide (named so the warning can say where they come from). */
const CLAUDE_CODE_ONLY_TOOLS = [
  'WebFetch', 'WebSearch', 'Task', 'Agent', 'TodoWrite', 'TodoRead', 'ExitPlanMode', 'EnterPlanMode', 'SlashCommand',
  'Skill', 'AskUserQuestion', 'ListMcpResourcesTool', 'ReadMcpResourceTool', 'TaskOutput', 'TaskStop', 'TaskCreate',
  'TaskList', 'TaskGet', 'TaskUpdate', 'TeamCreate', 'TeamDelete', 'SendMessage', 'NotebookExecute',
];

/** VS Code chat / Copilot tools this harness does not provide. */
const VSCODE_ONLY_TOOLS = [
  'fetch', 'web', 'githubRepo', 'problems', 'todo', 'todos', 'agent', 'custom-agent', 'runSubagent', 'new', 'extensions',
  'openSimpleBrowser', 'vscodeAPI', 'testFailure', 'terminalLastCommand', 'terminalSelection', 'think', 'runNotebooks',
  'editNotebook', 'newJupyterNotebook', 'installExtension', 'getProjectSetupInfo', 'newWorkspace', 'runCommand',
  'github', 'playwright',
];

/** VS Code's built-in tool sets, which prefix qualified names such as `read/problems`. */
const VSCODE_TOOL_SETS = new Set(['read', 'edit', 'search', 'execute', 'vscode', 'agent', 'web', 'todo', 'runCommands', 'runTasks', 'runNotebooks']);

const EXACT = new Map<string, readonly HarnessToolName[]>(TOOL_ALIASES);
const FOLDED = new Map<string, readonly HarnessToolName[]>();
for (const [name, tools] of TOOL_ALIASES) if (!FOLDED.has(name.toLowerCase())) FOLDED.set(name.toLowerCase(), tools);
const CLAUDE_ONLY = new Set(CLAUDE_CODE_ONLY_TOOLS.map((n) => n.toLowerCase()));
const VSCODE_ONLY = new Set(VSCODE_ONLY_TOOLS.map((n) => n.toLowerCase()));

/** The harness tools a written tool name grants, or undefined when the harness has no such tool. */
export function harnessToolsFor(name: string): readonly HarnessToolName[] | undefined {
  const trimmed = name.trim();
  return EXACT.get(trimmed) ?? FOLDED.get(trimmed.toLowerCase());
}

/** Whether a written name is exactly (case-insensitively) one of the harness's own tool names. */
export function isHarnessToolName(name: string): boolean {
  const folded = name.trim().toLowerCase();
  return HARNESS_TOOL_NAMES.some((t) => t.toLowerCase() === folded);
}

/** One line saying why a tool name grants nothing here; every message says the tool is not provided by this harness. */
export function describeUnknownTool(name: string): string {
  const folded = name.toLowerCase();
  if (/^mcp__/i.test(name)) {
    const server = name.split('__')[1] ?? '';
    return `tool '${name}' is an MCP tool (server '${server}'): not provided by this harness`;
  }
  if (name.includes('/')) {
    const prefix = name.slice(0, name.indexOf('/'));
    if (VSCODE_TOOL_SETS.has(prefix)) return `tool '${name}' is a VS Code chat tool that is not provided by this harness`;
    if (prefix.includes('.')) return `tool '${name}' comes from the VS Code extension '${prefix}': not provided by this harness`;
    return `tool '${name}' comes from the MCP server '${prefix}': not provided by this harness`;
  }
  // exact spelling first: `Agent` is Claude Code's, `agent` is VS Code's
  const claude = CLAUDE_CODE_ONLY_TOOLS.includes(name) || (!VSCODE_ONLY_TOOLS.includes(name) && CLAUDE_ONLY.has(folded));
  if (claude) return `tool '${name}' is a Claude Code tool that is not provided by this harness`;
  if (VSCODE_ONLY.has(folded)) return `tool '${name}' is a VS Code chat tool that is not provided by this harness`;
  return `unknown tool '${name}': not provided by this harness`;
}

/**
 * Maps written tool names to harness tools (deduplicated, in HARNESS_TOOL_NAMES order).
 * A `*` anywhere grants every harness tool. Names that grant nothing are returned in `unknown`, spelled as written.
 */
export function normalizeToolNames(raw: readonly string[]): { tools: string[]; unknown: string[] } {
  const granted = new Set<HarnessToolName>();
  const unknown: string[] = [];
  for (const entry of raw) {
    const name = entry.trim();
    if (name === '') continue;
    if (name === '*') {
      for (const t of HARNESS_TOOL_NAMES) granted.add(t);
      continue;
    }
    const tools = harnessToolsFor(name);
    if (tools) for (const t of tools) granted.add(t);
    else if (!unknown.includes(name)) unknown.push(name);
  }
  return { tools: HARNESS_TOOL_NAMES.filter((t) => granted.has(t)), unknown };
}
