import * as assert from 'node:assert/strict';
import { checkPreservedWork, DEFAULT_PRESERVE_WORK_OPTIONS } from '../../../../src/core/policy/preserveWorkGuard';

const file = (n: number, prefix = 'line'): string => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`).join('\n') + '\n';
const options = { maxDeletedLines: 40, maxDeletedFraction: 0.3 };

describe('core/policy/preserveWorkGuard', () => {
  it('never asks for a new file', () => {
    assert.deepEqual(checkPreservedWork(undefined, file(500), options), { needsConfirmation: false, deletedLines: 0, deletedFraction: 0, removedExcerpt: '' });
  });

  it('lets a small fix through', () => {
    const before = file(200);
    const after = before.replace('line 57\n', 'line 57 fixed\n');
    const r = checkPreservedWork(before, after, options);
    assert.equal(r.needsConfirmation, false);
    assert.equal(r.deletedLines, 1);
    assert.equal(r.removedExcerpt, '57: line 57');
  });

  it('lets additions through however large', () => {
    const before = file(10);
    const r = checkPreservedWork(before, before + file(1000, 'new'), options);
    assert.equal(r.needsConfirmation, false);
    assert.equal(r.deletedLines, 0);
  });

  it('asks when more than maxDeletedLines go, even from a big file', () => {
    const before = file(1000);
    const lines = before.split('\n');
    const after = [...lines.slice(0, 100), ...lines.slice(141)].join('\n');
    const r = checkPreservedWork(before, after, options);
    assert.equal(r.deletedLines, 41);
    assert.ok(r.deletedFraction < 0.3);
    assert.equal(r.needsConfirmation, true);
    assert.match(r.removedExcerpt, /^101: line 101\n102: line 102\n/);
  });

  it('does not ask at exactly maxDeletedLines', () => {
    const before = file(1000);
    const lines = before.split('\n');
    const r = checkPreservedWork(before, [...lines.slice(0, 100), ...lines.slice(140)].join('\n'), options);
    assert.equal(r.deletedLines, 40);
    assert.equal(r.needsConfirmation, false);
  });

  it('asks when more than maxDeletedFraction of a mid-sized file goes', () => {
    const before = file(40);
    const after = file(40).split('\n').slice(0, 25).join('\n') + '\n';
    const r = checkPreservedWork(before, after, options);
    assert.equal(r.deletedLines, 15);
    assert.equal(r.deletedFraction, 15 / 40);
    assert.equal(r.needsConfirmation, true);
  });

  it('does not treat a 3-line change of a 5-line file as a rewrite', () => {
    const r = checkPreservedWork('a\nb\nc\nd\ne\n', 'a\nB\nC\nD\ne\n', options);
    assert.equal(r.deletedLines, 3);
    assert.equal(r.deletedFraction, 0.6);
    assert.equal(r.needsConfirmation, false);
    assert.equal(checkPreservedWork('a\nb\nc\nd\ne\n', 'a\nB\nC\nD\ne\n', { ...options, minDeletedLinesForFraction: 1 }).needsConfirmation, true);
  });

  it('asks for a rewrite of a whole file', () => {
    const before = file(30);
    const r = checkPreservedWork(before, file(30, 'rewritten'), options);
    assert.equal(r.deletedLines, 30);
    assert.equal(r.deletedFraction, 1);
    assert.equal(r.needsConfirmation, true);
  });

  it('ignores blank lines, line endings and the final newline', () => {
    assert.equal(checkPreservedWork(file(100).replace(/\n/g, '\r\n'), file(100).trimEnd(), options).deletedLines, 0);
    const withBlanks = Array.from({ length: 60 }, () => '').join('\n') + 'code\n';
    assert.equal(checkPreservedWork(withBlanks, 'code\n', options).deletedLines, 0);
  });

  it('bounds the removed excerpt and says how much is left out', () => {
    const r = checkPreservedWork(file(500), '', options);
    assert.equal(r.deletedLines, 500);
    const lines = r.removedExcerpt.split('\n');
    assert.equal(lines.length, 61);
    assert.equal(lines[60], '… 440 more removed lines');
    assert.ok(r.removedExcerpt.length < 4_100);
  });

  it('marks gaps between separate removed runs', () => {
    const before = file(20);
    const after = before.replace('line 3\n', '').replace('line 10\n', '');
    assert.equal(checkPreservedWork(before, after, options).removedExcerpt, '3: line 3\n…\n10: line 10');
  });

  it('uses the documented defaults', () => {
    assert.deepEqual(DEFAULT_PRESERVE_WORK_OPTIONS, { maxDeletedLines: 40, maxDeletedFraction: 0.3, minDeletedLinesForFraction: 10 });
    assert.equal(checkPreservedWork(file(100), file(50)).needsConfirmation, true);
  });
});
