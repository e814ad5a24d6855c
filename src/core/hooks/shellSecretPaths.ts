import * as os from 'node:os';
import * as path from 'node:path';
import { defaultDeniedReason } from '../policy/confinement';
import { splitShellCommand } from '../policy/shellCommandParts';

/**
 * Why a shell command line names a file on the secret deny list (`cat .env`, `source ~/.aws/credentials`,
 * `--env-file=.env`, `< id_rsa`), or undefined. Words are judged by name, as written, after `~` and `$HOME` expand;
 * it catches the plain ways a command opens a secret file, not every way a shell can.
 */
export function secretPathInCommand(command: string, cwd: string, homeDir: string = os.homedir()): string | undefined {
  for (const part of splitShellCommand(command)) {
    for (const word of candidateWords(part.text)) {
      const expanded = word.replace(/^~(?=\/|$)/, homeDir).replace(/^\$(?:HOME|\{HOME\})(?=\/|$)/, homeDir);
      const absolute = path.resolve(cwd, expanded);
      const relative = path.relative(cwd, absolute).split(path.sep).join('/');
      const reason = defaultDeniedReason({ absolute, root: cwd, relative: relative.startsWith('..') ? absolute : relative, exists: false }, homeDir);
      if (reason !== undefined) return `the command opens ${word}: ${reason}`;
    }
  }
  return undefined;
}

/** The words of one simple command that could be file names: quotes removed, `--opt=value` and redirections split off. */
function candidateWords(text: string): string[] {
  const words: string[] = [];
  const pattern = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    let word = match[1] ?? match[2] ?? match[3] ?? '';
    word = word.replace(/^\d*(?:>>|>|<|&>)/, '');
    const equals = word.indexOf('=');
    if (equals >= 0) word = word.slice(equals + 1);
    if (word === '' || word.startsWith('-') || word.includes('$(') || /^[&|;]+$/.test(word)) continue;
    words.push(word);
  }
  return words;
}
