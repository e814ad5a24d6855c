// Writes docs/checks.md from the rule definitions (run after scripts/build-tests.mjs): `npm run docs:checks`.
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { allRules } = require('../out/src/core/checks/runChecks.js');
const { formatRulesMarkdown } = require('../out/src/core/checks/checkReportFormat.js');
writeFileSync('docs/checks.md', formatRulesMarkdown(allRules()));
console.log(`docs/checks.md: ${allRules().length} rules`);
