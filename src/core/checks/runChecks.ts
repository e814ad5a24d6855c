import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { walkFiles } from '../tools/search/fileWalk';
import { listGitFiles } from '../tools/search/gitFileList';
import { compareUtf8 } from '../tools/search/pathOrder';
import type { CheckConfig, CheckConfigProblem, LoadedCheckConfig } from './checkConfig';
import { CHECK_CONFIG_FILES, loadCheckConfig } from './checkConfig';
import type { CheckFileKind, CheckFinding, CheckReport, CheckRule, CheckRuleSet, RuleFinding } from './checkTypes';
import { confirmKind, kindByPath } from './fileKinds';
import { parseInlineSuppressions } from './inlineSuppressions';
import { RULE_SETS } from './ruleSets';

export interface CheckRequest {
  /** The workspace folder; findings name files relative to it. */
  readonly root: string;
  /** Files or folders to check (relative to root or absolute, inside root); default the whole root. */
  readonly paths?: readonly string[];
  readonly signal?: AbortSignal;
  /** Default: every rule set (RULE_SETS). */
  readonly ruleSets?: readonly CheckRuleSet[];
  /**
   * False: do not run git (an untrusted workspace, whose git config could run commands). Files are then found by
   * walking the folder with its .gitignore rules, and secrets files are not checked (tracking cannot be known).
   */
  readonly git?: boolean;
}

export interface CheckTextOptions {
  /** Default: read `.devops-agent.yaml` from root. */
  readonly config?: LoadedCheckConfig;
  /** Secrets files are only findings when git tracks them; the caller knows (see isTrackedByGit). */
  readonly trackedByGit?: boolean;
  readonly ruleSets?: readonly CheckRuleSet[];
}

/** Files above this size are skipped with a reason rather than read whole. */
export const MAX_CHECKED_FILE_BYTES = 4 * 1024 * 1024;

export const CONFIG_RULE: CheckRule = {
  id: 'config/invalid',
  title: 'Malformed .devops-agent.yaml',
  severity: 'error',
  kinds: [],
  references: [],
  help: 'The checks section of .devops-agent.yaml has an entry the engine cannot use; that entry is ignored and the rest applies. The section reads `checks: { ignore: [DL3008], ignorePaths: ["vendor/**"], severity: { dockerfile/no-user: error }, trustedRegistries: [docker.io], allowedActionOwners: [actions] }`.',
};

/** A request the engine cannot carry out (a path outside the root, a root that is not a folder). */
export class CheckRequestError extends Error {
  override readonly name = 'CheckRequestError';
}

/** Every rule of the given sets, plus the configuration rule, sorted by id. */
export function allRules(ruleSets: readonly CheckRuleSet[] = RULE_SETS): CheckRule[] {
  const byId = new Map<string, CheckRule>([[CONFIG_RULE.id, CONFIG_RULE]]);
  for (const set of ruleSets) for (const rule of set.rules) byId.set(rule.id, rule);
  return [...byId.values()].sort((a, b) => compareUtf8(a.id, b.id));
}

/**
 * Checks one file's text as it is now (the editor, as you type): classifies it by path and content, runs the rule
 * sets of its kind and applies `.devops-agent.yaml` and `# devops-agent ignore=` comments. Never throws.
 */
export function checkText(file: string, text: string, root: string, options: CheckTextOptions = {}): CheckFinding[] {
  const relative = relativeToRoot(root, file);
  const loaded = options.config ?? loadCheckConfig(root);
  const ruleSets = options.ruleSets ?? RULE_SETS;
  if (loaded.file !== undefined && relative === loaded.file) return configFindings(loaded.file, loaded.problems);
  if (isIgnoredPath(relative, loaded.config)) return [];
  const kind = confirmKind(relative, text);
  if (kind === undefined || (kind === 'secrets-file' && options.trackedByGit !== true)) return [];
  return sortFindings(checkClassified(relative, text, kind, loaded.config, ruleSets, ruleIndex(ruleSets)));
}

