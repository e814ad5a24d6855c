import * as assert from 'node:assert/strict';
import { DockerStreamText, dockerOutputText } from '../../../../../src/core/tools/docker/dockerStreamText';

function frame(stream: 1 | 2, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

describe('core/tools/docker/dockerStreamText', () => {
  it('demultiplexes frames in order and marks stderr lines', () => {
    const data = Buffer.concat([frame(1, 'out 1\n'), frame(2, 'err 1\nerr 2\n'), frame(1, 'out 2\n')]);
    assert.equal(dockerOutputText(data, true), 'out 1\n[stderr] err 1\n[stderr] err 2\nout 2\n');
  });

  it('reassembles frames and characters split across chunks, and lines split across frames', () => {
    const data = Buffer.concat([frame(1, 'hal'), frame(1, 'f é line\n'), frame(2, 'no newline at end')]);
    const seen: string[] = [];
    const reader = new DockerStreamText(true, (text) => seen.push(text));
    for (let i = 0; i < data.length; i += 3) reader.push(data.subarray(i, i + 3));
    reader.end();
    assert.deepEqual(seen, ['half é line\n', '[stderr] no newline at end\n']);
  });

  it('passes a TTY stream through as stdout', () => {
    assert.equal(dockerOutputText(Buffer.from('raw tty\r\noutput'), false), 'raw tty\r\noutput\n');
  });
});
