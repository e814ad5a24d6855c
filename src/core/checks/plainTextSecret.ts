// Secrets written as plain values in environment maps (Compose `environment:`, GitLab CI `variables:`).
import { redactSecrets } from '../policy/redactSecrets';

// Names that say the value is a secret…
const SECRET_NAME = /pass(?:word|wd|phrase)?(?:$|_)|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential/i;
// …unless they name where the secret is rather than hold it (`POSTGRES_PASSWORD_FILE`, `SECRET_NAME`).
const REFERENCE_NAME = /(?:_FILE|_PATH|_DIR|_NAME|_URL|_URI|_ID|_USER|_USERNAME|_LENGTH|_TTL|_EXPIRY|_HEADER|_TYPE)$/i;
// Values only known at run time: `${VAR}`, `$VAR`, `$$`, `{{ … }}`.
const REFERENCE_VALUE = /\$\{|\$[A-Za-z_]|\{\{/;

/** Why a name/value pair holds a plain-text secret, or undefined when it does not. */
export function plainTextSecret(name: string, value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '' || REFERENCE_VALUE.test(trimmed)) return undefined;
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name)) return `${name} is set to a literal value`;
  const redaction = redactSecrets(`${name}=${trimmed}`);
  if (redaction.total > 0) return `${name} holds a credential (${Object.keys(redaction.counts).join(', ')})`;
  return undefined;
}
