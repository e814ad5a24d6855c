// Splits the shell text of a Dockerfile RUN into simple commands and words with their offsets, so rules can point at
// the exact word (`apt-get`, `install`, a package) and quick fixes can insert text right after it.

/** One shell word: its value with quotes and escapes removed, and where its raw text starts and ends. */
export interface ShellWord {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

/** How a command is joined to the one before it. */
export type ShellSeparator = '' | '&&' | '||' | '|' | ';' | '&' | '\n' | '(' | ')';

export interface ShellCommand {
  readonly words: readonly ShellWord[];
  readonly separatorBefore: ShellSeparator;
  /** Offset of the separator before this command (-1 for the first one). */
  readonly separatorOffset: number;
}

/**
 * A tokenizer, not a full shell: single and double quotes, backslash escapes, `$(…)` and backticks kept inside one
 * word, `#` comments, and the operators `&&`, `||`, `|`, `|&`, `;`, `&`, parentheses and newlines as separators.
 */
export function splitShellCommands(text: string): ShellCommand[] {
  const commands: ShellCommand[] = [];
  let words: ShellWord[] = [];
  let separator: ShellSeparator = '';
  let separatorOffset = -1;
  let value = '';
  let wordStart = -1;
  const endWord = (end: number): void => {
    if (wordStart >= 0) words.push({ value, start: wordStart, end });
    value = '';
    wordStart = -1;
  };
  const endCommand = (next: ShellSeparator, offset: number): void => {
    const empty = words.length === 0;
    if (!empty) commands.push({ words, separatorBefore: separator, separatorOffset });
    words = [];
    // A newline after an operator (`a |` then `b` on the next line) keeps the operator.
    if (empty && separator !== '' && next === '\n') return;
    separator = next;
    separatorOffset = offset;
  };
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i] as string;
    const next = text[i + 1] ?? '';
    if (c === ' ' || c === '\t' || c === '\r') {
      endWord(i);
      i += 1;
      continue;
    }
    if (c === '\n') {
      endWord(i);
      endCommand('\n', i);
      i += 1;
      continue;
    }
    if (c === '#' && wordStart < 0) {
      while (i < n && text[i] !== '\n') i += 1;
      continue;
    }
    if (wordStart < 0) wordStart = i;
    if (c === '\\') {
      if (next === '\n') {
        i += 2;
        continue;
      }
      value += next;
      i += 2;
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? n : close;
      value += text.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (c === '"') {
      i += 1;
      while (i < n && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < n && '"\\$`\n'.includes(text[i + 1] as string)) {
          if (text[i + 1] !== '\n') value += text[i + 1];
          i += 2;
        } else {
          value += text[i];
          i += 1;
        }
      }
      i += 1;
      continue;
    }
    if (c === '$' && next === '(') {
      const stop = closingParen(text, i + 1);
      value += text.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      const stop = close < 0 ? n - 1 : close;
      value += text.slice(i, stop + 1);
      i = stop + 1;
      continue;
    }
    const operator = operatorAt(text, i, value);
    if (operator !== undefined) {
      if (wordStart === i) wordStart = -1;
      endWord(i);
      endCommand(operator.kind, i);
      i += operator.length;
      continue;
    }
    value += c;
    i += 1;
  }
  endWord(n);
  endCommand('\n', n);
  return commands;
}

function operatorAt(text: string, i: number, word: string): { kind: ShellSeparator; length: number } | undefined {
  const c = text[i];
  const next = text[i + 1];
  if (c === '&') {
    if (next === '&') return { kind: '&&', length: 2 };
    // `2>&1`, `&>file`, `>&2` are redirections, not a background `&`.
    if (word.endsWith('>') || word.endsWith('<') || next === '>') return undefined;
    return { kind: '&', length: 1 };
  }
  if (c === '|') {
    if (next === '|') return { kind: '||', length: 2 };
    if (word.endsWith('>')) return undefined;
    return { kind: '|', length: next === '&' ? 2 : 1 };
  }
  if (c === ';') return next === ';' ? { kind: ';', length: 2 } : { kind: ';', length: 1 };
  if (c === '(') return word === '' || word.endsWith('=') ? (word === '' ? { kind: '(', length: 1 } : undefined) : undefined;
  if (c === ')') return { kind: ')', length: 1 };
  return undefined;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i += 1) {
    const c = text[i];
    if (c === '(') depth += 1;
    else if (c === ')') {
      depth -= 1;
      if (depth === 0) return i;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) return text.length - 1;
      i = close;
    }
  }
  return text.length - 1;
}

const PREFIX_COMMANDS = new Set(['sudo', 'env', 'time', 'nice', 'nohup', 'exec', 'command', 'then', 'do', 'else', 'elif', 'if', 'while', 'until', '!', '{', 'xargs']);

/**
 * The words of a command from its program name on: leading `VAR=value` assignments, shell keywords (`then`, `do`, `!`)
 * and wrappers (`sudo -E`, `env`, `time`) are skipped, so `DEBIAN_FRONTEND=noninteractive apt-get install` is apt-get.
 */
export function programWords(command: ShellCommand): readonly ShellWord[] {
  const words = command.words;
  let i = 0;
  while (i < words.length) {
    const word = (words[i] as ShellWord).value;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) {
      i += 1;
      continue;
    }
    if (PREFIX_COMMANDS.has(word)) {
      i += 1;
      // Options of the wrapper (`sudo -E -u app`, `env -i`) belong to it, not to the program.
      while (i < words.length && (words[i] as ShellWord).value.startsWith('-')) {
        const option = (words[i] as ShellWord).value;
        i += option === '-u' || option === '-g' || option === '--user' ? 2 : 1;
      }
      continue;
    }
    break;
  }
  return words.slice(i);
}
