import { bounded } from '../text/bounded';

/** One line of placeholder, mock or simulated code the seed's CRITICAL RULES forbid. */
export interface GuardHit {
  /** 1-based. */
  readonly line: number;
  readonly rule: string;
  /** The offending line, trimmed and bounded. */
  readonly excerpt: string;
  readonly explanation: string;
}

type Language = 'js' | 'python' | 'go' | 'shell';

interface LineContext {
  readonly lines: readonly string[];
  readonly comments: readonly string[];
  readonly index: number;
  readonly language: Language;
}

interface PlaceholderRule {
  readonly id: string;
  readonly languages: readonly Language[];
  readonly explanation: string;
  matches(line: string, ctx: LineContext): boolean;
}

const ASK_FOR_REAL =
  'The agent rules forbid placeholder, mock and simulated code outside tests: write the real implementation, or stop and report `Cannot implement: <reason>`.';
const MAX_EXCERPT = 160;
const MAX_SCANNED_LINE = 4000;

// Marker words are assembled from pieces so this file does not trip its own rules when the repository scans itself.
const TODO_WORDS = `(?:${'TO'}${'DO'}|${'FIX'}${'ME'}|XXX)`;
const NOT_IMPLEMENTED = `(?:not[ _-]?(?:yet[ _-]?)?${'implem'}ented|un${'implem'}ented|${'implem'}ent me|${TODO_WORDS}\\b|stub\\b)`;
const SIMULATION_WORDS = new RegExp(`\\b(?:${'simul'}at\\w*|${'pretend'}\\w*|${'fake'}\\w*|${'mimic'}\\w*|${'emul'}at\\w*)`, 'i');
const PLACEHOLDER_WORDS = new RegExp(
  `\\b(?:${'dum'}my|${'fa'}ke|${'place'}holder|hard-?coded|${'stu'}b(?:bed)?|${'mo'}ck(?:ed)?|${'pretend'}|${'simul'}at\\w*)\\b`,
  'i',
);
// Weaker hints count only in a comment on the return line itself.
const STOPGAP_WORDS = /\b(?:for now|temporar(?:y|ily))\b/i;
const PASS_COMMENT_WORDS = new RegExp(
  `\\b(?:${TODO_WORDS}|${'implem'}ent (?:me|later|this)|(?:to be|not yet|not) ${'implem'}ented|${'place'}holder|${'stu'}b(?:bed)?|${'dum'}my|${'fa'}ke|fill (?:this )?in)\\b`,
  'i',
);
const METRIC_NAME = '\\w*(?:cpu|memory|mem_?usage|latency|duration|throughput|usage|metrics?|load_?avg|temperature|rps|qps|response_?time|uptime|utili[sz]ation|error_?rate|success_?rate|disk|bandwidth|requests_?per|health_?score|availability)\\w*';
const RANDOM_CALL: Readonly<Record<Language, string>> = {
  js: `Math\\.${'ran'}dom\\(`,
  python: `(?:\\b${'ran'}dom\\.(?:randint|random|uniform|gauss|choice|randrange|normalvariate|triangular)|\\b(?:np|numpy)\\.${'ran'}dom\\.\\w+)\\(`,
  go: `\\brand\\.(?:Intn|Int63n?|Int31n?|Int|Float64|Float32|NormFloat64|ExpFloat64)\\(`,
  shell: `\\$${'RAN'}DOM\\b`,
};
const SLEEP_CALL: Readonly<Record<Language, RegExp>> = {
  js: new RegExp(`\\b(?:set${'Timeout'}|${'sle'}ep|${'del'}ay)\\s*\\(`),
  python: new RegExp(`\\b(?:time\\.|asyncio\\.)?${'sle'}ep\\s*\\(`),
  go: new RegExp(`\\btime\\.${'Sle'}ep\\s*\\(`),
  shell: new RegExp(`^\\s*${'sle'}ep\\s+\\d`),
};
const COUNTED_LOOP: Readonly<Record<Language, RegExp>> = {
  js: /^\s*for\s*\(\s*(?:let|var|const)?\s*\w+\s*=\s*0\s*;|Array\.from\(\s*\{\s*length\b|\[\s*\.\.\.Array\(/,
  python: /^\s*for\s+\w+\s+in\s+range\s*\(/,
  go: /^\s*for\s+\w+\s*:=\s*0\s*;/,
  shell: /^\s*for\s+\w+\s+in\s+(?:\$\(\s*seq\b|\{\d+\.\.\d+\})|^\s*for\s*\(\(/,
};
const LITERAL_VALUE = /^(?:-?\d[\d_.]*(?:e-?\d+)?|(["'`]).*\1|true|false|True|False|None|null|nil|undefined|\[.*\]|\{.*\}|\(.*\))\s*;?$/;

function rx(source: string, flags = ''): RegExp {
  return new RegExp(source, flags);
}

const NOT_IMPLEMENTED_RE = rx(NOT_IMPLEMENTED, 'i');
const JS_NOT_IMPLEMENTED = rx(`\\bthrow\\s+(?:new\\s+\\w*Error\\s*\\(\\s*)?["'\`]\\s*${NOT_IMPLEMENTED}`, 'i');
const GO_NOT_IMPLEMENTED = rx(`\\bpanic\\(\\s*(?:errors\\.New\\(\\s*|fmt\\.Errorf\\(\\s*)?["\`]\\s*${NOT_IMPLEMENTED}`, 'i');
const PY_NOT_IMPLEMENTED = rx(`^\\s*raise\\s+${'NotImpl'}ementedError\\b(.*)$`);
const TODO_IMPLEMENT = rx(
  `^\\s*${TODO_WORDS}\\b[\\s:(-]*(?:[\\w@.-]+\\)\\s*:?\\s*)?(?:${'implem'}ent|add (?:the )?real|replace (?:this |it )?with (?:a |the )?real|real ${'implem'}entation|write (?:the )?(?:real )?${'implem'}entation)`,
  'i',
);
const IMPLEMENT_LATER = rx(
  `^\\s*(?:${'implem'}ent (?:me|later|this later)\\b|not ${'implem'}ented yet|${'stu'}b(?:bed)? out\\b|${'stu'}b ${'implem'}entation|${'place'}holder ${'implem'}entation)`,
  'i',
);
const RETURN_STATEMENT = /^\s*return\s+(.*)$/;
const FAKE_DATA = rx(
  `(?:require\\(\\s*["'](?:@faker-js/)?${'fak'}er["']|from\\s+["'](?:@faker-js/)?${'fak'}er["']|^\\s*import\\s+${'fak'}er\\b|^\\s*from\\s+(?:${'fak'}er|mimesis)\\s+import\\b|\\b${'Fak'}er\\s*\\(|\\b${'fak'}er\\.\\w+\\.\\w+\\(|\\bnew\\s+Chance\\s*\\()`,
);
function randomMetricPatterns(language: Language): readonly RegExp[] {
  const random = RANDOM_CALL[language];
  return [
    rx(`\\b${METRIC_NAME}["'\\]]?\\s*(?::=|\\+=|=(?!=)|:)\\s*[^;\\n]*${random}`, 'i'),
    rx(`(?:\\.(?:observe|record|recordValue|gauge|histogram|timing)\\(|\\b\\w*(?:gauge|metric|histogram|counter)\\w*\\.(?:set|add|inc|observe|record)\\()[^\\n]*${random}`, 'i'),
  ];
}
const RANDOM_METRIC: Readonly<Record<Language, readonly RegExp[]>> = {
  js: randomMetricPatterns('js'),
  python: randomMetricPatterns('python'),
  go: randomMetricPatterns('go'),
  shell: randomMetricPatterns('shell'),
};
const ECHO_STUB = rx(`^\\s*echo\\s+[^\\n]*(?:${TODO_WORDS}|not ${'implem'}ented|un${'implem'}ented|${'place'}holder|${'stu'}b\\b)`, 'i');
const MOCK_NAMES = `(?:${'Fa'}ke|${'Mo'}ck|${'St'}ub|${'Dum'}my)`;
// Variables and functions are only flagged for mock/fake: `stub_file` and `dummy_row` are ordinary names.
const MOCK_NAMES_LOWER = `(?:${'fa'}ke|${'mo'}ck)`;
const JS_MOCKS = [
  rx(`^\\s*(?:export\\s+)?(?:default\\s+)?(?:abstract\\s+)?class\\s+${MOCK_NAMES}[A-Z_]\\w*`),
  rx(`^\\s*(?:export\\s+)?(?:const|let|var)\\s+${MOCK_NAMES_LOWER}[A-Z_]\\w*\\s*[=:]`),
  rx(`^\\s*(?:export\\s+)?(?:async\\s+)?function\\s*\\*?\\s*${MOCK_NAMES_LOWER}[A-Z_]\\w*\\s*[(<]`),
  rx(`\\b(?:jest\\.(?:fn|${'mo'}ck|spyOn)|sinon\\.(?:${'st'}ub|${'mo'}ck|${'fa'}ke|spy))\\s*\\(|from\\s+["'](?:sinon|jest-${'mo'}ck|ts-${'mo'}ckito|testdouble)["']|require\\(\\s*["'](?:sinon|jest-${'mo'}ck|testdouble)["']`),
];
const PY_MOCKS = [
  rx(`^\\s*class\\s+${MOCK_NAMES}[A-Z_]\\w*`),
  rx(`^\\s*${MOCK_NAMES_LOWER}_\\w+\\s*=(?!=)`),
  rx(`^\\s*(?:async\\s+)?def\\s+${MOCK_NAMES_LOWER}_\\w+\\s*\\(`),
  rx(`^\\s*from\\s+unittest(?:\\.${'mo'}ck)?\\s+import\\b[^#\\n]*\\b(?:${'mo'}ck|Mock|MagicMock|patch)\\b|^\\s*import\\s+(?:unittest\\.)?${'mo'}ck\\b|\\bMagic${'Mo'}ck\\s*\\(`),
];
const GO_MOCKS = [
  rx(`^\\s*type\\s+(?:${MOCK_NAMES}|${MOCK_NAMES_LOWER})[A-Z_]\\w*\\s+struct\\b`),
  rx(`^\\s*func\\s+(?:\\([^)]*\\)\\s*)?(?:${MOCK_NAMES}|${MOCK_NAMES_LOWER})[A-Z_]\\w*\\s*\\(`),
  rx(`"github\\.com/(?:golang/${'mo'}ck|stretchr/testify/${'mo'}ck)|"go\\.uber\\.org/${'mo'}ck`),
];
const MOCK_EXPLANATION = `Defines or uses a mock, stub or fake in non-test code; production code must do the real thing. ${ASK_FOR_REAL}`;

const RULES: readonly PlaceholderRule[] = [
  {
    id: 'not-implemented',
    languages: ['js'],
    explanation: `Throws a "not implemented" error instead of doing the work. ${ASK_FOR_REAL}`,
    matches: (line) => JS_NOT_IMPLEMENTED.test(line),
  },
  {
    id: 'not-implemented',
    languages: ['go'],
    explanation: `Panics with "not implemented" instead of doing the work. ${ASK_FOR_REAL}`,
    matches: (line) => GO_NOT_IMPLEMENTED.test(line),
  },
  {
    id: 'not-implemented',
    languages: ['python'],
    explanation: `Raises ${'NotImpl'}ementedError where the function should do its job (abstract methods are exempt). ${ASK_FOR_REAL}`,
    matches: (line, ctx) => pythonNotImplemented(line, ctx),
  },
  {
    id: 'todo-implement',
    languages: ['js', 'python', 'go', 'shell'],
    explanation: `A to-do marker stands in for the implementation. ${ASK_FOR_REAL}`,
    matches: (_line, ctx) => {
      const comment = ctx.comments[ctx.index] ?? '';
      return comment !== '' && (TODO_IMPLEMENT.test(comment) || IMPLEMENT_LATER.test(comment));
    },
  },
  {
    id: 'pass-placeholder',
    languages: ['python'],
    explanation: `The function body is only \`pass\` with a to-do or placeholder comment. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => pythonPassPlaceholder(line, ctx),
  },
  {
    id: 'hardcoded-return',
    languages: ['js', 'python', 'go'],
    explanation: `Returns a hard-coded value marked as dummy, fake or placeholder instead of computing the real result. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => {
      const m = RETURN_STATEMENT.exec(codeOf(line, ctx));
      if (!m || !LITERAL_VALUE.test((m[1] as string).trim())) return false;
      const previous = ctx.index > 0 && isCommentOnly(ctx.lines[ctx.index - 1] as string, ctx.language) ? ctx.comments[ctx.index - 1] ?? '' : '';
      const own = ctx.comments[ctx.index] ?? '';
      return PLACEHOLDER_WORDS.test(own) || STOPGAP_WORDS.test(own) || PLACEHOLDER_WORDS.test(previous);
    },
  },
  {
    id: 'fake-data-generator',
    languages: ['js', 'python'],
    explanation: `Generates fake data (faker and similar) where real data should be collected. ${ASK_FOR_REAL}`,
    matches: (line) => FAKE_DATA.test(line),
  },
  {
    id: 'random-metric',
    languages: ['js', 'python', 'go', 'shell'],
    explanation: `Produces a metric or measurement from a random number instead of measuring it. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => {
      const code = codeOf(line, ctx);
      return RANDOM_METRIC[ctx.language].some((re) => re.test(code));
    },
  },
  {
    id: 'simulated-work',
    languages: ['js', 'python', 'go', 'shell'],
    explanation: `Sleeps to simulate work (a deployment, a request, processing) instead of doing it. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => SLEEP_CALL[ctx.language].test(codeOf(line, ctx)) && nearbyComment(ctx, 2, 0, SIMULATION_WORDS),
  },
  {
    id: 'simulated-instances',
    languages: ['js', 'python', 'go', 'shell'],
    explanation: `A counted loop pretends to be several instances, nodes or workers instead of running real ones. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => COUNTED_LOOP[ctx.language].test(codeOf(line, ctx)) && nearbyComment(ctx, 2, 1, SIMULATION_WORDS),
  },
  {
    id: 'echo-stub',
    languages: ['shell'],
    explanation: `Prints a to-do message and exits successfully, so callers think the step worked. ${ASK_FOR_REAL}`,
    matches: (line, ctx) => {
      if (!ECHO_STUB.test(line)) return false;
      if (/(?:;|&&)\s*(?:exit|return)\s+0\b/.test(line)) return true;
      for (let j = ctx.index + 1; j < ctx.lines.length; j += 1) {
        const next = (ctx.lines[j] as string).trim();
        if (next === '' || next.startsWith('#')) continue;
        return /^(?:exit|return)\s+0\b/.test(next);
      }
      return false;
    },
  },
  { id: 'mock-in-source', languages: ['js'], explanation: MOCK_EXPLANATION, matches: (line) => JS_MOCKS.some((re) => re.test(line)) },
  { id: 'mock-in-source', languages: ['python'], explanation: MOCK_EXPLANATION, matches: (line) => PY_MOCKS.some((re) => re.test(line)) },
  { id: 'mock-in-source', languages: ['go'], explanation: MOCK_EXPLANATION, matches: (line) => GO_MOCKS.some((re) => re.test(line)) },
];

/**
 * Finds placeholder, mock and simulated code in a file a tool is about to write: the seed's "no mocking or
 * simulating" rules made checkable. Covers TypeScript/JavaScript, Python, Go and shell (by extension, or by shebang
 * for files without one); other files yield nothing. Test code is exempt because mocks belong there: any path with
 * a folder named test, tests, __tests__, __mocks__, mocks, fixtures, testdata, spec or e2e, and files named
 * *.test.*, *.spec.*, *_test.go, test_*.py, *_test.py or conftest.py, plus type stubs (*.d.ts, *.pyi).
 */
export function findPlaceholderCode(path: string, content: string): GuardHit[] {
  if (isExemptPath(path)) return [];
  const lines = content.split(/\r?\n/);
  const language = languageOf(path, lines[0] ?? '');
  if (!language) return [];
  const rules = RULES.filter((r) => r.languages.includes(language));
  const comments = lines.map((line) => (line.length > MAX_SCANNED_LINE ? '' : commentOf(line, language)));
  const hits: GuardHit[] = [];
  lines.forEach((line, index) => {
    if (line.length > MAX_SCANNED_LINE) return;
    const ctx: LineContext = { lines, comments, index, language };
    for (const rule of rules) {
      if (!rule.matches(line, ctx)) continue;
      hits.push({ line: index + 1, rule: rule.id, excerpt: excerptOf(line), explanation: rule.explanation });
      break;
    }
  });
  return hits;
}

/**
 * The hits in `after` that `before` did not already have (same rule and line text), so editing a file that already
 * contains such code is judged only on what the edit adds.
 */
export function findIntroducedPlaceholderCode(path: string, before: string | undefined, after: string): GuardHit[] {
  const afterHits = findPlaceholderCode(path, after);
  if (before === undefined || afterHits.length === 0) return afterHits;
  const existing = new Map<string, number>();
  for (const hit of findPlaceholderCode(path, before)) {
    const key = `${hit.rule}\0${hit.excerpt}`;
    existing.set(key, (existing.get(key) ?? 0) + 1);
  }
  return afterHits.filter((hit) => {
    const key = `${hit.rule}\0${hit.excerpt}`;
    const left = existing.get(key) ?? 0;
    if (left > 0) {
      existing.set(key, left - 1);
      return false;
    }
    return true;
  });
}

/** Test code, fixtures and type stubs, where mocks and empty bodies are expected. */
export function isExemptPath(path: string): boolean {
  const segments = path.replace(/\\/g, '/').split('/').filter((s) => s !== '');
  const name = (segments.pop() ?? '').toLowerCase();
  const folders = new Set(['test', 'tests', '__tests__', '__mocks__', 'mocks', 'fixtures', 'testdata', 'spec', 'e2e']);
  if (segments.some((s) => folders.has(s.toLowerCase()))) return true;
  return (
    /\.(?:test|spec)\.[^.]+$/.test(name) ||
    /_test\.(?:go|py)$/.test(name) ||
    /^test_.*\.py$/.test(name) ||
    name === 'conftest.py' ||
    name.endsWith('.d.ts') ||
    name.endsWith('.pyi')
  );
}

function languageOf(path: string, firstLine: string): Language | undefined {
  const name = path.replace(/\\/g, '/').split('/').pop() ?? '';
  const ext = /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase();
  if (ext !== undefined) {
    if (['ts', 'tsx', 'mts', 'cts', 'js', 'jsx', 'mjs', 'cjs'].includes(ext)) return 'js';
    if (ext === 'py') return 'python';
    if (ext === 'go') return 'go';
    if (['sh', 'bash', 'zsh', 'ksh'].includes(ext)) return 'shell';
  }
  if (!firstLine.startsWith('#!')) return undefined;
  if (/\b(?:ba|z|k|da)?sh\b/.test(firstLine)) return 'shell';
  if (/\bpython[0-9.]*\b/.test(firstLine)) return 'python';
  if (/\b(?:node|deno|bun|tsx|ts-node)\b/.test(firstLine)) return 'js';
  return undefined;
}

/** The comment text on a line (after `//` or `#`, or a block-comment line), or '' when there is none. */
function commentOf(line: string, language: Language): string {
  const trimmed = line.trim();
  if (language === 'js' || language === 'go') {
    if (trimmed.startsWith('//')) return trimmed.slice(2);
    if (trimmed.startsWith('/*')) return trimmed.slice(2).replace(/\*\/\s*$/, '');
    if (trimmed.startsWith('*')) return trimmed.slice(1).replace(/\*\/\s*$/, '');
    const at = unquotedIndex(line, '//');
    return at < 0 ? '' : line.slice(at + 2);
  }
  if (trimmed.startsWith('#!')) return '';
  if (trimmed.startsWith('#')) return trimmed.slice(1);
  const at = unquotedIndex(line, ' #');
  return at < 0 ? '' : line.slice(at + 2);
}

/** The line without its trailing comment. */
function codeOf(line: string, ctx: LineContext): string {
  const comment = ctx.comments[ctx.index] ?? '';
  if (comment === '') return line;
  return isCommentOnly(line, ctx.language) ? '' : line.slice(0, line.length - comment.length).replace(/(?:\/\/|#)\s*$/, '');
}

function isCommentOnly(line: string, language: Language): boolean {
  const trimmed = line.trim();
  if (language === 'js' || language === 'go') return trimmed.startsWith('//') || trimmed.startsWith('/*') || trimmed.startsWith('*');
  return trimmed.startsWith('#');
}

/** First index of `needle` outside quotes, -1 if none; URLs (`://`) are not comments. */
function unquotedIndex(line: string, needle: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i += 1) {
    const c = line[i] as string;
    if (quote) {
      if (c === '\\') i += 1;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
      continue;
    }
    if (line.startsWith(needle, i) && !(needle === '//' && line[i - 1] === ':')) return i;
  }
  return -1;
}

function nearbyComment(ctx: LineContext, before: number, after: number, words: RegExp): boolean {
  const from = Math.max(0, ctx.index - before);
  const to = Math.min(ctx.lines.length - 1, ctx.index + after);
  for (let j = from; j <= to; j += 1) if (words.test(ctx.comments[j] ?? '')) return true;
  return false;
}

function indentOf(line: string): number {
  return /^\s*/.exec(line)?.[0].length ?? 0;
}

/** The `def` line enclosing line `index` (less indented, above it), or -1. */
function enclosingDef(ctx: LineContext): number {
  const indent = indentOf(ctx.lines[ctx.index] as string);
  for (let j = ctx.index - 1; j >= 0; j -= 1) {
    const line = ctx.lines[j] as string;
    if (line.trim() === '') continue;
    if (indentOf(line) < indent && /^\s*(?:async\s+)?def\s/.test(line)) return j;
    if (indentOf(line) < indent && !/^\s*(?:@|#)/.test(line)) return -1;
  }
  return -1;
}

/** Whether lines between the def and this line hold only blank lines, comments and a docstring. */
function bodyIsOnlyThisStatement(ctx: LineContext, defIndex: number): boolean {
  let inDocstring = '';
  for (let j = defIndex + 1; j < ctx.index; j += 1) {
    const t = (ctx.lines[j] as string).trim();
    if (inDocstring) {
      if (t.includes(inDocstring)) inDocstring = '';
      continue;
    }
    if (t === '' || t.startsWith('#')) continue;
    const open = /^[rRbBuUfF]?("""|''')/.exec(t);
    if (open) {
      const quote = open[1] as string;
      if (t.indexOf(quote, open[0].length) < 0) inDocstring = quote;
      continue;
    }
    if (/^(["']).*\1$/.test(t)) continue;
    return false;
  }
  return true;
}

function isAbstract(ctx: LineContext, defIndex: number): boolean {
  for (let j = defIndex - 1; j >= 0; j -= 1) {
    const t = (ctx.lines[j] as string).trim();
    if (!t.startsWith('@')) break;
    if (/^@(?:abc\.)?abstract\w*/.test(t)) return true;
  }
  const defIndent = indentOf(ctx.lines[defIndex] as string);
  for (let j = defIndex - 1; j >= 0; j -= 1) {
    const line = ctx.lines[j] as string;
    if (line.trim() === '' || indentOf(line) >= defIndent) continue;
    const cls = /^\s*class\s+(\w+)\s*(?:\(([^)]*)\))?/.exec(line);
    if (!cls) return false;
    const name = cls[1] as string;
    const bases = cls[2] ?? '';
    if (/\b(?:ABC|ABCMeta|Protocol|Interface)\b/.test(bases) || /^(?:Abstract|Base)|(?:Base|Interface|Protocol|Mixin)$/.test(name)) return true;
    // A class this file subclasses is a base class: its unimplemented methods are hooks the subclasses fill.
    const subclass = new RegExp(`^\\s*class\\s+\\w+\\s*\\([^)]*\\b${name}\\b`);
    return ctx.lines.some((other) => subclass.test(other));
  }
  return false;
}

function pythonNotImplemented(line: string, ctx: LineContext): boolean {
  const m = PY_NOT_IMPLEMENTED.exec(codeOf(line, ctx));
  if (!m) return false;
  const def = enclosingDef(ctx);
  if (def >= 0 && isAbstract(ctx, def)) return false;
  const message = (m[1] as string).trim();
  // "Subclasses must implement this" is the abstract-method idiom, not a stub.
  if (/subclass|overrid|abstract/i.test(message)) return false;
  // A specific message ("requires Windows") is a deliberate error; a bare raise or a to-do message is a stub.
  return message === '' || message === '()' || NOT_IMPLEMENTED_RE.test(message) || PASS_COMMENT_WORDS.test(message);
}

function pythonPassPlaceholder(line: string, ctx: LineContext): boolean {
  if (!/^\s*(?:pass|\.\.\.)\s*(?:#.*)?$/.test(line)) return false;
  const def = enclosingDef(ctx);
  if (def < 0 || !bodyIsOnlyThisStatement(ctx, def)) return false;
  for (let j = def; j <= ctx.index; j += 1) {
    const text = j === def || j === ctx.index ? ctx.comments[j] ?? '' : ctx.lines[j] as string;
    if (PASS_COMMENT_WORDS.test(text)) return true;
  }
  return false;
}

function excerptOf(line: string): string {
  const trimmed = line.trim();
  return bounded(trimmed, MAX_EXCERPT);
}

/** The hits as a message for the model, one line each. */
export function describePlaceholderHits(path: string, hits: readonly GuardHit[]): string {
  const lines = hits.map((h) => `- ${path}:${h.line} (${h.rule}): \`${h.excerpt}\``);
  const explanations = [...new Set(hits.map((h) => `${h.rule}: ${h.explanation}`))];
  return [...lines, '', ...explanations].join('\n');
}
