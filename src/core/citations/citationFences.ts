/** Fenced code blocks (``` or ~~~) in Markdown, as CommonMark opens and closes them. */
export interface FenceOpening {
  readonly marker: string;
  readonly size: number;
  readonly indent: number;
}

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^[ \t]*(`{3,}|~{3,})[ \t]*$/;

/** Whether the line's first non-blank characters are three backticks or tildes (cheap test before the RegExp). */
function startsWithFenceRun(content: string): boolean {
  let i = 0;
  while (content.charCodeAt(i) === 0x20 || content.charCodeAt(i) === 0x09) i++;
  const c = content.charCodeAt(i);
  return (c === 0x60 || c === 0x7e) && content.charCodeAt(i + 1) === c && content.charCodeAt(i + 2) === c;
}

export function fenceOpener(content: string): FenceOpening | undefined {
  if (!startsWithFenceRun(content)) return undefined;
  const match = FENCE_OPEN.exec(content);
  if (!match) return undefined;
  const [, indent = '', run = '', info = ''] = match;
  if (run.startsWith('`') && info.includes('`')) return undefined;
  return { marker: run.charAt(0), size: run.length, indent: indent.length };
}

export function closesFence(content: string, fence: FenceOpening): boolean {
  if (!startsWithFenceRun(content)) return false;
  const match = FENCE_CLOSE.exec(content);
  return match !== null && match[1]?.charAt(0) === fence.marker && (match[1]?.length ?? 0) >= fence.size;
}

export function stripIndent(content: string, indent: number): string {
  let cut = 0;
  while (cut < indent && (content[cut] === ' ' || content[cut] === '\t')) cut++;
  return content.slice(cut);
}
