import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { ConfinedPath } from '../../policy/confinement';
import { defaultDeniedReason, PathRefusedError, resolveConfinedPath, workspaceDisplayPath } from '../../policy/confinement';
import type { GrepPattern } from './grepPattern';
import { translateGrepPattern } from './grepPattern';
import type { GrepFileHits, GrepLimit, GrepOutcome, GrepOutputMode, GrepRequest } from './grepSearch';
import { entriesOf } from './grepSearch';
import { searchWithNode } from './nodeGrepSearch';
import { formatCount, linesWithinBudget } from '../framework/resultBudget';
import { locateRipgrep, RipgrepUnavailableError, searchWithRipgrep } from './ripgrepSearch';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface GrepInput {
  readonly pattern: GrepPattern;
  readonly path?: string;
  readonly glob?: string;
  readonly context: number;
  readonly outputMode: GrepOutputMode;
}

const FIELDS = ['pattern', 'path', 'glob', 'case_insensitive', 'context', 'output_mode'] as const;
const OUTPUT_MODES: readonly GrepOutputMode[] = ['content', 'files_with_matches', 'count'];
const MAX_CONTEXT = 10;
/** Longest line shown; longer lines show a window around the first match. */
const MAX_SHOWN_LINE_CHARS = 400;
/** The first search collects up to this many times maxGrepMatches before it settles for the first ones in path order. */
const COLLECT_FACTOR = 20;

/** Forces the search engine, for tests and benchmarks; the tool picks ripgrep when it can. */
export type GrepEngine = 'auto' | 'node';

function parseGrepInput(input: unknown): GrepInput {
  const fields = new ToolInputFields('Grep', input, '{"pattern": "TODO", "glob": "**/*.ts"}');
  rejectUnknownFields('Grep', input, FIELDS);
  const raw = fields.raw('pattern');
  if (raw === undefined) throw new ToolInputError('Grep: "pattern" is required: a regular expression (ripgrep syntax) to search for.');
  if (typeof raw !== 'string') throw new ToolInputError('Grep: "pattern" must be a string.');
  if (raw.includes('\u0000')) throw new ToolInputError('Grep: "pattern" must not contain NUL characters.');
  const caseInsensitive = fields.optionalBoolean('case_insensitive') ?? false;
  const pattern = translateGrepPattern(raw, caseInsensitive);
  const searchPath = fields.optionalString('path');
  const glob = fields.optionalString('glob');
  if (glob !== undefined && (glob.includes('\n') || glob.trim() !== glob)) throw new ToolInputError('Grep: "glob" must be one glob such as "**/*.ts" or "!**/test/**", without spaces around it.');
  const context = fields.optionalInteger('context', 0, MAX_CONTEXT) ?? 0;
  const modeRaw = fields.raw('output_mode');
  const outputMode = modeRaw === undefined ? 'content' : fields.requiredChoice('output_mode', OUTPUT_MODES);
  if (context > 0 && outputMode !== 'content') throw new ToolInputError('Grep: "context" only applies to output_mode "content".');
  return { pattern, context, outputMode, ...(searchPath !== undefined ? { path: searchPath } : {}), ...(glob !== undefined ? { glob } : {}) };
}

/** Where one search runs, and how its paths are shown. */
interface SearchTarget {
  readonly request: Omit<GrepRequest, 'pattern' | 'context' | 'mode' | 'signal' | 'glob'>;
  readonly root: string;
  /** Workspace-relative path of request.folder ('.' for a root). */
  readonly folderRelative: string;
  /** Display prefix of request.folder ('' for a single root). */
  readonly displayFolder: string;
}

interface LocatedHits {
  readonly target: SearchTarget;
  readonly hits: GrepFileHits;
}

