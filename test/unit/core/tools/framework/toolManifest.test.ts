import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { languageModelToolContributions } from '../../../../../src/core/tools/framework/toolManifest';
import { HARNESS_TOOLS } from '../../../../../src/core/tools/toolRegistry';

const repo = path.resolve(__dirname, '../../../../../..');

describe('core/tools/framework/toolManifest', () => {
  const contributions = languageModelToolContributions(HARNESS_TOOLS);

  it('package.json declares exactly the registered tools (run `npm run sync-manifest` after changing a tool)', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8')) as { contributes: { languageModelTools: unknown } };
    assert.deepEqual(manifest.contributes.languageModelTools, JSON.parse(JSON.stringify(contributions)));
  });

  it('meets VS Code rules: name pattern, reference name present with canBeReferencedInPrompt, object schema', () => {
    for (const c of contributions) {
      assert.match(c.name, /^(?!copilot_|vscode_)[\w-]+$/, c.name);
      assert.match(c.toolReferenceName, /^[\w-]+$/, c.toolReferenceName);
      assert.equal((c.inputSchema as { type?: string }).type, 'object', c.name);
      assert.ok(c.modelDescription.length > 40, `${c.name} needs a description a model can act on`);
    }
    assert.equal(new Set(contributions.map((c) => c.name)).size, contributions.length, 'tool ids must be unique');
    assert.equal(new Set(contributions.map((c) => c.toolReferenceName)).size, contributions.length, 'reference names must be unique');
  });
});
