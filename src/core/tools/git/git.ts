import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { PathRefusedError, resolveConfinedPath } from '../../policy/confinement';
import { HeadTailBuffer } from '../shell/headTailBuffer';
import { markdownFence } from '../framework/markdownFence';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import type { ToolRisk } from '../../policy/permissions';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';
import { errorMessage } from '../../errors/errorText';

const GIT_READ_ACTIONS = ['status', 'diff', 'log', 'show', 'blame', 'branches'] as const;
const GIT_WRITE_ACTIONS = ['commit', 'checkout', 'tag'] as const;
export type GitAction = (typeof GIT_READ_ACTIONS)[number] | (typeof GIT_WRITE_ACTIONS)[number];

export type GitInput =
  | { readonly action: 'status'; readonly repo?: string }
  | { readonly action: 'diff'; readonly staged: boolean; readonly range?: string; readonly paths?: readonly string[]; readonly repo?: string }
  | { readonly action: 'log'; readonly count: number; readonly path?: string; readonly since?: string; readonly repo?: string }
  | { readonly action: 'show'; readonly rev: string; readonly path?: string; readonly repo?: string }
  | { readonly action: 'blame'; readonly path: string; readonly startLine: number; readonly endLine: number; readonly repo?: string }
  | { readonly action: 'branches'; readonly repo?: string }
  | { readonly action: 'commit'; readonly message: string; readonly paths?: readonly string[]; readonly repo?: string }
  | { readonly action: 'checkout'; readonly ref: string; readonly create: boolean; readonly repo?: string }
  | { readonly action: 'tag'; readonly name: string; readonly message?: string; readonly repo?: string };

const DEFAULT_LOG_COUNT = 20;
const MAX_LOG_COUNT = 1_000;
const MAX_BLAME_LINES = 5_000;
const RESULT_OVERHEAD_CHARS = 600;
// A revision: names, hashes, HEAD~2, main^, HEAD@{1}; never starting with '-' so git cannot read it as an option.
const REVISION = /^(?!-)[A-Za-z0-9._/@{}~^+-]+$/;
const RANGE = /^(.*?)(\.\.\.?)(.*)$/;

function checkRevision(value: string, key: string): string {
  if (value.length > 256 || !REVISION.test(value) || value.includes('..')) {
    throw new ToolInputError(
      `Git: "${key}" must be a revision such as main, v1.2, HEAD~3 or a commit hash (letters, digits and . _ / @ { } ~ ^ + -, not starting with "-"); got ${JSON.stringify(value)}.`,
    );
  }
  return value;
}

function checkRange(value: string): string {
  const match = RANGE.exec(value);
  if (match === null) return checkRevision(value, 'range');
  const [, from, , to] = match;
  if (from === '' && to === '') throw new ToolInputError('Git: "range" needs a revision on at least one side of ".." (e.g. HEAD~3..HEAD).');
  if (from !== '') checkRevision(from!, 'range');
  if (to !== '') checkRevision(to!, 'range');
  return value;
}

function checkNewName(value: string, key: string): string {
  if (value.length > 200 || !/^(?!-)[A-Za-z0-9._/+-]+$/.test(value) || value.includes('..') || value.endsWith('/') || value.endsWith('.lock')) {
    throw new ToolInputError(`Git: "${key}" must be a branch or tag name such as feature/ci-cache or v1.2.0 (letters, digits and . _ / + -, not starting with "-"); got ${JSON.stringify(value)}.`);
  }
  return value;
}

function checkPathArgument(value: string, key: string): string {
  if (value.startsWith('-')) throw new ToolInputError(`Git: "${key}" must be a path, not an option: ${JSON.stringify(value)}. Prefix it with ./ if a file name really starts with "-".`);
  return value;
}

