import * as path from 'node:path';
import { walkFiles } from '../tools/search/fileWalk';
import { listGitFiles } from '../tools/search/gitFileList';

/**
 * The workspace's files by name, for citations that give a bare name (`trainer.py:674`) or a path suffix
 * (`pkg/server.go:62`) instead of the path from the workspace folder. Listed once, lazily, the way Glob lists them:
 * git's view in a work tree (tracked files plus untracked ones .gitignore does not exclude), else a walk that honours
 * .gitignore files. Never .git.
 */
export class WorkspaceFileList {
  /** File name → absolute paths of every file with that name. */
  private byName: Promise<Map<string, string[]>> | undefined;

  constructor(private readonly roots: readonly string[], private readonly signal?: AbortSignal) {}

  /**
   * Files whose path below a workspace folder ends with the cited path, compared whole segment by whole segment,
   * sorted. Only for relative paths without `.`/`..` steps.
   */
  async matching(cited: string): Promise<string[]> {
    if (cited === '' || path.isAbsolute(cited) || cited.split('/').some((segment) => segment === '.' || segment === '..' || segment === '')) return [];
    const name = cited.slice(cited.lastIndexOf('/') + 1);
    const sameName = (await this.index()).get(name) ?? [];
    const suffix = `${path.sep}${cited.split('/').join(path.sep)}`;
    return [...new Set(sameName.filter((file) => file.endsWith(suffix)))].sort();
  }

  /** Forgets the listing: a file created or deleted by a tool is seen by the next lookup. */
  invalidate(): void {
    this.byName = undefined;
  }

  private index(): Promise<Map<string, string[]>> {
    this.byName ??= this.list();
    return this.byName;
  }

  private async list(): Promise<Map<string, string[]>> {
    const byName = new Map<string, string[]>();
    const add = (root: string, relative: string): void => {
      const name = relative.slice(relative.lastIndexOf('/') + 1);
      const absolute = path.join(root, relative);
      const known = byName.get(name);
      if (known === undefined) byName.set(name, [absolute]);
      else known.push(absolute);
    };
    for (const root of this.roots) {
      const folder = path.resolve(root);
      let delivered = 0;
      const isWorkTree = await listGitFiles(folder, (files) => {
        delivered += files.length;
        for (const file of files) add(folder, file);
      }, this.signal);
      if (isWorkTree && delivered > 0) continue;
      for (const file of await walkFiles(folder, { requireGit: false, overrides: ['!.git'], signal: this.signal })) add(folder, file);
    }
    return byName;
  }
}
