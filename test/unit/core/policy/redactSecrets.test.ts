import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { containsRedactionMarker, redactSecrets, shannonEntropy } from '../../../../src/core/policy/redactSecrets';

// Secret-shaped values are built at run time so no credential-looking literal sits in the repository.
const hash = (seed: string, encoding: 'hex' | 'base64' | 'base64url' = 'hex'): string => createHash('sha256').update(seed).digest(encoding);
const alnum = (seed: string, length: number): string => {
  let out = '';
  for (let i = 0; out.length < length; i += 1) out += hash(`${seed}${i}`, 'base64').replace(/[^A-Za-z0-9]/g, '');
  return out.slice(0, length);
};
const base32 = (seed: string, length: number): string => {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return [...hash(seed)].slice(0, length).map((c, i) => letters[(parseInt(c, 16) * 7 + i) % 32]).join('');
};
const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const AWS_KEY_ID = `AKIA${base32('aws-id', 16)}`;
const AWS_SECRET = hash('aws-secret', 'base64').slice(0, 40);
const GITHUB_CLASSIC = `ghp_${alnum('gh', 36)}`;
const GITHUB_APP = `ghs_${alnum('ghs', 36)}`;
const GITHUB_FINE = `github_pat_${alnum('pat1', 22)}_${alnum('pat2', 59)}`;
const GITLAB = `glpat-${alnum('gl', 20)}`;
const SLACK_BOT = `xoxb-${'1234567890'}-${'9876543210123'}-${alnum('slack', 24)}`;
const SLACK_WEBHOOK = `https://hooks.slack.com/services/T${base32('t', 8)}/B${base32('b', 10)}/${alnum('hook', 24)}`;
const JWT = `${b64url({ alg: 'HS256', typ: 'JWT' })}.${b64url({ sub: '1234567890', name: 'Ada', iat: 1516239022 })}.${hash('sig', 'base64url')}`;
const DB_PASSWORD = `Xk9${alnum('db', 13)}`;
const KEY_BODY = Array.from({ length: 6 }, (_, i) => hash(`key${i}`, 'base64')).join('\n');
const PRIVATE_KEY = `-----BEGIN ${'RSA PRIVATE'} KEY-----\n${KEY_BODY}\n-----END ${'RSA PRIVATE'} KEY-----`;

interface Case {
  readonly name: string;
  readonly input: string;
  readonly expected: string;
  readonly counts: Record<string, number>;
}