function parseGitInput(input: unknown): GitInput {
  rejectUnknownFields('Git', input, Object.keys(gitInputProperties));
  const fields = new ToolInputFields('Git', input, '{"action": "status"}');
  const action = fields.requiredChoice<GitAction>('action', [...GIT_READ_ACTIONS, ...GIT_WRITE_ACTIONS]);
  const repoValue = fields.optionalString('repo');
  const repo = repoValue === undefined ? {} : { repo: checkPathArgument(repoValue, 'repo') };
  switch (action) {
    case 'status':
    case 'branches':
      return { action, ...repo };
    case 'diff': {
      const range = fields.optionalString('range');
      const paths = fields.optionalStringList('paths')?.map((p) => checkPathArgument(p, 'paths'));
      return { action, staged: fields.optionalBoolean('staged') ?? false, ...(range !== undefined ? { range: checkRange(range.trim()) } : {}), ...(paths ? { paths } : {}), ...repo };
    }
    case 'log': {
      const logPath = fields.optionalString('path');
      const since = fields.optionalString('since');
      if (since !== undefined && (since.length > 100 || !/^(?!-)[\w .:+/-]+$/.test(since))) {
        throw new ToolInputError('Git: "since" must be a date such as 2024-05-01 or "2 weeks ago".');
      }
      return {
        action,
        count: fields.optionalInteger('count', 1, MAX_LOG_COUNT) ?? DEFAULT_LOG_COUNT,
        ...(logPath !== undefined ? { path: checkPathArgument(logPath, 'path') } : {}),
        ...(since !== undefined ? { since: since.trim() } : {}),
        ...repo,
      };
    }
    case 'show': {
      const showPath = fields.optionalString('path');
      return { action, rev: checkRevision(fields.requiredString('rev', 'the commit, tag or branch to show').trim(), 'rev'), ...(showPath !== undefined ? { path: checkPathArgument(showPath, 'path') } : {}), ...repo };
    }
    case 'blame': {
      const blamePath = checkPathArgument(fields.requiredString('path', 'the file to annotate'), 'path');
      const startLine = fields.requiredInteger('start_line', 1, Number.MAX_SAFE_INTEGER);
      const endLine = fields.requiredInteger('end_line', 1, Number.MAX_SAFE_INTEGER);
      if (endLine < startLine) throw new ToolInputError('Git: "end_line" must not be before "start_line".');
      if (endLine - startLine + 1 > MAX_BLAME_LINES) throw new ToolInputError(`Git: blame at most ${MAX_BLAME_LINES} lines at once.`);
      return { action, path: blamePath, startLine, endLine, ...repo };
    }
    case 'commit': {
      const paths = fields.optionalStringList('paths')?.map((p) => checkPathArgument(p, 'paths'));
      return { action, message: fields.requiredString('message', 'the commit message'), ...(paths ? { paths } : {}), ...repo };
    }
    case 'checkout':
      return { action, ref: checkRevision(fields.requiredString('ref', 'the branch, tag or commit to check out').trim(), 'ref'), create: fields.optionalBoolean('create') ?? false, ...repo };
    case 'tag': {
      const message = fields.optionalString('message');
      return { action, name: checkNewName(fields.requiredString('name', 'the tag name').trim(), 'name'), ...(message !== undefined ? { message } : {}), ...repo };
    }
  }
}

/** The paths an input names, in the order that decides the repository. */
function inputPaths(input: GitInput): string[] {
  const paths: string[] = [];
  if (input.repo !== undefined) paths.push(input.repo);
  if ('paths' in input && input.paths) paths.push(...input.paths);
  if ('path' in input && input.path !== undefined) paths.push(input.path);
  return paths;
}

interface GitRepository {
  readonly git: SimpleGit;
  readonly topLevel: string;
}

class GitFailure extends Error {
  override readonly name = 'GitFailure';
}

/** simple-git loads here, on the first Git call, not with the extension. */
async function gitFor(dir: string, ctx: ToolContext): Promise<SimpleGit> {
  const { simpleGit } = await import('simple-git');
  return simpleGit({
    baseDir: dir,
    abort: ctx.signal,
    config: ['core.quotepath=off', 'color.ui=false'],
    timeout: { block: ctx.limits.bashTimeoutMs },
    // git commit exits 1 with its reason on stdout ("nothing to commit"); treat any non-zero exit as an error
    errors: (error, result) => {
      if (error !== undefined) return error;
      if (result.exitCode !== 0) return Buffer.concat([...result.stdOut, ...result.stdErr]);
      return undefined;
    },
  });
}

