import type { CodeSpan, FoundCitation } from './citationLineScan';

/**
 * Pairs citations with inline code on their line. When the line's first code comes before its first citation the
 * code precedes what it quotes (`` `x = 1` at a.ts:3 ``); otherwise each citation takes the first code after it.
 * Code right next to the citation is its quote ("a.ts:3 — `x = 1`", "a.ts:3 (`x`)"). Code further on in the same
 * sentence is its quote when the words before it introduce it as the cited text ("where it says `…`", "contains the
 * line `…`", "the code `…`", "calls `retry(3)`"); then a lone identifier (`USER`, `npm`) only counts after a verb of
 * quoting (says, reads, contains, shows): elsewhere it names a thing rather than quoting a line. Negations and advice
 * ("should be `…`", "instead of `…`", "no `USER` line") never introduce a quote: the code is not claimed to be there.
 */
export function attachInlineQuotes(citations: FoundCitation[], quotes: readonly CodeSpan[], line: string): void {
  const firstCitation = citations[0];
  const firstQuote = quotes[0];
  if (firstCitation === undefined || firstQuote === undefined) return;
  const before = firstQuote.start < firstCitation.start;
  citations.forEach((citation, i) => {
    const low = before ? (citations[i - 1]?.end ?? 0) : citation.end;
    const high = before ? citation.start : (citations[i + 1]?.start ?? Number.POSITIVE_INFINITY);
    const inRange = quotes.filter((q) => q.start >= low && q.end <= high);
    const pick = before ? inRange[inRange.length - 1] : inRange[0];
    if (pick !== undefined) {
      const gap = before ? line.slice(pick.end, citation.start) : line.slice(citation.end, pick.start);
      if (QUOTE_CONNECTOR.test(gap)) {
        citation.quote = pick.content;
        return;
      }
    }
    // The first code after the citation, before the next citation, in the same sentence.
    const next = citations[i + 1]?.start ?? Number.POSITIVE_INFINITY;
    const after = quotes.find((q) => q.start >= citation.end && q.end <= next);
    if (after === undefined) return;
    const words = line.slice(citation.end, after.start);
    if (introducesQuote(words, after.content)) citation.quote = after.content;
  });
}

// What may stand between a citation and its quote: punctuation, dashes, and at most one linking word.
const QUOTE_CONNECTOR = /^[\s:;,.()[\]\-\u2013\u2014=>*_]*(?:(?:at|in|from|see|on|is|reads|shows|says|contains)[\s:;,.()[\]\-\u2013\u2014=>*_]*)?$/i;
// A sentence ends between the citation and the code: the code belongs to another statement.
const SENTENCE_BREAK = /[.!?](?:\s|$)|;\s/;
// Words that deny or advise rather than state what the cited lines hold.
const NOT_A_CLAIM = /\b(?:not|no|never|none|without|instead|rather|than|unlike|versus|vs|should|could|would|must|might|may|can|cannot|to|replace|replaced|change|changed|add|adding|remove|removed|use|try|consider|prefer|suggest|recommend|like|missing|lacks?|fix|fixed|better|e\.g|such|example|compare|compared|unless|if|whether|or)\b|n't\b/i;
// The words right before the code that present it as the cited text; group 1 is a verb of quoting.
const INTRODUCER = /(?:\b(says|said|reads|read|contains|contain|shows|show|has\s+the\s+(?:line|text)|the\s+(?:line|lines|code|snippet|text|string))|\b(?:is|are|was|were|has|have|holds|defines|declares|sets|calls|runs|invokes|uses|does|returns|checks|starts|opens|builds|exports|imports|pins)|\bthe\s+(?:statement|call|expression|condition|check|definition|declaration|text|string|instruction|entry|setting|command|step|rule|directive|assignment|import|guard|loop|block)|[:\u2014\u2013(=])(?:\s+(?:the\s+)?(?:line|lines|code|snippet|statement|call|expression|text|string|instruction|command|entry)s?)?\s*:?\s*$/i;

function introducesQuote(words: string, code: string): boolean {
  if (words.length > 120 || SENTENCE_BREAK.test(words) || NOT_A_CLAIM.test(words)) return false;
  const match = INTRODUCER.exec(words);
  if (match === null) return false;
  return match[1] !== undefined || !isLoneIdentifier(code);
}

/** `USER`, `npm`, `os.path`, `--no-cache`: a name, not a line of code. */
function isLoneIdentifier(code: string): boolean {
  return /^[\w.@/$-]+$/.test(code.trim());
}