const CASES: readonly Case[] = [
  { name: 'AWS access key id', input: `aws_access_key_id = ${AWS_KEY_ID}`, expected: 'aws_access_key_id = [REDACTED:aws-access-key-id]', counts: { 'aws-access-key-id': 1 } },
  { name: 'AWS secret access key in an ini file', input: `aws_secret_access_key = ${AWS_SECRET}`, expected: 'aws_secret_access_key = [REDACTED:aws-secret-access-key]', counts: { 'aws-secret-access-key': 1 } },
  { name: 'AWS secret in sts JSON', input: `"SecretAccessKey": "${AWS_SECRET}",`, expected: '"SecretAccessKey": "[REDACTED:aws-secret-access-key]",', counts: { 'aws-secret-access-key': 1 } },
  { name: 'GitHub classic token in env', input: `GITHUB_TOKEN=${GITHUB_CLASSIC}`, expected: 'GITHUB_TOKEN=[REDACTED:github-token]', counts: { 'github-token': 1 } },
  { name: 'GitHub app token in a git remote', input: `https://x-access-token:${GITHUB_APP}@github.com/o/r.git`, expected: 'https://x-access-token:[REDACTED:github-token]@github.com/o/r.git', counts: { 'github-token': 1 } },
  { name: 'GitHub fine-grained token in prose', input: `use ${GITHUB_FINE} for the API`, expected: 'use [REDACTED:github-token] for the API', counts: { 'github-token': 1 } },
  { name: 'GitLab personal access token', input: `CI_JOB_TOKEN: ${GITLAB}`, expected: 'CI_JOB_TOKEN: [REDACTED:gitlab-token]', counts: { 'gitlab-token': 1 } },
  { name: 'Slack bot token', input: `slack_bot=${SLACK_BOT}`, expected: 'slack_bot=[REDACTED:slack-token]', counts: { 'slack-token': 1 } },
  { name: 'Slack webhook URL', input: `curl -X POST ${SLACK_WEBHOOK} -d @msg.json`, expected: 'curl -X POST [REDACTED:slack-webhook] -d @msg.json', counts: { 'slack-webhook': 1 } },
  { name: 'private key block', input: `key:\n${PRIVATE_KEY}\nafter`, expected: 'key:\n[REDACTED:private-key]\nafter', counts: { 'private-key': 1 } },
  {
    name: 'private key with \\n escapes in a service-account JSON',
    input: `"private_key": "${PRIVATE_KEY.replace(/\n/g, '\\n')}\\n",`,
    expected: '"private_key": "[REDACTED:private-key]\\n",',
    counts: { 'private-key': 1 },
  },
  { name: 'private key without END is redacted to the end', input: `x\n-----BEGIN ${'OPENSSH PRIVATE'} KEY-----\n${KEY_BODY}`, expected: 'x\n[REDACTED:private-key]', counts: { 'private-key': 1 } },
  { name: 'JWT', input: `token=${JWT}`, expected: 'token=[REDACTED:jwt]', counts: { jwt: 1 } },
  { name: 'Bearer header', input: `curl -H "Authorization: Bearer ${alnum('bearer', 32)}" https://api`, expected: 'curl -H "Authorization: Bearer [REDACTED:authorization]" https://api', counts: { authorization: 1 } },
  { name: 'Basic header', input: `Authorization: Basic ${Buffer.from(`deploy:${DB_PASSWORD}`).toString('base64')}`, expected: 'Authorization: Basic [REDACTED:authorization]', counts: { authorization: 1 } },
  { name: 'password in .env', input: `DB_PASSWORD=${DB_PASSWORD}\nDB_HOST=db`, expected: 'DB_PASSWORD=[REDACTED:password]\nDB_HOST=db', counts: { password: 1 } },
  { name: 'password in YAML', input: `  password: "${DB_PASSWORD}"\n  user: app`, expected: '  password: "[REDACTED:password]"\n  user: app', counts: { password: 1 } },
  { name: 'api_key in JSON', input: `{"api_key": "${alnum('api', 32)}", "region": "eu"}`, expected: '{"api_key": "[REDACTED:api-key]", "region": "eu"}', counts: { 'api-key': 1 } },
  { name: 'secret in Python', input: `SECRET_KEY = '${alnum('django', 40)}'`, expected: "SECRET_KEY = '[REDACTED:secret]'", counts: { secret: 1 } },
  { name: 'exported token in shell', input: `export NPM_TOKEN=${alnum('npm', 36)}`, expected: 'export NPM_TOKEN=[REDACTED:token]', counts: { token: 1 } },
  { name: 'docker run -e in a command line', input: `docker run -e POSTGRES_PASSWORD=${DB_PASSWORD} postgres:16`, expected: 'docker run -e POSTGRES_PASSWORD=[REDACTED:password] postgres:16', counts: { password: 1 } },
  { name: 'docker inspect Env array', input: `"Env": ["POSTGRES_PASSWORD=${DB_PASSWORD}", "PATH=/usr/bin"]`, expected: '"Env": ["POSTGRES_PASSWORD=[REDACTED:password]", "PATH=/usr/bin"]', counts: { password: 1 } },
  { name: 'npmrc auth token', input: `//registry.npmjs.org/:_authToken=${alnum('npmrc', 36)}`, expected: '//registry.npmjs.org/:_authToken=[REDACTED:token]', counts: { token: 1 } },
  { name: 'docker config auth', input: `"auth": "${Buffer.from(`me:${DB_PASSWORD}`).toString('base64')}"`, expected: '"auth": "[REDACTED:auth]"', counts: { auth: 1 } },
  { name: '--password flag', input: `mysql --password ${DB_PASSWORD} -h db`, expected: 'mysql --password [REDACTED:password] -h db', counts: { password: 1 } },
  { name: 'URL credentials', input: `DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app`, expected: 'DATABASE_URL=postgres://app:[REDACTED:url-credentials]@db:5432/app', counts: { 'url-credentials': 1 } },
  {
    name: 'several kinds at once',
    input: `A=${AWS_KEY_ID} B=${GITHUB_CLASSIC} C=${GITHUB_APP}`,
    expected: 'A=[REDACTED:aws-access-key-id] B=[REDACTED:github-token] C=[REDACTED:github-token]',
    counts: { 'aws-access-key-id': 1, 'github-token': 2 },
  },
];

