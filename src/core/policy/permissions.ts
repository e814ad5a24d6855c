import { Minimatch } from 'minimatch';
import { coreCommandOf, splitShellCommand } from './shellCommandParts';

/** How much a tool can change: read tools run freely, write and execute tools are confirmed by default. */
export type ToolRisk = 'read' | 'write' | 'execute';

/** One `Tool` or `Tool(pattern)` entry from settings or an agent's frontmatter. */
export interface PermissionRule {
  readonly tool: string;
  /** Absent for a bare tool name, which matches every call of that tool. */
  readonly pattern?: string;
  /** Where the rule came from, e.g. `settings devopsAgent.permissions.deny` or `agent devops-engineer`. */
  readonly source: string;
  /** The rule as written. */
  readonly text: string;
}

export interface PermissionRules {
  readonly allow: readonly PermissionRule[];
  readonly ask: readonly PermissionRule[];
  readonly deny: readonly PermissionRule[];
}

export type PermissionDecision = {
  readonly decision: 'allow' | 'ask' | 'deny';
  readonly rule?: PermissionRule;
  readonly reason: string;
};

export interface PermissionCall {
  readonly tool: string;
  readonly risk: ToolRisk;
  /** The command line (Bash), the action string (Git, Docker: `commit -m x`, `run nginx`), or a path. */
  readonly subject: string;
  /** Workspace-relative posix paths the call touches. */
  readonly paths: readonly string[];
}

/**
 * Tool names a rule may name by default: the agent-facing tools and the harness's own record tools (whose patterns
 * match their subject text, e.g. `memory_update(decisions.md#*)`). Rules naming anything else (MCP tools, typos)
 * are reported, never silently ignored.
 */
const PERMISSION_RULE_TOOLS: readonly string[] = [
  'Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'Git', 'Docker',
  'memory_read', 'memory_update', 'certificate_create', 'decision_record',
];

/** Tools whose patterns are globs over workspace-relative paths; the others match their command or action text. */
const PATH_TOOLS = new Set(['Read', 'Write', 'Edit', 'Glob', 'Grep']);

/**
 * Which rule tool names govern a call of each tool: Write and Edit rules cover both file-changing tools, and Read
 * rules also cover Glob and Grep (they read too), so `deny: Read(**\/.env*)` cannot be side-stepped with Grep.
 */
const RULE_TOOLS_FOR_CALL: Readonly<Record<string, readonly string[]>> = {
  Read: ['Read'],
  Glob: ['Glob', 'Read'],
  Grep: ['Grep', 'Read'],
  Write: ['Write', 'Edit'],
  Edit: ['Edit', 'Write'],
};

const RULE_SYNTAX = /^([A-Za-z][\w-]*)(?:\(([\s\S]*)\))?$/;

/** Reads allow/ask/deny lists of rule strings. Entries that are not valid rules become problems; nothing throws. */
export function parsePermissionRules(
  input: { allow?: unknown; ask?: unknown; deny?: unknown },
  source: string,
  knownTools: readonly string[] = PERMISSION_RULE_TOOLS,
): { rules: PermissionRules; problems: string[] } {
  const problems: string[] = [];
  const read = (key: 'allow' | 'ask' | 'deny'): PermissionRule[] => {
    const value: unknown = input[key];
    if (value === undefined || value === null) return [];
    const entries: unknown[] = typeof value === 'string' ? [value] : Array.isArray(value) ? value : [];
    if (typeof value !== 'string' && !Array.isArray(value)) {
      problems.push(`${source}: permissions.${key} must be a list of rules such as "Bash(npm test*)", not ${describe(value)}.`);
      return [];
    }
    const rules: PermissionRule[] = [];
    entries.forEach((entry, index) => {
      if (typeof entry !== 'string') {
        problems.push(`${source}: permissions.${key}[${index}] must be a string such as "Write(src/**)", not ${describe(entry)}.`);
        return;
      }
      const parsed = parseRule(entry, source, knownTools);
      if (typeof parsed === 'string') problems.push(`${source}: permissions.${key}[${index}] ${JSON.stringify(entry)}: ${parsed}`);
      else rules.push(parsed);
    });
    return rules;
  };
  return { rules: { allow: read('allow'), ask: read('ask'), deny: read('deny') }, problems };
}

