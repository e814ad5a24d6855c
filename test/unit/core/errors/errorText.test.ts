import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { errorCode, errorMessage } from '../../../../src/core/errors/errorText';

describe('core/errors/errorText', () => {
  it('gives the message of an Error and the text of anything else thrown', () => {
    assert.equal(errorMessage(new TypeError('bad input')), 'bad input');
    assert.equal(errorMessage('plain'), 'plain');
    assert.equal(errorMessage(undefined), 'undefined');
    assert.equal(errorMessage(42), '42');
  });

  it('reads the code of a real system error, and undefined for anything without one', () => {
    let thrown: unknown;
    try {
      fs.readFileSync('/definitely/not/here/devops-agent');
    } catch (error) {
      thrown = error;
    }
    assert.equal(errorCode(thrown), 'ENOENT');
    assert.equal(errorCode(new Error('no code')), undefined);
    assert.equal(errorCode(null), undefined);
    assert.equal(errorCode(undefined), undefined);
    assert.equal(errorCode('ENOENT'), undefined);
  });
});
