import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../fs/atomicWrite';
import { withFileLock } from '../fs/fileLock';
import { processIsAlive } from '../fs/processAlive';
import { findMarkdownHeadings, splitLines } from '../markdown/markdownHeadings';
import { formatUtcTimestamp } from '../time/utcTimestamp';
import { agentFolderOf } from './agentFolder';
import type { MemoryFileKind, UpdatableMemoryFile } from './memoryTemplates';
import { MEMORY_FILE_KINDS, UPDATABLE_MEMORY_FILES, memoryTemplate } from './memoryTemplates';
import { errorCode } from '../errors/errorText';

export interface MemorySection {
  readonly heading: string;
  readonly level: number;
  /** 1-based line of the heading. */
  readonly line: number;
}

export interface MemoryFileSnapshot {
  readonly kind: MemoryFileKind;
  /** Absolute path. */
  readonly path: string;
  readonly exists: boolean;
  /** The whole file; empty when it does not exist. */
  readonly text: string;
  readonly sections: readonly MemorySection[];
  readonly size: number;
  readonly modifiedMs: number | undefined;
}

export interface MemorySnapshot {
  readonly root: string;
  readonly agent: string;
  /** `<root>/docs/ai/agents/<agent>`. */
  readonly folder: string;
  /** working-memory, next-actions, decisions-log, in that order. */
  readonly files: readonly MemoryFileSnapshot[];
}

export interface DecisionEntry {
  readonly decision: string;
  readonly rationale: string;
  readonly alternatives?: readonly string[];
  readonly context?: string;
}

export interface MemoryWriteResult {
  /** Absolute path of the file written. */
  readonly path: string;
  /** 1-based line of the section or entry heading in the new file. */
  readonly line: number;
  /** True when the section did not exist and was added at the end. */
  readonly createdSection: boolean;
  /** The section body before the update (empty for a new section or a decision). */
  readonly previousBody: string;
}

/** The update cannot be applied as asked; the message says what to change. Nothing was written. */
export class MemoryUpdateError extends Error {
  override readonly name = 'MemoryUpdateError';
}

const MAX_CONTENT_CHARS = 100_000;

export function memoryFilePath(root: string, agent: string, kind: MemoryFileKind): string {
  return path.join(agentFolderOf(root, agent), `${kind}.md`);
}

function lockPathOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.lock`);
}

/** Creates the agent's memory folder and any missing memory file from its template; never overwrites. Returns the files created. */
export async function initMemory(root: string, agent: string): Promise<string[]> {
  const folder = agentFolderOf(root, agent);
  await fs.mkdir(folder, { recursive: true });
  const created: string[] = [];
  for (const kind of MEMORY_FILE_KINDS) {
    const file = memoryFilePath(root, agent, kind);
    try {
      await fs.writeFile(file, memoryTemplate(kind, agent), { flag: 'wx' });
      created.push(file);
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  }
  return created;
}

/** Reads the three memory files as they are; files that do not exist yet are reported with exists: false. */
export async function readMemory(root: string, agent: string): Promise<MemorySnapshot> {
  const folder = agentFolderOf(root, agent);
  const files = await Promise.all(MEMORY_FILE_KINDS.map(async (kind): Promise<MemoryFileSnapshot> => {
    const file = memoryFilePath(root, agent, kind);
    try {
      const [text, stat] = await Promise.all([fs.readFile(file, 'utf8'), fs.stat(file)]);
      const sections = findMarkdownHeadings(splitLines(text)).map(({ heading, level, line }) => ({ heading, level, line }));
      return { kind, path: file, exists: true, text, sections, size: stat.size, modifiedMs: stat.mtimeMs };
    } catch (error) {
      if (errorCode(error) !== 'ENOENT') throw error;
      return { kind, path: file, exists: false, text: '', sections: [], size: 0, modifiedMs: undefined };
    }
  }));
  return { root, agent, folder, files };
}

/** The new text of a file after replacing (or adding) one `##` section; pure, so previews show exactly what will be written. */
export interface SectionUpdatePlan {
  readonly text: string;
  readonly line: number;
  readonly createdSection: boolean;
  readonly previousBody: string;
}