function gitErrorText(error: unknown): string {
  const message = errorMessage(error);
  if (/ENOENT/.test(message) && /spawn/.test(message)) return 'git is not installed or not on PATH.';
  return message.trim();
}

/** The existing folder to start looking for the repository from. */
async function existingFolderOf(absolute: string): Promise<string> {
  let current = absolute;
  for (;;) {
    const stat = await fs.stat(current).catch(() => undefined);
    if (stat?.isDirectory()) return current;
    if (stat?.isFile()) return path.dirname(current);
    const parent = path.dirname(current);
    if (parent === current) return current;
    current = parent;
  }
}

async function openRepository(input: GitInput, ctx: ToolContext): Promise<GitRepository> {
  if (ctx.roots.length === 0) throw new GitFailure('No workspace folder is open, so there is no repository to use.');
  const first = inputPaths(input)[0];
  const start = first === undefined ? ctx.roots[0]! : await existingFolderOf((await resolveConfinedPath(ctx.roots, first)).absolute);
  const shown = first ?? start;
  let topLevel: string;
  try {
    topLevel = (await (await gitFor(start, ctx)).raw(['rev-parse', '--show-toplevel'])).trim();
  } catch (error) {
    const text = gitErrorText(error);
    if (/not a git repository/i.test(text)) {
      throw new GitFailure(`${shown} is not inside a git repository; run \`git init\` or open a repository folder.`);
    }
    throw new GitFailure(`Cannot use the repository at ${shown}: ${text}`);
  }
  return { git: await gitFor(topLevel, ctx), topLevel };
}

/** A path as git wants it after `--`: relative to the top level, forward slashes, inside the repository. */
async function repoRelative(repo: GitRepository, requested: string, ctx: ToolContext): Promise<string> {
  const confined = await resolveConfinedPath(ctx.roots, requested);
  const realTop = await fs.realpath(repo.topLevel).catch(() => repo.topLevel);
  const relative = path.relative(realTop, confined.absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new GitFailure(`${requested} is not inside the repository ${repo.topLevel}; use one Git call per repository.`);
  }
  return relative === '' ? '.' : relative.split(path.sep).join('/');
}

function bounded(text: string, ctx: ToolContext, headShare = 0.7): string {
  const buffer = new HeadTailBuffer(Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS), headShare);
  buffer.push(text);
  return buffer.toString();
}

function withTitle(title: string, body: string, empty: string): string {
  const trimmed = body.replace(/\s+$/, '');
  return `${title}\n${trimmed.length === 0 ? empty : trimmed}`;
}

