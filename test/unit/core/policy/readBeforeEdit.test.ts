import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { checkReadBeforeEdit } from '../../../../src/core/policy/readBeforeEdit';
import { ReadSet } from '../../../../src/core/session/readSet';

describe('core/policy/readBeforeEdit', () => {
  const file = path.resolve('/workspace/project/src/app.ts');

  it('refuses to edit an existing file the session has not read', () => {
    const message = checkReadBeforeEdit(new ReadSet(), file, true);
    assert.ok(message);
    assert.match(message, /has not been read in this session/);
    assert.match(message, /Read it first with the Read tool/);
    assert.ok(message.includes(file));
  });

  it('allows the edit once any part of the file was read', () => {
    const readSet = new ReadSet();
    readSet.record(file, 10, 20);
    assert.equal(checkReadBeforeEdit(readSet, file, true), undefined);
  });

  it('allows creating a file that does not exist', () => {
    assert.equal(checkReadBeforeEdit(new ReadSet(), file, false), undefined);
  });

  it('does not count a different file as read', () => {
    const readSet = new ReadSet();
    readSet.record(path.resolve('/workspace/project/src/other.ts'), 1, 5);
    assert.ok(checkReadBeforeEdit(readSet, file, true));
  });

  it('matches an unnormalised path to the file that was read', () => {
    const readSet = new ReadSet();
    readSet.record(file, 1, 1);
    const messy = `${path.dirname(file)}${path.sep}.${path.sep}${path.basename(file)}`;
    assert.equal(checkReadBeforeEdit(readSet, messy, true), undefined);
  });
});
