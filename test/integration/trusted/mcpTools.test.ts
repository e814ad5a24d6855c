import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ReplayServer } from '../../harness/replayServer';
import { loadReplayTranscripts, startReplayServer } from '../../harness/replayServer';
import type { DevopsAgentApi } from '../../../src/extension';
import type { AgentNode } from '../../../src/vscode/agentsView';
import { nextTurn, waitForModel } from './chatTurns';

const repo = process.env.DEVOPS_AGENT_REPO ?? path.resolve(__dirname, '../../../..');
const VERIFY_TOOL = 'mcp_devops-agent_verify_citations';

async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// Our own `devops-agent mcp` (dist/cli.js), offered through contributes.mcpServerDefinitionProviders and started by
// VS Code's MCP client, then used by an agent file that lists mcp__devops-agent__verify_citations.
describe('MCP server definition provider and MCP tools in agent files (real VS Code, real MCP server)', function () {
  this.timeout(180_000);
  let server: ReplayServer;
  let api: DevopsAgentApi;
  let workspace: string;

  before(async () => {
    api = await vscode.extensions.getExtension<DevopsAgentApi>('devops-agent.devops-agent')!.activate();
    workspace = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    fs.mkdirSync(path.join(workspace, '.claude/agents'), { recursive: true });
    fs.writeFileSync(path.join(workspace, '.claude/agents/mcp-checker.md'), [
      '---',
      'name: mcp-checker',
      'description: Looks at citations with the devops-agent MCP server.',
      'tools: Read, mcp__devops-agent__verify_citations, mcp__nowhere__missing_tool',
      '---',
      'You look at file citations with the MCP tool and report what it says.',
      '',
    ].join('\n'));
    await vscode.commands.executeCommand('devopsAgent.refreshAgents');
    // chat.tools.global.autoApprove (set by the harness) asks once in a dialog before MCP tools run; tests may not show
    // dialogs, and VS Code's own tests skip that question with this context key
    await vscode.commands.executeCommand('setContext', 'vscode.chat.tools.global.autoApprove.testMode', true);
    const transcripts = await loadReplayTranscripts(path.join(repo, 'test/fixtures/transcripts/integration-mcp.json'));
    server = await startReplayServer(transcripts);
    const config = vscode.workspace.getConfiguration('devopsAgent');
    await config.update('openai.baseUrl', server.url, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', [{ id: 'replay-mcp', name: 'Replay (MCP)' }], vscode.ConfigurationTarget.Global);
    await waitForModel('replay-mcp');
  });

  after(async () => {
    await server?.close();
    const config = vscode.workspace.getConfiguration('devopsAgent');
    await config.update('openai.baseUrl', undefined, vscode.ConfigurationTarget.Global);
    await config.update('openai.models', undefined, vscode.ConfigurationTarget.Global);
    fs.rmSync(path.join(workspace, '.claude/agents/mcp-checker.md'), { force: true });
  });

  it('VS Code starts the contributed server and lists its tools', async () => {
    await vscode.commands.executeCommand('workbench.mcp.startServer', '*', { waitForLiveTools: true });
    const tools = await waitFor('the devops-agent MCP tools in vscode.lm.tools', 60_000, () => {
      const names = vscode.lm.tools.map((t) => t.name).filter((n) => n.startsWith('mcp_devops-agent_'));
      return names.length >= 7 ? names.sort() : undefined;
    });
    assert.deepEqual(tools, ['certificate_create', 'certificate_verify', 'decision_record', 'delivery_metrics', 'memory_read', 'memory_update', 'run_checks', 'verify_citations'].map((t) => `mcp_devops-agent_${t}`));
    const verify = vscode.lm.tools.find((t) => t.name === VERIFY_TOOL);
    assert.match(verify?.description ?? '', /Checks every path:line citation/);
  });

  it('the Agents view shows which listed MCP tools are available and which are missing', async () => {
    const labels = await waitFor('the mcp-checker agent with its MCP tools', 30_000, async () => {
      const { agentsView } = await api.harness();
      const agents = await agentsView.getChildren();
      const agent = agents.find((n) => n.agent.name === 'mcp-checker');
      if (!agent) return undefined;
      const children: AgentNode[] = await agentsView.getChildren(agent);
      return children.map((c) => String(agentsView.getTreeItem(c).label));
    });
    assert.ok(labels.includes('MCP tools available: mcp__devops-agent__verify_citations'), labels.join(' | '));
    assert.ok(labels.includes('MCP tools missing: mcp__nowhere__missing_tool'), labels.join(' | '));
    assert.ok(!labels.some((l) => l.startsWith('Not provided:')), labels.join(' | '));
  });

  it('an agent that lists the MCP tool gets it offered, runs it through VS Code, and the call is audited', async () => {
    const auditFile = path.join(workspace, 'docs/ai/agents/mcp-checker/audit.jsonl');
    fs.rmSync(auditFile, { force: true });
    const turn = nextTurn(api, 120_000);
    await vscode.commands.executeCommand('workbench.action.chat.open', { query: '@devops /agent mcp-checker run the citation tool on the port line', isPartialQuery: false, modelSelector: { vendor: 'devops-agent', id: 'replay-mcp' } });
    const meta = await turn;
    assert.deepEqual(server.mismatches, [], 'the replay server saw requests that did not match the transcript (the tools offered differ?)');
    assert.equal(meta.error, undefined, `the turn failed: ${meta.error}`);
    assert.equal(meta.agent, 'mcp-checker');
    const [round] = meta.rounds;
    assert.equal(round?.toolCalls[0]?.name, 'mcp__devops-agent__verify_citations');
    const result = round?.results[0];
    assert.equal(result?.isError, false, result?.text);
    const lines = (result?.text ?? '').split('\n');
    assert.deepEqual(lines.slice(0, 2), [
      '✓ `src/server.js:3` — verified: the quoted code is at line 3',
      '✗ src/server.js:300 — line-out-of-range: line 300 out of range, file has 17 lines',
    ]);
    assert.match(lines[2] ?? '', /^Citations: 1 verified\b.*, 1 line out of range$/);
    const entries = fs.readFileSync(auditFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; outcome: string; agent: string });
    assert.ok(entries.some((e) => e.tool === 'mcp__devops-agent__verify_citations' && e.outcome === 'ok' && e.agent === 'mcp-checker'), JSON.stringify(entries));
    // the server audits the call too, in the log of the agent it serves
    const serverAudit = fs.readFileSync(path.join(workspace, 'docs/ai/agents/devops-engineer/audit.jsonl'), 'utf8');
    assert.match(serverAudit, /"tool":"verify_citations"/);
  });
});
