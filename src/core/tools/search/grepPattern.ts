import { ToolInputError } from '../framework/tool';
import { errorMessage } from '../../errors/errorText';

/** One search pattern in the two dialects Grep runs: ripgrep's (Rust regex) and JavaScript's, with equal meaning. */
export interface GrepPattern {
  /** The pattern as the model wrote it. */
  readonly source: string;
  /** Rust regex syntax accepted by ripgrep 13 and later. */
  readonly ripgrep: string;
  /** JavaScript (flag u, plus i when case-insensitive), matched against one line at a time. */
  readonly regex: RegExp;
  readonly caseInsensitive: boolean;
}

/** Invalid UTF-8 bytes reach the JavaScript search as lone surrogates U+DC80–U+DCFF; Rust classes never match them. */
const ESCAPED_BYTE_RANGE = '\\uDC80-\\uDCFF';
const WORD = '\\p{Alphabetic}\\p{M}\\p{Nd}\\p{Pc}\\p{Join_Control}';
const JS_WORD = `[${WORD}]`;
const JS_CLASS: Readonly<Record<string, string>> = { d: '\\p{Nd}', s: '\\p{White_Space}', w: WORD };
const RUST_META = new Set('\\.+*?()|[]{}^$#&-~');
const JS_SYNTAX = new Set('^$\\.*+?()[]{}|/');
const POSIX_CLASSES: Readonly<Record<string, string>> = {
  alnum: '0-9A-Za-z', alpha: 'A-Za-z', ascii: '\\x00-\\x7F', blank: '\\t ', cntrl: '\\x00-\\x1F\\x7F', digit: '0-9',
  graph: '!-~', lower: 'a-z', print: ' -~', punct: '!-\\/:-@\\[-`{-~', space: '\\t\\n\\v\\f\\r ', upper: 'A-Z',
  word: '0-9A-Za-z_', xdigit: '0-9A-Fa-f',
};
const LITERAL_HINT = 'to match it literally, escape it with a backslash';

/**
 * Reads a ripgrep (Rust regex) pattern and writes it for both engines: Rust's Unicode-aware `\d \w \s \b`, `.`
 * (never an invalid byte) and negated classes are spelled out for JavaScript so both find the same lines;
 * `\/`-style escapes of plain punctuation become plain characters (ripgrep 13 rejects them); `(?P<n>…)`/`(?<n>…)`
 * and `\x{…}`/`\u…` are written in each dialect. A leading `(?i)` means case-insensitive.
 * Refused, with the reason: look-around, backreferences, `\n` (lines are searched one by one), `\A \z`, `\< \>`,
 * inline flag groups other than a leading `(?i)`, nested classes and class set operations.
 */
export function translateGrepPattern(pattern: string, caseInsensitive = false): GrepPattern {
  if (pattern.length === 0) throw new ToolInputError('Grep: "pattern" is empty; give a regular expression such as "TODO|FIXME".');
  const translator = new PatternTranslator(pattern);
  const { ripgrep, javascript, inlineCaseInsensitive } = translator.translate();
  const ignoreCase = caseInsensitive || inlineCaseInsensitive;
  let regex: RegExp;
  try {
    regex = new RegExp(javascript, ignoreCase ? 'iu' : 'u');
  } catch (error) {
    const reason = (errorMessage(error)).replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '');
    throw new ToolInputError(`Grep: "pattern" ${JSON.stringify(pattern)} is not a valid regular expression (${reason}); ${LITERAL_HINT}: \\( \\) \\[ \\] \\{ \\} \\. \\* \\+ \\? \\| \\^ \\$ \\\\.`);
  }
  return { source: pattern, ripgrep: ripgrep === '' ? '(?:)' : ripgrep, regex, caseInsensitive: ignoreCase };
}

class PatternTranslator {
  private index = 0;
  private readonly rust: string[] = [];
  private readonly js: string[] = [];
  private inlineCaseInsensitive = false;

  constructor(private readonly pattern: string) {}

  translate(): { ripgrep: string; javascript: string; inlineCaseInsensitive: boolean } {
    while (this.index < this.pattern.length) this.step();
    return { ripgrep: this.rust.join(''), javascript: this.js.join(''), inlineCaseInsensitive: this.inlineCaseInsensitive };
  }

  private fail(message: string): never {
    throw new ToolInputError(`Grep: "pattern" ${JSON.stringify(this.pattern)}: ${message}.`);
  }

  private emit(rust: string, js: string = rust): void {
    this.rust.push(rust);
    this.js.push(js);
  }

