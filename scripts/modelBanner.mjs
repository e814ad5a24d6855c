// The model line of the `npm start` banner: which models the demo uses (asked of the endpoint now), or checks only.
/** The banner line: which models the demo uses (asked of the endpoint now), or that it runs the checks only. */
export async function describeModel(baseUrl) {
  if (!baseUrl) {
    return 'Model: none configured, so @devops runs checks only ("No language model — checks only" in the model picker):\n' +
      '    /review, /docker and /pipeline run the DevOps checks and write a certificate; /memory and /certify work too.\n' +
      '    For answers from a model: npm start -- --model-url http://127.0.0.1:11434/v1   (Ollama; LM Studio: :1234/v1)';
  }
  try {
    const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/models`, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const body = await response.json();
    const ids = (Array.isArray(body?.data) ? body.data : Array.isArray(body?.models) ? body.models : []).map((m) => m?.id ?? m?.name).filter((id) => typeof id === 'string');
    return ids.length > 0
      ? `Model: ${baseUrl} offers ${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ` and ${ids.length - 5} more` : ''}; the chat uses the one picked in its model picker.`
      : `Model: ${baseUrl} lists no models, so @devops runs checks only until it does.`;
  } catch (error) {
    return `Model: ${baseUrl} does not answer (${error?.message ?? error}), so @devops runs checks only until it does.`;
  }
}
