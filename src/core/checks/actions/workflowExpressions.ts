// `${{ … }}` expressions inside workflow values: where they are, and which contexts they read.

export interface ExpressionSpan {
  /** Offset of `${{` in the scanned text. */
  readonly start: number;
  /** Offset just after `}}`. */
  readonly end: number;
  /** The expression between the braces, trimmed. */
  readonly body: string;
}

/** Every `${{ … }}` in text; a `}}` inside a '…' string literal does not close it. */
export function findExpressions(text: string): ExpressionSpan[] {
  const spans: ExpressionSpan[] = [];
  let from = 0;
  for (;;) {
    const start = text.indexOf('${{', from);
    if (start < 0) return spans;
    let index = start + 3;
    let inString = false;
    let closed = -1;
    while (index < text.length) {
      const char = text[index];
      if (char === "'") inString = !inString;
      else if (!inString && char === '}' && text[index + 1] === '}') {
        closed = index;
        break;
      }
      index += 1;
    }
    if (closed < 0) return spans;
    spans.push({ start, end: closed + 2, body: text.slice(start + 3, closed).trim() });
    from = closed + 2;
  }
}

/** The context paths an expression reads (`github.event.issue.title`), indexes written as `.name` or `.*`. */
export function contextPaths(body: string): string[] {
  const withoutStrings = body.replace(/'(?:[^']|'')*'/g, "''");
  const paths: string[] = [];
  const pattern = /(?<![A-Za-z0-9_.\-\]])([A-Za-z_][A-Za-z0-9_-]*)((?:\s*\.\s*[A-Za-z0-9_*-]+|\s*\[[^\]]*\])*)/g;
  for (const match of withoutStrings.matchAll(pattern)) {
    const head = match[1] as string;
    const tail = match[2] ?? '';
    // a name followed by `(` is a function call (`contains(…)`, `toJSON(…)`), not a context
    const after = withoutStrings.slice((match.index ?? 0) + match[0].length).trimStart();
    if (after.startsWith('(') && tail === '') continue;
    if (/^(true|false|null|NaN|Infinity)$/.test(head)) continue;
    const normalised = tail
      .replace(/\s+/g, '')
      .replace(/\[\s*''\s*\]/g, '.*')
      .replace(/\[[^\]]*\]/g, '.*');
    paths.push((head + normalised).toLowerCase());
  }
  return paths;
}

// Fields of event payloads that whoever opens the issue, pull request, comment or branch writes freely.
const UNTRUSTED_FIELDS = new Set([
  'title', 'body', 'message', 'head_ref', 'head_branch', 'label', 'page_name', 'default_branch', 'name', 'email',
  'description', 'homepage',
]);
// Payload objects whose whole JSON (`toJSON(github.event.issue)`) carries the fields above.
const UNTRUSTED_OBJECTS = new Set([
  'github.event', 'github.event.issue', 'github.event.pull_request', 'github.event.pull_request.head',
  'github.event.comment', 'github.event.review', 'github.event.review_comment', 'github.event.discussion',
  'github.event.head_commit', 'github.event.commits', 'github.event.commits.*', 'github.event.workflow_run',
  'github.event.pages', 'github.event.pages.*', 'github.event.head_commit.author', 'github.event.inputs',
]);
// Fields named like the ones above that nobody outside the repository controls.
const TRUSTED_PATHS = new Set([
  'github.event.repository.name', 'github.event.repository.full_name', 'github.event.repository.default_branch',
  'github.event.repository.description', 'github.event.repository.homepage', 'github.event.organization.name',
  'github.event.sender.name', 'github.event.workflow.name', 'github.event.workflow_run.name',
  'github.event.pull_request.base.repo.name', 'github.event.pull_request.base.repo.default_branch',
  'github.event.release.name', 'github.event.action',
]);

/** True when a context path can hold text an outsider chose (an issue title, a fork's branch name, …). */
export function isAttackerControlled(path: string): boolean {
  if (path === 'github.head_ref') return true;
  if (!path.startsWith('github.event')) return false;
  if (TRUSTED_PATHS.has(path)) return false;
  if (UNTRUSTED_OBJECTS.has(path)) return true;
  if (path.startsWith('github.event.client_payload')) return true;
  if (path.endsWith('.head.ref') || path.endsWith('.head.label')) return true;
  if (path.startsWith('github.event.repository.') || path.startsWith('github.event.organization.')) return false;
  const last = path.slice(path.lastIndexOf('.') + 1);
  return UNTRUSTED_FIELDS.has(last);
}