/** Runs one Grep call with the given engine choice; the tool's run() uses 'auto'. */
export async function runGrep(input: GrepInput, ctx: ToolContext, engine: GrepEngine = 'auto'): Promise<ToolResult> {
  let targets: SearchTarget[];
  try {
    targets = await searchTargets(input, ctx);
  } catch (error) {
    if (error instanceof PathRefusedError || error instanceof ToolInputError) return { ok: false, text: error.message };
    throw error;
  }
  const cap = Math.max(1, ctx.limits.maxGrepMatches);
  const ripgrep = engine === 'node' ? undefined : locateRipgrep(ctx.environment.ripgrepPath);
  const search = async (target: SearchTarget, limit: GrepLimit): Promise<GrepOutcome> => {
    const request: GrepRequest = {
      ...target.request, pattern: input.pattern, context: input.context, mode: input.outputMode, signal: ctx.signal,
      ...(input.glob !== undefined ? { glob: input.glob } : {}),
    };
    if (ripgrep !== undefined) {
      try {
        return await searchWithRipgrep(ripgrep, request, limit);
      } catch (error) {
        if (!(error instanceof RipgrepUnavailableError)) throw error;
      }
    }
    return searchWithNode(request, limit);
  };
  const collect = async (maxEntries: number, ordered: boolean): Promise<{ found: LocatedHits[]; complete: boolean }> => {
    const found: LocatedHits[] = [];
    let entries = 0;
    for (const target of targets) {
      const outcome = await search(target, { maxEntries: maxEntries - entries, ordered });
      for (const hits of outcome.files) {
        found.push({ target, hits });
        entries += entriesOf(hits, input.outputMode);
      }
      if (!outcome.complete) return { found, complete: false };
    }
    return { found, complete: true };
  };
  const ceiling = cap * COLLECT_FACTOR;
  const first = await collect(ceiling, false);
  const complete = first.complete;
  // Too many to sort them all: search again in path order and keep the first ones, so the answer is deterministic.
  const found = complete ? first.found : (await collect(cap, true)).found;
  const denied = new Set(found.filter((f) => deniedReasonOf(f) !== undefined));
  const shown = found.filter((f) => !denied.has(f));
  return { ok: true, text: formatGrepResult(input, ctx, shown, complete, ceiling, cap, denied.size) };
}

function deniedReasonOf(located: LocatedHits): string | undefined {
  const relative = joinRelative(located.target.folderRelative, located.hits.path);
  const target: ConfinedPath = { absolute: path.join(located.target.request.folder, located.hits.path), root: located.target.root, relative, exists: true };
  return defaultDeniedReason(target);
}

function joinRelative(folder: string, file: string): string {
  return folder === '.' || folder === '' ? file : `${folder}/${file}`;
}

async function searchTargets(input: GrepInput, ctx: ToolContext): Promise<SearchTarget[]> {
  if (ctx.roots.length === 0) throw new ToolInputError('Grep: no workspace folder is open, so there is nothing to search.');
  if (input.path === undefined) {
    return ctx.roots.map((root) => ({
      request: { folder: root }, root, folderRelative: '.', displayFolder: ctx.roots.length > 1 ? path.basename(root) : '',
    }));
  }
  const target = await resolveConfinedPath(ctx.roots, input.path);
  const shown = workspaceDisplayPath(target, ctx.roots);
  const stat = await fs.stat(target.absolute).catch(() => undefined);
  if (stat === undefined) throw new ToolInputError(`Grep: ${shown} does not exist; use Glob to find the right path.`);
  if (stat.isDirectory()) {
    return [{ request: { folder: target.absolute }, root: target.root, folderRelative: target.relative, displayFolder: shown === '.' ? '' : shown }];
  }
  const denied = defaultDeniedReason(target);
  if (denied !== undefined) throw new PathRefusedError(`Denied: ${denied}. Files on the secret deny list are never opened by the agent.`);
  const parentRelative = path.posix.dirname(target.relative);
  const parentShown = path.posix.dirname(shown);
  return [{
    request: { folder: path.dirname(target.absolute), file: path.basename(target.absolute) },
    root: target.root, folderRelative: parentRelative, displayFolder: parentShown === '.' ? '' : parentShown,
  }];
}

