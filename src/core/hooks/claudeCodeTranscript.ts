import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { ReadSet } from '../session/readSet';

/** What a Claude Code conversation transcript tells the hooks. */
export interface TranscriptFacts {
  /** Files (and lines) the conversation has read or written, keyed by real absolute path. */
  readonly readSet: ReadSet;
  /** The last prompt the user typed (not tool results), if any. */
  readonly lastUserPrompt?: string;
  /** The text of the last assistant message, for events that do not carry it. */
  readonly lastAssistantText?: string;
  /** A certificate was written through a tool call in this conversation. */
  readonly certificateWritten: boolean;
  /** Time of the first entry, so certificates written by other means since then count too. */
  readonly startedAtMs?: number;
  /** Lines that were not JSON objects (a transcript being written, or not a transcript at all). */
  readonly skippedLines: number;
}

/** A transcript line longer than this is skipped (whole-file Write contents can be large; none matter this much). */
const MAX_LINE_CHARS = 16 * 1024 * 1024;
/** Claude Code's Read returns up to 2000 lines when no limit is given. */
const DEFAULT_READ_LIMIT = 2000;
const WHOLE_FILE_END = Number.MAX_SAFE_INTEGER;
const CERTIFICATE_PATH = /(^|[\\/])docs[\\/]ai[\\/]agents[\\/][^\\/]+[\\/]certificates[\\/][^\\/]+\.md$/;
// Read results are numbered like `cat -n`: spaces, the line number, then a tab or an arrow.
const NUMBERED_LINE = /^\s*(\d+)(?:\t|→)/;
const GREP_HIT = /^(.+?):(\d+)[:-]/;

interface ToolUse {
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/**
 * Reads a Claude Code transcript (JSON Lines: `{"type":"user"|"assistant","message":{"content":…}}`) line by line.
 * Reads (Read tool ranges, Grep hits), writes (Write/Edit/MultiEdit make the whole file known), the last user prompt,
 * the last assistant text and certificate writes are collected. Returns undefined when the file cannot be read.
 */
export async function readClaudeCodeTranscript(file: string, cwd: string): Promise<TranscriptFacts | undefined> {
  let stream: fs.ReadStream;
  try {
    const stat = await fs.promises.stat(file);
    if (!stat.isFile()) return undefined;
    stream = fs.createReadStream(file, { encoding: 'utf8' });
  } catch {
    return undefined;
  }
  const readSet = new ReadSet();
  const toolUses = new Map<string, ToolUse>();
  let lastUserPrompt: string | undefined;
  let lastAssistantText: string | undefined;
  let certificateWritten = false;
  let startedAtMs: number | undefined;
  let skippedLines = 0;
  const lines = readline.createInterface({ input: stream, crlfDelay: Infinity });
  try {
    for await (const line of lines) {
      if (line.trim() === '') continue;
      if (line.length > MAX_LINE_CHARS) {
        skippedLines += 1;
        continue;
      }
      let entry: unknown;
      try {
        entry = JSON.parse(line);
      } catch {
        skippedLines += 1;
        continue;
      }
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
        skippedLines += 1;
        continue;
      }
      const e = entry as Record<string, unknown>;
      if (startedAtMs === undefined && typeof e.timestamp === 'string') {
        const ms = Date.parse(e.timestamp);
        if (Number.isFinite(ms)) startedAtMs = ms;
      }
      const message = e.message as { content?: unknown } | undefined;
      const content = message?.content;
      if (e.type === 'assistant') {
        const texts: string[] = [];
        for (const block of blocksOf(content)) {
          if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
          if (block.type === 'tool_use' && typeof block.name === 'string' && typeof block.input === 'object' && block.input !== null) {
            const use: ToolUse = { name: block.name, input: block.input as Record<string, unknown> };
            if (typeof block.id === 'string') toolUses.set(block.id, use);
            recordToolUse(use, cwd, readSet);
            if (writesCertificate(use)) certificateWritten = true;
          }
        }
        if (texts.length > 0) lastAssistantText = texts.join('\n');
      } else if (e.type === 'user' && e.isMeta !== true) {
        if (typeof content === 'string') {
          lastUserPrompt = content;
          continue;
        }
        const texts: string[] = [];
        for (const block of blocksOf(content)) {
          if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text);
          if (block.type === 'tool_result' && typeof block.tool_use_id === 'string') {
            const use = toolUses.get(block.tool_use_id);
            if (use && block.is_error !== true) recordToolResult(use, resultText(block.content), cwd, readSet);
          }
        }
        if (texts.length > 0) lastUserPrompt = texts.join('\n');
      }
    }
  } catch {
    return undefined;
  } finally {
    lines.close();
    stream.destroy();
  }
  return {
    readSet, certificateWritten, skippedLines,
    ...(lastUserPrompt !== undefined ? { lastUserPrompt } : {}),
    ...(lastAssistantText !== undefined ? { lastAssistantText } : {}),
    ...(startedAtMs !== undefined ? { startedAtMs } : {}),
  };
}

