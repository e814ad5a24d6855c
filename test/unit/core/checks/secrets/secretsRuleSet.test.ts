import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { secretsRuleSet } from '../../../../../src/core/checks/secrets/secretsRuleSet';
import { NO_OPTIONS, REPO_ROOT } from '../checkFixtures';

// Secret-shaped values are built at run time so no credential-looking literal sits in the repository.
const alnum = (seed: string, length: number): string => {
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += createHash('sha256').update(`${seed}${i}`).digest('base64').replace(/[^A-Za-z0-9]/g, '');
  return out.slice(0, length);
};

const check = (text: string, file = '.env') => secretsRuleSet.check({ path: file, text, kind: 'secrets-file' }, NO_OPTIONS);

describe('core/checks/secrets/secretsRuleSet', () => {
  it('flags the token in the demo .env on its line and column, never quoting it', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'demo', 'files', '.env'), 'utf8');
    const findings = check(text);
    const token = findings.find((f) => f.range.line === 3);
    assert.ok(token, 'line 3 holds PAYMENTS_API_TOKEN');
    assert.equal(token.range.column, 'PAYMENTS_API_TOKEN='.length + 1);
    assert.equal(token.range.endColumn, (text.split('\n')[2] as string).length + 1);
    assert.match(token.message, /^PAYMENTS_API_TOKEN holds a token value/);
    assert.ok(!token.message.includes((text.split('\n')[2] as string).split('=')[1] as string));
    assert.ok(!findings.some((f) => f.range.line === 1), 'PORT=8080 is not a secret');
  });

  it('finds provider tokens, passwords and private key blocks; leaves placeholders and references alone', () => {
    const text = [
      '# local settings',
      `GITHUB_TOKEN=ghp_${alnum('gh', 36)}`,
      'DB_PASSWORD=changeme',
      'API_KEY=${API_KEY}',
      `export STRIPE_SECRET="${alnum('stripe', 28)}"`,
      'LOG_LEVEL=debug',
      `-----BEGIN ${'RSA PRIVATE'} KEY-----`,
      alnum('k1', 64),
      `-----END ${'RSA PRIVATE'} KEY-----`,
      'AFTER=1',
    ].join('\n');
    const findings = check(text);
    assert.deepEqual(findings.map((f) => f.range.line), [2, 5, 7]);
    assert.match((findings[1] as { message: string }).message, /^STRIPE_SECRET holds a secret value/);
    assert.match((findings[2] as { message: string }).message, /private-key/);
  });

  it('a file with only placeholders (a committed template) has no findings', () => {
    assert.deepEqual(check('API_TOKEN=your-token-here\nPASSWORD=\nSECRET=<secret>\n', '.env.example'), []);
  });
});
