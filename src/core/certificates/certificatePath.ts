import * as path from 'node:path';

const CERTIFICATE_PATH = /[\\/]docs[\\/]ai[\\/]agents[\\/][^\\/]+[\\/]certificates[\\/](?:[^\\/]+[\\/]){0,3}[^\\/]+\.md$/i;

/** Whether a file is a certificate by its path alone (`docs/ai/agents/<agent>/certificates/…/*.md`, not hidden). */
export function isCertificatePath(file: string): boolean {
  return CERTIFICATE_PATH.test(file) && !path.basename(file).startsWith('.');
}
