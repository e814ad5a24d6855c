// Real files the rule-set tests run on: test/fixtures/checks (SOURCES.tsv gives repository, commit and license) and,
// when present, the shared corpus next to the repository (../shared, or next to the main checkout of a worktree).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CheckFileKind, CheckOptions, CheckRuleSet, RuleFinding } from '../../../../src/core/checks/checkTypes';

export const REPO_ROOT = path.resolve(__dirname, '../../../../..');
export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'checks');
export const NO_OPTIONS: CheckOptions = { trustedRegistries: [], allowedActionOwners: [] };

/** ../shared of this checkout, or of the main checkout when this is a git worktree; undefined when absent. */
export function sharedDirectory(): string | undefined {
  const candidates = [path.resolve(REPO_ROOT, '..', 'shared')];
  try {
    const dotGit = fs.readFileSync(path.join(REPO_ROOT, '.git'), 'utf8');
    const match = /^gitdir:\s*(.+)$/m.exec(dotGit);
    // <main>/.git/worktrees/<name> → <main>/../shared
    if (match?.[1]) candidates.push(path.resolve(match[1].trim(), '..', '..', '..', '..', 'shared'));
  } catch {
    // .git is a directory (a plain clone) or absent: only the first candidate applies
  }
  return candidates.find((candidate) => fs.existsSync(path.join(candidate, 'corpus')));
}

export function fixture(relative: string): string {
  return fs.readFileSync(path.join(FIXTURES, relative), 'utf8');
}

export function check(ruleSet: CheckRuleSet, relative: string, kind: CheckFileKind, options: CheckOptions = NO_OPTIONS): RuleFinding[] {
  return ruleSet.check({ path: relative, text: fixture(relative), kind }, options);
}

export function checkText(ruleSet: CheckRuleSet, text: string, kind: CheckFileKind, options: CheckOptions = NO_OPTIONS): RuleFinding[] {
  return ruleSet.check({ path: 'inline.yaml', text, kind }, options);
}

/** `line:ruleId` of the findings of one rule, in order of line. */
export function linesOf(findings: readonly RuleFinding[], ruleId: string): number[] {
  return findings.filter((finding) => finding.ruleId === ruleId).map((finding) => finding.range.line).sort((a, b) => a - b);
}

/** Every file under a directory, recursively, relative to it with `/`. */
export function filesUnder(directory: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path.join(dir, entry.name), relative);
      else out.push(relative);
    }
  };
  walk(directory, '');
  return out.sort();
}
