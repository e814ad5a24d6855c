import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findSecretLocations } from '../../../../src/core/sandbox/secretLocations';

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
    const scan = await findSecretLocations([ws], home, 3);
    assert.equal(scan.truncated, true);
  });
});
