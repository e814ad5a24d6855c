const NEWLINE = 0x0a;

function countNewlines(buffer: Buffer): number {
  let count = 0;
  let index = buffer.indexOf(NEWLINE);
  while (index !== -1) {
    count++;
    index = buffer.indexOf(NEWLINE, index + 1);
  }
  return count;
}

/** Index just past the last complete UTF-8 character in buffer (so a cut never splits a character). */
function utf8SafeEnd(buffer: Buffer): number {
  let end = buffer.length;
  let back = 0;
  while (end - back - 1 >= 0 && back < 4 && (buffer[end - back - 1]! & 0xc0) === 0x80) back++;
  const leadIndex = end - back - 1;
  if (leadIndex < 0) return end;
  const lead = buffer[leadIndex]!;
  const needed = lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
  if (needed > back) end = leadIndex;
  return end;
}

/** Index of the first byte that starts a UTF-8 character. */
function utf8SafeStart(buffer: Buffer): number {
  let start = 0;
  while (start < buffer.length && start < 4 && (buffer[start]! & 0xc0) === 0x80) start++;
  return start;
}

/**
 * Keeps the first and last bytes of an output stream of any size in bounded memory, counting what falls out of
 * the middle, so a result can show how a command started and how it ended.
 */
export class HeadTailBuffer {
  private readonly headMax: number;
  private readonly tailMax: number;
  private readonly head: Buffer[] = [];
  private headLength = 0;
  private tail: Buffer[] = [];
  private tailLength = 0;
  private total = 0;
  private newlines = 0;

  /** maxBytes: what toString keeps at most (before the omission note); headShare: the part of it kept from the start. */
  constructor(maxBytes: number, headShare = 0.4) {
    const budget = Math.max(64, Math.floor(maxBytes));
    this.headMax = Math.floor(budget * headShare);
    this.tailMax = budget - this.headMax;
  }

  push(chunk: Buffer | string): void {
    let data = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    if (data.length === 0) return;
    this.total += data.length;
    this.newlines += countNewlines(data);
    if (this.headLength < this.headMax) {
      const take = Math.min(this.headMax - this.headLength, data.length);
      this.head.push(data.subarray(0, take));
      this.headLength += take;
      data = data.subarray(take);
      if (data.length === 0) return;
    }
    this.tail.push(data);
    this.tailLength += data.length;
    this.trimTail();
  }

  private trimTail(): void {
    let excess = this.tailLength - this.tailMax;
    while (excess > 0 && this.tail.length > 0) {
      const first = this.tail[0]!;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.length;
        excess -= first.length;
      } else {
        // copy so the dropped part of a large chunk can be garbage collected
        this.tail[0] = Buffer.from(first.subarray(excess));
        this.tailLength -= excess;
        excess = 0;
      }
    }
  }

  get totalBytes(): number {
    return this.total;
  }

  /** Lines seen so far (a last line without a newline counts). */
  get totalLines(): number {
    return this.newlines + (this.endsWithoutNewline() ? 1 : 0);
  }

  get truncated(): boolean {
    return this.total > this.headLength + this.tailLength;
  }

  private endsWithoutNewline(): boolean {
    const last = this.tail.length > 0 ? this.tail[this.tail.length - 1] : this.head[this.head.length - 1];
    return last !== undefined && last.length > 0 && last[last.length - 1] !== NEWLINE;
  }

  /** The kept text; when the middle was dropped, a one-line note in its place says how many bytes and lines. */
  toString(): string {
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (!this.truncated) return Buffer.concat([head, tail]).toString('utf8');
    // cut at line boundaries when one is near, so the kept parts are whole lines
    const lastHeadNewline = head.lastIndexOf(NEWLINE);
    const headEnd = lastHeadNewline >= head.length / 2 ? lastHeadNewline + 1 : utf8SafeEnd(head);
    const firstTailNewline = tail.indexOf(NEWLINE);
    const tailStart = firstTailNewline !== -1 && firstTailNewline < tail.length / 2 ? firstTailNewline + 1 : utf8SafeStart(tail);
    const keptHead = head.subarray(0, headEnd);
    const keptTail = tail.subarray(tailStart);
    const droppedBytes = this.total - keptHead.length - keptTail.length;
    const droppedLines = this.newlines - countNewlines(keptHead) - countNewlines(keptTail);
    const headText = keptHead.toString('utf8');
    const separator = headText.length === 0 || headText.endsWith('\n') ? '' : '\n';
    const note = `[… ${droppedBytes.toLocaleString('en-US')} bytes (${droppedLines.toLocaleString('en-US')} lines) of ${this.total.toLocaleString('en-US')} omitted here …]\n`;
    return `${headText}${separator}${note}${keptTail.toString('utf8')}`;
  }
}