function formatGrepResult(
  input: GrepInput, ctx: ToolContext, found: readonly LocatedHits[], complete: boolean, ceiling: number, cap: number, deniedFiles: number,
): string {
  const where = input.path === undefined ? 'the workspace' : input.path;
  const totalEntries = found.reduce((sum, f) => sum + entriesOf(f.hits, input.outputMode), 0);
  const deniedNote = deniedFiles > 0 ? `\n(${deniedFiles} matching file${deniedFiles > 1 ? 's' : ''} on the secret deny list left out.)` : '';
  if (found.length === 0) {
    const caseHint = !input.pattern.caseInsensitive && /[A-Z]/.test(input.pattern.source) ? ' The search is case-sensitive; set case_insensitive to true to ignore case.' : '';
    const globHint = input.glob !== undefined ? ` Only files matching the glob ${input.glob} were searched.` : '';
    return `No matches for /${input.pattern.source}/ in ${where}.${caseHint}${globHint} Ignored files (.gitignore) and binary files are not searched.${deniedNote}`;
  }
  const unit = input.outputMode === 'content' ? 'matching line' : 'file';
  const kept = keepFirstEntries(found, input, cap);
  const keptEntries = kept.reduce((sum, f) => sum + entriesOf(f.hits, input.outputMode), 0);
  const body: string[] = [];
  const display = (located: LocatedHits): string => {
    const prefix = located.target.displayFolder;
    return prefix === '' ? located.hits.path : `${prefix}/${located.hits.path}`;
  };
  if (input.outputMode === 'content') {
    let previous: { file: LocatedHits; line: number } | undefined;
    for (const located of kept) {
      const shownPath = display(located);
      for (const line of located.hits.lines) {
        if (input.context > 0 && previous !== undefined && (previous.file !== located || line.line > previous.line + 1)) body.push('--');
        body.push(`${shownPath}${line.match ? ':' : '-'}${line.line}${line.match ? ':' : '-'} ${shownLine(line.text, input.pattern.regex)}`);
        previous = { file: located, line: line.line };
      }
    }
  } else {
    for (const located of kept) body.push(input.outputMode === 'count' ? `${display(located)}:${located.hits.count}` : display(located));
  }
  const totalMatchingLines = found.reduce((sum, f) => sum + f.hits.count, 0);
  let header: string;
  if (!complete) {
    header = `More than ${formatCount(ceiling)} ${unit}s match /${input.pattern.source}/ in ${where}; the first ${formatCount(keptEntries)} in path order:`;
  } else if (input.outputMode === 'files_with_matches') {
    header = `${formatCount(found.length)} file${found.length === 1 ? '' : 's'} match /${input.pattern.source}/ in ${where}${keptEntries < totalEntries ? `; the first ${formatCount(keptEntries)} in path order` : ''}:`;
  } else {
    header = `${formatCount(totalMatchingLines)} matching line${totalMatchingLines === 1 ? '' : 's'} in ${formatCount(found.length)} file${found.length === 1 ? '' : 's'} for /${input.pattern.source}/ in ${where}${keptEntries < totalEntries ? `; the first ${formatCount(keptEntries)} ${unit}s in path order` : ''}:`;
  }
  const notes: string[] = [];
  if (!complete) {
    notes.push(`… more ${unit}s not shown (over ${formatCount(ceiling)} in all): narrow the pattern, path or glob${input.outputMode === 'content' ? ', or use output_mode "files_with_matches"' : ''}.`);
  } else if (keptEntries < totalEntries) {
    const lastKeptIsPartial = kept.length > 0 && kept[kept.length - 1]?.hits !== found[kept.length - 1]?.hits;
    const moreFiles = found.length - kept.length + (lastKeptIsPartial ? 1 : 0);
    notes.push(`… ${formatCount(totalEntries - keptEntries)} more ${unit}s${input.outputMode === 'content' ? ` in ${formatCount(moreFiles)} more file${moreFiles === 1 ? '' : 's'}` : ''} not shown (limit ${formatCount(cap)}): narrow the pattern, path or glob.`);
  }
  const fits = linesWithinBudget(body, ctx.limits.maxResultChars, header.length + 1);
  if (fits < body.length) {
    notes.unshift(`… output cut at ${formatCount(ctx.limits.maxResultChars)} characters: ${formatCount(body.length - fits)} more lines not shown; narrow the search${input.outputMode === 'content' ? ' or use output_mode "files_with_matches"' : ''}.`);
  }
  return [header, ...body.slice(0, fits), ...notes].join('\n') + deniedNote;
}

