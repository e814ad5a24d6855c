import * as fs from 'node:fs';
import * as path from 'node:path';

/** Where VS Code builds keep their bundled ripgrep, relative to `vscode.env.appRoot`. */
export function ripgrepCandidates(appRoot: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const exe = platform === 'win32' ? 'rg.exe' : 'rg';
  return [
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules.asar.unpacked', '@vscode', 'ripgrep', 'bin', exe),
    path.join(appRoot, 'node_modules', '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, exe),
  ];
}

/** The first bundled ripgrep that exists, or undefined (Grep then uses `rg` on PATH or its pure-Node search). */
export function findBundledRipgrep(appRoot: string): string | undefined {
  return ripgrepCandidates(appRoot).find((candidate) => {
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
