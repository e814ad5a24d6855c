import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { AuditEntry } from '../../../src/core/policy/auditLog';
import { auditLogPath, parseAuditLine } from '../../../src/core/policy/auditLog';
import type { ReplayServer } from '../../harness/replayServer';
import { loadReplayTranscripts, startReplayServer } from '../../harness/replayServer';
import type { TurnMetadata } from '../../../src/core/runtime/turnMetadata';
import type { DevopsAgentApi } from '../../../src/extension';
import { nextTurn, waitForModel } from './chatTurns';

const repo = process.env.DEVOPS_AGENT_REPO ?? path.resolve(__dirname, '../../../..');
const MODEL_ID = 'replay-errors';

async function ask(api: DevopsAgentApi, query: string): Promise<TurnMetadata> {
  const turn = nextTurn(api, 90_000);
  await vscode.commands.executeCommand('workbench.action.chat.open', { query, isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: MODEL_ID } });
  return turn;
}

describe('@devops participant when the model fails or calls a tool badly (real VS Code)', function () {
  this.timeout(120_000);
  let server: ReplayServer;
  let api: DevopsAgentApi;
  let previous: { baseUrl: unknown; models: unknown };

  before(async () => {
    const config = vscode.workspace.getConfiguration('devopsAgent');
    previous = { baseUrl: config.inspect('openai.baseUrl')?.globalValue, models: config.inspect('openai.models')?.globalValue };
    server = await startReplayServer(await loadReplayTranscripts(path.join(repo, 'test/fixtures/transcripts/integration-errors.json')));
    await config.update('openai.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', [{ id: MODEL_ID, name: 'Replay (errors)' }], vscode.ConfigurationTarget.Global);
    api = await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
    await waitForModel(MODEL_ID);
  });

  after(async () => {
    await server?.close();
    const config = vscode.workspace.getConfiguration('devopsAgent');
    await config.update('openai.baseUrl', previous?.baseUrl, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', previous?.models, vscode.ConfigurationTarget.Global);
  });

  it('ends the turn with an error in its metadata when the model answers HTTP 500', async () => {
    const meta = await ask(api, '@devops error-probe: where does the server start?');
    assert.deepEqual(server.mismatches, [], 'the replay server saw requests that did not match the transcript');
    assert.equal(meta.agent, 'devops-engineer');
    assert.ok(meta.error, 'the turn reports the error');
    assert.match(meta.error, /500/);
    assert.deepEqual(meta.rounds, []);
  });

  it('returns malformed tool-call arguments to the model as an error result, and its next answer ends the turn', async () => {
    const started = new Date().toISOString();
    const meta = await ask(api, '@devops malformed-probe: show me the server file');
    assert.deepEqual(server.mismatches, []);
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    assert.equal(meta.rounds.length, 2);
    const [first, second] = meta.rounds;
    assert.equal(first?.toolCalls[0]?.name, 'Read');
    assert.equal(first?.results[0]?.isError, true);
    assert.match(first?.results[0]?.text ?? '', /Your call to Read had malformed arguments \(not a JSON object\)/);
    assert.equal(second?.toolCalls.length, 0);
    assert.match(second?.text ?? '', /^My call to Read was malformed/);
    const audit = auditLogPath(fs.realpathSync(vscode.workspace.workspaceFolders![0]!.uri.fsPath), 'devops-engineer');
    const reads = fs.existsSync(audit)
      ? fs.readFileSync(audit, 'utf8').trim().split('\n').map((line) => parseAuditLine(line)).filter((e): e is AuditEntry => typeof e !== 'string' && e.time >= started && e.tool === 'Read')
      : [];
    assert.deepEqual(reads, [], 'the malformed call never reached the tool');
    assert.equal(server.remaining(), 0, 'the whole transcript was used');
  });
});
