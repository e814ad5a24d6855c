import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import type { CommitGraph, RepositoryRefs } from './gitHistory';

const FORMAT = 'devops-agent-dora-history/1';

interface CachedHistory {
  readonly refsListing: string;
  readonly graph: CommitGraph;
}

interface StoredHistory {
  readonly format: string;
  readonly gitDir: string;
  readonly refsListing: string;
  readonly shas: string[];
  readonly parents: number[][];
  readonly parentCounts: number[];
  readonly committerTimes: number[];
  readonly mergeSubjects: [number, string][];
  readonly revertedShas: [number, string[]][];
}

/**
 * Histories already read, per git folder; an entry is used only while the tags and branches are exactly the same.
 * With a folder, entries are also kept on disk (one JSON file per repository), so a new process starts warm.
 */
export class DoraHistoryCache {
  private readonly entries = new Map<string, CachedHistory>();
  constructor(private readonly options: { readonly maxRepositories?: number; readonly directory?: string } = {}) {}

  private fileOf(gitDir: string): string | undefined {
    if (this.options.directory === undefined) return undefined;
    return path.join(this.options.directory, `${createHash('sha256').update(gitDir).digest('hex').slice(0, 32)}.json`);
  }

  /** Whether a lookup may find something (so the caller waits for the refs before reading the log). */
  async mayHave(gitDir: string): Promise<boolean> {
    if (this.entries.has(gitDir)) return true;
    const file = this.fileOf(gitDir);
    return file !== undefined && (await fs.stat(file).then(() => true, () => false));
  }

  async lookup(gitDir: string, refs: RepositoryRefs): Promise<CommitGraph | undefined> {
    const entry = this.entries.get(gitDir);
    if (entry) return entry.refsListing === refs.listing ? entry.graph : undefined;
    const file = this.fileOf(gitDir);
    if (file === undefined) return undefined;
    const stored = await fs.readFile(file, 'utf8').then((text) => parseStoredHistory(text, gitDir), () => undefined);
    if (!stored || stored.refsListing !== refs.listing) return undefined;
    this.remember(gitDir, stored);
    return stored.graph;
  }

  /** Keeps the history in memory and, with a folder, on disk; a disk that cannot be written only costs speed. */
  async store(gitDir: string, refs: RepositoryRefs, graph: CommitGraph): Promise<void> {
    this.remember(gitDir, { refsListing: refs.listing, graph });
    const file = this.fileOf(gitDir);
    if (file === undefined) return;
    const stored: StoredHistory = {
      format: FORMAT,
      gitDir,
      refsListing: refs.listing,
      shas: [...graph.shas],
      parents: graph.parents.map((p) => [...p]),
      parentCounts: [...graph.parentCounts],
      committerTimes: [...graph.committerTimes],
      mergeSubjects: [...graph.mergeSubjects.entries()],
      revertedShas: [...graph.revertedShas.entries()].map(([i, shas]) => [i, [...shas]]),
    };
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await writeFileAtomic(file, JSON.stringify(stored));
    } catch {
      // the next run reads git again
    }
  }

  private remember(gitDir: string, entry: CachedHistory): void {
    this.entries.delete(gitDir);
    this.entries.set(gitDir, entry);
    while (this.entries.size > (this.options.maxRepositories ?? 8)) this.entries.delete(this.entries.keys().next().value as string);
  }
}

/** A stored history, or undefined when the file is from another format, another repository, or damaged. */
function parseStoredHistory(text: string, gitDir: string): CachedHistory | undefined {
  let value: StoredHistory;
  try {
    value = JSON.parse(text) as StoredHistory;
  } catch {
    return undefined;
  }
  const count = Array.isArray(value?.shas) ? value.shas.length : -1;
  if (value.format !== FORMAT || value.gitDir !== gitDir || typeof value.refsListing !== 'string' || count < 0) return undefined;
  if (![value.parents, value.parentCounts, value.committerTimes].every((list) => Array.isArray(list) && list.length === count)) return undefined;
  if (!Array.isArray(value.mergeSubjects) || !Array.isArray(value.revertedShas)) return undefined;
  const numberOf = new Map<string, number>();
  value.shas.forEach((sha, i) => numberOf.set(sha, i));
  return {
    refsListing: value.refsListing,
    graph: {
      shas: value.shas,
      numberOf,
      parents: value.parents,
      parentCounts: value.parentCounts,
      committerTimes: value.committerTimes,
      mergeSubjects: new Map(value.mergeSubjects),
      revertedShas: new Map(value.revertedShas),
    },
  };
}

/** The cache the VS Code view and the agent tool share within one process. */
export const processDoraHistoryCache = new DoraHistoryCache();
