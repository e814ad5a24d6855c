import { DockerfileParser } from 'dockerfile-ast';
import type { Instruction } from 'dockerfile-ast';

/** A Dockerfile's top-level instructions (positions in the whole file) and its escape character. */
export interface ParsedDockerfile {
  readonly instructions: readonly Instruction[];
  readonly escape: string;
}

// Stages already parsed, by first line and text; a keystroke changes one stage, the others come from here.
const STAGE_CACHE_SIZE = 256;
const stageCache = new Map<string, readonly Instruction[]>();

/**
 * Parses a Dockerfile with dockerfile-ast, stage by stage: each stage (from one FROM to the next) is parsed on its own,
 * padded with empty lines so its positions are those of the whole file, and kept, so checking the file again after a
 * keystroke re-parses only the stage that changed. Where a split could differ from parsing the whole text (heredocs,
 * an escape directive, a byte-order mark, bare CR line ends) the whole text is parsed in one go.
 */
export function parseByStage(text: string): ParsedDockerfile {
  const starts = stageStarts(text);
  if (starts === undefined) return parseWhole(text);
  const instructions: Instruction[] = [];
  for (let i = 0; i < starts.length; i++) {
    const { line, offset } = starts[i] as StageStart;
    const end = i + 1 < starts.length ? (starts[i + 1] as StageStart).offset : text.length;
    const stageText = text.slice(offset, end);
    const key = `${line}\n${stageText}`;
    let stage = stageCache.get(key);
    if (stage === undefined) {
      stage = DockerfileParser.parse('\n'.repeat(line) + stageText).getInstructions();
      if (stageCache.size >= STAGE_CACHE_SIZE) stageCache.delete(stageCache.keys().next().value as string);
    } else {
      stageCache.delete(key);
    }
    stageCache.set(key, stage);
    instructions.push(...stage);
  }
  return { instructions, escape: '\\' };
}

/** The whole text in one parse, as dockerfile-ast reads it. */
export function parseWhole(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  return { instructions: dockerfile.getInstructions(), escape: dockerfile.getEscapeCharacter() };
}

interface StageStart {
  /** Zero-based line of the stage's first line (0, then each FROM). */
  readonly line: number;
  readonly offset: number;
}

const FROM_LINE = /^[ \t]*from(?:[ \t]|\r?$)/i;
const CONTINUED = /\\[ \t\r]*$/;
const COMMENT_OR_EMPTY = /^[ \t]*(?:#|\r?$)/;

/**
 * Where each stage starts: line 0, then every FROM line that surely begins an instruction (the last line before it
 * that is neither empty nor a comment does not end with the escape character). Undefined when the text needs the
 * whole parse.
 */
function stageStarts(text: string): StageStart[] | undefined {
  if (text.includes('<<') || text.charCodeAt(0) === 0xfeff || /\r(?!\n)/.test(text) || /^[ \t]*#[ \t]*escape[ \t]*=/im.test(text)) return undefined;
  const starts: StageStart[] = [{ line: 0, offset: 0 }];
  let continued = false;
  let offset = 0;
  let line = 0;
  while (offset <= text.length) {
    const newline = text.indexOf('\n', offset);
    const end = newline === -1 ? text.length : newline;
    const content = text.slice(offset, end);
    if (!COMMENT_OR_EMPTY.test(content)) {
      if (!continued && line > 0 && FROM_LINE.test(content)) starts.push({ line, offset });
      continued = CONTINUED.test(content);
    }
    if (newline === -1) break;
    offset = newline + 1;
    line++;
  }
  return starts;
}
