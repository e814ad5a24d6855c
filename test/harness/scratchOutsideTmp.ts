import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * A folder for sandbox tests that must sit outside /tmp (the sandbox gives each command a private /tmp, so a write
 * there would meet a different denial): `preferred` unless it lies under the temp folder, as it does when CI clones
 * the repository into /tmp; then a folder under the home directory.
 */
export function scratchDirOutsideTmp(preferred: string): string {
  const tmp = fs.realpathSync(os.tmpdir());
  fs.mkdirSync(preferred, { recursive: true });
  const real = fs.realpathSync(preferred);
  const dir = real === tmp || real.startsWith(`${tmp}${path.sep}`) || real.startsWith('/tmp/') ? path.join(os.homedir(), '.cache', 'devops-agent-tests') : real;
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}
