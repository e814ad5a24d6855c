import * as path from 'node:path';
import type { ReadSet } from '../session/readSet';
import type { Root } from './citationPaths';
import { candidatePaths, insideSomeRoot } from './citationPaths';
import type { FileLookup, IndexedFile } from './lineIndexCache';
import { LineIndexCache, MISSING } from './lineIndexCache';
import type { Citation } from './parseCitations';
import { locateFencedQuote, locateInlineQuote } from './quoteMatching';
import { WorkspaceFileList } from './workspaceFiles';

export type CitationStatus =
  | 'verified'
  | 'missing-file'
  | 'line-out-of-range'
  | 'quote-mismatch'
  | 'line-drift'
  | 'outside-workspace'
  | 'unread'
  | 'ambiguous';

/** What a verified citation was checked against: its quoted code, or (no quote given) only that the lines exist. */
export type VerifiedBy = 'quote' | 'line';

export interface CitationCheck {
  readonly citation: Citation;
  readonly status: CitationStatus;
  /** Why, in words the model and the user can act on: "line 300 out of range, file has 120 lines". */
  readonly message: string;
  /** Real path of the cited file (for a missing file: where it was looked for). */
  readonly absolutePath?: string;
  /** line-out-of-range: how many lines the file has (other statuses do not count them all). */
  readonly lineCount?: number;
  /** line-drift: where the quoted code really is. */
  readonly actualStartLine?: number;
  readonly actualEndLine?: number;
  /** verified: whether quoted code matched or only the lines exist. */
  readonly verifiedBy?: VerifiedBy;
  /** ambiguous: workspace paths of the files a bare name or path suffix could mean. */
  readonly candidates?: readonly string[];
  /** A bare name or path suffix was resolved to this workspace path (relative to its folder). */
  readonly resolvedPath?: string;
}

export interface VerifyCitationsOptions {
  /** Workspace folders; the first is where relative paths start. */
  readonly roots: readonly string[];
  /** What the session has read (keys are real absolute paths); without it nothing is `unread`. */
  readonly readSet?: ReadSet;
  /** Share one per turn so each file is read once. */
  readonly cache?: LineIndexCache;
  /** The workspace's files, to resolve bare names and path suffixes; share one per turn. Listed on first need. */
  readonly files?: WorkspaceFileList;
  /** How many lines around the cited ones a quote is looked for before it counts as a mismatch. */
  readonly driftWindow?: number;
}


const DEFAULT_DRIFT_WINDOW = 15;
/** Verification runs synchronous file reads; it yields this often so an editor stays responsive. */
const SLICE_MS = 8;

/**
 * Checks each citation against the files, in this order: inside the workspace, the file exists, the lines exist, the
 * quoted code is at those lines (or nearby: drift), and the session read the file. The first failure is reported.
 */
/**
 * Checks each citation against the files, in this order: inside the workspace, the file exists (a bare name or path
 * suffix that is not there is resolved against the workspace's files), the lines exist, the quoted code is at those
 * lines (or nearby: drift), and the session read the file. The first failure is reported.
 */
export async function verifyCitations(citations: readonly Citation[], options: VerifyCitationsOptions): Promise<CitationCheck[]> {
  const cache = options.cache ?? new LineIndexCache();
  const driftWindow = Math.max(0, options.driftWindow ?? DEFAULT_DRIFT_WINDOW);
  const roots: Root[] = options.roots.map((root) => {
    const lexical = path.resolve(root);
    return { lexical, real: cache.realPath(lexical) ?? lexical, name: path.basename(lexical) };
  });
  let files = options.files;
  const checks: CitationCheck[] = [];
  let sliceStart = Date.now();
  for (let i = 0; i < citations.length; i++) {
    const citation = citations[i] as Citation;
    const target = resolveTarget(citation.path, roots, cache);
    if (!(target instanceof PathFailure)) {
      checks.push(checkLines(citation, target, options.readSet, driftWindow));
    } else if (target.status === 'missing-file' && target.lookup === 'missing' && !path.isAbsolute(citation.path)) {
      files ??= new WorkspaceFileList(options.roots);
      checks.push(await resolveByName(citation, target, roots, cache, files, options.readSet, driftWindow));
    } else {
      checks.push(checkOf(citation, target.status, target.message, target.absolutePath));
    }
    if ((i & 31) === 31 && Date.now() - sliceStart > SLICE_MS) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStart = Date.now();
    }
  }
  return checks;
}

/** Every check has the same shape (absent fields are undefined), which keeps property access fast. */
function checkOf(citation: Citation, status: CitationStatus, message: string, absolutePath?: string, lineCount?: number, actual?: { start: number; end: number }, verifiedBy?: VerifiedBy): CitationCheck {
  return { citation, status, message, absolutePath, lineCount, actualStartLine: actual?.start, actualEndLine: actual?.end, verifiedBy, candidates: undefined, resolvedPath: undefined };
}

/** Why a cited path leads to no readable file inside the workspace: outside it, missing, a folder or unreadable. */
class PathFailure {
  constructor(readonly status: CitationStatus, readonly message: string, readonly absolutePath?: string, readonly lookup?: FileLookup['kind']) {}
}

/** What a cited path leads to. */
type Target = IndexedFile | PathFailure;