/**
 * Replaces the body of the one `##` section named heading (case and spacing ignored) with content, or appends the
 * section when there is none. Every byte outside that body stays as it was, line endings included.
 */
export function planSectionUpdate(text: string, heading: string, content: string): SectionUpdatePlan {
  const name = normalizeHeadingInput(heading);
  const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
  const body = normalizeContent(content, eol);
  const lines = splitLines(text);
  const headings = findMarkdownHeadings(lines);
  const matches = headings.filter((h) => h.level === 2 && sameHeading(h.heading, name));
  if (matches.length > 1) {
    throw new MemoryUpdateError(
      `There are ${matches.length} sections named "## ${name}" (lines ${matches.map((m) => m.line).join(', ')}); ` +
      'merge them into one by hand, then update it.',
    );
  }
  const starts = lineStartOffsets(text);
  const match = matches[0];
  if (!match) {
    let prefix = text;
    if (prefix.length > 0 && !/(\r\n|\n|\r)$/.test(prefix)) prefix += eol;
    if (prefix.length > 0 && !/(\r\n|\n|\r){2}$/.test(prefix)) prefix += eol;
    const line = splitLines(prefix).length;
    const added = `## ${name}${eol}${eol}${body.length > 0 ? `${body}${eol}` : ''}`;
    return { text: prefix + added, line, createdSection: true, previousBody: '' };
  }
  const next = headings.find((h) => h.line > match.line && h.level <= 2);
  const bodyStart = starts[match.line] ?? text.length;
  const bodyEnd = next ? (starts[next.line - 1] ?? text.length) : text.length;
  const headingHasEol = match.line < lines.length;
  const replacement = (headingHasEol ? '' : eol) + eol + (body.length > 0 ? `${body}${eol}` : '') + (next ? eol : '');
  return {
    text: text.slice(0, bodyStart) + replacement + text.slice(bodyEnd),
    line: match.line,
    createdSection: false,
    previousBody: text.slice(bodyStart, bodyEnd).replace(/^(\r\n|\n|\r)+/, '').replace(/\s+$/, ''),
  };
}

/** Replaces one `##` section's body in working-memory.md or next-actions.md under the file's lock; creates the files on first use. */
export async function updateMemorySection(
  root: string,
  agent: string,
  file: UpdatableMemoryFile,
  heading: string,
  content: string,
): Promise<MemoryWriteResult> {
  if (!(UPDATABLE_MEMORY_FILES as readonly string[]).includes(file)) {
    throw new MemoryUpdateError(`Only ${UPDATABLE_MEMORY_FILES.join(' and ')} have sections to update; decisions go to decision_record.`);
  }
  planSectionUpdate('', heading, content);
  await initMemory(root, agent);
  const target = memoryFilePath(root, agent, file);
  return withFileLock(lockPathOf(target), async () => {
    const plan = planSectionUpdate(await fs.readFile(target, 'utf8'), heading, content);
    await writeFileAtomic(target, plan.text);
    await removeOrphanedTempFiles(target);
    return { path: target, line: plan.line, createdSection: plan.createdSection, previousBody: plan.previousBody };
  });
}

/** The Markdown of one decisions-log entry, as appendDecision writes it. */
export function formatDecisionEntry(entry: DecisionEntry, now: Date, eol = '\n'): string {
  const decision = entry.decision.replace(/\s+/g, ' ').trim();
  if (decision.length === 0) throw new MemoryUpdateError('The decision is empty: state in one line what was decided.');
  if (decision.length > 300) throw new MemoryUpdateError(`The decision is ${decision.length} characters; keep it to one line under 300 and put detail in the rationale.`);
  const rationale = escapeHeadings(entry.rationale.trim());
  if (rationale.length === 0) throw new MemoryUpdateError('The rationale is empty: say why this was decided.');
  const alternatives = (entry.alternatives ?? []).map((a) => a.replace(/\s+/g, ' ').trim()).filter((a) => a.length > 0);
  const lines = [`## ${formatUtcTimestamp(now)} — ${decision}`, ''];
  const context = escapeHeadings((entry.context ?? '').trim());
  if (context.length > 0) lines.push(`**Context**: ${context}`, '');
  lines.push(`**Rationale**: ${rationale}`, '');
  if (alternatives.length > 0) lines.push('**Alternatives considered**:', ...alternatives.map((a) => `- ${a}`));
  else lines.push('**Alternatives considered**: none recorded');
  return lines.join('\n').split(/\r\n|\n|\r/).join(eol) + eol;
}