/** Finds the files to check under root (git-aware), checks each and returns every finding, sorted. */
export async function runChecks(request: CheckRequest): Promise<CheckReport> {
  const ruleSets = request.ruleSets ?? RULE_SETS;
  const root = await realFolder(request.root);
  const loaded = loadCheckConfig(root);
  const { files: listed, tracked } = await listFiles(root, request.git !== false, request.signal);
  const selected = await selectFiles(root, listed, request.paths);
  const rules = ruleIndex(ruleSets);
  const findings: CheckFinding[] = loaded.file === undefined ? [] : configFindings(loaded.file, loaded.problems);
  const files: { path: string; kind: CheckFileKind; sha256: string }[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const candidates = selected.filter((file) => {
    const guess = kindByPath(file);
    if (guess === undefined || isIgnoredPath(file, loaded.config)) return false;
    return guess !== 'secrets-file' || tracked.has(file);
  });
  const BATCH = 16;
  for (let i = 0; i < candidates.length; i += BATCH) {
    throwIfAborted(request.signal);
    const batch = candidates.slice(i, i + BATCH);
    const texts = await Promise.all(batch.map((file) => readCandidate(root, file)));
    batch.forEach((file, j) => {
      const read = texts[j] as { text: string } | { reason: string };
      if ('reason' in read) {
        skipped.push({ path: file, reason: read.reason });
        return;
      }
      const kind = confirmKind(file, read.text);
      if (kind === undefined) return;
      // the hash lets a certificate refuse evidence from a file that changed after it was checked
      files.push({ path: file, kind, sha256: createHash('sha256').update(read.text).digest('hex') });
      for (const finding of checkClassified(file, read.text, kind, loaded.config, ruleSets, rules)) findings.push(finding);
    });
  }
  files.sort((a, b) => compareUtf8(a.path, b.path));
  return { findings: sortFindings(findings), files, rules: allRules(ruleSets), ...(skipped.length > 0 ? { skipped } : {}) };
}

/** Whether git tracks the file (for secrets files checked one at a time, as in the editor). */
export async function isTrackedByGit(root: string, file: string): Promise<boolean> {
  const relative = relativeToRoot(root, file);
  const output = await runGit(root, ['ls-files', '-z', '--cached', '--', relative]);
  return output !== undefined && output.split('\0').includes(relative);
}

function checkClassified(file: string, text: string, kind: CheckFileKind, config: CheckConfig, ruleSets: readonly CheckRuleSet[], rules: ReadonlyMap<string, CheckRule>): CheckFinding[] {
  const raw: RuleFinding[] = [];
  for (const set of ruleSets) {
    if (!set.kinds.includes(kind)) continue;
    try {
      for (const finding of set.check({ path: file, text, kind }, config)) raw.push(finding);
    } catch (error) {
      // A rule set must not throw; if one does, the file gets one finding and the other sets still run.
      const message = error instanceof Error ? error.message : String(error);
      raw.push({ ruleId: `${kind}/internal-error`, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `The ${kind} checks failed on this file: ${message}` });
    }
  }
  if (raw.length === 0) return [];
  const suppressions = parseInlineSuppressions(text);
  const lineCount = countLines(text);
  const out: CheckFinding[] = [];
  for (const finding of raw) {
    const rule = rules.get(finding.ruleId);
    const names = [finding.ruleId, ...(rule?.references ?? [])];
    if (names.some((n) => config.ignoreRules.some((ignored) => ignored.toLowerCase() === n.toLowerCase()))) continue;
    const override = severityOverride(config, names);
    if (override === 'off') continue;
    if (suppressions.isSuppressed(finding.range.line, names)) continue;
    out.push({
      ...finding,
      range: clampRange(finding.range, lineCount),
      file,
      severity: override ?? rule?.severity ?? 'warning',
      references: rule?.references ?? [],
    });
  }
  return out;
}

function severityOverride(config: CheckConfig, names: readonly string[]): CheckConfig['severity'][string] | undefined {
  for (const [key, value] of Object.entries(config.severity)) {
    if (names.some((n) => n.toLowerCase() === key.toLowerCase())) return value;
  }
  return undefined;
}

function clampRange(range: RuleFinding['range'], lineCount: number): RuleFinding['range'] {
  const line = Math.min(Math.max(1, range.line), lineCount);
  const endLine = Math.min(Math.max(line, range.endLine), lineCount);
  if (line === range.line && endLine === range.endLine) return range;
  return { line, column: Math.max(1, range.column), endLine, endColumn: Math.max(1, range.endColumn) };
}

function countLines(text: string): number {
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count += 1;
  return text.endsWith('\n') ? count - 1 || 1 : count;
}

function configFindings(file: string, problems: readonly CheckConfigProblem[]): CheckFinding[] {
  return problems.map((problem) => ({
    ruleId: CONFIG_RULE.id,
    range: { line: problem.line, column: problem.column, endLine: problem.line, endColumn: problem.column },
    message: `${file}: ${problem.message}`,
    file,
    severity: CONFIG_RULE.severity,
    references: [],
  }));
}

function ruleIndex(ruleSets: readonly CheckRuleSet[]): Map<string, CheckRule> {
  return new Map(allRules(ruleSets).map((rule) => [rule.id, rule]));
}

function sortFindings(findings: CheckFinding[]): CheckFinding[] {
  return findings.sort((a, b) => compareUtf8(a.file, b.file) || a.range.line - b.range.line || a.range.column - b.range.column || compareUtf8(a.ruleId, b.ruleId));
}

function isIgnoredPath(file: string, config: CheckConfig): boolean {
  return config.ignorePaths.some((glob) => minimatch(file, glob, { dot: true }) || minimatch(file, `${glob.replace(/\/+$/, '')}/**`, { dot: true }));
}

function relativeToRoot(root: string, file: string): string {
  const absolute = path.resolve(root, file);
  const relative = path.relative(path.resolve(root), absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return (inside ? relative : absolute).split(path.sep).join('/');
}

async function realFolder(root: string): Promise<string> {
  try {
    const real = await fsp.realpath(root);
    if (!(await fsp.stat(real)).isDirectory()) throw new CheckRequestError(`${root} is not a folder`);
    return real;
  } catch (error) {
    if (error instanceof CheckRequestError) throw error;
    throw new CheckRequestError(`${root} does not exist`);
  }
}

const SKIPPED_FOLDERS = /(?:^|\/)(?:\.git|node_modules)\//;

async function listFiles(root: string, useGit: boolean, signal?: AbortSignal): Promise<{ files: string[]; tracked: Set<string> }> {
  const files: string[] = [];
  const isGit = useGit && await listGitFiles(root, (batch) => {
    for (const file of batch) files.push(file);
  }, signal);
  throwIfAborted(signal);
  if (!isGit) {
    const walked = await walkFiles(root, { requireGit: false, ...(signal ? { signal } : {}) });
    return { files: walked.filter((f) => !SKIPPED_FOLDERS.test(f)), tracked: new Set() };
  }
  const trackedOutput = await runGit(root, ['ls-files', '-z', '--cached'], signal);
  return { files, tracked: new Set((trackedOutput ?? '').split('\0').filter((f) => f !== '')) };
}

/** The listed files under the requested paths; a file named explicitly is checked even when git ignores it. */
async function selectFiles(root: string, listed: readonly string[], paths: readonly string[] | undefined): Promise<string[]> {
  if (paths === undefined || paths.length === 0) return [...listed];
  const chosen = new Set<string>();
  for (const requested of paths) {
    const relative = path.relative(root, path.resolve(root, requested)).split(path.sep).join('/');
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new CheckRequestError(`${requested} is outside ${root}`);
    let stat;
    try {
      stat = await fsp.stat(path.join(root, relative));
    } catch {
      throw new CheckRequestError(`${requested} does not exist`);
    }
    if (relative === '') return [...listed];
    if (stat.isDirectory()) {
      for (const file of listed) if (file.startsWith(`${relative}/`)) chosen.add(file);
    } else chosen.add(relative);
  }
  return [...chosen].sort(compareUtf8);
}

async function readCandidate(root: string, file: string): Promise<{ text: string } | { reason: string }> {
  try {
    const handle = await fsp.open(path.join(root, file), 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) return { reason: 'not a regular file' };
      if (stat.size > MAX_CHECKED_FILE_BYTES) return { reason: `larger than ${MAX_CHECKED_FILE_BYTES / 1024 / 1024} MiB` };
      const text = await handle.readFile('utf8');
      if (text.includes('\0')) return { reason: 'binary content' };
      return { text };
    } finally {
      await handle.close();
    }
  } catch (error) {
    const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : String(error);
    return { reason: `unreadable (${code})` };
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    const error = new Error('the check was cancelled');
    error.name = 'AbortError';
    throw error;
  }
}

async function runGit(folder: string, args: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', [...args], { cwd: folder, maxBuffer: 1 << 30, encoding: 'utf8', ...(signal ? { signal } : {}) }, (error, stdout) => {
      resolve(error ? undefined : stdout);
    });
  });
}

/** Names of the workspace configuration files, for watchers that re-run checks when one changes. */
export const CHECK_CONFIG_FILE_NAMES: readonly string[] = CHECK_CONFIG_FILES;
