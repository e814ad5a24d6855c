import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSecretLocations, MAX_READ_ONLY_HARD_LINKS } from '../../../../src/core/sandbox/secretLocations';

describe('core/sandbox/secretLocations', () => {
  let base: string;
  let home: string;
  let ws: string;
  before(() => {
    base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'secret-locations-')));
    home = path.join(base, 'home');
    ws = path.join(base, 'ws');
    for (const folder of ['.ssh', '.aws', '.kube', '.azure', '.config/gcloud', '.config/other']) fs.mkdirSync(path.join(home, folder), { recursive: true });
    for (const folder of ['deploy/keys', 'node_modules/pkg', '.git', 'src']) fs.mkdirSync(path.join(ws, folder), { recursive: true });
    fs.mkdirSync(path.join(home, '.docker'));
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), '{}');
    fs.writeFileSync(path.join(home, '.npmrc'), '//registry.npmjs.org/:_authToken=x');
    fs.writeFileSync(path.join(home, '.netrc'), 'machine x');
    fs.writeFileSync(path.join(home, '.bashrc'), '');
    fs.writeFileSync(path.join(ws, '.env'), 'A=1');
    fs.writeFileSync(path.join(ws, '.env.example'), 'A=');
    fs.writeFileSync(path.join(ws, 'deploy/keys/server.pem'), 'x');
    fs.writeFileSync(path.join(ws, 'deploy/keys/id_ed25519.pub'), 'x');
    fs.writeFileSync(path.join(ws, 'node_modules/pkg/.env'), 'x');
    fs.writeFileSync(path.join(ws, 'src/app.ts'), 'x');
    fs.writeFileSync(path.join(ws, '.git/config'), '[remote "origin"]\n\turl = https://me:ghp_token123@github.com/me/repo\n');
    fs.writeFileSync(path.join(base, 'real-secret.env'), 'x');
    fs.symlinkSync(path.join(base, 'real-secret.env'), path.join(ws, 'src', '.env.local'));
  });
  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('finds the home secrets and the workspace deny list, with the names users know', async () => {
    const scan = await findSecretLocations([ws], home);
    const shown = new Map(scan.locations.map((l) => [path.relative(base, l.path), `${l.kind} ${l.shown}`]));
    assert.equal(scan.truncated, false);
    assert.equal(shown.get('home/.ssh'), 'folder ~/.ssh');
    assert.equal(shown.get('home/.aws'), 'folder ~/.aws');
    assert.equal(shown.get('home/.kube'), 'folder ~/.kube');
    assert.equal(shown.get('home/.azure'), 'folder ~/.azure');
    assert.equal(shown.get('home/.config/gcloud'), 'folder ~/.config/gcloud');
    assert.equal(shown.get('home/.docker'), 'folder ~/.docker');
    assert.equal(shown.get('home/.npmrc'), 'file ~/.npmrc');
    assert.equal(shown.get('home/.netrc'), 'file ~/.netrc');
    assert.equal(shown.get('ws/.env'), 'file .env');
    assert.equal(shown.get('ws/deploy/keys/server.pem'), 'file deploy/keys/server.pem');
    assert.equal(shown.get('ws/.git/config'), 'file .git/config', 'a git config with a token in a remote URL');
    assert.equal(shown.get('ws/src/.env.local'), 'file src/.env.local');
    assert.equal(shown.get('real-secret.env'), 'file src/.env.local', 'a deny-listed symlink hides its target too');
    for (const kept of ['home/.bashrc', 'home/.config/other', 'ws/.env.example', 'ws/deploy/keys/id_ed25519.pub', 'ws/node_modules/pkg/.env', 'ws/src/app.ts']) {
      assert.equal(shown.has(kept), false, kept);
    }
  });

  it('stops scanning a huge workspace and says so', async () => {
    const scan = await findSecretLocations([ws], home, { maxEntries: 3 });
    assert.equal(scan.truncated, true);
  });

  it('binds at most MAX_READ_ONLY_HARD_LINKS hard-linked files and says when there are more', async () => {
    const linkedTree = fs.realpathSync(fs.mkdtempSync(path.join(base, 'many-links-')));
    const store = fs.realpathSync(fs.mkdtempSync(path.join(base, 'store-')));
    for (let i = 0; i <= MAX_READ_ONLY_HARD_LINKS; i += 1) {
      fs.writeFileSync(path.join(store, `f${i}`), '');
      fs.linkSync(path.join(store, `f${i}`), path.join(linkedTree, `f${i}`));
    }
    const scan = await findSecretLocations([linkedTree], home);
    assert.equal(scan.hardLinked.length, MAX_READ_ONLY_HARD_LINKS);
    assert.equal(scan.hardLinksTruncated, true);
  });

  describe('warm scans', () => {
    let tree: string;
    let outside: string;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    // folders older than this are reused; the tests wait it out instead of depending on the 2 s default
    const recentChangeMs = 100;
    const scan = () => findSecretLocations([tree], home, { recentChangeMs });
    const relativeSecrets = (result: Awaited<ReturnType<typeof scan>>) => result.locations.filter((l) => l.path.startsWith(tree)).map((l) => l.shown).sort();

    beforeEach(async () => {
      tree = fs.realpathSync(fs.mkdtempSync(path.join(base, 'tree-')));
      outside = fs.realpathSync(fs.mkdtempSync(path.join(base, 'outside-')));
      for (const folder of ['a/b/c', 'd/e', 'f']) fs.mkdirSync(path.join(tree, folder), { recursive: true });
      fs.writeFileSync(path.join(tree, 'a/b/c/.env'), 'A=1');
      fs.writeFileSync(path.join(tree, 'd/e/notes.txt'), 'x');
      await sleep(recentChangeMs + 50);
    });

    it('reads only the folders that changed since the last scan, and still finds every secret added, moved or removed', async () => {
      const first = await scan();
      assert.deepEqual(relativeSecrets(first), ['a/b/c/.env']);
      assert.equal(first.foldersListed, 7, 'the root and its six folders');
      const second = await scan();
      assert.equal(second.foldersListed, 0, 'nothing changed: every listing is reused');
      assert.deepEqual(relativeSecrets(second), ['a/b/c/.env']);
      fs.writeFileSync(path.join(tree, 'd/e/server.key'), 'k');
      fs.renameSync(path.join(tree, 'a/b/c/.env'), path.join(tree, 'f/.env'));
      const third = await scan();
      assert.deepEqual(relativeSecrets(third), ['d/e/server.key', 'f/.env']);
      assert.equal(third.foldersListed, 3, 'only d/e, a/b/c and f are read again');
      // a folder replaced by another with the same name: a new inode, never mistaken for the old one
      fs.rmSync(path.join(tree, 'd'), { recursive: true });
      fs.mkdirSync(path.join(tree, 'd/e'), { recursive: true });
      fs.writeFileSync(path.join(tree, 'd/e/id_rsa'), 'k');
      assert.deepEqual(relativeSecrets(await scan()), ['d/e/id_rsa', 'f/.env']);
    });

    it('does not trust a folder changed within the timestamp granularity: it is read again until it is old enough', async () => {
      fs.writeFileSync(path.join(tree, 'f/plain.txt'), 'x');
      await scan();
      // f changed just now: an entry added later within the same clock tick would leave its times unchanged
      assert.equal((await scan()).foldersListed, 1, 'f is read again although nothing changed since');
      fs.writeFileSync(path.join(tree, 'f/.env.local'), 'x');
      assert.deepEqual(relativeSecrets(await scan()), ['a/b/c/.env', 'f/.env.local']);
      await sleep(recentChangeMs + 50);
      await scan();
      assert.equal((await scan()).foldersListed, 0, 'once old enough, f is reused');
    });

    it('finds workspace files hard-linked to files outside it, also links made after a warm scan, and not links within it', async () => {
      fs.writeFileSync(path.join(outside, 'shared.txt'), 'x');
      fs.linkSync(path.join(outside, 'shared.txt'), path.join(tree, 'f/shared.txt'));
      fs.writeFileSync(path.join(tree, 'd/e/one.txt'), 'x');
      fs.linkSync(path.join(tree, 'd/e/one.txt'), path.join(tree, 'a/two.txt'));
      await sleep(recentChangeMs + 50);
      const first = await scan();
      assert.deepEqual(first.hardLinked.map((f) => `${f.shown} ${f.links}`), ['f/shared.txt 2']);
      assert.equal(first.hardLinksTruncated, false);
      // a link made outside the workspace changes no workspace folder, only the file's link count
      assert.equal((await scan()).foldersListed, 0);
      fs.linkSync(path.join(tree, 'd/e/notes.txt'), path.join(outside, 'notes-link.txt'));
      const second = await scan();
      assert.deepEqual(second.hardLinked.map((f) => f.shown).sort(), ['d/e/notes.txt', 'f/shared.txt']);
      assert.equal(second.foldersListed, 0);
    });
  });
});
