import { readFile, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { isMap, parseDocument } from 'yaml';
import type { AgentDefinition, AgentPermissionRules, AgentProblem, AgentSource } from './agentDefinition';
import { NO_PERMISSION_RULES } from './agentDefinition';
import { repairMojibake } from './mojibake';
import { HARNESS_TOOL_NAMES, describeUnknownTool, isHarnessToolName, normalizeToolNames } from './toolNames';
import { errorCode, errorMessage } from '../errors/errorText';

export interface ParseAgentOptions {
  /** Absolute path of the file the text came from (used for the fallback name and kept on the definition). */
  readonly file?: string;
  readonly source: AgentSource;
  /** Name to use when the frontmatter has none; defaults to one derived from `file`. */
  readonly fallbackName?: string;
}

/** What an agent name must look like (after lowercasing). */
export const AGENT_NAME_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;
/** Larger files are reported, not read: no real agent file comes near this. */
const MAX_AGENT_FILE_BYTES = 16 * 1024 * 1024;
/** Larger frontmatter is reported, not parsed, so a pathological file cannot stall the YAML parser. */
const MAX_FRONTMATTER_CHARS = 512 * 1024;
const MAX_YAML_ERRORS_REPORTED = 8;

/** Keys we interpret; everything else in the frontmatter is kept in `extra`. */
const INTERPRETED_KEYS = new Set(['name', 'description', 'tools', 'disallowedTools', 'model', 'permissions']);

/** Keys real agent files use at the top of their frontmatter (Claude Code and Copilot); used to repair unquoted values. */
const KNOWN_TOP_LEVEL_KEYS = [
  'name', 'description', 'tools', 'model', 'color', 'permissions', 'permissionMode', 'disallowedTools', 'skills', 'effort',
  'maxTurns', 'memory', 'hooks', 'mcpServers', 'mcp-servers', 'target', 'argument-hint', 'handoffs', 'infer',
  'disable-model-invocation', 'user-invocable', 'metadata', 'title', 'version', 'mode', 'hidden', 'category', 'tags', 'author',
];

const FENCE = /^---\s*$/;
const CLOSING_FENCE = /^(---|\.\.\.)\s*$/;
const LINE_BREAK = /\r\n|\n|\r/;

/** `foo.agent.md` -> `foo`, `bar.chatmode.md` -> `bar`, `baz.md` -> `baz` (not yet slugged). */
export function agentNameFromFile(file: string): string {
  return path.basename(file).replace(/(\.agent|\.chatmode)?\.md$/i, '');
}

/** Lowercases and replaces anything outside `[a-z0-9_-]` with `-`; '' when nothing usable is left. */
export function slugAgentName(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-_]+|-+$/g, '');
}

/**
 * Finds the body's section about certificate triggers (a heading or list item naming them) and returns
 * the quoted words listed in it, lowercased, in order, without duplicates.
 */
export function extractCertificateTriggers(body: string): string[] {
  const lines = body.split(LINE_BREAK);
  const start = lines.findIndex((l) => /certificat\w*\s+triggers?\b|\btriggers?\b[^\n]*\bcertificat/i.test(l));
  if (start < 0) return [];
  const headingOf = (l: string): number => /^ {0,3}(#{1,6})\s/.exec(l)?.[1].length ?? 0;
  const indentOf = (l: string): number => /^\s*/.exec(l)?.[0].length ?? 0;
  const isListItem = (l: string): boolean => /^\s*([-*+]|\d+[.)])\s/.test(l);
  const startHeading = headingOf(lines[start]);
  const startIndent = indentOf(lines[start]);
  const startIsItem = isListItem(lines[start]);
  const words: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const line = lines[i];
    if (i > start && line.trim() !== '') {
      const heading = headingOf(line);
      if (heading > 0 && (startHeading === 0 || heading <= startHeading)) break;
      const continues = startHeading > 0 || indentOf(line) > startIndent || (!startIsItem && isListItem(line) && indentOf(line) >= startIndent);
      if (!continues) break;
    }
    for (const match of line.matchAll(/["\u201c]([\p{L}\p{N}][\p{L}\p{N} _-]{0,39})["\u201d]/gu)) {
      const word = match[1].trim().toLowerCase();
      if (!words.includes(word)) words.push(word);
    }
  }
  return words;
}

