import type { CitationParseOptions } from './parseCitations';

/** Where a citation points: a normalised path and a 1-based inclusive line range. */
export interface CitationTarget {
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
}

/**
 * How the reference was written. Bare words and inline code follow strict shape rules (they are where image tags
 * and host:port pairs appear); a Markdown link target is an explicit reference, so any path-like target counts.
 */
export type CitationForm = 'bare' | 'code' | 'link';

// :12, :12-14, :12–14, :L12-L14, :12:5 (compiler style, column ignored): the tail after a colon
const COLON_TAIL = /^:L?(\d{1,9})(?:[-–]L?(\d{1,9}))?(?::\d{1,9})?$/;
// #L12, #L12-L14, #L12-14, #L12C3-L14C9 (GitHub style): the tail from '#L'
const HASH_TAIL = /^#L(\d{1,9})(?:C\d{1,9})?(?:[-–]L?(\d{1,9})(?:C\d{1,9})?)?$/;
const ASCII_PATH_CHARS = /^(?:[A-Za-z]:)?[\w.\-/@+~%$!]+$/;
const PATH_CHARS = /^(?:[A-Za-z]:)?[\p{L}\p{N}_.\-/@+~%$!]+$/u;
const DRIVE = /^[A-Za-z]:\//;
const EXTENSION = /^[A-Za-z0-9_+-]{1,16}$/;
const HOST_NAME = /^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+$/;

/** Files commonly cited that have no extension. */
const EXTENSIONLESS_NAMES = new Set([
  'Dockerfile', 'Containerfile', 'Makefile', 'makefile', 'GNUmakefile', 'Jenkinsfile', 'Procfile', 'Vagrantfile',
  'Gemfile', 'Rakefile', 'Brewfile', 'Justfile', 'justfile', 'Tiltfile', 'Earthfile', 'Caddyfile', 'Podfile',
  'Pipfile', 'Berksfile', 'Guardfile', 'Fastfile', 'Snakefile', 'Dangerfile', 'Taskfile', 'Capfile', 'Puppetfile',
  'LICENSE', 'LICENCE', 'README', 'CODEOWNERS', 'CHANGELOG', 'AUTHORS', 'NOTICE', 'VERSION', 'OWNERS', 'BUILD',
  'WORKSPACE', 'MODULE',
]);

/** First folders that make an extensionless `dir/name:12` a file (scripts) rather than an image tag (`org/image:7`). */
const SOURCE_FOLDERS = new Set([
  'bin', 'sbin', 'scripts', 'script', 'hack', 'tools', 'src', 'lib', 'libexec', 'ci', 'cmd', 'deploy', 'build',
  'config', 'etc', 'test', 'tests', 'docker', 'infra', 'ops', '.github', '.gitlab', '.circleci', '.devcontainer',
  '.husky', '.buildkite', 'docs',
]);

/** Extensions that mark `name.tld:port` as a host, not a file. */
const HOST_SUFFIXES = new Set([
  'com', 'net', 'org', 'io', 'dev', 'app', 'local', 'localhost', 'internal', 'lan', 'svc', 'cluster', 'cloud', 'ai',
  'co', 'us', 'uk', 'de', 'eu', 'info', 'biz', 'tech', 'xyz', 'example', 'corp', 'home', 'arpa', 'site',
]);

