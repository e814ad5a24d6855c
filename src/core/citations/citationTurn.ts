import { PathRefusedError, resolveConfinedPath } from '../policy/confinement';
import type { ReadSet } from '../session/readSet';
import { LineIndexCache } from './lineIndexCache';
import type { Citation } from './parseCitations';
import type { CitationCheck } from './verifyCitations';
import { verifyCitations } from './verifyCitations';
import { WorkspaceFileList } from './workspaceFiles';

/** Tools that change a file named by their `path` input. */
const FILE_WRITING_TOOLS = new Set(['Write', 'Edit']);

/**
 * What checking the citations of one chat turn shares: the cited files' text (read once) and the workspace file list
 * (listed once). A Write or Edit in the turn makes the changed file be read again and the list be made again, so a
 * file cited, edited, then cited again is judged by its new text.
 */
export class CitationTurn {
  private readonly cache = new LineIndexCache();
  private readonly files: WorkspaceFileList;

  constructor(private readonly roots: readonly string[]) {
    this.files = new WorkspaceFileList(roots);
  }

  verify(citations: readonly Citation[], readSet?: ReadSet): Promise<CitationCheck[]> {
    return verifyCitations(citations, { roots: this.roots, cache: this.cache, files: this.files, ...(readSet === undefined ? {} : { readSet }) });
  }

  /** Call after a tool ran (successfully or not: a refused write changed nothing, but forgetting costs one read). */
  async toolRan(toolName: string, input: unknown): Promise<void> {
    if (!FILE_WRITING_TOOLS.has(toolName) || typeof input !== 'object' || input === null) return;
    const requested = (input as { path?: unknown }).path;
    if (typeof requested !== 'string') return;
    try {
      const target = await resolveConfinedPath(this.roots, requested);
      this.cache.forget(target.absolute);
      this.files.invalidate();
    } catch (error) {
      // A path the tool itself refused was not written.
      if (!(error instanceof PathRefusedError)) throw error;
    }
  }
}