interface Frontmatter {
  /** absent: the file has none; invalid: it has one that could not be read (the problem is already recorded). */
  readonly state: 'absent' | 'invalid' | 'ok';
  /** undefined unless state is ok. */
  readonly data?: Record<string, unknown>;
  /** Frontmatter text lines, for finding the line a key is on. */
  readonly lines: readonly string[];
  /** 1-based file line of the first frontmatter line. */
  readonly firstLine: number;
}

interface YamlAttempt {
  readonly data?: Record<string, unknown>;
  readonly errors: ReadonlyArray<{ readonly line: number; readonly endLine: number; readonly message: string }>;
  readonly warnings: ReadonlyArray<{ readonly line: number; readonly message: string }>;
}

function plainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function firstMessageLine(message: string): string {
  return message.split('\n')[0].replace(/ at line \d+, column \d+:?\s*$/, '');
}

/** Parses YAML text as a mapping; line numbers in the result are 1-based within the text. */
function parseYamlMapping(text: string): YamlAttempt {
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  const lineOf = (e: { linePos?: [{ line: number }] | [{ line: number }, { line: number }] }): number => e.linePos?.[0].line ?? 1;
  const endLineOf = (e: { linePos?: [{ line: number }] | [{ line: number }, { line: number }] }): number => e.linePos?.[1]?.line ?? lineOf(e);
  const warnings = doc.warnings.map((w) => ({ line: lineOf(w), message: firstMessageLine(w.message) }));
  if (doc.errors.length > 0) {
    return { errors: doc.errors.map((e) => ({ line: lineOf(e), endLine: endLineOf(e), message: firstMessageLine(e.message) })), warnings };
  }
  if (doc.contents !== null && !isMap(doc.contents)) {
    return { errors: [{ line: 1, endLine: text.split('\n').length, message: 'the frontmatter is not a mapping of keys to values' }], warnings };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (error) {
    return { errors: [{ line: 1, endLine: 1, message: errorMessage(error) }], warnings };
  }
  return { data: plainObject(data) ? data : {}, errors: [], warnings };
}

interface Repair {
  readonly lines: string[];
  readonly notes: Array<{ readonly index: number; readonly message: string }>;
  /** Set when the repair would have to guess; the candidate is then not tried. */
  readonly ambiguous?: boolean;
}

const KNOWN_KEYS = KNOWN_TOP_LEVEL_KEYS.map((k) => k.replace(/-/g, '\\-')).join('|');
/** A line holding a known key at any indentation. */
const KNOWN_KEY_LINE = new RegExp(`^\\s*(${KNOWN_KEYS}):(\\s|$)`);
/** A line starting with a known key, unindented. */
const KNOWN_TOP_KEY_LINE = new RegExp(`^(${KNOWN_KEYS}):(\\s|$)`);

/**
 * Tabs are not allowed as YAML indentation; read each leading tab as two spaces. A known top-level key
 * indented only by tabs right after a key that already has a value cannot be nested, so it is unindented.
 */
function repairTabs(lines: readonly string[]): Repair {
  const notes: Repair['notes'] = [];
  let previous = '';
  const out = lines.map((line, index) => {
    const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
    const before = previous;
    if (line.trim() !== '') previous = line;
    if (!lead.includes('\t')) return line;
    if (/^\t+$/.test(lead) && KNOWN_KEY_LINE.test(line) && /^[A-Za-z_][\w-]*:\s*\S/.test(before)) {
      notes.push({ index, message: 'top-level key indented with a tab in the frontmatter: read without the indentation' });
      previous = line.slice(lead.length);
      return previous;
    }
    notes.push({ index, message: 'tab used for indentation in the frontmatter: read as two spaces' });
    return lead.replace(/\t/g, '  ') + line.slice(lead.length);
  });
  return { lines: out, notes };
}

/** `name:"x"` is meant as `name: "x"` (a top-level key directly followed by its value). */
function repairMissingSpace(lines: readonly string[], errorLines: ReadonlySet<number>): Repair {
  const notes: Repair['notes'] = [];
  const out = lines.map((line, index) => {
    const match = /^([A-Za-z_][\w-]*):(?!\/\/)(\S.*)$/.exec(line);
    if (!match || !errorLines.has(index)) return line;
    notes.push({ index, message: `missing space after '${match[1]}:' in the frontmatter: read as '${match[1]}: ${match[2]}'` });
    return `${match[1]}: ${match[2]}`;
  });
  return { lines: out, notes };
}

/**
 * A plain (unquoted) value that holds `: ` or runs over several lines is meant as one text: quote it
 * (one line) or make it a literal block (several lines). `keyPattern` says which lines start a new key.
 */
function repairUnquotedValues(lines: readonly string[], errorLines: ReadonlySet<number>, keyPattern: RegExp): Repair {
  const starts: number[] = [];
  lines.forEach((line, index) => { if (keyPattern.test(line)) starts.push(index); });
  const out: string[] = lines.slice(0, starts[0] ?? lines.length);
  const notes: Repair['notes'] = [];
  let ambiguous = false;
  starts.forEach((start, k) => {
    const end = starts[k + 1] ?? lines.length;
    const entry = lines.slice(start, end);
    const match = /^([^:]+):\s*(.*)$/.exec(entry[0]);
    const key = match?.[1] ?? '';
    const value = (match?.[2] ?? '').trim();
    let last = entry.length - 1;
    while (last > 0 && entry[last].trim() === '') last--;
    const touched = Array.from({ length: end - start }, (_, i) => start + i).some((i) => errorLines.has(i));
    if (!match || value === '' || /^["'|>[{&*!#]/.test(value) || !touched) {
      out.push(...entry);
      return;
    }
    if (last === 0 && !value.includes(': ')) {
      out.push(...entry);
      return;
    }
    if (last === 0) {
      out.push(`${key}: ${JSON.stringify(value)}`, ...entry.slice(1));
      notes.push({ index: start, message: `the value of '${key}' contains ': ' but is not quoted: read as text` });
      return;
    }
    const more = entry.slice(1, last + 1);
    // a known key inside the run means the author may have meant nesting: do not guess
    if (more.some((l) => KNOWN_KEY_LINE.test(l))) {
      ambiguous = true;
      out.push(...entry);
      return;
    }
    const indent = Math.min(...more.filter((l) => l.trim() !== '').map((l) => /^\s*/.exec(l)?.[0].length ?? 0));
    out.push(`${key}: |-`, `  ${value}`, ...more.map((l) => (l.trim() === '' ? '' : `  ${l.slice(indent)}`)), ...entry.slice(last + 1));
    notes.push({ index: start, message: `the value of '${key}' runs over lines without quotes: read its ${last + 1} lines as one text` });
  });
  return { lines: out, notes, ambiguous };
}

/** Tries the repairs whose intent is unambiguous; returns the data and the notes, or undefined. */
function parseWithRepairs(lines: readonly string[], failed: YamlAttempt): { data: Record<string, unknown>; notes: Repair['notes'] } | undefined {
  const errorLines = new Set<number>();
  for (const e of failed.errors) for (let l = e.line; l <= e.endLine; l++) errorLines.add(l - 1);
  const tabs = repairTabs(lines);
  const spaced = repairMissingSpace(tabs.lines, errorLines);
  const anyKey = /^[A-Za-z_][\w-]*:(\s|$)/;
  const candidates: Repair[] = [
    { lines: spaced.lines, notes: [] },
    repairUnquotedValues(spaced.lines, errorLines, anyKey),
    repairUnquotedValues(spaced.lines, errorLines, KNOWN_TOP_KEY_LINE),
  ];
  for (const candidate of candidates) {
    const notes = [...tabs.notes, ...spaced.notes, ...candidate.notes];
    if (notes.length === 0 || candidate.ambiguous) continue;
    const attempt = parseYamlMapping(candidate.lines.join('\n'));
    if (attempt.data && attempt.errors.length === 0) return { data: attempt.data, notes };
  }
  return undefined;
}

function readFrontmatter(lines: readonly string[], problems: AgentProblem[]): { frontmatter: Frontmatter; bodyStart: number } {
  const none = (line: number, message: string): { frontmatter: Frontmatter; bodyStart: number } => {
    problems.push({ line, message, severity: 'error' });
    return { frontmatter: { state: 'absent', lines: [], firstLine: 1 }, bodyStart: 0 };
  };
  if (lines.length === 1 && lines[0].trim() === '') return none(1, 'the file is empty: an agent file starts with a --- frontmatter block (name, description, tools)');
  if (!FENCE.test(lines[0])) {
    const firstText = lines.findIndex((l) => l.trim() !== '');
    if (firstText >= 0 && lines[firstText].trim() === '---') {
      return none(firstText + 1, `no frontmatter: the '---' on line ${firstText + 1} must be the file's first line and must not be indented`);
    }
    return none(1, "no frontmatter: an agent file must start with a '---' line, then name, description and tools, then '---'");
  }
  const close = lines.findIndex((l, i) => i > 0 && CLOSING_FENCE.test(l));
  if (close < 0) {
    problems.push({ line: 1, message: "the frontmatter opened on line 1 is never closed by a '---' line", severity: 'error' });
    return { frontmatter: { state: 'invalid', lines: lines.slice(1), firstLine: 2 }, bodyStart: lines.length };
  }
  const fmLines = lines.slice(1, close);
  const firstLine = 2;
  const bodyStart = close + 1;
  const text = fmLines.join('\n');
  if (text.length > MAX_FRONTMATTER_CHARS) {
    problems.push({ line: firstLine, message: `the frontmatter is ${text.length} characters long; more than ${MAX_FRONTMATTER_CHARS} is not parsed`, severity: 'error' });
    return { frontmatter: { state: 'invalid', lines: fmLines, firstLine }, bodyStart };
  }
  const attempt = parseYamlMapping(text);
  for (const w of attempt.warnings) problems.push({ line: firstLine + w.line - 1, message: `frontmatter: ${w.message}`, severity: 'warning' });
  if (attempt.data) return { frontmatter: { state: 'ok', data: attempt.data, lines: fmLines, firstLine }, bodyStart };
  const repaired = parseWithRepairs(fmLines, attempt);
  if (repaired) {
    for (const n of repaired.notes) problems.push({ line: firstLine + n.index, message: `${n.message} (repaired; fix the file)`, severity: 'warning' });
    return { frontmatter: { state: 'ok', data: repaired.data, lines: fmLines, firstLine }, bodyStart };
  }
  for (const e of attempt.errors.slice(0, MAX_YAML_ERRORS_REPORTED)) {
    problems.push({ line: firstLine + e.line - 1, message: `invalid YAML in the frontmatter: ${e.message}`, severity: 'error' });
  }
  if (attempt.errors.length > MAX_YAML_ERRORS_REPORTED) {
    problems.push({ line: firstLine, message: `and ${attempt.errors.length - MAX_YAML_ERRORS_REPORTED} more YAML errors in the frontmatter`, severity: 'error' });
  }
  return { frontmatter: { state: 'invalid', lines: fmLines, firstLine }, bodyStart };
}

function keyLine(fm: Frontmatter, key: string): number {
  const escaped = key.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');
  const index = fm.lines.findIndex((l) => new RegExp(`^\\s*["']?${escaped}["']?\\s*:`).test(l));
  return fm.firstLine + Math.max(0, index);
}

/** Tool names as written: a list, a comma (or space) separated string, or `*`. undefined = not a usable form. */
function toolList(value: unknown, onSkipped: (item: unknown) => void): string[] | undefined {
  if (typeof value === 'string') {
    const separator = value.includes(',') ? ',' : /\s+/;
    return value.split(separator).map((s) => s.trim()).filter((s) => s !== '');
  }
  if (Array.isArray(value)) {
    const names: string[] = [];
    for (const item of value) {
      if (typeof item === 'string' || typeof item === 'number') names.push(...String(item).split(',').map((s) => s.trim()).filter((s) => s !== ''));
      else onSkipped(item);
    }
    return names;
  }
  return undefined;
}

function textValue(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function readPermissions(value: unknown, line: number, problems: AgentProblem[]): AgentPermissionRules {
  if (value === undefined || value === null) return NO_PERMISSION_RULES;
  if (!plainObject(value)) {
    problems.push({ line, message: "'permissions' must be a mapping with allow, ask and deny lists: ignored", severity: 'warning' });
    return NO_PERMISSION_RULES;
  }
  const rules: Record<'allow' | 'ask' | 'deny', string[]> = { allow: [], ask: [], deny: [] };
  for (const [key, list] of Object.entries(value)) {
    if (key !== 'allow' && key !== 'ask' && key !== 'deny') {
      problems.push({ line, message: `'permissions.${key}' is not one of allow, ask, deny: ignored`, severity: 'warning' });
      continue;
    }
    const items = typeof list === 'string' ? [list] : Array.isArray(list) ? list : list === null ? [] : undefined;
    if (!items) {
      problems.push({ line, message: `'permissions.${key}' must be a list of rules: ignored`, severity: 'warning' });
      continue;
    }
    for (const item of items) {
      if (typeof item === 'string' && item.trim() !== '') rules[key].push(item.trim());
      else problems.push({ line, message: `'permissions.${key}' has an entry that is not a rule: ignored`, severity: 'warning' });
    }
  }
  return rules;
}

interface ToolGrant { readonly tools: string[]; readonly toolsSpecified: 'all' | 'list'; readonly unknownTools: string[] }

function readTools(fm: Frontmatter, problems: AgentProblem[]): ToolGrant {
  const all: ToolGrant = { tools: [...HARNESS_TOOL_NAMES], toolsSpecified: 'all', unknownTools: [] };
  const data = fm.data;
  // Without readable frontmatter nothing says what the author meant to grant, so grant nothing.
  if (!data) return fm.state === 'invalid' ? { tools: [], toolsSpecified: 'list', unknownTools: [] } : all;
  const line = keyLine(fm, 'tools');
  const written = data.tools === undefined || data.tools === null
    ? undefined
    : toolList(data.tools, () => problems.push({ line, message: "'tools' has an entry that is not a tool name: ignored", severity: 'warning' }));
  if (data.tools !== undefined && data.tools !== null && written === undefined) {
    problems.push({ line, message: "'tools' must be a list or a comma-separated string: granting no tools", severity: 'warning' });
  }
  let grant: ToolGrant;
  if (data.tools === undefined || data.tools === null) grant = all;
  else if (written === undefined) grant = { tools: [], toolsSpecified: 'list', unknownTools: [] };
  else {
    const { tools, unknown } = normalizeToolNames(written);
    for (const name of unknown) problems.push({ line, message: describeUnknownTool(name), severity: 'warning' });
    if (written.length === 0) problems.push({ line, message: "'tools' is empty: this agent gets no tools", severity: 'warning' });
    grant = { tools, toolsSpecified: written.includes('*') ? 'all' : 'list', unknownTools: unknown };
  }
  if (data.disallowedTools !== undefined && data.disallowedTools !== null) {
    const denied = toolList(data.disallowedTools, () => undefined) ?? [];
    // Only exact harness names are removed: aliases map many-to-one (NotebookEdit must not remove Edit).
    const removed = new Set(denied.filter(isHarnessToolName).map((n) => n.trim().toLowerCase()));
    grant = { ...grant, tools: grant.tools.filter((t) => !removed.has(t.toLowerCase())) };
  }
  return grant;
}

function readName(fm: Frontmatter, options: ParseAgentOptions, problems: AgentProblem[]): string {
  const fromFile = options.fallbackName ?? (options.file ? agentNameFromFile(options.file) : undefined);
  const fallback = (): string => {
    const slug = fromFile === undefined ? '' : slugAgentName(fromFile);
    return slug === '' ? 'agent' : slug;
  };
  const written = fm.data ? textValue(fm.data.name) : undefined;
  if (written === undefined || written === '') {
    const name = fallback();
    if (fm.data) {
      const why = fm.data.name === undefined || fm.data.name === null || written === '' ? "no 'name' in the frontmatter" : "'name' is not text";
      problems.push({ line: fm.data.name === undefined ? 1 : keyLine(fm, 'name'), message: `${why}: using '${name}'${fromFile !== undefined ? ' from the file name' : ''}`, severity: 'warning' });
    }
    return name;
  }
  const lower = written.toLowerCase();
  if (AGENT_NAME_PATTERN.test(lower)) return lower;
  const slug = slugAgentName(written);
  const name = slug === '' ? fallback() : slug;
  problems.push({ line: keyLine(fm, 'name'), message: `name '${written}' is not a valid agent name (lowercase letters, digits, '-' and '_'): using '${name}'`, severity: 'warning' });
  return name;
}

function readModel(fm: Frontmatter, problems: AgentProblem[]): string | undefined {
  const value = fm.data?.model;
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value.find((v) => textValue(v) !== undefined && textValue(v) !== '') : value;
  const model = textValue(first);
  if (model === undefined) problems.push({ line: keyLine(fm, 'model'), message: "'model' is not text: ignored", severity: 'warning' });
  return model === '' ? undefined : model;
}

function readDescription(fm: Frontmatter, problems: AgentProblem[]): string {
  if (!fm.data) return '';
  const value = fm.data.description;
  const description = textValue(value);
  if (value === undefined || value === null || description === '') {
    problems.push({ line: 1, message: "no 'description': it is what tells people and models when to pick this agent", severity: 'warning' });
  } else if (description === undefined) {
    problems.push({ line: keyLine(fm, 'description'), message: "'description' is not text: ignored", severity: 'warning' });
  }
  return description ?? '';
}

function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  let odd = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0xfffd || (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c)) odd++;
  }
  return odd > 8 && odd > text.length / 100;
}