async function runRead(input: GitInput, repo: GitRepository, ctx: ToolContext): Promise<ToolResult> {
  const { git } = repo;
  switch (input.action) {
    case 'status': {
      const out = await git.raw(['status', '--short', '--branch', '--untracked-files=all']);
      const [branchLine, ...changes] = out.replace(/\s+$/, '').split('\n');
      const body = changes.length === 0 ? 'Working tree clean.' : `${changes.length} changed path(s) (XY: X = staged, Y = not staged; ?? = untracked):\n${changes.join('\n')}`;
      return { ok: true, text: bounded(`Repository: ${repo.topLevel}\nBranch: ${(branchLine ?? '').replace(/^## /, '')}\n${body}`, ctx) };
    }
    case 'diff': {
      const args = ['diff', '--no-color', '--no-ext-diff'];
      if (input.staged) args.push('--staged');
      if (input.range !== undefined) args.push(input.range);
      const rel = await Promise.all((input.paths ?? []).map((p) => repoRelative(repo, p, ctx)));
      const tail = rel.length > 0 ? ['--', ...rel] : ['--'];
      const diff = await git.raw([...args, ...tail]);
      const what = `${input.staged ? 'staged ' : ''}diff${input.range !== undefined ? ` ${input.range}` : input.staged ? '' : ' (working tree against the index)'}`;
      if (diff.length <= ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS) {
        return { ok: true, text: withTitle(`Git ${what} in ${repo.topLevel}:`, diff, 'No differences.') };
      }
      const stat = await git.raw([...args, '--stat=120', ...tail]);
      const budget = Math.max(1_000, ctx.limits.maxResultChars - RESULT_OVERHEAD_CHARS - stat.length);
      const buffer = new HeadTailBuffer(budget, 1);
      buffer.push(diff);
      return {
        ok: true,
        text: `Git ${what} in ${repo.topLevel} is ${diff.length.toLocaleString('en-US')} characters; summary first, then the beginning of the diff (pass "paths" to see one file whole):\n${stat.replace(/\s+$/, '')}\n\n${buffer.toString()}`,
      };
    }
    case 'log': {
      const args = ['log', `--max-count=${input.count}`, '--date=short', '--format=%h %ad %an%d%n    %s'];
      if (input.since !== undefined) args.push(`--since=${input.since}`);
      args.push('--');
      if (input.path !== undefined) args.push(await repoRelative(repo, input.path, ctx));
      const out = await git.raw(args);
      return { ok: true, text: bounded(withTitle(`Last ${input.count} commit(s) at most${input.path !== undefined ? ` touching ${input.path}` : ''}:`, out, 'No commits.'), ctx, 1) };
    }
    case 'show': {
      if (input.path !== undefined) {
        const rel = await repoRelative(repo, input.path, ctx);
        const content = await git.raw(['show', `${input.rev}:${rel}`]);
        if (content.includes('\u0000')) return { ok: true, text: `${rel} at ${input.rev} is a binary file (${content.length} bytes).` };
        return { ok: true, text: bounded(withTitle(`${rel} as of ${input.rev}:`, content, '(empty file)'), ctx) };
      }
      const out = await git.raw(['show', '--no-color', '--no-ext-diff', '--stat', '--patch', '--format=fuller', input.rev, '--']);
      return { ok: true, text: bounded(out, ctx, 0.8) };
    }
    case 'blame': {
      const rel = await repoRelative(repo, input.path, ctx);
      const out = await git.raw(['blame', '--date=short', `-L${input.startLine},${input.endLine}`, '--', rel]);
      const absolute = path.join(repo.topLevel, ...rel.split('/'));
      const realAbsolute = await fs.realpath(absolute).catch(() => absolute);
      ctx.readSet.record(realAbsolute, input.startLine, Math.min(input.endLine, input.startLine + out.replace(/\n$/, '').split('\n').length - 1));
      return { ok: true, text: bounded(withTitle(`Blame of ${rel} lines ${input.startLine}-${input.endLine} (commit, author, date, line):`, out, 'No lines.'), ctx) };
    }
    case 'branches': {
      const out = await git.raw(['branch', '--all', '--verbose', '--no-color', '--no-abbrev']);
      return { ok: true, text: bounded(withTitle(`Branches in ${repo.topLevel} (* = current):`, out, 'No branches yet (no commits).'), ctx) };
    }
    default:
      throw new GitFailure(`Git: ${input.action} is not a read action.`);
  }
}

async function headSummary(git: SimpleGit): Promise<string> {
  return (await git.raw(['log', '-1', '--no-color', '--stat', '--date=short', '--format=%H %ad %an%d%n    %s'])).replace(/\s+$/, '');
}

