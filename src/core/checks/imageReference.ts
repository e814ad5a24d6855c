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
