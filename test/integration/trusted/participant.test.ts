import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayServer } from '../../harness/replayServer';
import { loadReplayTranscripts, startReplayServer } from '../../harness/replayServer';
import type { DevopsAgentApi } from '../../../src/extension';
import { nextTurn, waitForModel } from './chatTurns';

const repo = process.env.DEVOPS_AGENT_REPO ?? path.resolve(__dirname, '../../../..');

describe('@devops participant through our OpenAI-compatible provider and the replay model (real VS Code)', function () {
  this.timeout(120_000);
  let server: ReplayServer;
  let api: DevopsAgentApi;

  before(async () => {
    const transcripts = await loadReplayTranscripts(path.join(repo, 'test/fixtures/transcripts/integration-participant.json'));
    server = await startReplayServer(transcripts);
    const config = vscode.workspace.getConfiguration('devopsAgent');
    await config.update('openai.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', [{ id: 'replay-integration', name: 'Replay (integration)' }], vscode.ConfigurationTarget.Global);
    api = await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
    await waitForModel('replay-integration');
  });

  after(async () => {
    await server?.close();
    const config = vscode.workspace.getConfiguration('devopsAgent');
    await config.update('openai.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', undefined, vscode.ConfigurationTarget.Global);
  });

  // each request names its model: an earlier suite may have left another one picked in the chat
  it('answers with a Read round trip, verifies its citations and repairs the wrong one', async () => {
    const turn = nextTurn(api, 90_000);
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops which port does src/server.js listen on?', isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: 'replay-integration' } });
    const meta = await turn;
    assert.deepEqual(server.mismatches, [], 'the replay server saw requests that did not match the transcript');
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    assert.equal(meta.agent, 'devops-engineer');
    const calls = meta.rounds.flatMap((r) => r.toolCalls.map((c) => c.name));
    assert.deepEqual(calls, ['Read']);
    const result = meta.rounds[0]?.results[0];
    assert.ok(result && !result.isError && result.text.includes('http.createServer'), `Read result: ${result?.text}`);
    assert.ok(meta.readSet.some((e) => e.path.endsWith('src/server.js')), 'the Read was recorded in the session read set');
    assert.deepEqual(meta.citations, { total: 3, verified: 2, problems: 1 });
    assert.equal(meta.certificate?.required, false);
  });

  it('refuses a tool the agent does not allow, and the model answers after the refusal', async () => {
    const turn = nextTurn(api, 90_000);
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops /agent reader list the files of this workspace', isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: 'replay-integration' } });
    const meta = await turn;
    assert.deepEqual(server.mismatches, []);
    assert.equal(meta.agent, 'reader');
    const [round] = meta.rounds;
    assert.equal(round?.toolCalls[0]?.name, 'Bash');
    assert.equal(round?.results[0]?.isError, true);
    assert.match(round?.results[0]?.text ?? '', /not available to the agent 'reader'/);
    const workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    assert.ok(!fs.existsSync(path.join(workspace, 'ls-output')), 'nothing ran');
  });

  it('asks once more for the certificate a review needs, then says plainly that none was produced', async () => {
    const turn = nextTurn(api, 90_000);
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops review the README for accuracy', isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: 'replay-integration' } });
    const meta = await turn;
    assert.deepEqual(server.mismatches, []);
    assert.deepEqual(meta.certificate, { required: true, written: false });
    assert.equal(meta.rounds.length, 2, 'the answer, then the one reminder round');
  });

  it('/review runs devops_check before the model answers, so citing its findings verifies without a Read', async () => {
    const turn = nextTurn(api, 90_000);
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops /review the Dockerfile', isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: 'replay-integration' } });
    const meta = await turn;
    assert.deepEqual(server.mismatches, [], 'the model\'s first request held the checks\' findings');
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    const [prelude] = meta.rounds;
    assert.deepEqual(prelude?.toolCalls.map((c) => [c.name, c.input]), [['devops_check', { paths: ['Dockerfile'] }]]);
    assert.match(prelude?.results[0]?.text ?? '', /^Dockerfile:1 `FROM node:20-alpine` — warning dockerfile\/no-user /m);
    assert.ok(meta.readSet.some((e) => e.path.endsWith('Dockerfile')), 'the cited finding lines count as read');
    assert.deepEqual(meta.citations, { total: 1, verified: 1, problems: 0 });
    assert.equal(server.remaining(), 0, 'the whole transcript was used');
  });
});