  private step(): void {
    const rest = this.pattern.slice(this.index);
    const c = String.fromCodePoint(this.pattern.codePointAt(this.index) as number);
    switch (c) {
      case '\\':
        this.escapeOutsideClass();
        return;
      case '.':
        this.index++;
        this.emit('.', `[^\\n${ESCAPED_BYTE_RANGE}]`);
        return;
      case '[':
        this.characterClass();
        return;
      case '(':
        this.groupOpening(rest);
        return;
      case '{': {
        const quantifier = /^\{(\d+)(,(\d*))?\}\??/.exec(rest);
        if (!quantifier) this.fail(`'{' at position ${this.index + 1} does not start a repetition like {2} or {2,5}; ${LITERAL_HINT} (\\{)`);
        this.index += quantifier[0].length;
        this.emit(quantifier[0]);
        return;
      }
      case '}':
      case ']':
        this.index++;
        this.emit(c, `\\${c}`);
        return;
      default:
        this.index += c.length;
        this.emit(c);
    }
  }

  private groupOpening(rest: string): void {
    if (rest.startsWith('(?:')) {
      this.index += 3;
      this.emit('(?:');
      return;
    }
    if (/^\(\?(=|!|<=|<!)/.test(rest)) this.fail('look-ahead and look-behind are not supported (ripgrep\'s regex engine has none); match the surrounding text instead');
    const named = /^\(\?P?<([^>]*)>/.exec(rest);
    if (named) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(named[1] as string)) this.fail(`group name '${named[1]}' must be letters, digits and _`);
      this.index += named[0].length;
      this.emit(`(?P<${named[1]}>`, `(?<${named[1]}>`);
      return;
    }
    const flags = /^\(\?([A-Za-z-]*)([:)])/.exec(rest);
    if (flags) {
      if (flags[1] === 'i' && flags[2] === ')' && this.index === 0) {
        this.index += flags[0].length;
        this.inlineCaseInsensitive = true;
        return;
      }
      this.fail(`inline flags '${flags[0]}' are not supported; only a leading (?i) is, or set case_insensitive`);
    }
    if (rest.startsWith('(?')) this.fail(`'(?' at position ${this.index + 1} is not a supported group; ${LITERAL_HINT}`);
    this.index++;
    this.emit('(');
  }

  private escapeOutsideClass(): void {
    const escaped = this.readEscape();
    if (escaped.kind === 'code') {
      // JavaScript allows \- only inside a class.
      this.emit(escaped.rust, escaped.js === '\\-' ? '-' : escaped.js);
      return;
    }
    const letter = escaped.letter;
    switch (letter) {
      case 'd':
      case 's':
      case 'w':
        this.emit(`\\${letter}`, letter === 'd' || letter === 's' ? (JS_CLASS[letter] as string) : JS_WORD);
        return;
      case 'D':
      case 'S':
      case 'W':
        this.emit(`\\${letter}`, `[^${JS_CLASS[letter.toLowerCase()]}${ESCAPED_BYTE_RANGE}]`);
        return;
      case 'b':
        this.emit('\\b', `(?:(?<=${JS_WORD})(?!${JS_WORD})|(?<!${JS_WORD})(?=${JS_WORD}))`);
        return;
      case 'B':
        this.emit('\\B', `(?:(?<=${JS_WORD})(?=${JS_WORD})|(?<!${JS_WORD})(?!${JS_WORD}))`);
        return;
      default:
        this.fail(`\\${letter} is not supported`);
    }
  }

  /** A backslash escape: either a literal/code point (the same outside and inside classes) or a class letter. */
  private readEscape(): { kind: 'code'; rust: string; js: string } | { kind: 'letter'; letter: string } {
    const next = this.pattern.codePointAt(this.index + 1);
    if (next === undefined) this.fail('it ends with a lone backslash');
    const c = String.fromCodePoint(next);
    const rest = this.pattern.slice(this.index + 2);
    this.index += 1 + c.length;
    if ('dDsSwWbB'.includes(c)) return { kind: 'letter', letter: c };
    if (c === 'p' || c === 'P') return this.property(c === 'P', rest);
    if (c === 'n') this.fail('\\n cannot match: Grep searches one line at a time; search for the text on either side instead');
    if (c === 'A' || c === 'z' || c === 'Z') this.fail(`\\${c} is not supported; use ^ and $ (they match at line start and end)`);
    if (c === '<' || c === '>') this.fail(`\\${c} is not supported by every ripgrep version; use \\b`);
    if (c === 'k' || /[0-9]/.test(c)) this.fail('backreferences are not supported by ripgrep\'s regex engine');
    if ('rtfv'.includes(c)) return { kind: 'code', rust: `\\${c}`, js: `\\${c}` };
    if (c === 'a') return { kind: 'code', rust: '\\x07', js: '\\x07' };
    if (c === 'x' || c === 'u') return this.codePoint(c, rest);
    if (/^[\x20-\x2F\x3A-\x40\x5B-\x60\x7B-\x7E]$/.test(c)) {
      return { kind: 'code', rust: RUST_META.has(c) ? `\\${c}` : c, js: JS_SYNTAX.has(c) || c === '-' ? `\\${c}` : c };
    }
    return this.fail(`\\${c} is not a known escape; ${LITERAL_HINT} only before punctuation`);
  }