/** The first `cap` entries in path order; in content mode the last kept match keeps its after-context lines. */
function keepFirstEntries(found: readonly LocatedHits[], input: GrepInput, cap: number): LocatedHits[] {
  const kept: LocatedHits[] = [];
  let entries = 0;
  for (const located of found) {
    const size = entriesOf(located.hits, input.outputMode);
    if (entries + size <= cap) {
      kept.push(located);
      entries += size;
      if (entries === cap) break;
      continue;
    }
    if (input.outputMode !== 'content') break;
    const room = cap - entries;
    let matches = 0;
    let lastMatchLine = 0;
    let nextMatchLine = Number.POSITIVE_INFINITY;
    for (const line of located.hits.lines) {
      if (!line.match) continue;
      matches++;
      if (matches === room) lastMatchLine = line.line;
      if (matches === room + 1) {
        nextMatchLine = line.line;
        break;
      }
    }
    const lines = located.hits.lines.filter((l) => l.line <= lastMatchLine || (l.line <= lastMatchLine + input.context && l.line < nextMatchLine));
    kept.push({ target: located.target, hits: { path: located.hits.path, count: room, lines } });
    break;
  }
  return kept;
}

/** The line without its '\r'; a long line shows a window around its first match. */
function shownLine(text: string, regex: RegExp): string {
  const line = text.endsWith('\r') ? text.slice(0, -1) : text;
  if (line.length <= MAX_SHOWN_LINE_CHARS) return line;
  const at = regex.exec(line)?.index ?? 0;
  const start = Math.max(0, Math.min(at - 100, line.length - MAX_SHOWN_LINE_CHARS));
  const end = start + MAX_SHOWN_LINE_CHARS;
  return `${start > 0 ? '…' : ''}${line.slice(start, end)}${end < line.length ? ` … [${formatCount(line.length - end)} more characters]` : ''}`;
}

export const grepTool: Tool<GrepInput> = {
  name: 'Grep',
  id: 'devops_grep',
  description:
    'Search file contents with a regular expression (ripgrep syntax) across the workspace or under `path`. ' +
    'Output: `path:line: text` per matching line (context lines as `path-line- text`, groups separated by `--`), sorted by path; ' +
    'output_mode "files_with_matches" lists files, "count" gives matching lines per file. `glob` filters files (e.g. "**/*.yml", "!**/test/**"). ' +
    'Honours .gitignore; searches hidden files such as .github/ but never .git/; skips binary files. ' +
    'Lines are searched one at a time (no \\n, look-around or backreferences). Results stop at a limit and say how to narrow them.',
  inputSchema: {
    type: 'object',
    properties: {
      pattern: { type: 'string', description: 'Regular expression, ripgrep (Rust) syntax, e.g. "FROM\\s+node:" or "TODO|FIXME". Escape ( ) [ ] { } . * + ? | ^ $ \\ to match them literally.' },
      path: { type: 'string', description: 'Folder or file to search, relative to the workspace folder. Default: the whole workspace.' },
      glob: { type: 'string', description: 'Only files matching this glob (gitignore syntax, relative to path), e.g. "*.ts", "**/Dockerfile*", "!**/*.min.js".' },
      case_insensitive: { type: 'boolean', description: 'Ignore case (default false).' },
      context: { type: 'integer', minimum: 0, maximum: MAX_CONTEXT, description: 'Lines of context before and after each match (content mode only).' },
      output_mode: { type: 'string', enum: [...OUTPUT_MODES], description: 'content (default): matching lines; files_with_matches: file paths; count: matching lines per file.' },
    },
    required: ['pattern'],
    additionalProperties: false,
  },
  risk: 'read',
  parse: parseGrepInput,
  riskOf: () => 'read',
  subjectOf: (input) => input.path ?? '.',
  pathsOf: (input) => (input.path === undefined ? [] : [input.path]),
  async preview(input: GrepInput): Promise<ToolPreview> {
    return {
      title: `Grep /${input.pattern.source}/${input.path !== undefined ? ` in ${input.path}` : ''}`,
      detail: `Search for \`${input.pattern.source}\`${input.glob !== undefined ? ` in files matching \`${input.glob}\`` : ''}${input.path !== undefined ? ` under \`${input.path}\`` : ' in the workspace'}.`,
    };
  },
  run: (input, ctx) => runGrep(input, ctx),
};
