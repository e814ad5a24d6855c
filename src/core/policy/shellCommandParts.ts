/** One simple command of a shell command line, as permission rules see it. */
export interface ShellCommandPart {
  /** The command text with unquoted whitespace collapsed; nested substitutions appear as `$(…)`. */
  readonly text: string;
  /** True when the part redirects output into a file (`> out.txt`, `>> log`), not counting `2>&1` or `/dev/null`. */
  readonly writesFile: boolean;
}

type FrameKind = 'top' | 'subst' | 'backtick' | 'paren';
type Quote = 'none' | 'single' | 'double';

interface Frame {
  readonly kind: FrameKind;
  /** Where the text being collected starts in the command line, to return parts in reading order. */
  start: number;
  buffer: string;
  quote: Quote;
  writesFile: boolean;
}

const SUBSTITUTION_MARKER = '$(…)';

/**
 * Splits a shell command line into the simple commands it runs, so `npm test && rm -rf /` is two commands and each
 * must be allowed on its own. Splits on `;`, newlines, `&&`, `||`, `|`, `|&`, a background `&`, subshell parentheses,
 * and opens a separate command for every `$(…)`, backtick and `<(…)`/`>(…)` substitution, including those inside
 * double quotes (the shell runs them). Single-quoted text and backslash escapes are kept literal. It is a tokenizer,
 * not a full shell parser: anything it does not understand stays in the text, which only makes allow rules match less.
 */
export function splitShellCommand(command: string): ShellCommandPart[] {
  const parts: (ShellCommandPart & { start: number })[] = [];
  const frames: Frame[] = [{ kind: 'top', start: 0, buffer: '', quote: 'none', writesFile: false }];
  let i = 0;
  const current = (): Frame => frames[frames.length - 1] as Frame;
  const cut = (frame: Frame): void => {
    const text = frame.buffer.trim();
    if (text) parts.push({ text, writesFile: frame.writesFile, start: frame.start });
    frame.start = i;
    frame.buffer = '';
    frame.writesFile = false;
  };
  const open = (kind: FrameKind, marker: string): void => {
    current().buffer += marker;
    frames.push({ kind, start: i, buffer: '', quote: 'none', writesFile: false });
  };
  const close = (): void => {
    cut(current());
    if (frames.length > 1) frames.pop();
  };

  while (i < command.length) {
    const frame = current();
    const c = command[i] as string;
    const next = command[i + 1] ?? '';

    if (frame.quote === 'single') {
      frame.buffer += c;
      if (c === "'") frame.quote = 'none';
      i += 1;
      continue;
    }
    if (frame.quote === 'double') {
      if (c === '\\') {
        frame.buffer += c + next;
        i += 2;
      } else if (c === '"') {
        frame.buffer += c;
        frame.quote = 'none';
        i += 1;
      } else if (c === '$' && next === '(') {
        open('subst', SUBSTITUTION_MARKER);
        i += 2;
      } else if (c === '`') {
        open('backtick', SUBSTITUTION_MARKER);
        i += 1;
      } else {
        frame.buffer += c;
        i += 1;
      }
      continue;
    }

    if (c === '\\') {
      // A backslash-newline continues the line; any other escaped character is literal.
      if (next !== '\n') frame.buffer += c + next;
      i += 2;
    } else if (c === "'") {
      frame.buffer += c;
      frame.quote = 'single';
      i += 1;
    } else if (c === '"') {
      frame.buffer += c;
      frame.quote = 'double';
      i += 1;
    } else if (c === ';' || c === '\n' || c === '\r') {
      cut(frame);
      i += 1;
    } else if (c === '&' && next === '&') {
      cut(frame);
      i += 2;
    } else if (c === '|' && (next === '|' || next === '&')) {
      cut(frame);
      i += 2;
    } else if (c === '|') {
      cut(frame);
      i += 1;
    } else if (c === '&' && next === '>') {
      // `&>file` redirects both streams; the `>` is handled on the next step.
      frame.buffer += c;
      i += 1;
    } else if (c === '&' && /[<>]$/.test(frame.buffer)) {
      frame.buffer += c;
      i += 1;
    } else if (c === '&') {
      cut(frame);
      i += 1;
    } else if (c === '$' && next === '(') {
      open('subst', SUBSTITUTION_MARKER);
      i += 2;
    } else if ((c === '<' || c === '>') && next === '(') {
      open('subst', SUBSTITUTION_MARKER);
      i += 2;
    } else if (c === '`') {
      if (frame.kind === 'backtick') close();
      else open('backtick', SUBSTITUTION_MARKER);
      i += 1;
    } else if (c === '(') {
      cut(frame);
      frames.push({ kind: 'paren', start: i, buffer: '', quote: 'none', writesFile: false });
      i += 1;
    } else if (c === ')') {
      if (frame.kind === 'subst' || frame.kind === 'paren') close();
      else cut(frame);
      i += 1;
    } else if (c === '>') {
      if (redirectTargetIsFile(command, i)) frame.writesFile = true;
      frame.buffer += c;
      i += 1;
    } else if (c === ' ' || c === '\t') {
      if (frame.buffer && !frame.buffer.endsWith(' ')) frame.buffer += ' ';
      i += 1;
    } else {
      frame.buffer += c;
      i += 1;
    }
  }
  for (let f = frames.length - 1; f >= 0; f -= 1) cut(frames[f] as Frame);
  return parts.sort((a, b) => a.start - b.start).map(({ text, writesFile }) => ({ text, writesFile }));
}

/** Looks past `>`, `>>` or `>|` at the redirect target: a file, or a harmless `&1`, `&-` or /dev/null. */
function redirectTargetIsFile(command: string, index: number): boolean {
  let j = index + 1;
  if (command[j] === '>' || command[j] === '|') j += 1;
  while (command[j] === ' ' || command[j] === '\t') j += 1;
  if (command[j] === '&') return false;
  if (command.startsWith('/dev/null', j)) {
    const after = command[j + '/dev/null'.length];
    return after !== undefined && !/[\s;&|)]/.test(after);
  }
  return true;
}

const WRAPPER_WORDS = new Set([
  'if', 'then', 'else', 'elif', 'do', 'while', 'until', 'time', '!', '{', '}',
  'sudo', 'doas', 'env', 'command', 'builtin', 'exec', 'nohup', 'nice', 'xargs',
]);

/**
 * The command a part runs once wrappers are peeled off: `sudo FOO=1 /bin/rm -rf x` → `rm -rf x`. Used so deny rules
 * still match when the model dresses a command up; allow rules never use it (a prefix can change what runs).
 */
export function coreCommandOf(part: string): string {
  const words = part.split(' ').filter((w) => w !== '');
  let start = 0;
  while (start < words.length) {
    const word = words[start] as string;
    if (WRAPPER_WORDS.has(word) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(word)) start += 1;
    else break;
  }
  const rest = words.slice(start);
  if (rest.length === 0) return '';
  const program = (rest[0] as string).replace(/^\\/, '');
  const slash = program.lastIndexOf('/');
  rest[0] = slash >= 0 && slash < program.length - 1 ? program.slice(slash + 1) : program;
  return rest.join(' ');
}
