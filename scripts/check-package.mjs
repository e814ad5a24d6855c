// Checks what the .vsix holds: only dist/ bundles (no source maps), media/, package.json, package.nls.json, README, CHANGELOG and LICENSE.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const listing = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean);
const allowed = /^(dist\/(extension|harness|modelProvider|checks|checkEngine|cli)\.js|dist\/deliveryMetricsView\.(js|css)|dist\/vendor\/(dockerode|simple-git|ssh2)\.js|media\/[^/]+|package(\.nls)?\.json|l10n\/bundle\.l10n\.json|README\.md|CHANGELOG\.md|LICENSE(\.txt|\.md)?)$/;
const unexpected = listing.filter((file) => !allowed.test(file));
const required = ['dist/extension.js', 'dist/harness.js', 'dist/modelProvider.js', 'dist/checks.js', 'dist/checkEngine.js', 'dist/vendor/dockerode.js', 'dist/vendor/simple-git.js', 'dist/vendor/ssh2.js', 'dist/cli.js', 'dist/deliveryMetricsView.js', 'dist/deliveryMetricsView.css',
  'package.json', 'package.nls.json', 'media/icon.png', 'README.md', 'CHANGELOG.md', 'LICENSE'];
const missing = required.filter((file) => !listing.includes(file));
if (unexpected.length || missing.length) {
  console.error(`the .vsix would hold ${unexpected.length ? `unexpected files: ${unexpected.join(', ')}` : ''}${missing.length ? ` and lacks: ${missing.join(', ')}` : ''}`);
  process.exit(1);
}
// the MCP SDK serves `devops-agent mcp` only; the extension's entry bundle must stay free of it (activation time)
const extensionBundle = readFileSync('dist/extension.js', 'utf8');
if (extensionBundle.includes('@modelcontextprotocol/sdk') || extensionBundle.includes('MCP error ')) {
  console.error('dist/extension.js bundles @modelcontextprotocol/sdk; only the CLI may load it');
  process.exit(1);
}
console.log(`package contents ok: ${listing.join(', ')}`);
