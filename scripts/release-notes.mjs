// Prints the CHANGELOG section of a release tag, after checking that the tag names package.json's version.
//   node scripts/release-notes.mjs v1.2.3 > notes.md
import { readFileSync } from 'node:fs';

const tag = process.argv[2] ?? '';
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
const fail = (message) => { console.error(`release-notes: ${message}`); process.exit(1); };
if (!/^v\d+\.\d+\.\d+$/.test(tag)) fail(`"${tag}" is not a release tag such as v1.2.3`);
if (tag.slice(1) !== version) fail(`tag ${tag} does not match package.json version ${version}`);
const changelog = readFileSync('CHANGELOG.md', 'utf8').replace(/\r\n/g, '\n');
const heading = new RegExp(`^## \\[${version.replace(/\./g, '\\.')}\\][^\\n]*\\n`, 'm');
const start = changelog.search(heading);
if (start < 0) fail(`CHANGELOG.md has no "## [${version}]" section`);
const rest = changelog.slice(start).replace(heading, '');
const end = rest.search(/^## \[/m);
const section = (end < 0 ? rest : rest.slice(0, end)).trim();
if (!section) fail(`the CHANGELOG.md section of ${version} is empty`);
process.stdout.write(`${section}\n`);
