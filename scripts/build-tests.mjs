// Transpiles src/, test/ and bench/ TypeScript file by file into out/ (no bundling) so mocha runs them in plain Node.
// Type checking is `npm run typecheck`; this step only strips types, so it takes well under a second.
import { build } from 'esbuild';
import { readdirSync, readFileSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

function tsFiles(dir) {
  let files = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) files = files.concat(tsFiles(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) files.push(full);
  }
  return files;
}
rmSync('out', { recursive: true, force: true });
await build({
  entryPoints: ['src', 'test', 'bench'].flatMap((d) => { try { return tsFiles(d); } catch { return []; } }),
  outdir: 'out',
  outbase: '.',
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: 'inline',
  // lower import() to require(): unbundled CJS output cannot resolve extensionless ESM dynamic imports (src/cli/main.ts)
  supported: { 'dynamic-import': false },
  logLevel: 'warning',
  define: { PACKAGE_VERSION: JSON.stringify(JSON.parse(readFileSync('package.json', 'utf8')).version) },
});
