import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DevopsAgentApi } from '../../../src/extension';

// The activation benchmark: activate() in a real extension host, the time spent inside it.
describe('bench: activation', () => {
  it('measures activate()', async () => {
    const extension = vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent');
    assert.ok(extension);
    const api = await extension.activate();
    const out = process.env.DEVOPS_AGENT_TEST_RESULTS;
    if (out) fs.writeFileSync(path.join(out, 'activation.json'), JSON.stringify({ activationMs: api.activationMs }));
    console.log(`BENCH ${JSON.stringify({ name: 'activate() in the real extension host', unit: 'ms', ours: Number(api.activationMs.toFixed(3)), goal: '<= 15 ms' })}`);
  });
});
