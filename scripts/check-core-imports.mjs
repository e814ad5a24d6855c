// Fails when a file under src/core imports 'vscode': core must stay pure so the CLI and plain-Node tests can use it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const offenders = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) { walk(full); continue; }
    if (!/\.(ts|js|mjs|cjs)$/.test(name)) continue;
    readFileSync(full, 'utf8').split('\n').forEach((line, i) => {
      if (/(from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/.test(line)) {
        offenders.push(`${full}:${i + 1}: ${line.trim()}`);
      }
    });
  }
}
walk('src/core');
if (offenders.length) {
  console.error(`src/core must not import 'vscode' (it is shared with the CLI and plain-Node tests):\n${offenders.join('\n')}`);
  process.exit(1);
}
console.log('core import check: src/core does not import vscode');