function definition(options: ParseAgentOptions, fields: Partial<AgentDefinition> & Pick<AgentDefinition, 'name' | 'problems'>): AgentDefinition {
  return {
    description: '',
    tools: [],
    toolsSpecified: 'list',
    unknownTools: [],
    body: '',
    bodyStartLine: 1,
    extra: {},
    permissions: NO_PERMISSION_RULES,
    certificateTriggers: [],
    source: options.source,
    file: options.file,
    memoryDir: `docs/ai/agents/${fields.name}`,
    ...fields,
  };
}

function brokenDefinition(options: ParseAgentOptions, problem: AgentProblem): AgentDefinition {
  const fromFile = options.fallbackName ?? (options.file ? agentNameFromFile(options.file) : '');
  const name = slugAgentName(fromFile) || 'agent';
  return definition(options, { name, problems: [problem] });
}

function parseUnsafe(input: string, options: ParseAgentOptions): AgentDefinition {
  const problems: AgentProblem[] = [];
  const withoutBom = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  if (looksBinary(withoutBom)) {
    return brokenDefinition(options, { line: 1, message: 'not a text file (binary content): no agent loaded from it', severity: 'error' });
  }
  const repaired = repairMojibake(withoutBom);
  const text = repaired.text;
  if (repaired.repairs.length > 0) {
    const first = repaired.repairs[0];
    const line = withoutBom.slice(0, first.offset).split(LINE_BREAK).length;
    problems.push({
      line,
      message: `repaired ${repaired.repairs.length} double-encoded UTF-8 sequence(s) (mojibake), first '${first.from}' -> '${first.to}'`,
      severity: 'warning',
    });
  }
  const lines = text.split(LINE_BREAK);
  const { frontmatter, bodyStart } = readFrontmatter(lines, problems);
  const name = readName(frontmatter, options, problems);
  const description = readDescription(frontmatter, problems);
  const grant = readTools(frontmatter, problems);
  const model = readModel(frontmatter, problems);
  const permissions = readPermissions(frontmatter.data?.permissions, keyLine(frontmatter, 'permissions'), problems);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(frontmatter.data ?? {})) if (!INTERPRETED_KEYS.has(key)) extra[key] = value;
  const body = lines.slice(bodyStart).join('\n');
  problems.sort((a, b) => a.line - b.line);
  return definition(options, {
    name,
    description,
    ...grant,
    model,
    body,
    bodyStartLine: bodyStart + 1,
    extra,
    problems,
    permissions,
    certificateTriggers: extractCertificateTriggers(body),
  });
}

