/** One server-sent event: its data lines joined with '\n'. */
export interface SseEvent {
  readonly event?: string;
  readonly id?: string;
  readonly data: string;
}

/**
 * Incremental parser for the text/event-stream format (WHATWG HTML §9.2): accepts text cut anywhere,
 * LF, CRLF or CR line ends, `:` comment lines and multi-line `data:` fields.
 */
export class SseParser {
  private buffer = '';
  private dataLines: string[] = [];
  private eventType: string | undefined;
  private lastId: string | undefined;

  /** Feeds the next piece of text; returns the events it completed. */
  push(text: string): SseEvent[] {
    this.buffer += text;
    return this.drainLines(false);
  }

  /** Ends the stream; a last event without its closing blank line is still delivered (some servers omit it). */
  end(): SseEvent[] {
    const events = this.drainLines(true);
    if (this.buffer.length > 0) {
      this.processLine(this.buffer, events);
      this.buffer = '';
    }
    this.dispatch(events);
    return events;
  }

  private drainLines(final: boolean): SseEvent[] {
    const events: SseEvent[] = [];
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    for (let match = lineEnd.exec(this.buffer); match; match = lineEnd.exec(this.buffer)) {
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next chunk.
      if (match[0] === '\r' && match.index === this.buffer.length - 1 && !final) break;
      this.processLine(this.buffer.slice(start, match.index), events);
      start = match.index + match[0].length;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.dataLines.push(value);
    else if (field === 'event') this.eventType = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
  }

  private dispatch(events: SseEvent[]): void {
    if (this.dataLines.length > 0) {
      events.push({
        data: this.dataLines.join('\n'),
        ...(this.eventType !== undefined ? { event: this.eventType } : {}),
        ...(this.lastId !== undefined ? { id: this.lastId } : {}),
      });
    }
    this.dataLines = [];
    this.eventType = undefined;
  }
}
