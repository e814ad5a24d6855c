import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { DoraError } from './doraError';

/** The whole commit graph of a repository (every ref), as read by one `git log --all`. */
export interface CommitGraph {
  /** Full hashes; a commit's number is its position here. */
  readonly shas: readonly string[];
  /** Full hash → commit number. */
  readonly numberOf: ReadonlyMap<string, number>;
  /** Parent numbers per commit; parents missing from the history (shallow boundary) are left out. */
  readonly parents: readonly (readonly number[])[];
  /** How many parents each commit names (missing ones included), so merges are known even at a boundary. */
  readonly parentCounts: readonly number[];
  /** Committer dates, seconds since the epoch. */
  readonly committerTimes: readonly number[];
  /** Subject lines of merge commits only (the deployment name in merges mode). */
  readonly mergeSubjects: ReadonlyMap<number, string>;
  /** Lower-case hashes (full or abbreviated) named by `This reverts commit <sha>` in each commit's message. */
  readonly revertedShas: ReadonlyMap<number, readonly string[]>;
}

export interface TagRef {
  /** Short name, e.g. v2.45.0. */
  readonly name: string;
  readonly commitSha: string;
  /** Tagger date of an annotated tag (seconds); undefined for a lightweight tag. */
  readonly taggerTime?: number;
}

export interface RepositoryRefs {
  readonly tags: readonly TagRef[];
  /** Full ref name (refs/heads/main, refs/remotes/origin/main) → commit. */
  readonly branches: ReadonlyMap<string, string>;
  /** The raw listing of tags and branches: identical text means identical figures, so it keys the cache. */
  readonly listing: string;
}

export interface RepositoryLocation {
  readonly gitDir: string;
  readonly shallow: boolean;
}

// Commit, then parents on the first line; committer date; the whole message. -z separates commits with NUL.
export const GIT_LOG_ARGS: readonly string[] = ['log', '--all', '-z', '--format=%H %P%n%ct%n%B'];
// Only tags and branches decide the figures; other refs (refs/pull/*, notes, stash) would only slow the listing.
export const GIT_REFS_ARGS: readonly string[] = [
  'for-each-ref',
  '--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objecttype)%00%(*objectname)%00%(taggerdate:unix)',
  'refs/tags',
  'refs/heads',
  'refs/remotes',
];
const REVERT_REFERENCE = /This reverts commit ([0-9a-fA-F]{4,40})\b/g;

/** Runs git in `cwd` and returns stdout; a non-zero exit becomes an Error carrying git's stderr. */
export async function runGit(cwd: string, args: readonly string[], signal?: AbortSignal): Promise<string> {
  let output = '';
  await runGitStreaming(cwd, args, (text) => { output += text; }, signal);
  return output;
}

export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(readonly args: readonly string[], readonly exitCode: number | null, readonly stderr: string) {
    super(`git ${args[0] ?? ''} exited with ${exitCode ?? 'a signal'}: ${stderr || '(no message)'}`);
  }
}

/** Finds the repository containing `root` (a work tree or a bare repository) and whether it is shallow. */
export async function locateRepository(root: string, signal?: AbortSignal): Promise<RepositoryLocation> {
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new DoraError('not-a-repository', `${root} is not a folder.`, 'Pass --root DIR with the folder of a git repository (a clone or a bare repository).');
  }
  let output: string;
  try {
    output = await runGit(root, ['rev-parse', '--absolute-git-dir', '--is-shallow-repository'], signal);
  } catch (error) {
    if (error instanceof GitCommandError && /not a git repository/i.test(error.stderr)) {
      throw new DoraError('not-a-repository', `${root} is not in a git repository, so there is no history to measure.`, 'Run it in a clone of the repository (git clone URL), or pass --root DIR with a repository folder.');
    }
    if (error instanceof GitCommandError) throw new DoraError('git-failed', `git could not read ${root}: ${error.stderr}`, 'Check that git can read the repository (git status in that folder).');
    throw new DoraError('git-failed', `git could not be started: ${error instanceof Error ? error.message : String(error)}.`, 'Install git and make sure it is on PATH.');
  }
  const [gitDir, shallow] = output.trim().split('\n');
  return { gitDir: gitDir ?? root, shallow: shallow === 'true' };
}

/** Every ref with the commit it points at; tags peeled to their commit, with the tagger date when annotated. */
export async function readRefs(gitDir: string, signal?: AbortSignal): Promise<RepositoryRefs> {
  const listing = await runGit(gitDir, GIT_REFS_ARGS, signal);
  return parseRefListing(listing);
}

export function parseRefListing(listing: string): RepositoryRefs {
  const tags: TagRef[] = [];
  const branches = new Map<string, string>();
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    const [refName = '', type, sha = '', peeledType, peeledSha = '', taggerDate = ''] = line.split('\0');
    if (refName.startsWith('refs/tags/')) {
      const name = refName.slice('refs/tags/'.length);
      if (type === 'commit') tags.push({ name, commitSha: sha });
      // Tags of trees or blobs (and tags of tags) name no commit, so they are no deployment.
      else if (type === 'tag' && peeledType === 'commit') {
        const tagger = Number.parseInt(taggerDate, 10);
        tags.push({ name, commitSha: peeledSha, ...(Number.isFinite(tagger) ? { taggerTime: tagger } : {}) });
      }
    } else if (type === 'commit' && (refName.startsWith('refs/heads/') || refName.startsWith('refs/remotes/'))) {
      branches.set(refName, sha);
    }
  }
  return { tags, branches, listing };
}

