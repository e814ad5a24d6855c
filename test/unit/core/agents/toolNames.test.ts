import * as assert from 'node:assert/strict';
import { HARNESS_TOOL_NAMES, describeUnknownTool, harnessToolsFor, normalizeToolNames } from '../../../../src/core/agents/toolNames';

describe('core/agents/toolNames', () => {
  it('lists the eight harness tools', () => {
    assert.deepEqual([...HARNESS_TOOL_NAMES], ['Read', 'Write', 'Edit', 'Bash', 'Glob', 'Grep', 'Git', 'Docker']);
  });

  const cases: ReadonlyArray<{ written: string[]; tools: string[]; unknown?: string[] }> = [
    { written: ['Read', 'Write', 'Bash', 'Docker', 'Git', 'Glob', 'Grep'], tools: ['Read', 'Write', 'Bash', 'Glob', 'Grep', 'Git', 'Docker'] },
    { written: ['MultiEdit'], tools: ['Edit'] },
    { written: ['NotebookEdit'], tools: ['Edit'] },
    { written: ['LS'], tools: ['Glob'] },
    { written: ['NotebookRead'], tools: ['Read'] },
    { written: ['Edit'], tools: ['Edit'] },
    { written: ['edit'], tools: ['Write', 'Edit'] },
    { written: ['bash', 'GREP', 'glob'], tools: ['Bash', 'Glob', 'Grep'] },
    { written: ['editFiles'], tools: ['Write', 'Edit'] },
    { written: ['edit/editFiles'], tools: ['Write', 'Edit'] },
    { written: ['runCommands'], tools: ['Bash'] },
    { written: ['runInTerminal'], tools: ['Bash'] },
    { written: ['execute/runInTerminal'], tools: ['Bash'] },
    { written: ['shell'], tools: ['Bash'] },
    { written: ['search'], tools: ['Read', 'Glob', 'Grep'] },
    { written: ['codebase'], tools: ['Read', 'Glob', 'Grep'] },
    { written: ['changes'], tools: ['Git'] },
    { written: ['usages', 'findTestFiles'], tools: ['Glob', 'Grep'] },
    { written: ['read/readFile'], tools: ['Read'] },
    { written: ['*'], tools: [...HARNESS_TOOL_NAMES] },
    { written: ['WebFetch', '*'], tools: [...HARNESS_TOOL_NAMES], unknown: ['WebFetch'] },
    { written: ['Read', 'read', ' Read '], tools: ['Read'] },
    { written: ['WebFetch', 'Task', 'mcp__ctx__docs', 'outagedeck/*', 'Read'], tools: ['Read'], unknown: ['WebFetch', 'Task', 'mcp__ctx__docs', 'outagedeck/*'] },
    { written: ['WebFetch', 'webfetch'], tools: [], unknown: ['WebFetch', 'webfetch'] },
    { written: [], tools: [] },
  ];
  for (const c of cases) {
    it(`maps [${c.written.join(', ')}] to [${c.tools.join(', ')}]`, () => {
      const result = normalizeToolNames(c.written);
      assert.deepEqual(result.tools, c.tools);
      assert.deepEqual(result.unknown, c.unknown ?? []);
    });
  }

  it('looks up the exact spelling before the case-insensitive one', () => {
    assert.deepEqual(harnessToolsFor('Edit'), ['Edit']);
    assert.deepEqual(harnessToolsFor('EDIT'), ['Edit']);
    assert.deepEqual(harnessToolsFor('edit'), ['Write', 'Edit']);
    assert.equal(harnessToolsFor('WebSearch'), undefined);
  });

  it('says where an unknown tool comes from and that the harness does not provide it', () => {
    const messages: Record<string, RegExp> = {
      WebFetch: /Claude Code tool/,
      Agent: /Claude Code tool/,
      agent: /VS Code chat tool/,
      fetch: /VS Code chat tool/,
      'read/problems': /VS Code chat tool/,
      'mcp__context7__get-library-docs': /MCP tool \(server 'context7'\)/,
      'context7/*': /MCP server 'context7'/,
      'ms-python.python/installPythonPackage': /VS Code extension 'ms-python.python'/,
      'task-analysis': /unknown tool/,
    };
    for (const [name, pattern] of Object.entries(messages)) {
      const message = describeUnknownTool(name);
      assert.match(message, pattern, name);
      assert.match(message, /not provided by this harness/, name);
      assert.ok(message.includes(`'${name}'`), name);
    }
  });
});
