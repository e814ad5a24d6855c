import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '..', '..', '..', '..');

describe('repository/package.json (marketplace and localisation)', () => {
  const text = fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8');
  const manifest = JSON.parse(text) as { icon: string; galleryBanner: { color: string }; bugs: { url: string }; homepage: string; version: string };
  const nls = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.nls.json'), 'utf8')) as Record<string, string>;

  it('every %key% in package.json has its English text in package.nls.json, and no text is left unused', () => {
    const keys = new Set([...text.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    assert.ok(keys.size > 50);
    assert.deepEqual([...keys].filter((k) => nls[k] === undefined), []);
    assert.deepEqual(Object.keys(nls).filter((k) => !keys.has(k)), []);
  });

  it('every user-facing manifest string is localised (run `npm run localize-manifest` after adding one)', () => {
    const result = spawnSync('node', ['scripts/localize-manifest.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('l10n/bundle.l10n.json holds exactly the vscode.l10n.t() messages of src/ (run `npm run l10n-bundle` after changing one)', () => {
    const result = spawnSync('node', ['scripts/l10n-bundle.mjs', '--check'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const bundle = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
    assert.ok(Object.keys(bundle).length >= 40);
    assert.equal(bundle['Set API Key'], 'Set API Key');
  });

  it('has a 128×128 PNG icon, a gallery banner, bugs and homepage', () => {
    const png = fs.readFileSync(path.join(REPO_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(png.readUInt32BE(16), 128);
    assert.equal(png.readUInt32BE(20), 128);
    assert.match(manifest.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.match(manifest.bugs.url, /^https:\/\//);
    assert.match(manifest.homepage, /^https:\/\//);
  });

  it('release notes come from the CHANGELOG section of the tagged version, and a wrong tag is refused', () => {
    const notes = execFileSync('node', ['scripts/release-notes.mjs', `v${manifest.version}`], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.match(notes, /^### /);
    const wrong = spawnSync('node', ['scripts/release-notes.mjs', 'v99.0.0'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(wrong.status, 1);
    assert.match(wrong.stderr, /does not match package\.json version/);
  });
});
