import { execFile } from 'node:child_process';

/** Where `git ls-remote` looks for an action's repository; `{owner}` and `{repo}` are filled in. */
export const DEFAULT_ACTION_REPOSITORY_URL = 'https://github.com/{owner}/{repo}.git';

export interface ActionReference {
  readonly owner: string;
  readonly repo: string;
  /** `/path` of an action inside the repository, '' for the top. */
  readonly path: string;
  readonly ref: string;
}

const USES = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)((?:\/[^@\s]+)?)@([^\s#]+)$/;

/** `actions/checkout@v4` → its parts; undefined for local (`./x`), docker and malformed references. */
export function parseActionReference(uses: string): ActionReference | undefined {
  const match = USES.exec(uses.trim().replace(/^["']|["']$/g, ''));
  if (match === null) return undefined;
  return { owner: match[1] as string, repo: match[2] as string, path: match[3] as string, ref: match[4] as string };
}

/** A full commit SHA, what zizmor's unpinned-uses asks for. */
export function isCommitSha(ref: string): boolean {
  return /^[0-9a-f]{40}$/.test(ref);
}

/**
 * The commit a tag or branch of an action points at, asked of git (`git ls-remote`, peeled for annotated tags), or
 * undefined when git cannot reach the repository or has no such ref. Never throws.
 */
export async function resolveActionRef(action: ActionReference, options: { urlTemplate?: string; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<string | undefined> {
  if (isCommitSha(action.ref)) return action.ref;
  const url = (options.urlTemplate ?? DEFAULT_ACTION_REPOSITORY_URL).replace(/\{owner\}/g, action.owner).replace(/\{repo\}/g, action.repo);
  const output = await new Promise<string | undefined>((resolve) => {
    execFile('git', ['ls-remote', '--', url, `refs/tags/${action.ref}`, `refs/tags/${action.ref}^{}`, `refs/heads/${action.ref}`], {
      encoding: 'utf8', timeout: options.timeoutMs ?? 15_000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, ...(options.signal ? { signal: options.signal } : {}),
    }, (error, stdout) => resolve(error ? undefined : stdout));
  });
  if (output === undefined) return undefined;
  const refs = new Map<string, string>();
  for (const line of output.split('\n')) {
    const [sha, name] = line.split('\t');
    if (sha !== undefined && name !== undefined && isCommitSha(sha)) refs.set(name.trim(), sha);
  }
  return refs.get(`refs/tags/${action.ref}^{}`) ?? refs.get(`refs/tags/${action.ref}`) ?? refs.get(`refs/heads/${action.ref}`);
}

/** The pinned `uses:` value and the comment that keeps the readable ref: `actions/checkout@<sha>` + `# v4`. */
export function pinnedUses(action: ActionReference, sha: string): { readonly uses: string; readonly comment: string } {
  return { uses: `${action.owner}/${action.repo}${action.path}@${sha}`, comment: `# ${action.ref}` };
}
