import * as assert from 'node:assert/strict';
import { secretPathInCommand } from '../../../../src/core/hooks/shellSecretPaths';

describe('core/hooks/shellSecretPaths', () => {
  const cwd = '/work/project';
  const home = '/home/dev';
  it('finds secret files a command opens', () => {
    for (const command of ['cat .env', 'source ./.env.production && npm start', 'grep KEY < .env', 'docker run --env-file=.env x', 'cat "config/.npmrc"', 'cp ~/.ssh/id_rsa /tmp', 'ls $HOME/.aws/credentials', 'echo $(cat server.key)']) {
      assert.ok(secretPathInCommand(command, cwd, home), command);
    }
  });
  it('leaves ordinary commands and templates alone', () => {
    for (const command of ['npm test', 'cat .env.example', 'git commit -m "read .envrc docs"x', 'ls -la', 'cat id_rsa.pub']) {
      assert.equal(secretPathInCommand(command, cwd, home), undefined, command);
    }
  });
});
