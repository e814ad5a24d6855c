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
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
    cwd: process.cwd(),
  };
}
