import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_CHECK_CONFIG, loadCheckConfig, parseCheckConfig } from '../../../../src/core/checks/checkConfig';

describe('core/checks/checkConfig', () => {
  it('reads every setting of the checks section', () => {
    const { config, problems } = parseCheckConfig([
      'other: { kept: for other features }',
      'checks:',
      '  ignore: [DL3008, dockerfile/consecutive-run]',
      '  ignorePaths:',
      '    - "vendor/**"',
      '  severity: { dockerfile/no-user: error, DL3059: off }',
      '  trustedRegistries: [docker.io, ghcr.io/acme]',
      '  allowedActionOwners: actions',
    ].join('\n'));
    assert.deepEqual(problems, []);
    assert.deepEqual(config, {
      ignoreRules: ['DL3008', 'dockerfile/consecutive-run'],
      ignorePaths: ['vendor/**'],
      severity: { 'dockerfile/no-user': 'error', DL3059: 'off' },
      trustedRegistries: ['docker.io', 'ghcr.io/acme'],
      allowedActionOwners: ['actions'],
    });
  });

  it('says what is wrong, on which line, and keeps the valid entries', () => {
    const { config, problems } = parseCheckConfig('checks:\n  ignore: [DL3008]\n  severty: {}\n  severity: { DL3007: fatal, DL3006: note }\n  trustedRegistries: { a: 1 }\n');
    assert.deepEqual(problems.map((p) => [p.line, p.message.split(';')[0]]), [
      [3, 'unknown key `checks.severty`'],
      [4, 'severity of `DL3007` must be error, warning, note or off'],
      [5, '`checks.trustedRegistries` must be a list of strings'],
    ]);
    assert.deepEqual(config.ignoreRules, ['DL3008']);
    assert.deepEqual(config.severity, { DL3006: 'note' });
  });

  it('points at a YAML syntax error and a misplaced top-level key', () => {
    const broken = parseCheckConfig('checks:\n  ignore: [DL3008\n');
    assert.equal(broken.problems.length > 0, true);
    assert.match((broken.problems[0] as { message: string }).message, /^not valid YAML/);
    assert.deepEqual(broken.config, DEFAULT_CHECK_CONFIG);
    const misplaced = parseCheckConfig('ignore: [DL3008]\n');
    assert.deepEqual(misplaced.problems.map((p) => p.line), [1]);
    assert.match((misplaced.problems[0] as { message: string }).message, /belongs under `checks:`/);
  });

  it('an empty file or no checks section is the defaults', () => {
    assert.deepEqual(parseCheckConfig(''), { config: DEFAULT_CHECK_CONFIG, problems: [] });
    assert.deepEqual(parseCheckConfig('memory: {}\n'), { config: DEFAULT_CHECK_CONFIG, problems: [] });
  });

  it('loads .devops-agent.yaml, then .yml, from the root', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'check-config-'));
    try {
      assert.equal(loadCheckConfig(dir).file, undefined);
      fs.writeFileSync(path.join(dir, '.devops-agent.yml'), 'checks:\n  ignore: [DL3007]\n');
      assert.equal(loadCheckConfig(dir).file, '.devops-agent.yml');
      fs.writeFileSync(path.join(dir, '.devops-agent.yaml'), 'checks:\n  ignore: [DL3006]\n');
      const loaded = loadCheckConfig(dir);
      assert.equal(loaded.file, '.devops-agent.yaml');
      assert.deepEqual(loaded.config.ignoreRules, ['DL3006']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
