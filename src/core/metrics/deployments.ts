import type { CommitGraph, RepositoryRefs } from './gitHistory';
import { DoraError } from './doraError';
import type { DoraSettings } from './doraSettings';
import { DAY_MS } from './doraSettings';

export interface ReleaseVersion {
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
}

/** One deployment with its changes and, when a fix followed it, the fix. Times in milliseconds. */
export interface Deployment {
  /** The highest-version tag on the commit (tags mode) or the merge subject (merges mode). */
  readonly name: string;
  /** Every matching tag on the commit (tags mode). */
  readonly tags: readonly string[];
  readonly version?: ReleaseVersion;
  readonly commit: number;
  readonly sha: string;
  readonly time: number;
  /** Commit numbers of its changes: non-merge commits reachable from it and from no earlier deployment. */
  readonly changes: readonly number[];
  /** Position in the deployment order of the deployment that fixed this one. */
  fixedBy?: number;
  fixKind?: 'patch' | 'revert';
}

const VERSION_IN_NAME = /(\d+)\.(\d+)\.(\d+)/;

export function versionOfTag(name: string, match: RegExpExecArray): ReleaseVersion | undefined {
  const groups = match.length >= 4 ? [match[1], match[2], match[3]] : VERSION_IN_NAME.exec(name)?.slice(1, 4);
  if (!groups) return undefined;
  const [major, minor, patch] = groups.map((g) => (g === undefined ? Number.NaN : Number.parseInt(g, 10)));
  if (!Number.isFinite(major) || !Number.isFinite(minor) || !Number.isFinite(patch)) return undefined;
  return { major: major as number, minor: minor as number, patch: patch as number };
}

export function compareVersions(a: ReleaseVersion | undefined, b: ReleaseVersion | undefined): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? -1 : 1;
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatVersion(version: ReleaseVersion | undefined): string | null {
  return version ? `${version.major}.${version.minor}.${version.patch}` : null;
}

interface Candidate {
  name: string;
  tags: string[];
  version?: ReleaseVersion;
  commit: number;
  time: number;
}

function tagDeployments(graph: CommitGraph, refs: RepositoryRefs, settings: DoraSettings, numberOf: ReadonlyMap<string, number>): Candidate[] {
  const byCommit = new Map<number, Candidate>();
  let matched = 0;
  for (const tag of refs.tags) {
    settings.tagPattern.lastIndex = 0;
    const match = settings.tagPattern.exec(tag.name);
    if (!match) continue;
    const commit = numberOf.get(tag.commitSha);
    if (commit === undefined) continue;
    matched += 1;
    const time = (tag.taggerTime ?? (graph.committerTimes[commit] as number)) * 1000;
    const version = versionOfTag(tag.name, match);
    const existing = byCommit.get(commit);
    if (!existing) {
      byCommit.set(commit, { name: tag.name, tags: [tag.name], ...(version ? { version } : {}), commit, time });
      continue;
    }
    existing.tags.push(tag.name);
    existing.time = Math.min(existing.time, time);
    const order = compareVersions(version, existing.version);
    if (order > 0 || (order === 0 && tag.name > existing.name)) {
      existing.name = tag.name;
      if (version) existing.version = version;
    }
  }
  if (matched === 0) {
    const examples = refs.tags.slice(-5).map((t) => t.name);
    const seen = refs.tags.length === 0 ? 'The repository has no tags' : `None of its ${refs.tags.length} tags (e.g. ${examples.join(', ')}) matches ${settings.tagPattern.source}`;
    throw new DoraError('no-deployments', `${seen}, so there is no release to count as a deployment.`, 'Tag releases (git tag -a v1.2.3 -m "release 1.2.3"), give the pattern your tags follow (--tag-pattern REGEX), or count merges on a branch as deployments (--deployments merges --branch main).');
  }
  return [...byCommit.values()];
}

function resolveBranch(refs: RepositoryRefs, branch: string | undefined): { name: string; sha: string } {
  const names = branch === undefined ? ['main', 'master'] : [branch];
  for (const name of names) {
    for (const ref of [name, `refs/heads/${name}`, `refs/remotes/origin/${name}`]) {
      const sha = refs.branches.get(ref);
      if (sha !== undefined) return { name, sha };
    }
    const remote = [...refs.branches.entries()].find(([ref]) => ref.startsWith('refs/remotes/') && ref.endsWith(`/${name}`));
    if (remote) return { name, sha: remote[1] };
  }
  const known = [...refs.branches.keys()].filter((r) => r.startsWith('refs/heads/')).map((r) => r.slice('refs/heads/'.length)).slice(0, 8);
  throw new DoraError('branch-not-found', branch === undefined ? 'Neither a main nor a master branch exists to take merges from.' : `There is no branch ${branch}.`, `Name the branch whose merges are deployments with --branch NAME${known.length ? ` (branches: ${known.join(', ')})` : ''}.`);
}

