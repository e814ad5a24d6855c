import type { Citation } from './parseCitations';
import type { CitationCheck, CitationStatus } from './verifyCitations';

const QUOTE_PREVIEW_CHARS = 120;

/**
 * The message for the one automatic repair round: lists every citation that failed verification with what is wrong and
 * what to do (the true lines for drift), and asks the model to correct or withdraw each. Undefined when all verified.
 */
export function buildRepairPrompt(checks: readonly CitationCheck[]): string | undefined {
  const seen = new Set<string>();
  const problems = checks.filter((check) => {
    if (check.status === 'verified') return false;
    const key = `${check.citation.path}:${check.citation.startLine}-${check.citation.endLine}|${check.status}|${check.citation.quote ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (problems.length === 0) return undefined;
  return [
    `${problems.length === 1 ? 'One file citation' : `${problems.length} file citations`} in your answer could not be verified against the workspace.`,
    'For each one below, either correct it or withdraw it:',
    '- correct it: give the right path and line numbers and quote the code exactly as it is in the file (read the file first if you have not);',
    '- withdraw it: say plainly that the statement is not backed by a file you have read.',
    'Reply with only the corrected or withdrawn statements, each with its citation; do not repeat the rest of your answer.',
    '',
    ...problems.map((check, i) => `${i + 1}. ${canonicalReference(check.citation)}${quotePreview(check.citation)}: ${check.message}. ${advice(check)}`),
  ].join('\n');
}

function canonicalReference(citation: Citation): string {
  const lines = citation.startLine === citation.endLine ? `${citation.startLine}` : `${citation.startLine}-${citation.endLine}`;
  return `\`${citation.path}:${lines}\``;
}

function quotePreview(citation: Citation): string {
  if (citation.quote === undefined) return '';
  const firstLines = citation.quote.split('\n').filter((line) => line.trim() !== '');
  let preview = (firstLines[0] ?? '').trim();
  if (preview.length > QUOTE_PREVIEW_CHARS || firstLines.length > 1) preview = `${preview.slice(0, QUOTE_PREVIEW_CHARS)}…`;
  return ` (you quoted \`${preview.replace(/`/g, "'")}\`)`;
}

const ADVICE: Readonly<Record<Exclude<CitationStatus, 'verified' | 'line-drift'>, string>> = {
  'missing-file': 'Find the right path (Glob or Grep) and read it, or withdraw the statement.',
  'outside-workspace': 'Only files inside the workspace can be cited; cite a workspace file you have read, or withdraw the statement.',
  'line-out-of-range': 'Read the file and cite lines that exist, or withdraw the statement.',
  'quote-mismatch': 'Read those lines again and quote them exactly, or cite the lines where the quoted code really is.',
  ambiguous: 'Several workspace files match that name: cite the full path from the workspace folder of the one you mean (the one you read).',
  unread: 'Read the file with the Read tool before citing it, then confirm or correct the citation, or withdraw the statement.',
};

function advice(check: CitationCheck): string {
  if (check.status === 'verified') return '';
  if (check.status !== 'line-drift') return ADVICE[check.status];
  const start = check.actualStartLine ?? check.citation.startLine;
  const end = check.actualEndLine ?? start;
  return `Cite \`${check.citation.path}:${start === end ? start : `${start}-${end}`}\` instead.`;
}
