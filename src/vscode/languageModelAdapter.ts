import * as vscode from 'vscode';
import type { ChatModelPort, LoopMessage, TextPart, ToolCallPart, ToolSpec } from '../core/runtime/chatModel';

/** Maps the loop's model-neutral messages onto a VS Code LanguageModelChat (request.model). */
export function chatModelPort(model: vscode.LanguageModelChat, justification?: string): ChatModelPort {
  return {
    name: model.name,
    maxInputTokens: model.maxInputTokens,
    async *send(messages: readonly LoopMessage[], tools: readonly ToolSpec[], signal: AbortSignal): AsyncIterable<TextPart | ToolCallPart> {
      const source = new vscode.CancellationTokenSource();
      const onAbort = (): void => source.cancel();
      signal.addEventListener('abort', onAbort);
      try {
        const response = await model.sendRequest(messages.map(toVscodeMessage), {
          justification,
          tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
          toolMode: vscode.LanguageModelChatToolMode.Auto,
        }, source.token);
        for await (const part of response.stream) {
          if (part instanceof vscode.LanguageModelTextPart) yield { kind: 'text', text: part.value };
          else if (part instanceof vscode.LanguageModelToolCallPart) yield { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
        }
      } finally {
        signal.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
    async countTokens(text: string, signal: AbortSignal): Promise<number> {
      const source = new vscode.CancellationTokenSource();
      const onAbort = (): void => source.cancel();
      signal.addEventListener('abort', onAbort);
      try {
        return await model.countTokens(text, source.token);
      } catch {
        // a provider that cannot count: a conservative estimate keeps the budget safe
        return Math.ceil(text.length / 3);
      } finally {
        signal.removeEventListener('abort', onAbort);
        source.dispose();
      }
    },
  };
}

function toVscodeMessage(message: LoopMessage): vscode.LanguageModelChatMessage {
  if (message.role === 'assistant') {
    return vscode.LanguageModelChatMessage.Assistant(message.parts.map((p) =>
      p.kind === 'text' ? new vscode.LanguageModelTextPart(p.text) : new vscode.LanguageModelToolCallPart(p.callId, p.name, toInputObject(p.input))));
  }
  return vscode.LanguageModelChatMessage.User(message.parts.map((p) =>
    p.kind === 'text' ? new vscode.LanguageModelTextPart(p.text) : new vscode.LanguageModelToolResultPart(p.callId, [new vscode.LanguageModelTextPart(p.isError ? `ERROR: ${p.text}` : p.text)])));
}

function toInputObject(input: unknown): object {
  return typeof input === 'object' && input !== null ? input : { value: input };
}
