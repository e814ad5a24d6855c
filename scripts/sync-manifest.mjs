// Writes package.json's contributes.languageModelTools from the tool definitions in src/core/tools.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';

execFileSync('node', ['scripts/build-tests.mjs'], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { HARNESS_TOOLS } = require('../out/src/core/tools/toolRegistry.js');
const { languageModelToolContributions } = require('../out/src/core/tools/framework/toolManifest.js');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
manifest.contributes.languageModelTools = languageModelToolContributions(HARNESS_TOOLS);
writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`package.json: ${manifest.contributes.languageModelTools.length} language model tools`);