const UNCHANGED: readonly [string, string][] = [
  ['git SHA', `commit ${hash('commit').slice(0, 40)}\nsha: ${hash('c2').slice(0, 40)}`],
  ['UUID', 'id: 123e4567-e89b-12d3-a456-426614174000 and request_id=9f1c2d3e-4b5a-6789-abcd-ef0123456789'],
  ['package-lock integrity', `"integrity": "sha512-${hash('a', 'base64')}${hash('b', 'base64')}",`],
  ['yarn.lock resolved URL', `resolved "https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#${hash('y').slice(0, 40)}"`],
  ['base64 PNG data URI', `src="data:image/png;base64,iVBORw0KGgo${Array.from({ length: 20 }, (_, i) => hash(`png${i}`, 'base64')).join('')}"`],
  ['AKIA inside a base64 blob', `blob: ${hash('x', 'base64')}AKIA${base32('blob', 16)}${hash('y', 'base64')}`],
  ['placeholder password', 'password=changeme\nPASSWORD: "your-password-here"\napi_key: <your-api-key>\nsecret: xxxxxxxxxxxx'],
  ['variable references', 'password: ${DB_PASSWORD}\nGITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\ntoken=$(cat /run/secrets/token)\nDATABASE_URL=postgres://app:${DB_PASS}@db/app'],
  ['Kubernetes secret names', 'secretName: db-credentials\nexistingSecret: my-release-postgresql\nsecretKeyRef:\n  name: api-secrets\n  key: token'],
  ['code that names secrets', 'const token = req.headers.authorization;\npassword: hashedPassword,\napiKey: config.apiKey,\nconst secret = crypto.randomBytes(32);\ntoken: string;'],
  ['config counters', 'max_tokens: 4096\ntoken_limit = 100000\npassword_min_length: 12\nPWD=/home/runner/work/project'],
  ['plain URLs', 'https://github.com/org/repo.git git@github.com:org/repo.git http://localhost:8080/path?x=1 ssh://git@host:22/r'],
  ['prose about auth', 'Basic authentication is enabled. Bearer authentication uses tokens. The secret: keep it simple.'],
  ['eyJ text that is not a JWT', `${b64url({ foo: 1 })}.${b64url({ bar: 2 })}.abc`],
  ['short and low-entropy values', 'password=hunter2\ntoken=aaaaaaaaaaaaaaaa\nsecret=12345678901234'],
];

describe('core/policy/redactSecrets', () => {
  describe('redacts', () => {
    for (const c of CASES) {
      it(c.name, () => {
        const result = redactSecrets(c.input);
        assert.equal(result.text, c.expected);
        assert.deepEqual(result.counts, c.counts);
        assert.equal(result.total, Object.values(c.counts).reduce((a, b) => a + b, 0));
      });
    }
  });

  describe('leaves alone', () => {
    for (const [name, input] of UNCHANGED) {
      it(name, () => {
        const result = redactSecrets(input);
        assert.equal(result.text, input);
        assert.equal(result.total, 0);
      });
    }
  });

  it('is idempotent: redacting redacted text changes nothing', () => {
    const once = redactSecrets(CASES.map((c) => c.input).join('\n'));
    const twice = redactSecrets(once.text);
    assert.equal(twice.text, once.text);
    assert.equal(twice.total, 0);
    assert.ok(containsRedactionMarker(once.text));
    assert.ok(!containsRedactionMarker('no markers [REDACTED] here'));
  });

  it('measures Shannon entropy in bits per character', () => {
    assert.equal(shannonEntropy(''), 0);
    assert.equal(shannonEntropy('aaaa'), 0);
    assert.equal(shannonEntropy('abcd'), 2);
    assert.equal(shannonEntropy('abababab'), 1);
  });

  describe('1 MB adversarial inputs (every pattern is linear by construction)', () => {
    const MB = 1 << 20;
    const repeat = (unit: string): string => unit.repeat(Math.ceil(MB / unit.length)).slice(0, MB);
    const inert: [string, string][] = [
      ['one long word', 'a'.repeat(MB)],
      ['repeated JWT prefixes', repeat('eyJ')],
      ['repeated JWT-shaped triples', repeat('eyJa.')],
      ['repeated token prefixes', repeat('ghp_glpat-xoxb-AKIA')],
      ['a secret key name followed by a megabyte of spaces', `password${' '.repeat(MB)}`],
      ['repeated assignments without values', repeat('password=')],
      ['repeated schemes', repeat('https://a:')],
      ['repeated key-value starts', repeat('token: "')],
      ['repeated flags', repeat('--password ')],
      ['repeated Bearer', repeat('Bearer ')],
    ];
    for (const [name, input] of inert) {
      it(`passes ${name} through unchanged`, () => {
        const result = redactSecrets(input);
        assert.equal(result.total, 0);
        assert.equal(result.text, input);
      });
    }

    it('redacts a megabyte of BEGIN lines without END as one block', () => {
      const input = `ok\n${repeat(`-----BEGIN ${'EC PRIVATE'} KEY-----\n`)}`;
      const result = redactSecrets(input);
      assert.equal(result.text, 'ok\n[REDACTED:private-key]');
      assert.deepEqual(result.counts, { 'private-key': 1 });
    });

    it('redacts every token in a megabyte of tokens', () => {
      const line = `${GITHUB_CLASSIC} `;
      const n = Math.floor(MB / line.length);
      const result = redactSecrets(line.repeat(n));
      assert.equal(result.counts['github-token'], n);
      assert.equal(result.text, '[REDACTED:github-token] '.repeat(n));
    });
  });
});
