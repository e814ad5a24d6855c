// Checks what the .vsix holds: only dist/ (bundles and maps), media/, package.json, package.nls.json, README, CHANGELOG and LICENSE.
import { execFileSync } from 'node:child_process';

const listing = execFileSync('npx', ['vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' }).split('\n').map((l) => l.trim()).filter(Boolean);
const allowed = /^(dist\/(extension|cli)\.js(\.map)?|media\/[^/]+|package(\.nls)?\.json|README\.md|CHANGELOG\.md|LICENSE(\.txt|\.md)?)$/;
const unexpected = listing.filter((file) => !allowed.test(file));
const required = ['dist/extension.js', 'dist/cli.js', 'package.json', 'package.nls.json', 'media/icon.png', 'README.md', 'CHANGELOG.md', 'LICENSE'];
const missing = required.filter((file) => !listing.includes(file));
if (unexpected.length || missing.length) {
  console.error(`the .vsix would hold ${unexpected.length ? `unexpected files: ${unexpected.join(', ')}` : ''}${missing.length ? ` and lacks: ${missing.join(', ')}` : ''}`);
  process.exit(1);
}
console.log(`package contents ok: ${listing.join(', ')}`);