function parseRule(raw: string, source: string, knownTools: readonly string[]): PermissionRule | string {
  const text = raw.trim();
  const match = RULE_SYNTAX.exec(text);
  if (!match) {
    return text.includes('(')
      ? 'write a rule as Tool or Tool(pattern) with the pattern closed by ")"'
      : 'write a rule as Tool or Tool(pattern), e.g. Bash(npm test*) or Write(src/**)';
  }
  const tool = match[1] as string;
  const pattern = match[2];
  if (!knownTools.includes(tool)) {
    const known = knownTools.join(', ');
    if (/^mcp/i.test(tool) || tool.includes('__')) {
      return `MCP tool names are not valid here; this agent's tools are ${known}.`;
    }
    const sameLetters = knownTools.find((t) => t.toLowerCase() === tool.toLowerCase());
    return sameLetters ? `tool names are case-sensitive: write ${sameLetters}.` : `unknown tool '${tool}'; rules name one of ${known}.`;
  }
  if (pattern === undefined) return { tool, source, text };
  const trimmed = pattern.trim();
  if (trimmed === '') return `the pattern is empty; write ${tool} alone to match every ${tool} call.`;
  if (PATH_TOOLS.has(tool) && trimmed.split('/').includes('..')) {
    return 'path patterns are relative to the workspace folder and cannot contain "..".';
  }
  return { tool, pattern: trimmed, source, text };
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;
}

/** Concatenates rule sets (settings, then the agent's frontmatter); order within each list is kept. */
export function mergePermissionRules(...sets: PermissionRules[]): PermissionRules {
  return {
    allow: sets.flatMap((s) => s.allow),
    ask: sets.flatMap((s) => s.ask),
    deny: sets.flatMap((s) => s.deny),
  };
}

/**
 * Decides one tool call. Order: deny rules, then the secret deny list, then ask rules, then allow rules, then the
 * default for the call's risk (read → allow; write, execute → ask). The first matching rule in a list wins.
 *
 * Secrets: when the caller passes secretDeniedReason (a path is on the secret deny list) the call is denied even if
 * an allow rule names that exact path; the only way to read such a file is to change the deny list itself.
 *
 * Paths (Read, Write, Edit, Glob, Grep) match with minimatch against each workspace-relative path (dotfiles
 * included; a pattern without `/` matches the file name at any depth, like .gitignore; a leading `/` anchors it to
 * the workspace folder; `dir/**` also matches `dir` itself). Deny and ask rules match when any path matches,
 * ignoring case so `.ENV` cannot slip past `.env`; allow rules need every path matched.
 *
 * Commands (Bash, Git, Docker) match as text where `*` is the only wildcard and matches anything, spaces and `/`
 * included: `Bash(npm test*)` matches `npm test -- --grep x` (and `npm tester`; write `Bash(npm test:*)` for
 * "npm test or npm test <args>"). Bash commands are split into simple commands (see splitShellCommand): deny and ask
 * rules match if the whole line, any part, or any part with `sudo`/`env`/`VAR=1`/a path on the program stripped
 * matches; allow needs every part allowed as written, and a part that redirects output to a file (`> f`) is only
 * allowed by a pattern that itself contains `>`. This stops `npm test && rm -rf /` riding on `Bash(npm test*)`; it is
 * a guard on the model's commands, not a sandbox (`bash -c '…'` is one command to it).
 */
