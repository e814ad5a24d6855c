// Bundles the extension (dist/extension.js) and the CLI (dist/cli.js).
//   node esbuild.config.mjs [--production] [--watch]
import { context } from 'esbuild';
import { chmodSync, readFileSync } from 'node:fs';

const { version } = JSON.parse(readFileSync('package.json', 'utf8'));

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minify: production,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  // dockerode -> docker-modem -> ssh2 optionally loads native modules; they are absent in the bundle and
  // ssh2 falls back to pure JS when require() of them fails.
  external: ['vscode', 'cpu-features', '*.node'],
  metafile: true,
  define: { PACKAGE_VERSION: JSON.stringify(version) },
};

const contexts = await Promise.all([
  context({ ...common, entryPoints: { extension: 'src/extension.ts' }, outdir: 'dist' }),
  context({ ...common, entryPoints: { cli: 'src/cli/main.ts' }, outdir: 'dist', banner: { js: '#!/usr/bin/env node' } }),
  // The Delivery Metrics webview script with uPlot and its CSS (dist/deliveryMetricsView.css): shipped in the .vsix, no CDN.
  context({ entryPoints: { deliveryMetricsView: 'src/webview/deliveryMetrics.ts' }, outdir: 'dist', bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: production, sourcemap: false, logLevel: 'warning' }),
]);
if (watch) {
  await Promise.all(contexts.map((c) => c.watch()));
  console.log('[esbuild] watching src/ …');
} else {
  for (const c of contexts) {
    await c.rebuild();
    await c.dispose();
  }
  chmodSync('dist/cli.js', 0o755);
}