function mergeDeployments(graph: CommitGraph, refs: RepositoryRefs, settings: DoraSettings, numberOf: ReadonlyMap<string, number>): Candidate[] {
  const branch = resolveBranch(refs, settings.branch);
  const candidates: Candidate[] = [];
  let commit = numberOf.get(branch.sha);
  const visited = new Set<number>();
  while (commit !== undefined && !visited.has(commit)) {
    visited.add(commit);
    if ((graph.parentCounts[commit] as number) >= 2) {
      const subject = graph.mergeSubjects.get(commit) ?? '';
      candidates.push({ name: `${(graph.shas[commit] as string).slice(0, 10)} ${subject}`.trim(), tags: [], commit, time: (graph.committerTimes[commit] as number) * 1000 });
    }
    // The first parent is listed first, and kept first when resolved, unless it lies beyond a shallow boundary.
    commit = (graph.parentCounts[commit] as number) > 0 && graph.parents[commit]?.length === graph.parentCounts[commit] ? graph.parents[commit]?.[0] : undefined;
  }
  if (candidates.length === 0) {
    throw new DoraError('no-deployments', `The first-parent history of ${branch.name} has no merge commits, so there is no merge to count as a deployment.`, 'Count release tags instead (--deployments tags), or name a branch that receives merges (--branch NAME).');
  }
  return candidates;
}

/** Deployments in order (time, then version) with their changes and fixes, over the whole history. */
export function findDeployments(graph: CommitGraph, refs: RepositoryRefs, settings: DoraSettings): Deployment[] {
  const numberOf = graph.numberOf;
  const candidates = settings.deployments === 'tags' ? tagDeployments(graph, refs, settings, numberOf) : mergeDeployments(graph, refs, settings, numberOf);
  candidates.sort((a, b) => a.time - b.time || compareVersions(a.version, b.version) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

  // One walk over the history: each commit belongs to the first deployment in order that reaches it.
  const owner = new Int32Array(graph.shas.length).fill(-1);
  const deployments: Deployment[] = candidates.map((c, position) => {
    const changes: number[] = [];
    const stack = owner[c.commit] === -1 ? [c.commit] : [];
    if (owner[c.commit] === -1) owner[c.commit] = position;
    while (stack.length > 0) {
      const commit = stack.pop() as number;
      if ((graph.parentCounts[commit] as number) <= 1) changes.push(commit);
      for (const parent of graph.parents[commit] as readonly number[]) {
        if (owner[parent] === -1) {
          owner[parent] = position;
          stack.push(parent);
        }
      }
    }
    return { name: c.name, tags: c.tags, ...(c.version ? { version: c.version } : {}), commit: c.commit, sha: graph.shas[c.commit] as string, time: c.time, changes };
  });
  markFailures(deployments, graph, owner, settings.failureWindowDays * DAY_MS);
  return deployments;
}

function markFailures(deployments: Deployment[], graph: CommitGraph, owner: Int32Array, failureWindowMs: number): void {
  // Sorted hashes, for abbreviated ones: built only when a revert names a commit by an abbreviated hash.
  let sortedShas: string[] | undefined;
  const ownersOfPrefix = (prefix: string): number[] => {
    if (prefix.length === 40) {
      const commit = graph.numberOf.get(prefix);
      return commit === undefined || owner[commit] === -1 ? [] : [owner[commit] as number];
    }
    sortedShas ??= graph.shas.filter((_, i) => owner[i] !== -1).sort();
    let low = 0;
    let high = sortedShas.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((sortedShas[mid] as string) < prefix) low = mid + 1;
      else high = mid;
    }
    const found: number[] = [];
    for (let k = low; k < sortedShas.length && (sortedShas[k] as string).startsWith(prefix); k += 1) found.push(owner[graph.numberOf.get(sortedShas[k] as string) as number] as number);
    return found;
  };
  // Which deployments each deployment's reverts name (through the changes they revert).
  const revertedDeployments = deployments.map((d) => {
    const named = new Set<number>();
    for (const change of d.changes) {
      for (const sha of graph.revertedShas.get(change) ?? []) for (const o of ownersOfPrefix(sha)) named.add(o);
    }
    return named;
  });
  deployments.forEach((d, position) => {
    for (let next = position + 1; next < deployments.length; next += 1) {
      const fix = deployments[next] as Deployment;
      if (fix.time - d.time > failureWindowMs) break;
      const patch = d.version !== undefined && fix.version !== undefined && fix.version.major === d.version.major && fix.version.minor === d.version.minor && fix.version.patch > d.version.patch;
      if (patch || revertedDeployments[next]?.has(position)) {
        d.fixedBy = next;
        d.fixKind = patch ? 'patch' : 'revert';
        return;
      }
    }
  });
}
