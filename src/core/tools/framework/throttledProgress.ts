import { plainTerminalText } from '../../text/terminalText';
import { bounded } from '../../text/bounded';

const MAX_PROGRESS_LINE = 200;

/**
 * Forwards the newest output line to a progress callback at most once per interval, so a command printing
 * thousands of lines a second does not flood the chat UI, while the last line is never lost.
 */
export class ThrottledProgress {
  private pendingLine: string | undefined;
  private pendingImportant = false;
  private partial = '';
  private lastSent = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly report: (message: string) => void,
    private readonly intervalMs = 250,
  ) {}

  /** Feeds raw output; complete non-blank lines become candidates for the next report. */
  pushOutput(text: string): void {
    const lines = (this.partial + text).split('\n');
    this.partial = (lines.pop() ?? '').slice(-4096);
    for (let i = lines.length - 1; i >= 0; i--) {
      const line = plainTerminalText(lines[i]!).trim();
      if (line.length > 0) {
        this.pushLine(line);
        return;
      }
    }
  }

  /**
   * Reports a line now or at the end of the current interval; a newer line replaces a waiting one, except that an
   * important line (a build step) is only replaced by another important line.
   */
  pushLine(line: string, important = false): void {
    if (this.pendingImportant && !important) return;
    this.pendingImportant = important;
    this.pendingLine = bounded(line, MAX_PROGRESS_LINE);
    const wait = this.lastSent + this.intervalMs - Date.now();
    if (wait <= 0) {
      this.send();
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.send(), wait);
    }
  }

  private send(): void {
    this.timer = undefined;
    if (this.pendingLine === undefined) return;
    const line = this.pendingLine;
    this.pendingLine = undefined;
    this.pendingImportant = false;
    this.lastSent = Date.now();
    try {
      this.report(line);
    } catch {
      // a failing progress sink must not fail the command it reports on
    }
  }

  /** Stops reporting; nothing is sent after this. */
  dispose(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pendingLine = undefined;
    this.pendingImportant = false;
  }
}
