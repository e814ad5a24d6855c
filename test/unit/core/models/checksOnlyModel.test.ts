import * as assert from 'node:assert/strict';
import { CHECKS_ONLY_MODEL_ID, CHECKS_ONLY_MODEL_NAME, checksOnlyAnswerText, isChecksOnlyModel, withChecksOnlyEntry } from '../../../../src/core/models/checksOnlyModel';
import { describeProviderModels } from '../../../../src/core/models/endpointSettings';

describe('core/models/checksOnlyModel', () => {
  it('is the only entry when the endpoint offers no model, and its name says it is not a language model', () => {
    const models = withChecksOnlyEntry([]);
    assert.equal(models.length, 1);
    assert.equal(models[0]?.id, CHECKS_ONLY_MODEL_ID);
    assert.match(models[0]?.name ?? '', /^No language model — checks only$/);
    assert.equal(models[0]?.name, CHECKS_ONLY_MODEL_NAME);
  });

  it('is not offered next to real models of the endpoint, which keep their order', () => {
    const real = describeProviderModels([{ id: 'qwen2.5-coder:14b' }, { id: 'llama3:8b' }], 'http://127.0.0.1:11434/v1');
    assert.deepEqual(withChecksOnlyEntry(real).map((m) => m.id), ['qwen2.5-coder:14b', 'llama3:8b']);
  });

  it('is recognised by vendor and id only', () => {
    assert.equal(isChecksOnlyModel({ vendor: 'devops-agent', id: CHECKS_ONLY_MODEL_ID }, 'devops-agent'), true);
    assert.equal(isChecksOnlyModel({ vendor: 'copilot', id: CHECKS_ONLY_MODEL_ID }, 'devops-agent'), false);
    assert.equal(isChecksOnlyModel({ vendor: 'devops-agent', id: 'llama3:8b' }, 'devops-agent'), false);
    assert.equal(isChecksOnlyModel(undefined, 'devops-agent'), false);
  });

  it('answers other callers in plain text: not a language model, and how to configure one', () => {
    const text = checksOnlyAnswerText();
    assert.match(text, /is not a language model/);
    assert.match(text, /Configure Model Provider/);
    assert.match(text, /Set API Key/);
    assert.match(text, /11434\/v1 \(Ollama\)/);
    assert.match(text, /1234\/v1 \(LM Studio\)/);
  });
});
