import * as fs from 'node:fs';
import * as path from 'node:path';
import { locateRipgrep } from '../../../../../src/core/tools/search/ripgrepSearch';

/**
 * The ripgrep binaries the equivalence tests compare against: `rg` on PATH, and VS Code's bundled one when the
 * real VS Code used by the integration tests is present (a newer ripgrep than most distributions ship).
 */
export function ripgrepBinaries(): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  const onPath = locateRipgrep(undefined);
  if (onPath !== undefined) found.push({ name: `rg on PATH (${onPath})`, path: onPath });
  const repoRoot = path.resolve(__dirname, '..', '..', '..', '..', '..', '..');
  const bundled = path.join(repoRoot, '.vscode-test', 'code-server', 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${process.platform}-${process.arch}`, 'rg');
  if (fs.existsSync(bundled)) found.push({ name: "VS Code's bundled rg", path: bundled });
  return found;
}
