// Fails when a file under src/core imports 'vscode', or anything under src/vscode or src/cli: core must stay pure
// so the CLI, the MCP server and plain-Node tests can use it, and layers only point down.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const FORBIDDEN_FOLDERS = ['src/vscode', 'src/cli'].map((folder) => resolve(folder) + sep);
const IMPORT = /(?:from\s+|require\(\s*|import\(\s*|^\s*import\s+)['"]([^'"]+)['"]/g;
const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) { walk(full); continue; }
    if (!/\.(ts|js|mjs|cjs)$/.test(name)) continue;
    readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
      for (const [, specifier] of line.matchAll(IMPORT)) {
        const target = specifier.startsWith('.') ? resolve(dirname(full), specifier) + sep : undefined;
        const into = target && FORBIDDEN_FOLDERS.find((folder) => target.startsWith(folder));
        if (specifier === 'vscode') offenders.push(`${full}:${i + 1}: imports 'vscode'`);
        else if (into) offenders.push(`${full}:${i + 1}: imports ${specifier} (${relative('.', into)}), a layer above src/core`);
      }
    });
  }
}
walk('src/core');
if (offenders.length) {
  console.error(`src/core must not import 'vscode', src/vscode or src/cli (it is shared with the CLI and plain-Node tests):\n${offenders.join('\n')}`);
  process.exit(1);
}
console.log('core import check: src/core imports neither vscode nor src/vscode nor src/cli');
