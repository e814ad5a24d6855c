import * as assert from 'node:assert/strict';
import { splitAlternatives } from '../../../../src/core/memory/decisionFormInput';

describe('decisionFormInput', () => {
  it('splits alternatives on commas and semicolons and drops empty pieces', () => {
    assert.deepEqual(splitAlternatives('Kaniko; remote cache, ,  plain docker build ;'), ['Kaniko', 'remote cache', 'plain docker build']);
    assert.deepEqual(splitAlternatives('   '), []);
  });
});
