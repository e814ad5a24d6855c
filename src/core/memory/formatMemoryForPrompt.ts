import * as path from 'node:path';
import { findMarkdownHeadings, splitLines } from '../markdown/markdownHeadings';
import type { MemoryFileSnapshot, MemorySnapshot } from './memoryStore';

interface MemoryBlock {
  /** `--- <path>` line shown once before the first block of each file. */
  readonly fileHeader: string;
  readonly label: string;
  readonly text: string;
  readonly decision: boolean;
}

/**
 * The agent's memory as prompt text within maxChars. Order is importance: working-memory (current state), then
 * next-actions, then decisions newest first. Whatever does not fit is named in a closing note so the model knows
 * to read the file (memory_read) instead of assuming it has everything.
 */
export function formatMemoryForPrompt(snapshot: MemorySnapshot, maxChars: number): string {
  const relative = (file: string): string => path.relative(snapshot.root, file).split(path.sep).join('/');
  const missing = snapshot.files.filter((f) => !f.exists).map((f) => path.basename(f.path));
  const intro = `Working memory of ${snapshot.agent} (${relative(snapshot.folder)}/):` +
    (missing.length > 0 ? `\n(not created yet: ${missing.join(', ')})` : '');
  const blocks: MemoryBlock[] = [];
  for (const file of snapshot.files) {
    if (!file.exists) continue;
    blocks.push(...(file.kind === 'decisions-log' ? decisionBlocks(file, relative(file.path)) : sectionBlocks(file, relative(file.path))));
  }
  const full = render(intro, blocks);
  if (full.length <= maxChars) return full;

  const kept: MemoryBlock[] = [];
  let decisionsCut = false;
  // Room kept back for the closing note, which is the one thing that must survive.
  const reserve = Math.min(400, Math.floor(maxChars / 3));
  let used = intro.length;
  for (const block of blocks) {
    if (block.decision && decisionsCut) continue;
    const header = kept[kept.length - 1]?.fileHeader === block.fileHeader ? 0 : block.fileHeader.length + 1;
    const cost = block.text.length + 2 + header;
    // Decisions stay contiguous from the newest: once one is cut, older ones are cut too.
    if (used + cost <= maxChars - reserve) {
      kept.push(block);
      used += cost;
    } else if (block.decision) {
      decisionsCut = true;
    }
  }
  for (;;) {
    const cut = blocks.filter((b) => !kept.includes(b)).map((b) => b.label);
    const note = `[memory cut to fit ${maxChars} characters; not shown: ${summarizeCut(cut)}. Read them with memory_read.]`;
    const text = `${render(intro, kept)}\n\n${note}`;
    if (text.length <= maxChars) return text;
    if (kept.length === 0) return note.slice(0, maxChars);
    kept.pop();
  }
}

function render(intro: string, blocks: readonly MemoryBlock[]): string {
  const parts = [intro];
  let lastHeader = '';
  for (const block of blocks) {
    if (block.fileHeader !== lastHeader) {
      parts.push(`${block.fileHeader}\n${block.text}`);
      lastHeader = block.fileHeader;
    } else {
      parts.push(block.text);
    }
  }
  return parts.join('\n\n');
}

function sectionBlocks(file: MemoryFileSnapshot, relativePath: string): MemoryBlock[] {
  const lines = splitLines(file.text);
  const cuts = findMarkdownHeadings(lines).filter((h) => h.level <= 2);
  const starts = [1, ...cuts.map((h) => h.line).filter((l) => l > 1)];
  const name = path.basename(file.path);
  const blocks: MemoryBlock[] = [];
  starts.forEach((start, i) => {
    const end = (starts[i + 1] ?? lines.length + 1) - 1;
    const text = lines.slice(start - 1, end).join('\n').trim();
    if (text.length === 0) return;
    const heading = cuts.find((h) => h.line === start);
    const label = heading ? `${name} "${heading.heading}"` : `${name} preamble`;
    blocks.push({ fileHeader: `--- ${relativePath}`, label, text, decision: false });
  });
  return blocks;
}

function decisionBlocks(file: MemoryFileSnapshot, relativePath: string): MemoryBlock[] {
  const lines = splitLines(file.text);
  const entries = findMarkdownHeadings(lines).filter((h) => h.level === 2);
  const name = path.basename(file.path);
  const blocks: MemoryBlock[] = entries.map((entry, i) => ({
    fileHeader: `--- ${relativePath} (newest first)`,
    label: `${name} entry "${entry.heading}" (line ${entry.line})`,
    text: lines.slice(entry.line - 1, (entries[i + 1]?.line ?? lines.length + 1) - 1).join('\n').trim(),
    decision: true,
  }));
  return blocks.reverse();
}

function summarizeCut(labels: readonly string[]): string {
  const shown = labels.slice(0, 5);
  return labels.length > shown.length ? `${shown.join('; ')}; and ${labels.length - shown.length} more` : shown.join('; ');
}