  private codePoint(letter: 'x' | 'u', rest: string): { kind: 'code'; rust: string; js: string } {
    const braced = /^\{([0-9A-Fa-f]{1,8})\}/.exec(rest);
    const plain = letter === 'x' ? /^([0-9A-Fa-f]{2})/.exec(rest) : /^([0-9A-Fa-f]{4})/.exec(rest);
    const found = braced ?? plain;
    if (!found) this.fail(letter === 'x' ? '\\x needs two hex digits or {hex}' : '\\u needs four hex digits or {hex}');
    const value = parseInt(found[1] as string, 16);
    if (value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) this.fail(`\\${letter}${found[0]} is not a Unicode scalar value`);
    this.index += found[0].length;
    const hex = value.toString(16).toUpperCase();
    return { kind: 'code', rust: `\\x{${hex}}`, js: `\\u{${hex}}` };
  }

  private property(negated: boolean, rest: string): { kind: 'code'; rust: string; js: string } {
    const braced = /^\{([^}]*)\}/.exec(rest);
    const name = braced ? (braced[1] as string).trim() : rest.slice(0, 1);
    if (name === '' || (!braced && !/^[A-Za-z]$/.test(name))) this.fail('\\p needs a property such as \\p{L} or \\pL');
    this.index += braced ? braced[0].length : 1;
    const jsName = javascriptPropertyName(name);
    if (jsName === undefined) this.fail(`unknown Unicode property '${name}'`);
    const rust = `\\${negated ? 'P' : 'p'}{${name}}`;
    return { kind: 'code', rust, js: negated ? `[^\\p{${jsName}}${ESCAPED_BYTE_RANGE}]` : `\\p{${jsName}}` };
  }

  private characterClass(): void {
    const start = this.index;
    this.index++;
    let negated = false;
    if (this.pattern[this.index] === '^') {
      negated = true;
      this.index++;
    }
    const rust: string[] = [];
    const js: string[] = [];
    let first = true;
    for (;;) {
      if (this.index >= this.pattern.length) this.fail(`the '[' at position ${start + 1} is never closed; ${LITERAL_HINT} (\\[)`);
      const c = String.fromCodePoint(this.pattern.codePointAt(this.index) as number);
      const pair = this.pattern.slice(this.index, this.index + 2);
      if (c === ']' && !first) {
        this.index++;
        break;
      }
      first = false;
      if (c === '[') {
        const posix = /^\[:(\^?)([a-z]+):\]/.exec(this.pattern.slice(this.index));
        if (!posix) this.fail('nested character classes are not supported');
        const range = POSIX_CLASSES[posix[2] as string];
        if (range === undefined || posix[1] === '^') this.fail(`'${posix[0]}' is not a supported POSIX class`);
        this.index += posix[0].length;
        rust.push(posix[0]);
        js.push(range);
        continue;
      }
      if (pair === '&&' || pair === '--' || pair === '~~') this.fail(`class set operations ('${pair}') are not supported`);
      if (c === '\\') {
        const escaped = this.readEscape();
        if (escaped.kind === 'code') {
          rust.push(escaped.rust);
          js.push(escaped.js);
          continue;
        }
        const letter = escaped.letter;
        if (letter === 'd' || letter === 's' || letter === 'w') {
          rust.push(`\\${letter}`);
          js.push(JS_CLASS[letter] as string);
          continue;
        }
        this.fail(`\\${letter} inside [...] is not supported; use an alternation such as (?:[abc]|\\${letter})`);
      }
      this.index += c.length;
      if (c === ']') {
        rust.push('\\]');
        js.push('\\]');
      } else {
        rust.push(c);
        js.push(c);
      }
    }
    this.emit(`[${negated ? '^' : ''}${rust.join('')}]`, `[${negated ? '^' : ''}${js.join('')}${negated ? ESCAPED_BYTE_RANGE : ''}]`);
  }
}

/** Rust accepts `\p{Greek}` and loosely spelled names; JavaScript wants `\p{Script=Greek}` and exact names. */
function javascriptPropertyName(name: string): string | undefined {
  const titled = name.split(/[\s_-]+/).map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase()).join('_');
  for (const candidate of [name, `Script=${name}`, titled, `Script=${titled}`]) {
    try {
      new RegExp(`\\p{${candidate}}`, 'u');
      return candidate;
    } catch {
      // Try the next spelling.
    }
  }
  return undefined;
}
