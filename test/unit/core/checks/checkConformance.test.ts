import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { confirmKind } from '../../../../src/core/checks/fileKinds';
import { checkText } from '../../../../src/core/checks/runChecks';
import { DEFAULT_CHECK_CONFIG } from '../../../../src/core/checks/checkConfig';
import { FIXTURES, SHARED, filesUnder } from './checkFixtures';

const CONFIG = { config: DEFAULT_CHECK_CONFIG, file: undefined, problems: [] };

/** The workspace path a fixture is checked as, so it is classified as the kind its folder holds. */
function workspacePathOf(kind: string, relative: string): string {
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  if (kind === 'dockerfiles') return 'Dockerfile';
  if (kind === 'actions') return base === 'action.yml' || base === 'action.yaml' ? base : `.github/workflows/${base.replace(/\.(?!ya?ml$)[^.]*$/, '')}`;
  if (kind === 'compose') return /compose/.test(base) ? base : 'compose.yaml';
  if (kind === 'gitlab') return '.gitlab-ci.yml';
  return base;
}

/** Real files to run every rule set over: the committed fixtures and, when present, ../shared/corpus. */
function collect(): { name: string; file: string; as: string }[] {
  const out: { name: string; file: string; as: string }[] = [];
  for (const kind of fs.readdirSync(FIXTURES).filter((k) => fs.statSync(path.join(FIXTURES, k)).isDirectory()).sort()) {
    for (const relative of filesUnder(path.join(FIXTURES, kind))) {
      if (relative.endsWith('SOURCES.tsv')) continue;
      out.push({ name: `${kind}/${relative}`, file: path.join(FIXTURES, kind, relative), as: workspacePathOf(kind, relative) });
    }
  }
  const corpus = path.join(SHARED, 'corpus');
  for (const [kind, folder] of [['dockerfiles', 'dockerfiles'], ['actions', 'workflows']] as const) {
    if (!fs.existsSync(path.join(corpus, folder))) continue;
    for (const name of fs.readdirSync(path.join(corpus, folder)).sort()) {
      if (name === 'SOURCES.tsv') continue;
      out.push({ name: `corpus/${folder}/${name}`, file: path.join(corpus, folder, name), as: name.endsWith('.template') ? name : workspacePathOf(kind, name.replace(/^.*__/, '')) });
    }
  }
  return out;
}

describe('core/checks conformance over every collected real file', () => {
  const files = collect();
  if (!fs.existsSync(path.join(SHARED, 'corpus'))) {
    it('../shared/corpus is skipped: it is absent', function () {
      console.log(`    (skipped: ${path.join(SHARED, 'corpus')} is absent; it exists only in the project workspace; set DEVOPS_AGENT_SHARED to use another copy)`);
      this.skip();
    });
  }

  it(`checks ${files.length} real files without a crash, every finding on a real line and column of its file`, () => {
    assert.ok(files.length >= 250, `${files.length} files`);
    let findings = 0;
    for (const { name, file, as } of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (confirmKind(as, text) === undefined) continue;
      const lines = text.split(/\r\n|\n|\r/);
      for (const f of checkText(as, text, '/nonexistent-root', { config: CONFIG, trackedByGit: true })) {
        findings += 1;
        const where = `${name}:${f.range.line}:${f.range.column} ${f.ruleId}`;
        assert.ok(f.range.line >= 1 && f.range.line <= lines.length, where);
        assert.ok(f.range.endLine >= f.range.line && f.range.endLine <= lines.length, where);
        assert.ok(f.range.column >= 1 && f.range.column <= (lines[f.range.line - 1] as string).length + 1, where);
        assert.ok(f.message.length > 0 && !f.ruleId.endsWith('/internal-error'), `${where}: ${f.message}`);
      }
    }
    assert.ok(findings > 0);
  });
});
