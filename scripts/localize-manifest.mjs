// Moves the user-facing strings of package.json into package.nls.json (English), leaving %key% references, so the
// manifest can be translated with package.nls.<locale>.json. Idempotent; `--check` only reports what it would move.
//   node scripts/localize-manifest.mjs [--check]
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const check = process.argv.includes('--check');
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const nls = existsSync('package.nls.json') ? JSON.parse(readFileSync('package.nls.json', 'utf8')) : {};
const moved = [];

/** Replaces obj[field] by %key% and records the English text; already-localised values are left alone. */
function localize(obj, field, key) {
  const value = obj?.[field];
  if (typeof value !== 'string' || value === '' || /^%[^%]+%$/.test(value)) return;
  if (nls[key] !== undefined && nls[key] !== value) throw new Error(`package.nls.json key ${key} already holds other text`);
  nls[key] = value;
  obj[field] = `%${key}%`;
  moved.push(key);
}

const c = manifest.contributes ?? {};
localize(manifest, 'displayName', 'extension.displayName');
localize(manifest, 'description', 'extension.description');
localize(manifest.capabilities?.untrustedWorkspaces, 'description', 'extension.untrustedWorkspaces');
for (const p of c.chatParticipants ?? []) {
  localize(p, 'fullName', `participant.${p.name}.fullName`);
  localize(p, 'description', `participant.${p.name}.description`);
  for (const cmd of p.commands ?? []) {
    localize(cmd, 'description', `participant.${p.name}.${cmd.name}.description`);
    localize(cmd, 'sampleRequest', `participant.${p.name}.${cmd.name}.sampleRequest`);
  }
}
for (const p of c.languageModelChatProviders ?? []) localize(p, 'displayName', `modelProvider.${p.vendor}.displayName`);
for (const v of c.viewsContainers?.activitybar ?? []) localize(v, 'title', `viewsContainer.${v.id}.title`);
for (const views of Object.values(c.views ?? {})) {
  for (const v of views) {
    localize(v, 'name', `view.${v.id}.name`);
    localize(v, 'contextualTitle', `view.${v.id}.contextualTitle`);
  }
}
(c.viewsWelcome ?? []).forEach((w) => {
  const sameView = (c.viewsWelcome ?? []).filter((x) => x.view === w.view);
  const suffix = sameView.length > 1 ? `.${sameView.indexOf(w) + 1}` : '';
  localize(w, 'contents', `viewsWelcome.${w.view}${suffix}`);
});
for (const cmd of c.commands ?? []) {
  localize(cmd, 'title', `command.${cmd.command}.title`);
  localize(cmd, 'shortTitle', `command.${cmd.command}.shortTitle`);
  localize(cmd, 'category', 'command.category');
}
const configurations = Array.isArray(c.configuration) ? c.configuration : c.configuration ? [c.configuration] : [];
configurations.forEach((conf, i) => {
  localize(conf, 'title', i === 0 ? 'configuration.title' : `configuration.${i}.title`);
  for (const [name, prop] of Object.entries(conf.properties ?? {})) {
    for (const field of ['description', 'markdownDescription', 'deprecationMessage', 'markdownDeprecationMessage']) {
      localize(prop, field, `config.${name}.${field}`);
    }
    for (const field of ['enumDescriptions', 'markdownEnumDescriptions']) {
      (prop[field] ?? []).forEach((_text, j) => localize(prop[field], j, `config.${name}.${field}.${j}`));
    }
  }
});

if (check) {
  if (moved.length > 0) {
    console.error(`package.json has ${moved.length} user-facing strings not in package.nls.json (${moved.slice(0, 5).join(', ')}…); run: node scripts/localize-manifest.mjs`);
    process.exit(1);
  }
  console.log('package.json: every user-facing string is in package.nls.json');
} else {
  const sorted = Object.fromEntries(Object.entries(nls).sort(([a], [b]) => a.localeCompare(b)));
  writeFileSync('package.nls.json', `${JSON.stringify(sorted, null, 2)}\n`);
  writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
  console.log(`package.nls.json: ${moved.length} strings moved, ${Object.keys(sorted).length} in all`);
}
