export interface RedactionResult {
  readonly text: string;
  /** Replacements per kind (`github-token`, `password`, …). */
  readonly counts: Readonly<Record<string, number>>;
  readonly total: number;
}

/** The marker a redacted value becomes; the kind tells the model what was there. */
function redactionMarker(kind: string): string {
  return `[REDACTED:${kind}]`;
}

const MARKER_PREFIX = '[REDACTED:';

/** True when text carries a redaction marker, e.g. a Write whose content was copied from redacted output. */
export function containsRedactionMarker(text: string): boolean {
  return /\[REDACTED:[a-z-]+\]/.test(text);
}

type Counter = (kind: string) => string;

/*
 * Every pattern below is linear on any input: each one starts only where its own character run starts (a negative
 * lookbehind for the run's characters) or at a fixed literal, and its repeated classes are followed by a character
 * the class cannot contain, so a failed attempt costs at most the length of one run and runs never overlap.
 */

const AWS_ACCESS_KEY_ID = /(?<![A-Za-z0-9+/])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|AKPA|ANPA|ANVA|AROA|APKA)[A-Z2-7]{16}(?![A-Za-z0-9+/=])/g;
const GITHUB_TOKEN = /(?<![A-Za-z0-9_])gh[pousr]_[A-Za-z0-9]{36,251}(?![A-Za-z0-9_])/g;
const GITHUB_FINE_GRAINED = /(?<![A-Za-z0-9_])github_pat_[A-Za-z0-9_]{22,244}(?![A-Za-z0-9_])/g;
const GITLAB_TOKEN = /(?<![A-Za-z0-9_-])glpat-[A-Za-z0-9_-]{20,255}(?![A-Za-z0-9_-])/g;
const SLACK_TOKEN = /(?<![A-Za-z0-9-])(?:xox[abeoprs]-[A-Za-z0-9-]{10,250}|xapp-\d-[A-Za-z0-9-]{10,250})(?![A-Za-z0-9-])/g;
const SLACK_WEBHOOK = /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]{8,300}/g;
const JWT = /(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]*)/g;
const URL_CREDENTIALS = /(?<![A-Za-z0-9+.-])([A-Za-z][A-Za-z0-9+.-]{1,30}:\/\/)([^\s:/?#@'"`<>]{1,256}):([^\s/?#@'"`<>]{1,256})@/g;
const AUTHORIZATION = /(?<![A-Za-z0-9_-])(Bearer|Basic)([ \t]+)([A-Za-z0-9._~+/-]{12,4096}=*)(?![A-Za-z0-9._~+/=-])/gi;
const PRIVATE_KEY_BEGIN = /-----BEGIN ((?:[A-Z0-9]+ ){0,3})PRIVATE KEY( BLOCK)?-----/g;
// key, optional closing quote, separator, then a double-quoted, single-quoted or bare value.
const ASSIGNMENT = /(?<![A-Za-z0-9_.-])([A-Za-z0-9_.-]+)(["']?)([ \t]*(?:=>|:=|=|:)[ \t]*)(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`,;)}\]]+))/g;
const CLI_FLAG = /(?<![A-Za-z0-9_-])(--?(?:password|passwd|token|secret|api-key|apikey|access-token|auth-token))([ \t]+)(?!-)(?:"([^"\r\n]*)"|'([^'\r\n]*)'|([^\s"'`;|&)]+))/gi;

const SECRET_KEY_WORDS = /pass(?:word|wd|phrase)|secret|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|auth[_.-]?key|signing[_.-]?key|encryption[_.-]?key|credential/i;
// Keys that name a secret rather than hold one: `secretName: db-credentials`, `tokenFile: /run/token`, `max_tokens: 5`.
const REFERENCE_KEY = /(?:name|names|ref|file|path|dir|type|id|url|uri|length|len|size|count|limit|enabled|mode|format|policy|provider|header|prefix|ttl|expiry|expires|version|tokens|env|var|hash|digest|checksum)$/i;
const PLACEHOLDER_VALUES = new Set([
  'changeme', 'change_me', 'change-me', 'password', 'passw0rd', 'password1', 'password123', 'secret', 'secrets', 'example',
  'test', 'testing', 'admin', 'root', 'default', 'none', 'null', 'nil', 'undefined', 'true', 'false', 'placeholder',
  'dummy', 'sample', 'redacted', 'hidden', 'masked', 'required', 'optional', 'string', 'your-password', 'yourpassword',
  'mysecret', 'token', 'notasecret', 'letmein', 'qwerty', '123456', '12345678', 'foobar', 'foo', 'bar',
]);

/**
 * Replaces credentials in tool output with `[REDACTED:<kind>]` before the model or the audit log sees them.
 * Recognised: AWS access key ids and secret keys (in assignments), GitHub, GitLab and Slack tokens, Slack webhook
 * URLs, private key blocks (a block with no END line is redacted to the end of the text), JWTs whose header decodes
 * to JSON with `alg`, `Authorization: Bearer/Basic` values, passwords in URLs, and values of secret-named keys in
 * env, YAML, JSON, shell and code (`PASSWORD=…`, `api_key: …`, `"token": "…"`, `--password …`).
 *
 * Secret-named values are left alone when they cannot be a live credential: references (`${VAR}`, `$(…)`,
 * `process.env.X`, `{{ … }}`, `<your-key>`), common placeholders (`changeme`, `password`, `xxxx`, `****`), numbers,
 * lowercase dashed resource names (`db-credentials`), paths, and values shorter than 8 characters or whose Shannon
 * entropy is below 0.75 × log2(length) capped at 3 bits per character (`aaaaaaaa`). Git SHAs, UUIDs, lockfile
 * integrity hashes and base64 images are not secrets by themselves and pass through.
 */
export function redactSecrets(text: string): RedactionResult {
  const counts: Record<string, number> = {};
  const count: Counter = (kind) => {
    counts[kind] = (counts[kind] ?? 0) + 1;
    return redactionMarker(kind);
  };
  let out = redactPrivateKeys(text, count);
  out = out.replace(SLACK_WEBHOOK, () => count('slack-webhook'));
  out = out.replace(JWT, (match, header: string) => (jwtHeaderHasAlg(header) ? count('jwt') : match));
  out = out.replace(AWS_ACCESS_KEY_ID, () => count('aws-access-key-id'));
  out = out.replace(GITHUB_TOKEN, () => count('github-token'));
  out = out.replace(GITHUB_FINE_GRAINED, () => count('github-token'));
  out = out.replace(GITLAB_TOKEN, () => count('gitlab-token'));
  out = out.replace(SLACK_TOKEN, () => count('slack-token'));
  out = out.replace(URL_CREDENTIALS, (match, scheme: string, user: string, password: string) =>
    isPlaceholderValue(password) || password.startsWith(MARKER_PREFIX) ? match : `${scheme}${user}:${count('url-credentials')}@`);
  out = out.replace(AUTHORIZATION, (match, scheme: string, space: string, value: string) =>
    authorizationValueIsCredential(scheme, value) ? `${scheme}${space}${count('authorization')}` : match);
  out = out.replace(CLI_FLAG, (match, flag: string, space: string, dq?: string, sq?: string, bare?: string) => {
    const value = dq ?? sq ?? bare ?? '';
    if (!looksLikeSecretValue(value)) return match;
    const marker = count(kindForKey(flag));
    return dq !== undefined ? `${flag}${space}"${marker}"` : sq !== undefined ? `${flag}${space}'${marker}'` : `${flag}${space}${marker}`;
  });
  out = out.replace(ASSIGNMENT, (match, key: string, quote: string, separator: string, dq?: string, sq?: string, bare?: string) => {
    if (!SECRET_KEY_WORDS.test(key) && !/^_?auth$/i.test(key)) return match;
    if (REFERENCE_KEY.test(key)) return match;
    const value = dq ?? sq ?? bare ?? '';
    if (!looksLikeSecretValue(value)) return match;
    // `password: hashedPassword` in code names a variable; a literal would be quoted.
    if (bare !== undefined && /^[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)+$/.test(value) && SECRET_KEY_WORDS.test(value)) return match;
    const marker = count(kindForKey(key));
    const head = `${key}${quote}${separator}`;
    return dq !== undefined ? `${head}"${marker}"` : sq !== undefined ? `${head}'${marker}'` : `${head}${marker}`;
  });
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  return { text: out, counts, total };
}

function kindForKey(key: string): string {
  if (/aws[_.-]?secret|secret[_.-]?access[_.-]?key/i.test(key)) return 'aws-secret-access-key';
  if (/pass(?:word|wd|phrase)/i.test(key)) return 'password';
  if (/private[_.-]?key/i.test(key)) return 'private-key';
  if (/api[_.-]?key|apikey/i.test(key)) return 'api-key';
  if (/token/i.test(key)) return 'token';
  if (/^_?auth$/i.test(key)) return 'auth';
  return 'secret';
}

/** Private key blocks are found with indexOf, not a lazy regex, so a thousand BEGIN lines without END stay linear. */
function redactPrivateKeys(text: string, count: Counter): string {
  if (!text.includes('PRIVATE KEY')) return text;
  let out = '';
  let position = 0;
  PRIVATE_KEY_BEGIN.lastIndex = 0;
  for (;;) {
    PRIVATE_KEY_BEGIN.lastIndex = position;
    const begin = PRIVATE_KEY_BEGIN.exec(text);
    if (!begin) break;
    out += text.slice(position, begin.index);
    const endMarker = text.indexOf('-----END ', begin.index + begin[0].length);
    const endClose = endMarker < 0 ? -1 : text.indexOf('-----', endMarker + '-----END '.length);
    out += count('private-key');
    if (endClose < 0) {
      position = text.length;
      break;
    }
    position = endClose + '-----'.length;
  }
  return out + text.slice(position);
}

/** `Bearer` needs a token-like value (digits or mixed case), `Basic` base64 of `user:password`, so prose passes. */
function authorizationValueIsCredential(scheme: string, value: string): boolean {
  if (!looksLikeSecretValue(value)) return false;
  if (scheme.toLowerCase() === 'basic') {
    if (!/^[A-Za-z0-9+/]+=*$/.test(value)) return false;
    return Buffer.from(value, 'base64').toString('utf8').includes(':');
  }
  return value.length >= 16 && (/\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)));
}

function jwtHeaderHasAlg(header: string): boolean {
  if (header.length > 4096) return false;
  try {
    const text = Buffer.from(header, 'base64url').toString('utf8');
    // Checked before parsing so long runs of JWT-like text do not cost a thrown exception each.
    if (!text.includes('"alg"')) return false;
    const decoded: unknown = JSON.parse(text);
    return typeof decoded === 'object' && decoded !== null && !Array.isArray(decoded) && 'alg' in decoded;
  } catch {
    return false;
  }
}

function isPlaceholderValue(value: string): boolean {
  const lower = value.toLowerCase();
  if (PLACEHOLDER_VALUES.has(lower)) return true;
  if (/^(?:x+|\*+|\.+|-+|_+|#+|0+)$/i.test(value)) return true;
  if (/^[$%]|^<.*>$|^\{\{.*\}\}$|^\[.*\]$/.test(value)) return true;
  return /^(?:your|my)[-_ ]|change[-_ ]?me|placeholder|example|_here$|^dummy/.test(lower);
}

/** Whether a value under a secret-looking name could be a real credential (see redactSecrets). */
function looksLikeSecretValue(value: string): boolean {
  if (value.length < 8 || value.startsWith(MARKER_PREFIX)) return false;
  if (isPlaceholderValue(value)) return false;
  if (/^\d+(?:\.\d+)?$/.test(value)) return false;
  if (/^[a-z]+(?:-[a-z0-9]+)+$/.test(value)) return false;
  if (/^(?:\/|~\/|\.{1,2}\/)/.test(value)) return false;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+(?:\(.*\))?$/.test(value) || value.includes('(')) return false;
  const entropy = shannonEntropy(value);
  return entropy >= Math.min(3, 0.75 * Math.log2(value.length));
}

/** Bits per character of the value's character distribution. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const frequency = new Map<string, number>();
  for (const ch of value) frequency.set(ch, (frequency.get(ch) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const n of frequency.values()) {
    const p = n / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}
