import * as assert from 'node:assert/strict';
import { HeadTailBuffer } from '../../../../../src/core/tools/shell/headTailBuffer';

const NOTE = /\[… ([\d,]+) bytes \(([\d,]+) lines\) of ([\d,]+) omitted here …\]\n/;

function numberOf(text: string): number {
  return Number(text.replace(/,/g, ''));
}

describe('core/tools/shell/headTailBuffer', () => {
  it('returns small output unchanged', () => {
    const buffer = new HeadTailBuffer(1_000);
    buffer.push('one\n');
    buffer.push(Buffer.from('two\nthree'));
    assert.equal(buffer.toString(), 'one\ntwo\nthree');
    assert.equal(buffer.truncated, false);
    assert.equal(buffer.totalLines, 3);
    assert.equal(buffer.totalBytes, 13);
  });

  it('keeps whole lines from the start and the end and accounts for every dropped byte and line', () => {
    const lines = Array.from({ length: 10_000 }, (_, i) => `line ${i}`);
    const all = `${lines.join('\n')}\n`;
    const buffer = new HeadTailBuffer(2_000, 0.4);
    // uneven chunks, as pipes deliver them
    for (let i = 0; i < all.length; i += 777) buffer.push(all.slice(i, i + 777));
    const text = buffer.toString();
    const note = NOTE.exec(text);
    assert.ok(note, text);
    const [head, tail] = text.split(note[0]);
    assert.ok(all.startsWith(head!), 'head is a prefix of the output');
    assert.ok(all.endsWith(tail!), 'tail is a suffix of the output');
    assert.ok(head!.endsWith('\n') && tail!.startsWith('line '), 'cut at line boundaries');
    assert.equal(Buffer.byteLength(head!) + Buffer.byteLength(tail!) + numberOf(note[1]!), all.length);
    assert.equal(head!.split('\n').length - 1 + (tail!.split('\n').length - 1) + numberOf(note[2]!), 10_000);
    assert.equal(numberOf(note[3]!), all.length);
    assert.ok(Buffer.byteLength(head!) <= 800 && Buffer.byteLength(tail!) <= 1_200);
    assert.ok(tail!.endsWith('line 9999\n'));
  });

  it('never splits a multi-byte character when there is no newline to cut at', () => {
    const buffer = new HeadTailBuffer(100, 0.5);
    buffer.push('é'.repeat(5_000));
    const text = buffer.toString();
    assert.doesNotMatch(text, /\uFFFD/);
    const note = NOTE.exec(text);
    assert.ok(note, text);
    const [head, tail] = text.split(note[0]);
    assert.match(head!, /^é+\n$/);
    assert.match(tail!, /^é+$/);
  });

  it('keeps only the head when the head share is 1', () => {
    const buffer = new HeadTailBuffer(100, 1);
    for (let i = 0; i < 100; i++) buffer.push(`row ${i}\n`);
    const text = buffer.toString();
    assert.ok(text.startsWith('row 0\nrow 1\n'));
    assert.match(text, /omitted here …\]\n$/);
  });
});
