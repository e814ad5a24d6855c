import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import dockerignore from '@balena/dockerignore';
import * as tar from 'tar-fs';

/** The files of a build context after .dockerignore, as the docker CLI would send them. */
export interface DockerContextListing {
  /** Context-relative paths with forward slashes, parents before children. */
  readonly entries: readonly string[];
  /** Paths left out by .dockerignore (a skipped folder counts once). */
  readonly excluded: number;
  readonly patterns: readonly string[];
}

export interface DockerBuildContext extends DockerContextListing {
  readonly tarStream: NodeJS.ReadableStream;
  /** What to pass as the build's `dockerfile` parameter. */
  readonly dockerfileName: string;
}

/** .dockerignore lines as the docker CLI reads them: comments and blanks dropped, cleaned, leading slash removed. */
export function parseDockerignore(content: string): string[] {
  const patterns: string[] = [];
  content
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((raw) => {
      if (raw.startsWith('#')) return;
      let pattern = raw.trim();
      if (pattern === '') return;
      const invert = pattern.startsWith('!');
      if (invert) pattern = pattern.slice(1).trim();
      if (pattern.length > 0) {
        pattern = path.posix.normalize(pattern.replace(/\\/g, '/'));
        if (pattern.length > 1 && pattern.endsWith('/')) pattern = pattern.slice(0, -1);
        if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
      }
      patterns.push(invert ? `!${pattern}` : pattern);
    });
  return patterns;
}

/**
 * Walks a context folder the way moby's TarWithOptions does: an excluded file is skipped; an excluded folder is
 * skipped whole unless an exception pattern ("!dir/keep") points inside it, then it is walked without its own entry.
 * The Dockerfile and .dockerignore are always sent, as the docker CLI re-adds them.
 */
export async function listDockerContext(contextDir: string, dockerfileInContext?: string): Promise<DockerContextListing> {
  const ignoreText = await fs.readFile(path.join(contextDir, '.dockerignore'), 'utf8').catch(() => '');
  const patterns = parseDockerignore(ignoreText);
  const matcher = dockerignore({ ignorecase: process.platform === 'win32' }).add(patterns);
  for (const always of ['.dockerignore', dockerfileInContext]) {
    if (always !== undefined && matcher.ignores(always)) {
      patterns.push(`!${always}`);
      matcher.add(`!${always}`);
    }
  }
  const exceptions = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  const entries: string[] = [];
  let excluded = 0;

  async function walk(relativeDir: string): Promise<void> {
    const names = (await fs.readdir(path.join(contextDir, relativeDir))).sort();
    for (const name of names) {
      const relative = relativeDir === '' ? name : `${relativeDir}/${name}`;
      const stat = await fs.lstat(path.join(contextDir, relative));
      if (matcher.ignores(relative)) {
        if (stat.isDirectory() && exceptions.some((exception) => `${exception}/`.startsWith(`${relative}/`))) {
          await walk(relative);
        } else {
          excluded++;
        }
        continue;
      }
      entries.push(relative);
      if (stat.isDirectory()) await walk(relative);
    }
  }
  await walk('');
  return { entries, excluded, patterns };
}

/**
 * Packs a build context into a tar stream honouring .dockerignore. A Dockerfile outside the context is added under a
 * random name, as the docker CLI does. Owners are set to root, like `docker build`.
 */
export async function packDockerBuildContext(contextDir: string, dockerfilePath: string): Promise<DockerBuildContext> {
  const relativeDockerfile = path.relative(contextDir, dockerfilePath);
  const insideContext = !relativeDockerfile.startsWith('..') && !path.isAbsolute(relativeDockerfile);
  const dockerfileName = insideContext ? relativeDockerfile.split(path.sep).join('/') : `.dockerfile.${randomBytes(10).toString('hex')}`;
  const listing = await listDockerContext(contextDir, insideContext ? dockerfileName : undefined);
  const outsideContent = insideContext ? undefined : await fs.readFile(dockerfilePath);
  const tarStream = tar.pack(contextDir, {
    entries: listing.entries.map((entry) => entry.split('/').join(path.sep)),
    // the listing already walked every folder; stop tar-fs from adding their children a second time
    ignore: () => true,
    strict: false,
    map: (header) => ({ ...header, uid: 0, gid: 0 }),
    finalize: outsideContent === undefined,
    finish: (pack) => {
      if (outsideContent === undefined) return;
      pack.entry({ name: dockerfileName, size: outsideContent.length, mode: 0o644, mtime: new Date(), uid: 0, gid: 0 }, outsideContent);
      pack.finalize();
    },
  });
  return { ...listing, tarStream, dockerfileName };
}
