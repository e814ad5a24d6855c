import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { confirmKind } from '../../../../src/core/checks/fileKinds';
import { checkText } from '../../../../src/core/checks/runChecks';
import { DEFAULT_CHECK_CONFIG } from '../../../../src/core/checks/checkConfig';
import { FIXTURES, SHARED } from './checkFixtures';

const CONFIG = { config: DEFAULT_CHECK_CONFIG, file: undefined, problems: [] };

/** Real files to run every rule set over: the committed fixtures and, when present, ../shared/corpus. */
function collect(): { name: string; file: string; as: string }[] {
  const out: { name: string; file: string; as: string }[] = [];
  const add = (folder: string, as: (name: string) => string): void => {
    if (!fs.existsSync(folder)) return;
    for (const name of fs.readdirSync(folder).sort()) {
      if (name === 'SOURCES.tsv') continue;
      out.push({ name: `${path.basename(folder)}/${name}`, file: path.join(folder, name), as: as(name) });
    }
  };
  for (const kind of fs.readdirSync(FIXTURES)) {
    add(path.join(FIXTURES, kind), (name) => (kind === 'dockerfiles' ? 'Dockerfile' : kind === 'workflows' ? `.github/workflows/${name}` : name));
  }
  add(path.join(SHARED, 'corpus', 'dockerfiles'), (name) => (name.endsWith('.template') ? name : 'Dockerfile'));
  add(path.join(SHARED, 'corpus', 'workflows'), (name) => `.github/workflows/${name.replace(/^.*__/, '')}`);
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