export function decidePermission(rules: PermissionRules, call: PermissionCall, secretDeniedReason?: string): PermissionDecision {
  const governing = RULE_TOOLS_FOR_CALL[call.tool] ?? [call.tool];
  const applicable = (list: readonly PermissionRule[]): PermissionRule[] => list.filter((r) => governing.includes(r.tool));
  const target = matchTargetOf(call);

  const denied = applicable(rules.deny).find((r) => cautiousMatch(r, target));
  if (denied) return { decision: 'deny', rule: denied, reason: `Denied by rule ${denied.text} (${denied.source}).` };
  if (secretDeniedReason !== undefined) {
    return { decision: 'deny', reason: `Denied: ${secretDeniedReason.trim().replace(/\.?$/, '.')} Files on the secret deny list are never opened by the agent.` };
  }
  const asked = applicable(rules.ask).find((r) => cautiousMatch(r, target));
  if (asked) return { decision: 'ask', rule: asked, reason: `Rule ${asked.text} (${asked.source}) asks for confirmation.` };

  const allowRules = applicable(rules.allow);
  const allowed = allowMatch(allowRules, target);
  if (allowed.rule) {
    const names = [...new Set(allowed.rules.map((r) => `${r.text} (${r.source})`))].join(', ');
    return { decision: 'allow', rule: allowed.rule, reason: `Allowed by rule ${names}.` };
  }
  if (call.risk === 'read') return { decision: 'allow', reason: 'Read-only calls are allowed by default.' };
  const uncovered = allowed.uncovered !== undefined && allowRules.length > 0
    ? ` No allow rule covers ${JSON.stringify(allowed.uncovered)}.`
    : ' No permission rule matched.';
  return { decision: 'ask', reason: `${capitalize(call.risk)} calls ask for confirmation by default.${uncovered}` };
}

/** Untrusted workspaces run read tools only; undefined means trust does not stop this call. */
export function trustDecision(trusted: boolean, risk: ToolRisk): PermissionDecision | undefined {
  if (trusted || risk === 'read') return undefined;
  return {
    decision: 'deny',
    reason:
      `This workspace is not trusted, so ${risk} tools are refused (only read tools run). ` +
      "If you trust this folder's contents, use 'Manage Workspace Trust' (command palette: Workspaces: Manage Workspace Trust) and retry.",
  };
}

type MatchTarget =
  | { readonly kind: 'paths'; readonly paths: readonly string[] }
  | { readonly kind: 'shell'; readonly whole: string; readonly parts: readonly { text: string; core: string; writesFile: boolean }[] }
  | { readonly kind: 'text'; readonly text: string };

function matchTargetOf(call: PermissionCall): MatchTarget {
  if (PATH_TOOLS.has(call.tool)) {
    const paths = (call.paths.length > 0 ? call.paths : [call.subject]).map(normalizeRelativePath);
    return { kind: 'paths', paths };
  }
  if (call.tool === 'Bash') {
    const parts = splitShellCommand(call.subject).map((p) => ({ text: p.text, core: coreCommandOf(p.text), writesFile: p.writesFile }));
    return { kind: 'shell', whole: collapseWhitespace(call.subject), parts };
  }
  return { kind: 'text', text: collapseWhitespace(call.subject) };
}

/** Deny/ask matching: errs towards matching (any path, any part, case-insensitive). */
function cautiousMatch(rule: PermissionRule, target: MatchTarget): boolean {
  if (rule.pattern === undefined) return true;
  const pattern = rule.pattern;
  switch (target.kind) {
    case 'paths':
      return target.paths.some((p) => pathMatches(pattern, p, true));
    case 'shell':
      return (
        commandMatches(pattern, target.whole, true) ||
        target.parts.some((p) => commandMatches(pattern, p.text, true) || (p.core !== '' && commandMatches(pattern, p.core, true)))
      );
    case 'text':
      return commandMatches(pattern, target.text, true);
  }
}

interface AllowResult {
  readonly rule?: PermissionRule;
  readonly rules: readonly PermissionRule[];
  /** The first path or command part no allow rule covers. */
  readonly uncovered?: string;
}