/** Appends a dated entry to decisions-log.md under the file's lock; earlier entries are never rewritten. */
export async function appendDecision(root: string, agent: string, entry: DecisionEntry, now: Date = new Date()): Promise<MemoryWriteResult> {
  formatDecisionEntry(entry, now);
  await initMemory(root, agent);
  const target = memoryFilePath(root, agent, 'decisions-log');
  return withFileLock(lockPathOf(target), async () => {
    const text = await fs.readFile(target, 'utf8');
    const eol = /\r\n|\n|\r/.exec(text)?.[0] ?? '\n';
    let prefix = text;
    if (prefix.length > 0 && !/(\r\n|\n|\r)$/.test(prefix)) prefix += eol;
    if (prefix.length > 0 && !/(\r\n|\n|\r){2}$/.test(prefix)) prefix += eol;
    await writeFileAtomic(target, prefix + formatDecisionEntry(entry, now, eol));
    await removeOrphanedTempFiles(target);
    return { path: target, line: splitLines(prefix).length, createdSection: true, previousBody: '' };
  });
}

/** Deletes temporary files that writers of this file left when they were killed mid-write (their pid is gone). */
async function removeOrphanedTempFiles(target: string): Promise<void> {
  const prefix = `.${path.basename(target)}.`;
  const names = await fs.readdir(path.dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    const match = /^\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name.startsWith(prefix) ? name.slice(prefix.length - 1) : '');
    if (match && !processIsAlive(Number(match[1]))) await fs.rm(path.join(path.dirname(target), name), { force: true });
  }
}

function normalizeHeadingInput(heading: string): string {
  const name = heading.replace(/^\s*#+\s*/, '').replace(/\s+/g, ' ').trim();
  if (name.length === 0) throw new MemoryUpdateError('The section name is empty: name a "## " section such as "Active Tasks".');
  if (/[\r\n]/.test(heading.trim())) throw new MemoryUpdateError('The section name must be one line.');
  if (name.length > 200) throw new MemoryUpdateError('The section name is longer than 200 characters.');
  return name;
}

function sameHeading(a: string, b: string): boolean {
  return a.replace(/\s+/g, ' ').trim().toLowerCase() === b.toLowerCase();
}

function normalizeContent(content: string, eol: string): string {
  if (content.length > MAX_CONTENT_CHARS) {
    throw new MemoryUpdateError(`The content is ${content.length} characters; a section holds at most ${MAX_CONTENT_CHARS}. Summarize it.`);
  }
  const lines = splitLines(content.replace(/\s+$/, '')).map((l) => l.replace(/[ \t]+$/, ''));
  while (lines.length > 0 && lines[0] === '') lines.shift();
  const outer = findMarkdownHeadings(lines).find((h) => h.level <= 2);
  if (outer) {
    throw new MemoryUpdateError(
      `Content line ${outer.line} is a level-${outer.level} heading ("${lines[outer.line - 1] ?? ''}"), which would split the section; use ### for sub-headings.`,
    );
  }
  return lines.join(eol);
}

function escapeHeadings(text: string): string {
  return splitLines(text).map((l) => (/^#/.test(l) ? `\\${l}` : l)).join('\n');
}

/** Offset where each line starts: starts[i] is the start of line i + 1. */
function lineStartOffsets(text: string): number[] {
  const starts = [0];
  const eol = /\r\n|\n|\r/g;
  for (let m = eol.exec(text); m; m = eol.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}
