import { findDeployments } from './deployments';
import { DoraError } from './doraError';
import type { DoraReport } from './doraReport';
import { buildDoraReport } from './doraReport';
import type { DoraSettingsInput } from './doraSettings';
import { resolveDoraSettings } from './doraSettings';
import type { DoraHistoryCache } from './doraHistoryCache';
import { processDoraHistoryCache } from './doraHistoryCache';
import { GitCommandError, locateRepository, readCommitGraph, readRefs } from './gitHistory';

export interface MeasureDoraOptions {
  readonly signal?: AbortSignal;
  readonly cache?: DoraHistoryCache;
  /** Decides the default window; tests pin it. */
  readonly now?: number;
  /** Receives the ref listing read, so a caller can tell later whether the refs changed. */
  readonly onRefs?: (listing: string) => void;
}

/**
 * Measures delivery metrics of the repository containing `root` (work tree or bare): reads the refs, reads the
 * whole history in one `git log --all` unless the refs are unchanged since the last read, then walks it in process.
 */
export async function measureDora(root: string, input: DoraSettingsInput, options: MeasureDoraOptions = {}): Promise<DoraReport> {
  const settings = resolveDoraSettings(input, options.now);
  const cache = options.cache ?? processDoraHistoryCache;
  const location = await locateRepository(root, options.signal);
  if (location.shallow) {
    throw new DoraError('shallow-clone', `${root} is a shallow clone: commits before the cut-off are missing, so changes and lead times would be wrong.`, 'Fetch the whole history with git fetch --unshallow --tags (in CI: actions/checkout with fetch-depth: 0).');
  }
  try {
    // Without a cached history the log is needed anyway: read it while the refs are listed.
    const known = await cache.mayHave(location.gitDir);
    const pendingGraph = known ? undefined : readCommitGraph(location.gitDir, options.signal);
    pendingGraph?.catch(() => undefined);
    const refs = await readRefs(location.gitDir, options.signal);
    options.onRefs?.(refs.listing);
    let graph = known ? await cache.lookup(location.gitDir, refs) : undefined;
    const fromCache = graph !== undefined;
    if (!graph) {
      graph = await (pendingGraph ?? readCommitGraph(location.gitDir, options.signal));
      await cache.store(location.gitDir, refs, graph);
    }
    if (graph.shas.length === 0) {
      throw new DoraError('no-commits', `${root} has no commits yet.`, 'Commit and tag releases first; delivery metrics measure a history of releases.');
    }
    if (graph.shas.length === 1) {
      throw new DoraError('single-commit', `${root} has a single commit: there is no history of changes and releases to measure.`, 'Measure a repository with its full history (git fetch --unshallow --tags if this is a CI checkout), or come back after a few releases.');
    }
    const deployments = findDeployments(graph, refs, settings);
    return buildDoraReport(root, graph, deployments, settings, fromCache, options.now);
  } catch (error) {
    if (error instanceof GitCommandError) throw new DoraError('git-failed', `git could not read the history of ${root}: ${error.stderr}`, 'Check that git can read the repository (git log --all in that folder).');
    throw error;
  }
}