type Block = Record<string, unknown>;

function blocksOf(content: unknown): Block[] {
  if (!Array.isArray(content)) return [];
  return content.filter((b): b is Block => typeof b === 'object' && b !== null && !Array.isArray(b));
}

function resultText(content: unknown): string {
  if (typeof content === 'string') return content;
  return blocksOf(content).map((b) => (b.type === 'text' && typeof b.text === 'string' ? b.text : '')).join('\n');
}

function realPathOf(file: string, cwd: string): string {
  const absolute = path.resolve(cwd, file);
  try {
    return fs.realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

function stringField(input: Record<string, unknown>, key: string): string | undefined {
  const value = input[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : undefined;
}

/** Writes make the whole new file known to the conversation; Read without a result yet counts its requested range. */
function recordToolUse(use: ToolUse, cwd: string, readSet: ReadSet): void {
  const file = stringField(use.input, 'file_path');
  if (file === undefined) return;
  if (use.name === 'Write' || use.name === 'Edit' || use.name === 'MultiEdit') readSet.record(realPathOf(file, cwd), 1, WHOLE_FILE_END);
}

function recordToolResult(use: ToolUse, text: string, cwd: string, readSet: ReadSet): void {
  if (use.name === 'Read') {
    const file = stringField(use.input, 'file_path');
    if (file === undefined) return;
    let first: number | undefined;
    let last: number | undefined;
    for (const line of text.split('\n')) {
      const match = NUMBERED_LINE.exec(line);
      if (!match) continue;
      const n = Number(match[1]);
      first = first === undefined ? n : Math.min(first, n);
      last = last === undefined ? n : Math.max(last, n);
    }
    if (first !== undefined && last !== undefined) {
      readSet.record(realPathOf(file, cwd), first, last);
    } else {
      // a result without numbered lines (an empty file, an image): count what was asked for
      const offset = positiveInteger(use.input.offset) ?? 1;
      readSet.record(realPathOf(file, cwd), offset, offset + (positiveInteger(use.input.limit) ?? DEFAULT_READ_LIMIT) - 1);
    }
  } else if (use.name === 'Grep') {
    const base = stringField(use.input, 'path');
    for (const line of text.split('\n')) {
      const match = GREP_HIT.exec(line);
      if (!match) continue;
      const hitPath = match[1] as string;
      const n = Number(match[2]);
      const absolute = path.isAbsolute(hitPath) ? hitPath : path.resolve(cwd, base !== undefined && !fs.existsSync(path.resolve(cwd, hitPath)) ? base : '.', hitPath);
      readSet.record(realPathOf(absolute, cwd), n, n);
    }
  }
}

function writesCertificate(use: ToolUse): boolean {
  if (use.name === 'Write' || use.name === 'Edit' || use.name === 'MultiEdit') {
    const file = stringField(use.input, 'file_path');
    return file !== undefined && CERTIFICATE_PATH.test(file);
  }
  if (use.name === 'Bash') return /\bdevops-agent\s+certificates\s+new\b/.test(stringField(use.input, 'command') ?? '');
  return /^mcp__.+__certificate_create$/.test(use.name);
}
