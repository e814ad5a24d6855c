/** Where an agent definition was found; decides precedence (workspace over user over bundled). */
export type AgentSource = 'bundled' | 'workspace' | 'user';

/** Something wrong with an agent file, at a 1-based line of that file. */
export interface AgentProblem {
  readonly line: number;
  readonly message: string;
  readonly severity: 'error' | 'warning';
}

/** Tool-call rules an agent file asks for (patterns are interpreted by the policy layer). */
export interface AgentPermissionRules {
  readonly allow: readonly string[];
  readonly ask: readonly string[];
  readonly deny: readonly string[];
}

/** An agent file, parsed tolerantly: whatever was wrong with it is in `problems`. */
export interface AgentDefinition {
  readonly name: string;
  readonly description: string;
  /** Canonical harness tool names granted (all known ones when tools is absent or '*'). */
  readonly tools: readonly string[];
  readonly toolsSpecified: 'all' | 'list';
  /** Names we do not provide, kept as written (each also a warning problem). */
  readonly unknownTools: readonly string[];
  /** Kept as a hint only. */
  readonly model?: string;
  readonly body: string;
  /** 1-based line of the body's first line in the file. */
  readonly bodyStartLine: number;
  readonly source: AgentSource;
  /** Absolute path; undefined for bundled agents. */
  readonly file?: string;
  /** Frontmatter keys we do not interpret, kept. */
  readonly extra: Readonly<Record<string, unknown>>;
  readonly problems: readonly AgentProblem[];
  /** From frontmatter `permissions: {allow, ask, deny}` if present, else empty. */
  readonly permissions: AgentPermissionRules;
  /** Trigger words the body lists for certificates (lowercase), [] when none. */
  readonly certificateTriggers: readonly string[];
  /** Workspace-relative: docs/ai/agents/<name>. */
  readonly memoryDir: string;
}

export const NO_PERMISSION_RULES: AgentPermissionRules = Object.freeze({ allow: [], ask: [], deny: [] });
