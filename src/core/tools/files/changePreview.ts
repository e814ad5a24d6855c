import * as path from 'node:path';
import { markdownFence } from '../framework/markdownFence';
import { formatUnifiedDiff } from '../../text/unifiedDiff';

/** Longest diff or new-file text shown in a confirmation. */
const MAX_PREVIEW_CHARS = 20_000;

/** Lines in a text: a final newline does not start another line; the empty text has none. */
export function countLines(text: string): number {
  if (text === '') return 0;
  const newlines = text.split('\n').length - 1;
  return text.endsWith('\n') ? newlines : newlines + 1;
}

/** A unified diff for a confirmation, fenced and bounded. */
export function diffPreview(shown: string, before: string, after: string): string {
  const diff = formatUnifiedDiff(shown, before, after);
  if (diff === '') return 'No change: the file already has exactly this content.';
  return markdownFence(bounded(diff), 'diff');
}

/** New file text for a confirmation, fenced and bounded. */
export function contentPreview(content: string, fileName: string): string {
  const extension = path.extname(fileName).slice(1).toLowerCase();
  const language = /^[a-z0-9]+$/.test(extension) ? extension : '';
  return markdownFence(bounded(content), language);
}

function bounded(text: string): string {
  if (text.length <= MAX_PREVIEW_CHARS) return text;
  const cut = text.lastIndexOf('\n', MAX_PREVIEW_CHARS);
  const kept = text.slice(0, cut > 0 ? cut : MAX_PREVIEW_CHARS);
  return `${kept}\n… ${countLines(text) - countLines(kept)} more lines not shown`;
}