function resolveTarget(shown: string, roots: readonly Root[], cache: LineIndexCache): Target {
  if (roots.length === 0) return new PathFailure('outside-workspace', `${shown} cannot be checked: no workspace folder is open`);
  const candidates = candidatePaths(shown, roots);
  if (candidates.length === 0) return new PathFailure('outside-workspace', `${shown} is outside the workspace folder${roots.length > 1 ? 's' : ''}`);
  let lookup: FileLookup = MISSING;
  let absolutePath = candidates[0] as string;
  for (const candidate of candidates) {
    lookup = cache.lookup(candidate);
    absolutePath = candidate;
    if (lookup.kind !== 'missing') break;
  }
  if (lookup.kind === 'missing') return new PathFailure('missing-file', `${shown} does not exist`, absolutePath, 'missing');
  const realPath = lookup.kind === 'file' ? lookup.file.realPath : lookup.realPath;
  if (!insideSomeRoot(roots, realPath)) {
    return new PathFailure('outside-workspace', `${shown} resolves through a symbolic link to ${realPath}, outside the workspace`, realPath);
  }
  if (lookup.kind === 'directory') return new PathFailure('missing-file', `${shown} is a folder, not a file`, realPath);
  if (lookup.kind === 'unreadable') return new PathFailure('missing-file', `${shown} cannot be read (${lookup.reason})`, realPath);
  return lookup.file;
}

/**
 * A cited path that is not there from any workspace folder may be a bare name or the end of a path: one file in the
 * workspace ending with it is checked as the cited file; of several, the only one whose cited lines hold the quoted
 * code is; otherwise the citation is ambiguous (never verified), listing the candidates.
 */
async function resolveByName(citation: Citation, missing: PathFailure, roots: readonly Root[], cache: LineIndexCache, files: WorkspaceFileList, readSet: ReadSet | undefined, driftWindow: number): Promise<CitationCheck> {
  const found: { file: IndexedFile; shown: string }[] = [];
  for (const candidate of await files.matching(citation.path)) {
    const target = resolveTarget(candidate, roots, cache);
    if (!(target instanceof PathFailure)) found.push({ file: target, shown: workspacePath(roots, candidate) });
  }
  if (found.length === 0) return checkOf(citation, missing.status, missing.message, missing.absolutePath);
  let chosen = found.length === 1 ? found[0] : undefined;
  if (chosen === undefined && citation.quote !== undefined) {
    const holding = found.filter(({ file }) => checkLines(citation, file, undefined, 0).status === 'verified');
    if (holding.length === 1) chosen = holding[0];
  }
  if (chosen === undefined) {
    const names = found.map((f) => f.shown);
    const why = citation.quote === undefined ? 'no quoted code to tell them apart' : 'the quoted code does not single one out';
    return { ...checkOf(citation, 'ambiguous', `${citation.path} matches ${names.length} files (${names.join(', ')}); ${why}: cite the path from the workspace folder`), candidates: names };
  }
  const check = checkLines(citation, chosen.file, readSet, driftWindow);
  return { ...check, message: `${citation.path} is ${chosen.shown}: ${check.message}`, resolvedPath: chosen.shown };
}

/** A file's path as the user sees it: relative to its workspace folder, prefixed by the folder's name in a multi-root workspace. */
function workspacePath(roots: readonly Root[], absolute: string): string {
  for (const root of roots) {
    const relative = path.relative(root.lexical, absolute);
    if (relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)) {
      const shown = relative.split(path.sep).join('/');
      return roots.length > 1 ? `${root.name}/${shown}` : shown;
    }
  }
  return absolute;
}

function checkLines(citation: Citation, file: IndexedFile, readSet: ReadSet | undefined, driftWindow: number): CitationCheck {
  const realPath = file.realPath;
  const { startLine, endLine } = citation;
  if (endLine < startLine || startLine < 1 || !file.hasLine(endLine)) {
    const count = file.lineCount;
    const has = `file has ${count} line${count === 1 ? '' : 's'}`;
    const lines = lineRange(startLine, endLine);
    return checkOf(citation, 'line-out-of-range', endLine < startLine ? `${lines} is a reversed range, ${has}` : `${lines} out of range, ${has}`, realPath, count);
  }

  if (citation.quote !== undefined) {
    const found = citation.quoteKind === 'fenced'
      ? locateFencedQuote(file, startLine, endLine, citation.quote, driftWindow)
      : locateInlineQuote(file, startLine, endLine, citation.quote, driftWindow);
    if (found === 'mismatch') {
      return checkOf(citation, 'quote-mismatch', `the quoted code is not at ${lineRange(startLine, endLine)} (nor within ${driftWindow} lines of ${startLine === endLine ? 'it' : 'them'})`, realPath);
    }
    if (found !== 'match') {
      return checkOf(citation, 'line-drift', `the quoted code is at ${lineRange(found.start, found.end)}, not ${lineRange(startLine, endLine)}`, realPath, undefined, found);
    }
  }
  if (readSet !== undefined && !readSet.has(realPath)) return checkOf(citation, 'unread', `${citation.path} was never read in this session`, realPath);
  // One string per check: these are built ten thousand times for a long answer.
  if (citation.quote === undefined) return checkOf(citation, 'verified', startLine === endLine ? `line ${startLine} exists` : `lines ${startLine}-${endLine} exist`, realPath, undefined, undefined, 'line');
  return checkOf(citation, 'verified', startLine === endLine ? `the quoted code is at line ${startLine}` : `the quoted code is at lines ${startLine}-${endLine}`, realPath, undefined, undefined, 'quote');
}

function lineRange(start: number, end: number): string {
  return start === end ? `line ${start}` : `lines ${start}-${end}`;
}
