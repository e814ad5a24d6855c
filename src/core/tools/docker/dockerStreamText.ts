import { StringDecoder } from 'node:string_decoder';

export type DockerStreamName = 'stdout' | 'stderr';

const HEADER_BYTES = 8;
const STDERR_PREFIX = '[stderr] ';

/**
 * Turns a container's output into text for the model: splits Docker's multiplexed stream (8-byte frame headers
 * when the container has no TTY) into stdout and stderr, keeps their order, and marks stderr lines.
 */
export class DockerStreamText {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoders = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial = { stdout: '', stderr: '' };

  /** multiplexed: false for a TTY container, whose stream is raw bytes. onText receives whole lines as they complete. */
  constructor(
    private readonly multiplexed: boolean,
    private readonly onText: (text: string, stream: DockerStreamName) => void,
  ) {}

  push(chunk: Buffer): void {
    if (!this.multiplexed) {
      this.emit('stdout', chunk);
      return;
    }
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    while (this.pending.length >= HEADER_BYTES) {
      const type = this.pending[0];
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER_BYTES + size) break;
      const payload = this.pending.subarray(HEADER_BYTES, HEADER_BYTES + size);
      this.pending = this.pending.subarray(HEADER_BYTES + size);
      // 0 = stdin (echoed), 1 = stdout, 2 = stderr, 3 = the engine's own error text for this stream
      this.emit(type === 2 || type === 3 ? 'stderr' : 'stdout', payload);
    }
  }

  private emit(stream: DockerStreamName, payload: Buffer): void {
    const text = this.partial[stream] + this.decoders[stream].write(payload);
    const lastNewline = text.lastIndexOf('\n');
    if (lastNewline === -1) {
      this.partial[stream] = text;
      return;
    }
    this.partial[stream] = text.slice(lastNewline + 1);
    this.deliver(text.slice(0, lastNewline + 1), stream);
  }

  private deliver(lines: string, stream: DockerStreamName): void {
    if (stream === 'stdout') {
      this.onText(lines, stream);
      return;
    }
    const marked = lines
      .split('\n')
      .map((line, index, all) => (index === all.length - 1 && line === '' ? '' : `${STDERR_PREFIX}${line}`))
      .join('\n');
    this.onText(marked, stream);
  }

  /** Delivers what is left: unterminated last lines, and a truncated frame if the stream was cut. */
  end(): void {
    if (this.multiplexed && this.pending.length > 0) {
      const payload = this.pending.subarray(Math.min(HEADER_BYTES, this.pending.length));
      this.pending = Buffer.alloc(0);
      if (payload.length > 0) this.emit('stdout', payload);
    }
    for (const stream of ['stdout', 'stderr'] as const) {
      const rest = this.partial[stream] + this.decoders[stream].end();
      this.partial[stream] = '';
      if (rest.length > 0) this.deliver(`${rest}\n`, stream);
    }
  }
}

/** Demultiplexes a complete buffer (e.g. `docker logs` without follow) into marked text. */
export function dockerOutputText(buffer: Buffer, multiplexed: boolean): string {
  const parts: string[] = [];
  const reader = new DockerStreamText(multiplexed, (text) => parts.push(text));
  reader.push(buffer);
  reader.end();
  return parts.join('');
}
