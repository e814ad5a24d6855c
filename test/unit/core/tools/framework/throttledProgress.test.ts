import * as assert from 'node:assert/strict';
import { ThrottledProgress } from '../../../../../src/core/tools/framework/throttledProgress';

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe('core/tools/framework/throttledProgress', () => {
  it('sends the first line at once, then at most one line per interval, ending with the newest', async () => {
    const sent: string[] = [];
    const progress = new ThrottledProgress((line) => sent.push(line), 100);
    for (let i = 0; i < 1_000; i++) progress.pushOutput(`line ${i}\n`);
    assert.deepEqual(sent, ['line 0']);
    await sleep(150);
    assert.deepEqual(sent, ['line 0', 'line 999']);
    progress.dispose();
  });

  it('skips blank lines, strips escapes and shortens long lines', async () => {
    const sent: string[] = [];
    const progress = new ThrottledProgress((line) => sent.push(line), 10);
    progress.pushOutput('\u001b[32mgreen\u001b[0m\n\n   \n');
    await sleep(30);
    progress.pushOutput(`${'x'.repeat(500)}\n`);
    assert.deepEqual(sent, ['green', `${'x'.repeat(199)}…`]);
    progress.dispose();
  });

  it('does not let ordinary output replace a waiting important line, and sends nothing after dispose', async () => {
    const sent: string[] = [];
    const progress = new ThrottledProgress((line) => sent.push(line), 50);
    progress.pushLine('Step 1/3');
    progress.pushLine('Step 2/3', true);
    progress.pushOutput('noise\n');
    await sleep(80);
    assert.deepEqual(sent, ['Step 1/3', 'Step 2/3']);
    progress.pushLine('Step 3/3', true);
    progress.pushLine('late');
    progress.dispose();
    await sleep(80);
    assert.deepEqual(sent, ['Step 1/3', 'Step 2/3']);
  });
});
