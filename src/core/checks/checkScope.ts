import * as fs from 'node:fs';
import * as path from 'node:path';
import { isPathInside } from '../fs/pathInside';
import type { CheckFileKind, CheckReport } from './checkTypes';

/** What one request asks to check: named paths (files or folders, relative, `/`), file kinds, or the whole workspace. */
export interface CheckScope {
  /** Relative paths named in the request that exist; empty = the whole workspace. */
  readonly paths: readonly string[];
  /** Only files of these kinds; empty = every kind. */
  readonly kinds: readonly CheckFileKind[];
  /** For people: `Dockerfile`, `the Dockerfiles and Compose files in the workspace`. */
  readonly description: string;
}

const KIND_WORDS: ReadonlyArray<readonly [RegExp, readonly CheckFileKind[], string]> = [
  [/\b(dockerfiles?|containerfiles?|docker\s*images?|images?)\b/i, ['dockerfile'], 'Dockerfiles'],
  [/\b(compose|docker-compose)\b/i, ['compose'], 'Compose files'],
  [/\b(workflows?|github\s+actions?|actions?|ci|pipelines?|gitlab)\b/i, ['github-workflow', 'github-action', 'gitlab-ci'], 'CI workflows'],
  [/\b(kubernetes|k8s|manifests?|deployments?|helm|pods?)\b/i, ['kubernetes'], 'Kubernetes manifests'],
  [/(\bsecrets?\b|\bcredentials?\b|\btokens?\b|(^|\s)\.env\b)/i, ['secrets-file'], 'committed secrets files'],
];

/** The kinds each slash command is about when the request names nothing more precise. */
const COMMAND_KINDS: Readonly<Record<string, readonly CheckFileKind[]>> = {
  docker: ['dockerfile', 'compose'],
  pipeline: ['github-workflow', 'github-action', 'gitlab-ci'],
};

const KIND_NAMES: Readonly<Record<CheckFileKind, string>> = {
  'dockerfile': 'Dockerfiles',
  'compose': 'Compose files',
  'github-workflow': 'GitHub Actions workflows',
  'github-action': 'composite actions',
  'gitlab-ci': 'GitLab CI files',
  'kubernetes': 'Kubernetes manifests',
  'secrets-file': 'committed secrets files',
};

/**
 * Reads what a request such as `/review the Dockerfile` or `/pipeline .github/workflows/ci.yml` names. Words that are
 * existing paths (checked with `exists`) become paths; words naming a kind of file narrow the kinds; a command without
 * either covers its own kinds (/docker, /pipeline) or everything (/review).
 */
export function checkScopeFor(command: string | undefined, prompt: string, exists: (relativePath: string) => boolean): CheckScope {
  const paths: string[] = [];
  for (const word of candidatePaths(prompt)) {
    if (!paths.includes(word) && exists(word)) paths.push(word);
  }
  // a named file already says its kind; words like "Dockerfile" in `review the Dockerfile` are that file
  const unnamed = paths.reduce((text, p) => text.split(p).join(' '), prompt);
  const kinds: CheckFileKind[] = [];
  for (const [pattern, wordKinds] of KIND_WORDS) {
    if (pattern.test(unnamed)) for (const kind of wordKinds) if (!kinds.includes(kind)) kinds.push(kind);
  }
  if (paths.length === 0 && kinds.length === 0 && command && Object.hasOwn(COMMAND_KINDS, command)) kinds.push(...(COMMAND_KINDS[command] ?? []));
  return { paths, kinds, description: describeScope(paths, kinds) };
}

/** Words of the prompt that could be paths: `Dockerfile`, `k8s/`, `.github/workflows/ci.yml`, `` `src/app.ts` ``. */
function candidatePaths(prompt: string): string[] {
  const words = prompt.split(/[\s,;]+/).map((w) => w.replace(/^[`'"([<]+|[`'")\]>:!?]+$/g, '').replace(/\.$/, '').replace(/^\.\//, '').replace(/\/+$/, ''));
  return words.filter((w) => w.length > 0 && w.length < 1024 && !w.includes('..') && !w.startsWith('/') && !/^[a-z]+:\/\//i.test(w) && /[./]|^[A-Z][A-Za-z]*file$|^[a-z0-9_-]+$/i.test(w));
}

function describeScope(paths: readonly string[], kinds: readonly CheckFileKind[]): string {
  const kindText = kinds.length === 0 ? '' : joinWords(kinds.filter((k, i) => KIND_NAMES[k] !== KIND_NAMES[kinds[i - 1] as CheckFileKind]).map((k) => KIND_NAMES[k]));
  if (paths.length === 0) return kinds.length === 0 ? 'the whole workspace' : `the ${kindText} in the workspace`;
  const pathText = joinWords(paths.map((p) => `\`${p}\``));
  return kinds.length === 0 ? pathText : `the ${kindText} in ${pathText}`;
}

function joinWords(words: readonly string[]): string {
  return words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Keeps the findings and files of a report that fall within the scope's kinds (the engine already kept its paths). */
export function narrowReportToKinds(report: CheckReport, kinds: readonly CheckFileKind[]): CheckReport {
  if (kinds.length === 0) return report;
  const files = report.files.filter((f) => kinds.includes(f.kind));
  const kept = new Set(files.map((f) => f.path));
  return { ...report, files, findings: report.findings.filter((f) => kept.has(f.file)) };
}

/** For checkScopeFor: true when the relative path names an existing file or folder strictly inside root (symlinks resolved). */
export function existsInsideRoot(root: string, relative: string): boolean {
  try {
    const realRoot = fs.realpathSync(root);
    const real = fs.realpathSync(path.resolve(realRoot, relative));
    return real !== realRoot && isPathInside(realRoot, real);
  } catch {
    return false;
  }
}
