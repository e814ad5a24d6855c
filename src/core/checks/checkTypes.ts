// The contract every DevOps check rule set is written against (Dockerfile, GitHub Actions, Kubernetes, Compose,
// GitLab CI, committed secrets). Rules are data plus one pure function over a parsed file.

/** The kinds of file the engine recognises; a file is classified by path and confirmed by content. */
export type CheckFileKind = 'dockerfile' | 'github-workflow' | 'github-action' | 'kubernetes' | 'compose' | 'gitlab-ci' | 'secrets-file';

/** SARIF's levels, in increasing order of weight. */
export type CheckSeverity = 'note' | 'warning' | 'error';

/** One-based line, one-based column; end is inclusive line and exclusive column, like SARIF regions. */
export interface CheckRange {
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/** A mechanical fix: replace the text at range with newText (both in the checked file). */
export interface CheckFix {
  readonly title: string;
  readonly edits: readonly { readonly range: CheckRange; readonly newText: string }[];
}

export interface CheckRule {
  /** Our own id, stable and kebab-case with a kind prefix, e.g. `dockerfile/latest-tag`. */
  readonly id: string;
  readonly title: string;
  readonly severity: CheckSeverity;
  readonly kinds: readonly CheckFileKind[];
  /** Public ids users know and search for: `DL3007`, `unpinned-uses`, `latest-tag`, … */
  readonly references: readonly string[];
  /** Why it matters and how to fix it, in plain text (a few sentences). */
  readonly help: string;
}

/** What a rule reports before suppressions and severity overrides are applied. */
export interface RuleFinding {
  readonly ruleId: string;
  readonly range: CheckRange;
  readonly message: string;
  readonly fix?: CheckFix;
}

export interface CheckFinding extends RuleFinding {
  /** Path relative to the check root, with `/` separators. */
  readonly file: string;
  readonly severity: CheckSeverity;
  readonly references: readonly string[];
}

/** Settings a rule may consult (from `.devops-agent.yaml` and editor settings). */
export interface CheckOptions {
  /** Registries an image may come from without a finding (`docker.io`, `ghcr.io/acme`). Empty = any. */
  readonly trustedRegistries: readonly string[];
  /** Action owners whose `uses:` may use a tag instead of a full commit SHA (`actions`, `github`). */
  readonly allowedActionOwners: readonly string[];
}

/** One file handed to a rule set. */
export interface CheckedFile {
  /** Path relative to the check root, with `/` separators. */
  readonly path: string;
  readonly text: string;
  readonly kind: CheckFileKind;
}

/**
 * The rules of one family of files (src/core/checks/<kind>/…RuleSet.ts). A rule set parses the file with a parser
 * made for its format, runs its rules and honours the suppressions its users already write (`# hadolint ignore=…`,
 * `# zizmor: ignore[…]`, `ignore-check.kube-linter.io/<check>`). The engine adds `# devops-agent ignore=RULE`,
 * `.devops-agent.yaml` ignores and severity overrides on top.
 */
export interface CheckRuleSet {
  readonly kinds: readonly CheckFileKind[];
  readonly rules: readonly CheckRule[];
  /** Never throws: a file that does not parse gives one finding on its line, and the rest goes on. */
  check(file: CheckedFile, options: CheckOptions): RuleFinding[];
}

/** What one run of the engine (src/core/checks/runChecks.ts) returns. */
export interface CheckReport {
  /** Sorted by file, then line, then rule id. */
  readonly findings: readonly CheckFinding[];
  /** Paths (relative, `/`) of the files checked, with their kind and the SHA-256 (hex) of the text checked. */
  readonly files: readonly { readonly path: string; readonly kind: CheckFileKind; readonly sha256?: string }[];
  /** Every rule the run knew, for SARIF `rules[]` and `--list-rules`. */
  readonly rules: readonly CheckRule[];
  /** Files of a known kind that were not checked, and why (too large, binary, unreadable). */
  readonly skipped?: readonly { readonly path: string; readonly reason: string }[];
}
