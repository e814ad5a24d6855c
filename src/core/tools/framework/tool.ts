import type { SandboxSettings } from '../../sandbox/sandboxSettings';
import type { ToolRisk } from '../../policy/permissions';
import type { ReadSet } from '../../session/readSet';


export interface JsonObjectSchema {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, unknown>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
}

export interface ToolLimits {
  /** Longest result text handed to the model; longer results are cut and say how to get the rest. */
  readonly maxResultChars: number;
  /** Largest file Read opens. */
  readonly maxReadBytes: number;
  readonly bashTimeoutMs: number;
  readonly maxGlobResults: number;
  readonly maxGrepMatches: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxResultChars: 30_000,
  maxReadBytes: 5 * 1024 * 1024,
  bashTimeoutMs: 120_000,
  maxGlobResults: 1_000,
  maxGrepMatches: 500,
};

/**
 * How Write and Edit reach files. VS Code applies them through WorkspaceEdit (undo, unsaved editors);
 * the CLI writes through the file system atomically.
 */
export interface FileAccess {
  /** Current text of a file: an open editor's unsaved text in VS Code; undefined when the file does not exist. */
  readText(absolutePath: string): Promise<string | undefined>;
  /** Replaces (or creates) the whole file. */
  writeText(absolutePath: string, content: string): Promise<void>;
}

export interface ToolEnvironment {
  /** ripgrep binary to use (VS Code ships one); undefined = look for `rg` on PATH, else the pure-Node search. */
  readonly ripgrepPath?: string;
  /** Glob patterns excluded besides .gitignore (VS Code's `files.exclude`). */
  readonly excludeGlobs?: readonly string[];
  /** Docker engine address; undefined = DOCKER_HOST or the default socket. */
  readonly dockerHost?: string;
  /** How Bash commands are confined; undefined = sandboxed, no host allowed. */
  readonly sandbox?: SandboxSettings;
  /** The user's home folder, whose secret folders the sandbox hides; undefined = os.homedir(). */
  readonly homeDir?: string;
  /** False in an untrusted workspace: read tools do not run git there (a repository's config can run programs). */
  readonly runGit?: boolean;
}

export interface ToolContext {
  /** The agent running the tool; memory and certificates live under docs/ai/agents/<agentName>/. */
  readonly agentName: string;
  /** Absolute, real paths of the workspace folders; the first is the default working folder. */
  readonly roots: readonly string[];
  readonly signal: AbortSignal;
  /** What this chat session has read, for citations and read-before-edit. */
  readonly readSet: ReadSet;
  readonly limits: ToolLimits;
  readonly files: FileAccess;
  readonly environment: ToolEnvironment;
  /** Short progress lines ("building layer 3/7") shown while the tool runs. */
  progress(message: string): void;
}

export interface ToolResult {
  /** False when the tool failed; the text then says why in words the model can act on. */
  readonly ok: boolean;
  /** Text for the model, already bounded in size. */
  readonly text: string;
  /** Set by Bash: whether the command ran in the OS sandbox (false is written to the audit log). */
  readonly sandboxed?: boolean;
}

/** What a confirmation shows before a write or execute tool runs: the exact command, diff or container. */
export interface ToolPreview {
  readonly title: string;
  /** Markdown. */
  readonly detail: string;
}

export interface ProposedFileChange {
  readonly absolutePath: string;
  /** Workspace-relative, posix separators. */
  readonly relativePath: string;
  /** undefined when the file does not exist yet. */
  readonly before: string | undefined;
  readonly after: string;
  /** Why the model removes a lot of existing text (the preserve-work guard asks for it). */
  readonly reason?: string;
}

/** A tool input the model got wrong; the message is shown to the model. */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
}

export interface Tool<I = unknown> {
  /** The name agent files use in `tools:` (Read, Write, Bash, …). */
  readonly name: string;
  /** The language-model tool id (`devops_read`, …): `^[\w-]+$`, not starting with copilot_ or vscode_. */
  readonly id: string;
  readonly description: string;
  readonly inputSchema: JsonObjectSchema;
  /**
   * Set by the memory and certificate tools: they write only the agent's own records under docs/ai/agents/<agent>/,
   * which the harness requires, so they are not confirmed by default (deny rules still apply).
   */
  readonly writesOnlyAgentRecords?: boolean;
  /** The highest risk this tool can have. */
  readonly risk: ToolRisk;
  /** Validates raw model input; throws ToolInputError with a message the model can act on. */
  parse(input: unknown): I;
  /** The risk of this particular call (Git status is read, Git commit is write). */
  riskOf(input: I): ToolRisk;
  /** What permission rules match against: `Bash(npm test*)` matches the command, `Write(src/**)` the path. */
  subjectOf(input: I): string;
  /** Workspace-relative or absolute paths this call touches, for confinement and deny lists. */
  pathsOf(input: I): readonly string[];
  preview(input: I, ctx: ToolContext): Promise<ToolPreview>;
  /** For tools that change a file's text (Write, Edit): the text before and after, so guards can check it. */
  proposedChange?(input: I, ctx: ToolContext): Promise<ProposedFileChange>;
  /** Why this call cannot run on this machine at all (Bash with no sandbox available), so it is refused before asking. */
  unavailableReason?(input: I, ctx: ToolContext): Promise<string | undefined>;
  run(input: I, ctx: ToolContext): Promise<ToolResult>;
}
