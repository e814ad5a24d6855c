// CSI sequences (colours, cursor moves), OSC sequences (titles, hyperlinks) and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const ANSI_ESCAPE = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-Z\\-_]/g;

/**
 * What a terminal would show for program output: escape sequences removed, and a line rewritten with carriage
 * returns (progress bars) reduced to its last state, so the model reads text rather than control codes.
 */
export function plainTerminalText(output: string): string {
  const withoutEscapes = output.replace(ANSI_ESCAPE, '');
  if (!withoutEscapes.includes('\r')) return withoutEscapes;
  return withoutEscapes
    .split('\n')
    .map((line) => {
      const trimmed = line.endsWith('\r') ? line.slice(0, -1) : line;
      const lastReturn = trimmed.lastIndexOf('\r');
      return lastReturn === -1 ? trimmed : trimmed.slice(lastReturn + 1);
    })
    .join('\n');
}