/** Allow matching: every path or every command part must be covered, case-sensitively, as written. */
function allowMatch(rules: readonly PermissionRule[], target: MatchTarget): AllowResult {
  const items: { text: string; test: (rule: PermissionRule) => boolean }[] = [];
  switch (target.kind) {
    case 'paths':
      for (const p of target.paths) items.push({ text: p, test: (r) => r.pattern === undefined || pathMatches(r.pattern, p, false) });
      break;
    case 'shell':
      for (const part of target.parts) {
        items.push({
          text: part.text,
          test: (r) => r.pattern === undefined || ((!part.writesFile || r.pattern.includes('>')) && commandMatches(r.pattern, part.text, false)),
        });
      }
      break;
    case 'text':
      items.push({ text: target.text, test: (r) => r.pattern === undefined || commandMatches(r.pattern, target.text, false) });
      break;
  }
  if (items.length === 0) return { rules: [] };
  const used: PermissionRule[] = [];
  for (const item of items) {
    const rule = rules.find((r) => item.test(r));
    if (!rule) return { rules: [], uncovered: item.text };
    used.push(rule);
  }
  return { rule: used[0], rules: used };
}

function normalizeRelativePath(p: string): string {
  let out = p.replace(/\\/g, '/');
  while (out.startsWith('./')) out = out.slice(2);
  return out.replace(/\/+$/, '') || '.';
}

const minimatchCache = new Map<string, Minimatch>();

function compiledGlob(pattern: string, nocase: boolean): Minimatch {
  const key = `${nocase ? 'i' : 's'}:${pattern}`;
  let compiled = minimatchCache.get(key);
  if (!compiled) {
    let glob = pattern.replace(/\\/g, '/');
    while (glob.startsWith('./')) glob = glob.slice(2);
    const anchored = glob.startsWith('/');
    if (anchored) glob = glob.replace(/^\/+/, '');
    compiled = new Minimatch(glob, { dot: true, nocase, nonegate: true, nocomment: true, matchBase: !anchored && !glob.includes('/') });
    if (minimatchCache.size > 500) minimatchCache.clear();
    minimatchCache.set(key, compiled);
  }
  return compiled;
}

function pathMatches(pattern: string, relativePath: string, nocase: boolean): boolean {
  if (compiledGlob(pattern, nocase).match(relativePath)) return true;
  // `src/**` names the folder as well as what is inside it (a Glob or Grep over `src` itself).
  return pattern.endsWith('/**') && pattern.length > 3 && compiledGlob(pattern.slice(0, -3), nocase).match(relativePath);
}

function collapseWhitespace(text: string): string {
  return text.trim().replace(/\s+/g, ' ');
}

/**
 * `*` matches any run of characters (spaces and `/` too); everything else is literal. A trailing `:*` means "this
 * command alone or followed by arguments". Greedy leftmost matching of the literal pieces is exact for `*`-only
 * patterns and runs in time proportional to pattern × text, with no backtracking blow-up.
 */
function commandMatches(pattern: string, text: string, nocase: boolean): boolean {
  const p = collapseWhitespace(nocase ? pattern.toLowerCase() : pattern);
  const t = nocase ? text.toLowerCase() : text;
  if (p.endsWith(':*')) {
    const prefix = p.slice(0, -2).trimEnd();
    return t === prefix || wildcardMatches(`${prefix} *`, t);
  }
  return wildcardMatches(p, t);
}

function wildcardMatches(pattern: string, text: string): boolean {
  const pieces = pattern.split('*');
  if (pieces.length === 1) return pattern === text;
  const first = pieces[0] as string;
  const last = pieces[pieces.length - 1] as string;
  if (!text.startsWith(first) || text.length < first.length + last.length) return false;
  let position = first.length;
  for (let k = 1; k < pieces.length - 1; k += 1) {
    const piece = pieces[k] as string;
    const found = text.indexOf(piece, position);
    if (found < 0 || found + piece.length > text.length - last.length) return false;
    position = found + piece.length;
  }
  return text.endsWith(last) && text.length - last.length >= position;
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}
