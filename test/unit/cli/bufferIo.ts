import type { CliIo } from '../../../src/cli/cliIo';

/** A CliIo that collects output, for running subcommands in tests. */
export function bufferIo(cwd = process.cwd(), stdin = ''): CliIo & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    cwd,
    out(text: string) { io.stdout += text.endsWith('\n') ? text : `${text}\n`; },
    err(text: string) { io.stderr += text.endsWith('\n') ? text : `${text}\n`; },
    readStdin: async () => stdin,
  };
  return io;
}
