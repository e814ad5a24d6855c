import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { minimatch } from 'minimatch';
import { kindByPath } from '../../../src/core/checks/fileKinds';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

function filesUnder(dir: string, prefix = ''): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    return entry.isDirectory() ? filesUnder(path.join(dir, entry.name), relative) : [relative];
  });
}

// VS Code asks a model vendor for its models only once something selects models (Copilot Chat does at start-up;
// code-server has nothing that does) and refuses a chat request while no model is selected. So in a workspace with
// DevOps files the extension must be active before the first @devops request, or a newcomer without a model gets
// "Language model unavailable" instead of the checks-only entry.
describe('repository/package.json activation events', () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { activationEvents: string[] };
  const patterns = manifest.activationEvents.filter((e) => e.startsWith('workspaceContains:')).map((e) => e.slice('workspaceContains:'.length));
  const activates = (file: string): boolean => patterns.some((p) => minimatch(file, p, { dot: true }));

  it('activates at start-up in a workspace with a file the DevOps checks examine by name', () => {
    const devopsFiles = ['Dockerfile', 'services/api/Dockerfile', 'Containerfile', 'build/app.dockerfile', 'Dockerfile.prod',
      '.github/workflows/ci.yml', '.github/workflows/release.yaml', 'docker-compose.yml', 'deploy/compose.yaml',
      'docker-compose.override.yml', '.gitlab-ci.yml', 'docs/ai/agents/devops-engineer/working-memory.md'];
    assert.deepEqual(devopsFiles.filter((f) => !activates(f)), []);
    for (const file of devopsFiles.filter((f) => !f.startsWith('docs/'))) assert.notEqual(kindByPath(file), undefined, `${file} is not a kind the checks examine`);
  });

  it('activates in the demo workspace (npm start and the e2e open it)', () => {
    const demo = filesUnder(path.join(REPO_ROOT, 'demo/files'));
    assert.ok(demo.some(activates), `no workspaceContains pattern matches a demo file: ${demo.join(', ')}`);
  });

  it('stays inactive in a workspace without DevOps files, and never activates in every window', () => {
    assert.deepEqual(['src/index.ts', 'package.json', 'README.md', 'docs/operations.md', 'test/app.test.js'].filter(activates), []);
    assert.deepEqual(manifest.activationEvents.filter((e) => e === '*' || e === 'onStartupFinished'), []);
  });
});
