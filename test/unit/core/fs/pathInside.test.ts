import * as assert from 'node:assert/strict';
import { isPathInside } from '../../../../src/core/fs/pathInside';

describe('core/fs/pathInside', () => {
  it('counts the folder itself and what lies below it, not a sibling that shares the prefix', () => {
    const posix = { platform: 'linux' as const };
    assert.equal(isPathInside('/work/repo', '/work/repo', posix), true);
    assert.equal(isPathInside('/work/repo', '/work/repo/src/a.ts', posix), true);
    assert.equal(isPathInside('/work/repo/', '/work/repo/src', posix), true);
    assert.equal(isPathInside('/work/repo', '/work/repo-old/a.ts', posix), false);
    assert.equal(isPathInside('/work/repo', '/work', posix), false);
    assert.equal(isPathInside('/', '/etc/passwd', posix), true);
  });

  it('is case-sensitive on Linux: /repo and /REPO are different folders, so no escape through letter case', () => {
    assert.equal(isPathInside('/work/repo', '/work/REPO/secret', { platform: 'linux' }), false);
    assert.equal(isPathInside('/Users/me/Repo', '/Users/me/repo/a', { platform: 'darwin' }), false);
  });

  it('ignores case on Windows, drive letters included, and reads either slash', () => {
    const win = { platform: 'win32' as const };
    assert.equal(isPathInside('C:\\Work\\Repo', 'c:\\work\\repo\\src\\a.ts', win), true);
    assert.equal(isPathInside('C:\\Work\\Repo', 'C:/Work/Repo/src', win), true);
    assert.equal(isPathInside('C:\\Work\\Repo', 'C:\\Work\\Repo2\\a', win), false);
    assert.equal(isPathInside('C:\\Work\\Repo', 'D:\\Work\\Repo\\a', win), false);
  });

  it('ignores case when asked, for deny lists that must err on the safe side', () => {
    assert.equal(isPathInside('/home/me/.ssh', '/home/me/.SSH/id_rsa', { platform: 'linux', ignoreCase: true }), true);
  });

  it('does not let .. segments climb out', () => {
    assert.equal(isPathInside('/work/repo', '/work/repo/../other/a', { platform: 'linux' }), false);
  });

  it('normalizes doubled slashes and . and .. steps on either side before comparing', () => {
    const posix = { platform: 'linux' as const };
    assert.equal(isPathInside('/work//repo', '/work/repo/a', posix), true);
    assert.equal(isPathInside('/work/./repo', '/work/repo/./src/a', posix), true);
    assert.equal(isPathInside('/work/repo/src/..', '/work/repo/a', posix), true);
    assert.equal(isPathInside('/work/repo', '/work/repo/src/..', posix), true);
    assert.equal(isPathInside('/work/repo', '/work/repo/..', posix), false);
    assert.equal(isPathInside('/work/repo/.', '/work/repo-old', posix), false);
  });
});
