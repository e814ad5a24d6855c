import { errorCode } from '../core/errors/errorText';

/** Where a subcommand writes; tests pass buffers, main passes the process streams. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Standard input, read whole (for `-` file arguments). */
  readStdin(): Promise<string>;
  readonly cwd: string;
}

export function processIo(): CliIo {
  return {
    out: lineWriter(process.stdout),
    err: lineWriter(process.stderr),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
  };
}

/**
 * Writes whole lines to standard output or error. When the reader goes away early (`devops-agent check | head -1`)
 * the rest is dropped without a word, as Unix tools do, instead of crashing on EPIPE; the command still finishes and
 * exits with its own code.
 */
function lineWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let readerGone = false;
  stream.on('error', (error: Error) => {
    if (errorCode(error) !== 'EPIPE') throw error;
    readerGone = true;
  });
  return (text) => {
    if (!readerGone) stream.write(text.endsWith('\n') ? text : `${text}\n`);
  };
}
