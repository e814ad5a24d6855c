// Container image references (`registry/name:tag@sha256:…`) as written in manifests, Compose, GitLab CI and workflows.

export interface ImageReference {
  /** Registry and repository, without tag or digest. */
  readonly name: string;
  readonly tag: string | undefined;
  readonly digest: string | undefined;
}

/** What makes an image reference move under you. */
export type ImagePinning = 'digest' | 'tag' | 'latest' | 'untagged' | 'templated';

export function parseImageReference(reference: string): ImageReference {
  const trimmed = reference.trim();
  const at = trimmed.indexOf('@');
  const withoutDigest = at >= 0 ? trimmed.slice(0, at) : trimmed;
  const digest = at >= 0 ? trimmed.slice(at + 1) : undefined;
  const colon = withoutDigest.lastIndexOf(':');
  const slash = withoutDigest.lastIndexOf('/');
  // a colon before the last slash is a registry port (`localhost:5000/app`), not a tag
  if (colon > slash) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  return { name: withoutDigest, tag: undefined, digest };
}

/** Template syntaxes whose value is only known at run time: `${VAR}`, `$VAR`, `${{ … }}`, `{{ … }}`. */
export function isTemplatedImage(reference: string): boolean {
  return /\$\{|\{\{|\$[A-Za-z_]/.test(reference);
}

export function imagePinning(reference: string): ImagePinning {
  if (isTemplatedImage(reference)) return 'templated';
  const parsed = parseImageReference(reference);
  if (parsed.digest && /^sha256:[0-9a-f]{64}$/i.test(parsed.digest)) return 'digest';
  if (parsed.tag === undefined || parsed.tag === '') return 'untagged';
  if (parsed.tag.toLowerCase() === 'latest') return 'latest';
  return 'tag';
}

const DOCKER_HUB = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);

/** The registry an image is pulled from: the first path part when it looks like a host, else Docker Hub. */
export function imageRegistry(reference: string): string {
  const name = parseImageReference(reference).name.toLowerCase();
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : '';
  return first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost') ? first : 'docker.io';
}

/**
 * True when `trustedRegistries` (from .devops-agent.yaml) is empty or names the image's registry, or a registry path
 * the image lives under (`ghcr.io/acme` trusts `ghcr.io/acme/api`). `docker.io` and `hub.docker.com` mean Docker Hub.
 */
export function isTrustedImage(reference: string, trusted: readonly string[]): boolean {
  if (trusted.length === 0 || isTemplatedImage(reference)) return true;
  const registry = imageRegistry(reference);
  const name = parseImageReference(reference).name.toLowerCase();
  const full = name.startsWith(`${registry}/`) ? name : `${registry}/${name}`;
  const hub = DOCKER_HUB.has(registry);
  return trusted.some((entry) => {
    const wanted = entry.trim().toLowerCase().replace(/\/+$/, '');
    return registry === wanted || full === wanted || full.startsWith(`${wanted}/`) || (hub && (wanted === 'docker.io' || wanted === 'hub.docker.com'));
  });
}
