import * as assert from 'node:assert/strict';
import { HARNESS_TOOLS, MEASUREMENT_TOOLS, MEMORY_TOOLS, WORKSPACE_TOOLS, findTool, toolsForAgent } from '../../../../src/core/tools/toolRegistry';

const MEMORY_NAMES = ['memory_read', 'memory_update', 'decision_record', 'certificate_create'];
const ALWAYS_NAMES = [...MEMORY_NAMES, 'dora', 'devops_check'];

describe('core/tools/toolRegistry', () => {
  it('holds the fourteen harness tools with unique names and valid language-model ids', () => {
    assert.deepEqual(WORKSPACE_TOOLS.map((t) => t.name), ['Read', 'Write', 'Edit', 'Glob', 'Grep', 'Bash', 'Git', 'Docker']);
    assert.deepEqual(MEMORY_TOOLS.map((t) => t.name), MEMORY_NAMES);
    assert.deepEqual(MEASUREMENT_TOOLS.map((t) => [t.name, t.risk]), [['dora', 'read'], ['devops_check', 'read']]);
    assert.equal(HARNESS_TOOLS.length, 14);
    assert.equal(new Set(HARNESS_TOOLS.map((t) => t.name.toLowerCase())).size, 14);
    assert.equal(new Set(HARNESS_TOOLS.map((t) => t.id)).size, 14);
    for (const tool of HARNESS_TOOLS) {
      assert.match(tool.id, /^devops_[a-z_]+$/, tool.id);
      assert.doesNotMatch(tool.id, /^(copilot|vscode)_/);
    }
  });

  it('finds a tool by agent-facing name or by id, ignoring case', () => {
    assert.equal(findTool('Read')?.id, 'devops_read');
    assert.equal(findTool('read')?.name, 'Read');
    assert.equal(findTool('devops_grep')?.name, 'Grep');
    assert.equal(findTool('DEVOPS_MEMORY_UPDATE')?.name, 'memory_update');
    assert.equal(findTool('certificate_create')?.id, 'devops_certificate_create');
    for (const tool of HARNESS_TOOLS) {
      assert.equal(findTool(tool.name), tool);
      assert.equal(findTool(tool.id), tool);
    }
  });

  it('finds nothing for names that are not tools', () => {
    for (const name of ['', 'WebFetch', 'devops_', 'devops_readx', 'Read ', 'mcp__x__Read']) assert.equal(findTool(name), undefined, name);
  });

  it('gives an agent the tools it is granted plus the memory, certificate and measurement tools, nothing else', () => {
    assert.deepEqual(toolsForAgent(HARNESS_TOOLS, ['Read', 'Grep']).map((t) => t.name), ['Read', 'Grep', ...ALWAYS_NAMES]);
    assert.deepEqual(toolsForAgent(HARNESS_TOOLS, []).map((t) => t.name), ALWAYS_NAMES);
    assert.deepEqual(toolsForAgent(HARNESS_TOOLS, ['WebFetch', 'read', 'Task']).map((t) => t.name), ALWAYS_NAMES, 'unknown and miscased names grant nothing');
    assert.deepEqual(toolsForAgent(HARNESS_TOOLS, ['Bash', 'Read', 'Bash']).map((t) => t.name), ['Read', 'Bash', ...ALWAYS_NAMES], 'registry order, no duplicates');
    assert.equal(toolsForAgent(HARNESS_TOOLS, HARNESS_TOOLS.map((t) => t.name)).length, 14);
    assert.deepEqual(toolsForAgent(WORKSPACE_TOOLS, ['Git']).map((t) => t.name), ['Git'], 'only from the tools given');
  });
});