/** Reads every commit reachable from any ref in one `git log --all`. */
export async function readCommitGraph(gitDir: string, signal?: AbortSignal): Promise<CommitGraph> {
  const parser = new CommitLogParser();
  try {
    // Parsed as it streams, so the walk in process overlaps with git writing the log.
    await runGitStreaming(gitDir, GIT_LOG_ARGS, (text) => parser.push(text), signal);
  } catch (error) {
    // An empty repository has no commits to log; git says so instead of printing nothing.
    if (error instanceof GitCommandError && /does not have any commits|bad default revision/i.test(error.stderr)) return new CommitLogParser().finish();
    throw error;
  }
  return parser.finish();
}

/** Runs git and hands its stdout on as text while it arrives; a non-zero exit becomes a GitCommandError. */
function runGitStreaming(cwd: string, args: readonly string[], onText: (text: string) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], {
      cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', GIT_OPTIONAL_LOCKS: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal ? { signal } : {}),
    });
    const decoder = new StringDecoder('utf8');
    const err: Buffer[] = [];
    let failure: unknown;
    child.stdout.on('data', (chunk: Buffer) => {
      if (failure !== undefined) return;
      try {
        onText(decoder.write(chunk));
      } catch (error) {
        failure = error;
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (failure !== undefined) reject(failure);
      else if (code === 0) {
        onText(decoder.end());
        resolve();
      } else reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8').trim()));
    });
  });
}

export function parseCommitLog(output: string): CommitGraph {
  const parser = new CommitLogParser();
  parser.push(output);
  return parser.finish();
}

/** Parses `git log -z --format=%H %P%n%ct%n%B` output pushed in pieces of any size. */
export class CommitLogParser {
  private readonly shas: string[] = [];
  private readonly parentShas: string[][] = [];
  private readonly committerTimes: number[] = [];
  private readonly mergeSubjects = new Map<number, string>();
  private readonly revertedShas = new Map<number, string[]>();
  private pending = '';

  push(text: string): void {
    // Only the new text is searched, so a huge message arriving in many pieces stays linear.
    const lastEnd = text.lastIndexOf('\0');
    if (lastEnd === -1) {
      this.pending += text;
      return;
    }
    this.parseRecords(this.pending + text.slice(0, lastEnd + 1));
    this.pending = text.slice(lastEnd + 1);
  }

  finish(): CommitGraph {
    if (this.pending !== '') this.parseRecords(this.pending);
    this.pending = '';
    const numberOf = new Map<string, number>();
    this.shas.forEach((sha, i) => numberOf.set(sha, i));
    const parents = this.parentShas.map((list) => list.map((p) => numberOf.get(p)).filter((p): p is number => p !== undefined));
    return { shas: this.shas, numberOf, parents, parentCounts: this.parentShas.map((list) => list.length), committerTimes: this.committerTimes, mergeSubjects: this.mergeSubjects, revertedShas: this.revertedShas };
  }

  /** Whole records only: every one ends with NUL, except perhaps the last of the output. */
  private parseRecords(output: string): void {
    // One scan for revert references over the block; each is then given to the commit whose message holds it.
    const reverts = [...output.matchAll(REVERT_REFERENCE)];
    let nextRevert = 0;
    let start = 0;
    while (start < output.length) {
      let end = output.indexOf('\0', start);
      if (end === -1) end = output.length;
      const firstBreak = output.indexOf('\n', start);
      if (firstBreak === -1 || firstBreak > end) {
        start = end + 1;
        continue;
      }
      const secondBreak = output.indexOf('\n', firstBreak + 1);
      const timeEnd = secondBreak === -1 || secondBreak > end ? end : secondBreak;
      const index = this.shas.length;
      const header = output.slice(start, firstBreak);
      const space = header.indexOf(' ');
      this.shas.push(space === -1 ? header : header.slice(0, space));
      const parents = space === -1 || space === header.length - 1 ? [] : header.slice(space + 1).split(' ').filter((p) => p !== '');
      this.parentShas.push(parents);
      this.committerTimes.push(Number.parseInt(output.slice(firstBreak + 1, timeEnd), 10));
      if (parents.length > 1 && timeEnd < end) {
        const subjectEnd = output.indexOf('\n', timeEnd + 1);
        this.mergeSubjects.set(index, output.slice(timeEnd + 1, subjectEnd === -1 || subjectEnd > end ? end : subjectEnd));
      }
      while (nextRevert < reverts.length && (reverts[nextRevert]?.index ?? 0) < end) {
        const match = reverts[nextRevert] as RegExpMatchArray;
        if ((match.index ?? 0) > timeEnd) {
          const named = this.revertedShas.get(index);
          const sha = (match[1] ?? '').toLowerCase();
          if (named) named.push(sha);
          else this.revertedShas.set(index, [sha]);
        }
        nextRevert += 1;
      }
      start = end + 1;
    }
  }
}
