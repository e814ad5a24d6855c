import { Minimatch } from 'minimatch';

/** What a set of ignore rules says about one path: ignored, explicitly re-included (`!pattern`), or nothing. */
export type IgnoreVerdict = 'ignore' | 'whitelist' | undefined;

interface IgnoreRule {
  readonly regex: RegExp;
  readonly whitelist: boolean;
  readonly onlyDirectories: boolean;
}

const GLOB_OPTIONS = { dot: true, nonegate: true, nocomment: true, nocase: false } as const;

/**
 * The rules of one .gitignore-style file, read exactly as ripgrep's ignore crate reads them: trailing whitespace is
 * dropped unless escaped, `!` re-includes, a leading `/` anchors, a trailing `/` matches folders only, a pattern
 * without `/` matches at any depth (`**` prefix), `dir/**` matches inside but not the folder itself, `*` never
 * crosses `/`. A path is matched on its own (not through its parents): the walker never enters ignored folders.
 */
export class GitignoreRules {
  static readonly EMPTY = new GitignoreRules([]);

  private constructor(private readonly rules: readonly IgnoreRule[]) {}

  /** Rules from the text of an ignore file. */
  static parse(text: string): GitignoreRules {
    return GitignoreRules.fromLines(text.split('\n'));
  }

  /** Rules from individual lines (ripgrep `--glob` values use the same syntax). */
  static fromLines(lines: readonly string[]): GitignoreRules {
    const rules: IgnoreRule[] = [];
    for (const line of lines) {
      const rule = compileLine(line);
      if (rule !== undefined) rules.push(rule);
    }
    return rules.length === 0 ? GitignoreRules.EMPTY : new GitignoreRules(rules);
  }

  get isEmpty(): boolean {
    return this.rules.length === 0;
  }

  /** The number of `!` rules. */
  get whitelistCount(): number {
    return this.rules.filter((r) => r.whitelist).length;
  }

  /** The last rule matching `relative` (posix, relative to the rules' folder) decides; folder-only rules skip files. */
  match(relative: string, isDirectory: boolean): IgnoreVerdict {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i] as IgnoreRule;
      if (rule.onlyDirectories && !isDirectory) continue;
      if (rule.regex.test(relative)) return rule.whitelist ? 'whitelist' : 'ignore';
    }
    return undefined;
  }
}

function compileLine(raw: string): IgnoreRule | undefined {
  let line = raw;
  if (line.startsWith('#')) return undefined;
  if (!line.endsWith('\\ ')) line = line.replace(/\s+$/u, '');
  if (line.length === 0) return undefined;
  let whitelist = false;
  let anchored = false;
  if (line.startsWith('\\!') || line.startsWith('\\#')) {
    line = line.slice(1);
    anchored = line.startsWith('/');
  } else {
    if (line.startsWith('!')) {
      whitelist = true;
      line = line.slice(1);
    }
    if (line.startsWith('/')) {
      line = line.slice(1);
      anchored = true;
    }
  }
  let onlyDirectories = false;
  if (line.endsWith('/')) {
    onlyDirectories = true;
    line = line.slice(0, -1);
  }
  if (line.length === 0) return undefined;
  let glob = line;
  if (!anchored && !glob.includes('/') && !(glob.startsWith('**/') || glob === '**')) glob = `**/${glob}`;
  if (glob.endsWith('/**')) glob = `${glob}/*`;
  const regex = new Minimatch(glob, GLOB_OPTIONS).makeRe();
  if (regex === false) return undefined;
  return { regex, whitelist, onlyDirectories };
}