async function runWrite(input: GitInput, repo: GitRepository, ctx: ToolContext): Promise<ToolResult> {
  const { git } = repo;
  switch (input.action) {
    case 'commit': {
      const rel = await Promise.all((input.paths ?? []).map((p) => repoRelative(repo, p, ctx)));
      if (rel.length > 0) await git.raw(['add', '--all', '--', ...rel]);
      const staged = (await git.raw(['diff', '--cached', '--name-only', '--', ...rel])).trim();
      if (staged.length === 0) {
        return { ok: false, text: rel.length > 0 ? `Nothing to commit: ${rel.join(', ')} have no changes.` : 'Nothing is staged to commit: pass "paths" to commit specific files, or stage changes first.' };
      }
      await git.raw(['commit', `--message=${input.message}`, ...(rel.length > 0 ? ['--', ...rel] : [])]);
      return { ok: true, text: bounded(`Committed in ${repo.topLevel}:\n${await headSummary(git)}`, ctx) };
    }
    case 'checkout': {
      if (input.create) {
        await validateRefName(git, `refs/heads/${input.ref}`, input.ref);
        await git.raw(['checkout', '-b', input.ref, '--']);
      } else {
        await git.raw(['checkout', input.ref, '--']);
      }
      const status = (await git.raw(['status', '--short', '--branch'])).split('\n')[0] ?? '';
      return { ok: true, text: `${input.create ? 'Created and checked out' : 'Checked out'} ${input.ref} in ${repo.topLevel}.\nNow on: ${status.replace(/^## /, '')}` };
    }
    case 'tag': {
      await validateRefName(git, `refs/tags/${input.name}`, input.name);
      if (input.message !== undefined) await git.raw(['tag', '--annotate', `--message=${input.message}`, input.name]);
      else await git.raw(['tag', input.name]);
      const target = (await git.raw(['log', '-1', '--format=%h %s', input.name])).trim();
      return { ok: true, text: `Tagged ${target} as ${input.name}${input.message !== undefined ? ' (annotated)' : ''} in ${repo.topLevel}.` };
    }
    default:
      throw new GitFailure(`Git: ${input.action} is not a write action.`);
  }
}

async function validateRefName(git: SimpleGit, fullName: string, shown: string): Promise<void> {
  try {
    await git.raw(['check-ref-format', fullName]);
  } catch {
    throw new GitFailure(`"${shown}" is not a valid git ref name (see \`git check-ref-format\`).`);
  }
}

function isWriteAction(action: GitAction): boolean {
  return (GIT_WRITE_ACTIONS as readonly string[]).includes(action);
}

const gitInputProperties = {
  action: { type: 'string', enum: [...GIT_READ_ACTIONS, ...GIT_WRITE_ACTIONS] },
  repo: { type: 'string', description: 'A folder inside the repository to use, when it is not the first workspace folder.' },
  staged: { type: 'boolean', description: 'diff: compare the index with HEAD instead of the working tree with the index.' },
  range: { type: 'string', description: 'diff: a revision or range, e.g. HEAD~3..HEAD or main...feature.' },
  paths: { type: 'array', items: { type: 'string' }, description: 'diff: limit to these paths. commit: stage and commit exactly these paths.' },
  path: { type: 'string', description: 'log: history of this path. show: print this file as of rev. blame: the file.' },
  count: { type: 'number', description: `log: how many commits (default ${DEFAULT_LOG_COUNT}, at most ${MAX_LOG_COUNT}).` },
  since: { type: 'string', description: 'log: only commits after this date, e.g. 2024-05-01 or "2 weeks ago".' },
  rev: { type: 'string', description: 'show: commit, tag or branch.' },
  start_line: { type: 'number', description: 'blame: first line (1-based).' },
  end_line: { type: 'number', description: 'blame: last line (inclusive).' },
  message: { type: 'string', description: 'commit: the commit message. tag: makes an annotated tag with this message.' },
  ref: { type: 'string', description: 'checkout: branch, tag or commit.' },
  create: { type: 'boolean', description: 'checkout: create ref as a new branch from HEAD.' },
  name: { type: 'string', description: 'tag: the tag name, e.g. v1.2.0.' },
};

