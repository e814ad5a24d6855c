import * as assert from 'node:assert/strict';
import { findMcpTool, mcpToolReferences, resolveMcpTools } from '../../../../src/core/agents/mcpToolReferences';

describe('core/agents/mcpToolReferences', () => {
  const tools = [
    { name: 'mcp_devops-agent_verify_citations', description: 'verify' },
    { name: 'mcp_github_create_issue', description: 'issue' },
    { name: 'mcp_github2_create_issue', description: 'second github server' },
    { name: 'mcp_a_very_long_s_search', description: 'long server name, cut' },
    { name: 'devops_read', description: 'ours' },
  ];

  it('picks the mcp__server__tool names out of an agent\'s tools', () => {
    assert.deepEqual(mcpToolReferences(['Read', 'mcp__github__create_issue', ' mcp__devops-agent__verify_citations ', 'mcp__broken', 'WebSearch']), [
      { written: 'mcp__github__create_issue', server: 'github', tool: 'create_issue' },
      { written: 'mcp__devops-agent__verify_citations', server: 'devops-agent', tool: 'verify_citations' },
    ]);
  });

  it('finds the tool under the name VS Code gives it', () => {
    const [github, devops, long, missing] = mcpToolReferences(['mcp__GitHub__create_issue', 'mcp__devops-agent__verify_citations', 'mcp__a very long server name__search', 'mcp__github__delete_repo']);
    assert.equal(findMcpTool(github!, tools)?.name, 'mcp_github_create_issue');
    assert.equal(findMcpTool(devops!, tools)?.name, 'mcp_devops-agent_verify_citations');
    assert.equal(findMcpTool(long!, tools)?.name, 'mcp_a_very_long_s_search');
    assert.equal(findMcpTool(missing!, tools), undefined);
  });

  it('splits an agent\'s MCP tools into available and missing', () => {
    const result = resolveMcpTools(mcpToolReferences(['mcp__github__create_issue', 'mcp__jira__create_ticket']), tools);
    assert.deepEqual(result.available.map((a) => [a.reference.written, a.toolName]), [['mcp__github__create_issue', 'mcp_github_create_issue']]);
    assert.deepEqual(result.missing.map((m) => m.written), ['mcp__jira__create_ticket']);
  });
});
