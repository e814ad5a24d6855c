import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEVOPS_MCP_TOOL_NAMES } from '../../../../src/core/hooks/claudeCodeSetup';
import { buildMcpToolCatalog } from '../../../../src/core/mcp/mcpToolCatalog';

describe('core/mcp/mcpToolCatalog', () => {
  let root: string;
  before(() => { root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-catalog-'))); });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('serves exactly the tools the Claude Code agent file lists', () => {
    assert.deepEqual(buildMcpToolCatalog({ root, agent: 'devops-engineer' }).map((t) => t.name), [...DEVOPS_MCP_TOOL_NAMES]);
  });

  it('refuses memory writes for another agent folder than its own and audits them', async () => {
    const tools = buildMcpToolCatalog({ root, agent: 'devops-engineer' });
    const update = tools.find((t) => t.name === 'memory_update');
    const outcome = await update!.run({ file: 'next-actions', section: 'Open', content: 'x', folder: '/etc' }, new AbortController().signal);
    assert.equal(outcome.isError, true);
    const audit = fs.readFileSync(path.join(root, 'docs/ai/agents/devops-engineer/audit.jsonl'), 'utf8');
    assert.match(audit, /"tool":"memory_update"/);
    assert.equal(fs.existsSync('/etc/docs'), false);
  });
});
