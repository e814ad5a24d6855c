// The YAML side of the check engine: one parse (the `yaml` package, with source positions) shared by the GitHub
// Actions, Kubernetes, Compose and GitLab CI rule sets, and the small typed accessors their rules read nodes with.
import type { Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { Composer, LineCounter, Parser, isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { CheckRange, RuleFinding } from '../checkTypes';

/** A `# …` comment with the one-based line it sits on. */
export interface YamlComment {
  readonly line: number;
  /** The comment text after `#`. */
  readonly text: string;
}

/** Why a file could not be read as YAML: the first error, where it is. */
export interface YamlSyntaxError {
  readonly message: string;
  readonly range: CheckRange;
}

/** One key of a mapping, with the node of the key (for its position) and the value (null when empty). */
export interface YamlEntry {
  readonly key: string;
  readonly keyNode: Scalar;
  readonly value: Node | null;
  readonly pair: Pair;
}

/** A parsed YAML file: every document of the stream, its comments, and one-based ranges for any node. */
export class YamlSource {
  readonly documents: readonly Document.Parsed[];
  readonly comments: readonly YamlComment[];
  /** The first syntax error of the stream (duplicate keys included), if any. */
  readonly syntaxError: YamlSyntaxError | undefined;
  readonly lineCount: number;
  private readonly lineCounter: LineCounter;

  constructor(readonly text: string) {
    this.lineCounter = new LineCounter();
    const parser = new Parser(this.lineCounter.addNewLine);
    const tokens = Array.from(parser.parse(text));
    // the `yaml` package's own duplicate-key check is quadratic in the keys of a mapping; ours below is linear
    const composer = new Composer({ uniqueKeys: false });
    this.documents = Array.from(composer.compose(tokens, true, text.length));
    const comments: YamlComment[] = [];
    // walking the whole syntax tree for comments is only worth it when the text has a `#` at all
    if (text.includes('#')) collectComments(tokens, (offset, source) => {
      comments.push({ line: this.lineCounter.linePos(offset).line, text: source.replace(/^#/, '') });
    });
    this.comments = comments;
    this.lineCount = this.lineCounter.lineStarts.length;
    let firstError: YamlSyntaxError | undefined;
    for (const doc of this.documents) {
      const error = doc.errors[0];
      if (error) {
        const message = error.message.split('\n')[0] ?? error.message;
        firstError = { message, range: this.offsetRange(error.pos[0], Math.max(error.pos[0] + 1, error.pos[1])) };
        break;
      }
    }
    this.syntaxError = firstError ?? this.duplicateKey();
  }

  /** The first key written twice in one mapping (GitHub, kubectl and Compose all refuse those). */
  private duplicateKey(): YamlSyntaxError | undefined {
    const stack: unknown[] = this.documents.map((doc) => doc.contents);
    while (stack.length > 0) {
      const node = stack.pop();
      if (isMap(node)) {
        const seen = new Set<string>();
        for (const pair of node.items) {
          const key = pair.key;
          if (isScalar(key)) {
            const name = String(key.value);
            if (name !== '<<' && seen.has(name)) {
              const span = key.range ?? [0, 0];
              return { message: `Map keys must be unique ("${name}" appears twice)`, range: this.offsetRange(span[0], span[1]) };
            }
            seen.add(name);
          }
          if (pair.value && typeof pair.value === 'object') stack.push(pair.value);
        }
      } else if (isSeq(node)) {
        for (const item of node.items) if (item && typeof item === 'object') stack.push(item);
      }
    }
    return undefined;
  }

  /** The documents whose root is a mapping, in order. */
  mappingDocuments(): YAMLMap[] {
    const roots: YAMLMap[] = [];
    for (const doc of this.documents) {
      const root = this.deref(doc.contents);
      if (isMap(root)) roots.push(root);
    }
    return roots;
  }

  /** Follows an alias (`*anchor`) to its node in the document that holds it; other nodes are returned as they are. */
  deref(node: unknown): Node | null {
    if (isAlias(node)) {
      const at = node.range?.[0] ?? -1;
      const doc = this.documents.find((candidate) => candidate.range[0] <= at && at < candidate.range[2]);
      const target = doc ? node.resolve(doc) : undefined;
      return isMap(target) || isSeq(target) || isScalar(target) ? target : null;
    }
    return isMap(node) || isSeq(node) || isScalar(node) ? node : null;
  }

  map(node: unknown): YAMLMap | undefined {
    const target = this.deref(node);
    return isMap(target) ? target : undefined;
  }

  seq(node: unknown): YAMLSeq | undefined {
    const target = this.deref(node);
    return isSeq(target) ? target : undefined;
  }

  /** The entries of a mapping with a scalar key (merge keys `<<` included as they are written). */
  entries(node: unknown): YamlEntry[] {
    const map = this.map(node);
    if (!map) return [];
    const out: YamlEntry[] = [];
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (!isScalar(keyNode)) continue;
      out.push({ key: String(keyNode.value), keyNode, value: this.deref(pair.value), pair: pair as Pair });
    }
    return out;
  }

  entry(node: unknown, key: string): YamlEntry | undefined {
    const map = this.map(node);
    if (!map) return undefined;
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (isScalar(keyNode) && String(keyNode.value) === key) return { key, keyNode, value: this.deref(pair.value), pair: pair as Pair };
    }
    return undefined;
  }

  get(node: unknown, key: string): Node | null {
    const map = this.map(node);
    if (!map) return null;
    for (const pair of map.items) {
      const keyNode = pair.key;
      if (isScalar(keyNode) && String(keyNode.value) === key) return this.deref(pair.value);
    }
    return null;
  }

  /** Follows a path of keys through nested mappings. */
  at(node: unknown, ...keys: string[]): Node | null {
    let current: Node | null = this.deref(node);
    for (const key of keys) {
      if (!current) return null;
      current = this.get(current, key);
    }
    return current;
  }

  /** The items of a sequence, aliases followed; empty for anything else. */
  items(node: unknown): Node[] {
    const seq = this.seq(node);
    if (!seq) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const target = this.deref(item);
      if (target) out.push(target);
    }
    return out;
  }

  /** A scalar's value as text (numbers and booleans as written by `String`); undefined for collections and null. */
  str(node: unknown): string | undefined {
    const target = this.deref(node);
    if (!isScalar(target) || target.value === null || target.value === undefined) return undefined;
    return typeof target.value === 'string' ? target.value : String(target.value);
  }

  /** True for a YAML boolean true (and the string `true`, which Kubernetes and Compose accept). */
  isTrue(node: unknown): boolean {
    const target = this.deref(node);
    return isScalar(target) && (target.value === true || target.value === 'true');
  }

  isFalse(node: unknown): boolean {
    const target = this.deref(node);
    return isScalar(target) && (target.value === false || target.value === 'false');
  }

  /** One-based range of a node's value (without its trailing comment). */
  range(node: Node | null | undefined): CheckRange {
    const span = node?.range;
    if (!span) return this.offsetRange(0, 0);
    return this.offsetRange(span[0], span[1]);
  }

  /** From the start of one node to the end of another (a key through its value). */
  spanRange(from: Node, to: Node | null): CheckRange {
    const start = from.range?.[0] ?? 0;
    const end = to?.range?.[1] ?? from.range?.[1] ?? start;
    return this.offsetRange(start, Math.max(start, end));
  }

  /** A range over [start, end) offsets; the end is pulled back over trailing line breaks so it stays on a real line. */
  offsetRange(start: number, end: number): CheckRange {
    let last = Math.max(start, end);
    while (last > start && (this.text[last - 1] === '\n' || this.text[last - 1] === '\r')) last -= 1;
    const from = this.lineCounter.linePos(Math.min(start, this.text.length));
    if (last <= start) return { line: from.line, column: from.col, endLine: from.line, endColumn: from.col };
    const to = this.lineCounter.linePos(last - 1);
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col + 1 };
  }

  /** Comments on the lines a range covers. */
  commentsIn(range: CheckRange): YamlComment[] {
    return this.comments.filter((comment) => comment.line >= range.line && comment.line <= range.endLine);
  }
}

function collectComments(value: unknown, found: (offset: number, source: string) => void): void {
  if (Array.isArray(value)) {
    for (const item of value) collectComments(item, found);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const token = value as { type?: unknown; offset?: unknown; source?: unknown };
  if (token.type === 'comment' && typeof token.offset === 'number' && typeof token.source === 'string') {
    found(token.offset, token.source);
    return;
  }
  for (const child of Object.values(value)) {
    if (child && typeof child === 'object') collectComments(child, found);
  }
}

/** Parses YAML text; never throws (the `yaml` parser reports errors instead, and an unexpected throw becomes one). */
export function parseYamlSource(text: string): YamlSource | YamlSyntaxError {
  try {
    return new YamlSource(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { message: `could not parse YAML: ${message}`, range: { line: 1, column: 1, endLine: 1, endColumn: 1 } };
  }
}

/** The one finding a file that is not valid YAML gives. */
export function yamlSyntaxFinding(ruleId: string, error: YamlSyntaxError): RuleFinding {
  return { ruleId, range: error.range, message: `Not valid YAML: ${error.message}` };
}

/**
 * Runs each rule's function and keeps going when one throws on an input nobody foresaw: the others still report,
 * and the failure is one finding (on line 1, under the rule set's syntax rule) instead of an exception.
 */
export function runRuleFunctions(
  ruleFunctions: readonly (() => RuleFinding[])[], failureRuleId: string,
): RuleFinding[] {
  const findings: RuleFinding[] = [];
  for (const run of ruleFunctions) {
    try {
      findings.push(...run());
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      findings.push({ ruleId: failureRuleId, range: { line: 1, column: 1, endLine: 1, endColumn: 1 }, message: `A check failed on this file: ${message}` });
    }
  }
  return findings;
}