/** Parses an agent file's text. Never throws: whatever is wrong is reported in `problems` with its file line. */
export function parseAgentText(text: string, options: ParseAgentOptions): AgentDefinition {
  try {
    return parseUnsafe(text, options);
  } catch (error) {
    const message = errorMessage(error);
    return brokenDefinition(options, { line: 1, message: `could not parse the agent file: ${message}`, severity: 'error' });
  }
}

function decodeBytes(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

/** Reads and parses an agent file. Never throws: an unreadable file gives a definition with an error problem. */
export async function loadAgentFile(file: string, source: AgentSource): Promise<AgentDefinition> {
  const absolute = path.resolve(file);
  const options: ParseAgentOptions = { file: absolute, source };
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return brokenDefinition(options, { line: 1, message: 'cannot read the agent file: it is a directory', severity: 'error' });
    if (info.size > MAX_AGENT_FILE_BYTES) {
      return brokenDefinition(options, { line: 1, message: `the file is ${info.size} bytes; agent files over ${MAX_AGENT_FILE_BYTES} bytes are not loaded`, severity: 'error' });
    }
    const bytes = await readFile(absolute);
    // UTF-16 (recognised by its BOM) is full of NULs; in anything else a NUL means binary content.
    if (!(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff) && bytes.subarray(0, 8192).includes(0)) {
      return brokenDefinition(options, { line: 1, message: 'not a text file (binary content): no agent loaded from it', severity: 'error' });
    }
    return parseAgentText(decodeBytes(bytes), options);
  } catch (error) {
    const code = errorCode(error);
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : errorMessage(error);
    return brokenDefinition(options, { line: 1, message: `cannot read the agent file: ${why}`, severity: 'error' });
  }
}