/** Parses one reference (`src/a.ts:3-5`, `Dockerfile#L7`) or returns undefined when it is not a file citation. */
export function parseCitationTarget(raw: string, form: CitationForm, options: CitationParseOptions = {}): CitationTarget | undefined {
  if (raw.length === 0 || raw.length > 4096 || raw.includes('://')) return undefined;
  const tail = referenceTail(raw);
  if (tail === undefined) return undefined;
  const rawPath = raw.slice(0, tail.at);
  const startLine = Number(tail.start);
  const endLine = tail.end === undefined ? startLine : Number(tail.end);
  const slashed = rawPath.replace(/\\/g, '/');
  // Only a link target (`<my notes.md#L3>`, `my%20notes.md#L3`) can hold spaces.
  const checked = form === 'link' ? slashed.replace(/ /g, '_') : slashed;
  if (!ASCII_PATH_CHARS.test(checked) && !PATH_CHARS.test(checked)) return undefined;
  if (/^[A-Za-z]:/.test(slashed) && !DRIVE.test(slashed)) return undefined;
  const explicit = slashed.startsWith('./') || slashed.startsWith('../') || slashed.startsWith('/') || DRIVE.test(slashed);
  const path = normalisePath(slashed);
  if (path === undefined) return undefined;
  if (!hasFileShape(path, explicit, form === 'link', options)) return undefined;
  return { path, startLine, endLine };
}

/** The line part at the end of a reference: the leftmost `#L…` or `:…` tail that parses, like a lazy RegExp would. */
function referenceTail(raw: string): { at: number; start: string; end: string | undefined } | undefined {
  const hash = raw.lastIndexOf('#L');
  if (hash > 0) {
    const match = HASH_TAIL.exec(raw.slice(hash));
    if (match) return { at: hash, start: match[1] as string, end: match[2] };
  }
  const last = raw.lastIndexOf(':');
  if (last <= 0) return undefined;
  const before = raw.lastIndexOf(':', last - 1);
  for (const at of before > 0 ? [before, last] : [last]) {
    const match = COLON_TAIL.exec(raw.slice(at));
    if (match) return { at, start: match[1] as string, end: match[2] };
  }
  return undefined;
}

/** Forward slashes, no `./` prefix, no empty segments; undefined when nothing path-like is left. */
function normalisePath(slashed: string): string | undefined {
  if (!slashed.startsWith('./') && !slashed.includes('//') && !slashed.includes('/./') && !slashed.endsWith('/') && !slashed.endsWith('/.') && !slashed.includes('...')) {
    return slashed;
  }
  const absolute = slashed.startsWith('/');
  const segments = slashed.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0) return undefined;
  if (segments.some((segment) => /^\.{3,}$/.test(segment))) return undefined;
  return (absolute ? '/' : '') + segments.join('/');
}

function hasFileShape(path: string, explicit: boolean, link: boolean, options: CitationParseOptions): boolean {
  const lastSlash = path.lastIndexOf('/');
  const base = path.slice(lastSlash + 1);
  if (base === '..' || base === '.' || base === '') return false;
  if (link) return true;
  if (isDotfile(base)) return true;
  const dot = base.lastIndexOf('.');
  const extension = dot > 0 ? base.slice(dot + 1) : '';
  if (extension !== '' && EXTENSION.test(extension) && /[A-Za-z]/.test(extension)) {
    return lastSlash !== -1 || !isHostName(base, extension);
  }
  if (EXTENSIONLESS_NAMES.has(base) || /^(?:Dockerfile|Containerfile)[\w.-]*$/.test(base)) return true;
  if (lastSlash <= 0) return false;
  if (path.startsWith('/') || DRIVE.test(path)) return insideRoots(path, options.roots);
  if (explicit) return true;
  const first = path.slice(0, path.indexOf('/'));
  return SOURCE_FOLDERS.has(first) || (options.folderNames ?? []).includes(first);
}

function isDotfile(base: string): boolean {
  return /^\.[A-Za-z0-9_][\w.-]*$/.test(base) && /[A-Za-z]/.test(base);
}

function isHostName(base: string, extension: string): boolean {
  return HOST_SUFFIXES.has(extension.toLowerCase()) && HOST_NAME.test(base);
}

function insideRoots(path: string, roots: readonly string[] | undefined): boolean {
  if (roots === undefined || roots.length === 0) return true;
  return roots.some((root) => {
    const r = root.replace(/\\/g, '/').replace(/\/+$/, '');
    return path === r || path.startsWith(`${r}/`);
  });
}
