// Writes l10n/bundle.l10n.json: every vscode.l10n.t('…') message in src/, the English source a translator copies to
// bundle.l10n.<locale>.json. `--check` fails when the file is out of date (the unit tests run it).
//   node scripts/l10n-bundle.mjs [--check]
import { readFileSync, writeFileSync, readdirSync, statSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const files = (dir) => readdirSync(dir).flatMap((name) => {
  const full = join(dir, name);
  return statSync(full).isDirectory() ? files(full) : name.endsWith('.ts') ? [full] : [];
});
const messages = new Map();
for (const file of files('src').sort()) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes('l10n.t(')) continue;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.expression.getText(source).endsWith('l10n.t')) {
      const [first] = node.arguments;
      if (!first || !ts.isStringLiteralLike(first)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        throw new Error(`${file}:${line + 1}: l10n.t needs a string literal as its message`);
      }
      messages.set(first.text, first.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}
const bundle = `${JSON.stringify(Object.fromEntries([...messages].sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`;
const target = 'l10n/bundle.l10n.json';
if (process.argv.includes('--check')) {
  if (!existsSync(target) || readFileSync(target, 'utf8') !== bundle) {
    console.error(`${target} is out of date with the l10n.t() messages in src/; run: node scripts/l10n-bundle.mjs`);
    process.exit(1);
  }
  console.log(`${target}: ${messages.size} messages, up to date`);
} else {
  mkdirSync('l10n', { recursive: true });
  writeFileSync(target, bundle);
  console.log(`${target}: ${messages.size} messages`);
}
