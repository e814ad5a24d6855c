import * as assert from 'node:assert/strict';
import {
  DEFAULT_MAX_INPUT_TOKENS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  describeProviderModels,
  parseConfiguredModels,
  validateBaseUrl,
} from '../../../../src/core/models/endpointSettings';

describe('core/models/endpointSettings', () => {
  it('accepts http(s) base URLs and the empty string (provider off)', () => {
    for (const ok of ['', '  ', 'http://127.0.0.1:11434/v1', 'https://llm.internal.example.com/v1/', 'http://[::1]:1234/v1']) {
      assert.equal(validateBaseUrl(ok), undefined, ok);
    }
  });

  it('says what is wrong with a bad base URL', () => {
    assert.match(validateBaseUrl('localhost:11434/v1') ?? '', /must start with http:\/\/ or https:\/\//);
    assert.match(validateBaseUrl('127.0.0.1:11434') ?? '', /Not a URL/);
    assert.match(validateBaseUrl('ftp://host/v1') ?? '', /must start with http/);
    assert.match(validateBaseUrl('https://user:sk-123@host/v1') ?? '', /Do not put credentials in the URL/);
    assert.match(validateBaseUrl('http://host/v1?key=1') ?? '', /no query or fragment/);
  });

  it('reads the models setting, keeping good entries and describing bad ones', () => {
    const { models, problems } = parseConfiguredModels([
      { id: 'qwen2.5-coder:7b', name: 'Qwen Coder', maxInputTokens: 30000, maxOutputTokens: 2048 },
      'llama3.1:8b',
      { id: '  ' },
      { id: 'qwen2.5-coder:7b' },
      { id: 'mistral', maxInputTokens: 'lots' },
      42,
    ]);
    assert.deepEqual(models, [{ id: 'qwen2.5-coder:7b', name: 'Qwen Coder', maxInputTokens: 30000, maxOutputTokens: 2048 }, { id: 'llama3.1:8b' }, { id: 'mistral' }]);
    assert.deepEqual(problems, [
      'devopsAgent.openai.models[2] needs an "id" (the model name the server knows)',
      'devopsAgent.openai.models[3]: "qwen2.5-coder:7b" is listed twice',
      'devopsAgent.openai.models[4].maxInputTokens must be a positive whole number; using the default',
      'devopsAgent.openai.models[5] needs an "id" (the model name the server knows)',
    ]);
    assert.deepEqual(parseConfiguredModels(undefined), { models: [], problems: [] });
    assert.deepEqual(parseConfiguredModels({ id: 'x' }).problems, ['devopsAgent.openai.models must be a list of {"id": ...} entries']);
  });

  it('describes models from settings or from /models, with limits from the context length or defaults', () => {
    const described = describeProviderModels(
      [{ id: 'qwen2.5-coder:7b', name: 'Qwen Coder', maxInputTokens: 30000 }, { id: 'llama3.1', contextLength: 8192 }, { id: 'gpt-oss' }],
      'http://127.0.0.1:11434/v1',
    );
    assert.deepEqual(described, [
      { id: 'qwen2.5-coder:7b', name: 'Qwen Coder', family: 'qwen2.5-coder', version: '7b', detail: '127.0.0.1:11434', tooltip: 'qwen2.5-coder:7b at http://127.0.0.1:11434/v1', maxInputTokens: 30000, maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS },
      { id: 'llama3.1', name: 'llama3.1', family: 'llama3.1', version: 'default', detail: '127.0.0.1:11434', tooltip: 'llama3.1 at http://127.0.0.1:11434/v1', maxInputTokens: 8192 - 2048, maxOutputTokens: 2048 },
      { id: 'gpt-oss', name: 'gpt-oss', family: 'gpt-oss', version: 'default', detail: '127.0.0.1:11434', tooltip: 'gpt-oss at http://127.0.0.1:11434/v1', maxInputTokens: DEFAULT_MAX_INPUT_TOKENS, maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS },
    ]);
  });
});