export const gitTool: Tool<GitInput> = {
  name: 'Git',
  id: 'devops_git',
  description:
    'Runs git in the repository that contains the given path (or the first workspace folder). Read actions: status; diff ' +
    '(staged?, range like HEAD~3..HEAD, paths?); log (count, default 20; path?; since like "2 weeks ago"); show (rev; with ' +
    'path: that file as of rev); blame (path, start_line, end_line); branches. Write actions, confirmed first: commit (message; ' +
    'paths to stage and commit just those, else everything staged); checkout (ref; create: true for a new branch); tag (name; ' +
    'message makes it annotated). Revisions and names must not start with "-". Output is bounded.',
  inputSchema: {
    type: 'object',
    properties: gitInputProperties,
    required: ['action'],
    additionalProperties: false,
  },
  risk: 'write',

  parse: parseGitInput,

  riskOf(input: GitInput): ToolRisk {
    return isWriteAction(input.action) ? 'write' : 'read';
  },

  subjectOf(input: GitInput): string {
    switch (input.action) {
      case 'diff':
        return ['diff', input.staged ? '--staged' : '', input.range ?? '', ...(input.paths ?? [])].filter((p) => p !== '').join(' ');
      case 'log':
        return input.path !== undefined ? `log ${input.path}` : 'log';
      case 'show':
        return `show ${input.rev}${input.path !== undefined ? ` ${input.path}` : ''}`;
      case 'blame':
        return `blame ${input.path}`;
      case 'commit':
        return ['commit', ...(input.paths ?? [])].join(' ');
      case 'checkout':
        return `checkout ${input.create ? '-b ' : ''}${input.ref}`;
      case 'tag':
        return `tag ${input.name}`;
      default:
        return input.action;
    }
  },

  pathsOf(input: GitInput): readonly string[] {
    return inputPaths(input);
  },

  async preview(input: GitInput, ctx: ToolContext): Promise<ToolPreview> {
    let where = input.repo ?? ctx.roots[0] ?? '(no workspace folder)';
    let staged = '';
    try {
      const repo = await openRepository(input, ctx);
      where = repo.topLevel;
      if (input.action === 'commit' && input.paths === undefined) {
        staged = (await repo.git.raw(['diff', '--cached', '--name-status'])).trim();
      }
    } catch (error) {
      where = `${where} (${(error as Error).message})`;
    }
    switch (input.action) {
      case 'commit': {
        const files = input.paths !== undefined ? input.paths.map((p) => `- \`${p}\``).join('\n') : staged.length > 0 ? markdownFence(staged) : '(nothing staged yet)';
        return {
          title: 'Git commit',
          detail: `Repository: \`${where}\`\n\nMessage:\n${markdownFence(input.message)}\n\n${input.paths !== undefined ? 'Stage and commit these paths:' : 'Commit everything staged:'}\n${files}`,
        };
      }
      case 'checkout':
        return { title: input.create ? `Git: create branch ${input.ref}` : `Git checkout ${input.ref}`, detail: `Repository: \`${where}\`\n\n${markdownFence(`git checkout ${input.create ? '-b ' : ''}${input.ref}`, 'bash')}` };
      case 'tag':
        return {
          title: `Git tag ${input.name}`,
          detail: `Repository: \`${where}\`\n\nTag HEAD as \`${input.name}\`${input.message !== undefined ? ` (annotated)\n\n${markdownFence(input.message)}` : ' (lightweight)'}`,
        };
      default:
        return { title: `Git ${input.action}`, detail: `Repository: \`${where}\`\n\n${markdownFence(`git ${gitTool.subjectOf(input)}`, 'bash')}` };
    }
  },

  async run(input: GitInput, ctx: ToolContext): Promise<ToolResult> {
    try {
      const repo = await openRepository(input, ctx);
      return isWriteAction(input.action) ? await runWrite(input, repo, ctx) : await runRead(input, repo, ctx);
    } catch (error) {
      if (ctx.signal.aborted) return { ok: false, text: `Git ${input.action} was cancelled.` };
      if (error instanceof GitFailure || error instanceof ToolInputError || error instanceof PathRefusedError) return { ok: false, text: error.message };
      const text = gitErrorText(error);
      const hint = /Please tell me who you are|empty ident|Author identity unknown/i.test(text)
        ? '\nSet an identity first: git config user.name "Name" && git config user.email "you@example.com".'
        : '';
      return { ok: false, text: `git ${input.action} failed: ${bounded(text, ctx)}${hint}` };
    }
  },
};
