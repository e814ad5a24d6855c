import type { CheckFileKind } from './checkTypes';

const NOT_DOCKERFILE_EXTENSIONS = /\.(?:md|txt|dockerignore|json|ya?ml|sh|bak|orig|swp|rej|patch|diff|html|lock|toml|ini|py|js|ts|go|template|tmpl|tpl|j2|jinja2?|hbs|mustache|erb|in)$/i;
const SECRETS_NAMES = new Set(['.npmrc', '.pypirc', '.netrc', '_netrc', '.git-credentials', '.htpasswd', 'id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', 'credentials']);

/**
 * The kind a path suggests, before its content is read. Paths are relative to the check root with `/`.
 * `yaml` means "any YAML": a Kubernetes manifest if its documents carry apiVersion and kind.
 */
export function kindByPath(file: string): CheckFileKind | 'yaml' | undefined {
  const base = file.slice(file.lastIndexOf('/') + 1);
  const lower = base.toLowerCase();
  if (lower === 'dockerfile' || lower === 'containerfile') return 'dockerfile';
  if ((lower.startsWith('dockerfile.') || lower.startsWith('containerfile.') || lower.endsWith('.dockerfile') || lower.endsWith('.containerfile')) && !NOT_DOCKERFILE_EXTENSIONS.test(lower)) return 'dockerfile';
  const yaml = /\.ya?ml$/i.test(lower);
  if (yaml && /(?:^|\/)\.github\/workflows\/[^/]+$/.test(file)) return 'github-workflow';
  if (lower === 'action.yml' || lower === 'action.yaml') return 'github-action';
  if (lower === '.gitlab-ci.yml' || lower === '.gitlab-ci.yaml' || (yaml && lower.endsWith('.gitlab-ci.yml'))) return 'gitlab-ci';
  if (yaml && /^(?:docker-)?compose(?:[.-][^/]*)?\.ya?ml$/.test(lower)) return 'compose';
  if (yaml) return 'yaml';
  if (lower === '.env' || lower.startsWith('.env.') || (lower.endsWith('.env') && lower !== '.env' && !lower.endsWith('/.env'))) return 'secrets-file';
  if (/\.(?:pem|key|p8|ppk|jks|keystore)$/.test(lower) || SECRETS_NAMES.has(lower)) return 'secrets-file';
  return undefined;
}

/**
 * Confirms (or finds) a file's kind from its text: a Dockerfile has an instruction, YAML kinds have the keys their
 * format requires, a Kubernetes manifest has `apiVersion` and `kind` at the top level of one of its documents.
 * Returns undefined when the content does not fit (a `Dockerfile.md`-like file, a YAML that is not a manifest).
 */
export function confirmKind(file: string, text: string): CheckFileKind | undefined {
  const guess = kindByPath(file);
  if (guess === undefined) return undefined;
  if (text.includes('\0')) return undefined;
  switch (guess) {
    case 'dockerfile': {
      const base = file.slice(file.lastIndexOf('/') + 1).toLowerCase();
      // The canonical names are Dockerfiles even while still empty; the looser patterns need a FROM.
      if (base === 'dockerfile' || base === 'containerfile') return 'dockerfile';
      // Templates (`{{#each}}`, `{{ .Version }}` on their own lines) are Dockerfiles only once rendered.
      return /^\s*FROM\s/im.test(text) && !/^\s*\{\{/m.test(text) ? 'dockerfile' : undefined;
    }
    case 'github-workflow':
      return /^(?:on|jobs|"on"|'on')\s*:/m.test(text) || text.trim() === '' ? 'github-workflow' : undefined;
    case 'github-action':
      return /^runs\s*:/m.test(text) ? 'github-action' : undefined;
    case 'gitlab-ci':
      return 'gitlab-ci';
    case 'compose':
      return /^services\s*:/m.test(text) ? 'compose' : undefined;
    case 'yaml':
      return isKubernetesManifest(text) ? 'kubernetes' : undefined;
    case 'secrets-file':
      return 'secrets-file';
    default:
      return undefined;
  }
}

/**
 * Top-level `apiVersion:` and `kind:` keys in one document. Templated YAML (Helm's `{{ }}`) is not a manifest until
 * rendered, so it is left alone unless the template markers are only in comments.
 */
function isKubernetesManifest(text: string): boolean {
  if (!/^apiVersion\s*:/m.test(text) || !/^kind\s*:/m.test(text)) return false;
  if (/^[^#\n]*\{\{/m.test(text)) return false;
  for (const document of text.split(/^---.*$/m)) {
    if (/^apiVersion\s*:\s*\S/m.test(document) && /^kind\s*:\s*\S/m.test(document)) return true;
  }
  return false;
}
