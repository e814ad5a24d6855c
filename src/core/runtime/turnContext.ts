import { formatMemoryForPrompt } from '../memory/formatMemoryForPrompt';
import { readMemory } from '../memory/memoryStore';
import { ReadSet } from '../session/readSet';
import type { LoopMessage } from './chatModel';
import { userText } from './chatModel';
import type { PromptSection } from './promptAssembly';
import { fitPromptSections, harnessRulesText } from './promptAssembly';
import { commandInstructions } from './slashCommands';
import { messagesFromRounds } from './toolLoop';
import { readTurnMetadata } from './turnMetadata';

export interface SystemPromptInput {
  readonly agent: { readonly name: string; readonly body: string; readonly memoryDir: string };
  readonly command?: string;
  readonly folders: readonly { readonly name: string; readonly path: string }[];
  readonly branch?: string;
  /** YYYY-MM-DD. */
  readonly today: string;
  /** The workspace folder whose working memory the agent keeps; none when no folder is open. */
  readonly memoryRoot?: string;
  readonly maxInputTokens: number;
}

/** The system prompt's share of the model's window; the rest holds history, tool results and the answer. */
const SYSTEM_PROMPT_SHARE = 0.5;
/** Working memory may take this share of the window (at least MIN_MEMORY_CHARS characters). */
const MEMORY_SHARE = 0.6;
const MIN_MEMORY_CHARS = 2_000;

/** The agent's definition, the harness rules, the workspace, the command's instructions and working memory, fitted. */
export async function assembleSystemPrompt(input: SystemPromptInput, countTokens: (text: string) => Promise<number>): Promise<string> {
  const folders = input.folders.map((f) => `- ${f.name}: ${f.path}`).join('\n') || '- (no folder open)';
  const sections: PromptSection[] = [
    { id: 'agent', text: input.agent.body, priority: 100, required: true },
    { id: 'rules', text: harnessRulesText(input.agent.name, input.agent.memoryDir), priority: 90, required: true },
    { id: 'workspace', text: `# Workspace\n${folders}${input.branch ? `\nGit branch: ${input.branch}` : ''}\nToday: ${input.today}`, priority: 80 },
  ];
  const command = commandInstructions(input.command);
  if (command) sections.push({ id: 'command', text: command, priority: 85 });
  if (input.memoryRoot) {
    const memory = await readMemory(input.memoryRoot, input.agent.name);
    const memoryText = formatMemoryForPrompt(memory, Math.max(MIN_MEMORY_CHARS, Math.floor(input.maxInputTokens * MEMORY_SHARE)));
    if (memoryText) sections.push({ id: 'memory', text: `# Your working memory (${input.agent.memoryDir}/)\n${memoryText}\nKeep it current: update it with memory_update before you finish.`, priority: 60 });
  }
  return (await fitPromptSections(sections, Math.floor(input.maxInputTokens * SYSTEM_PROMPT_SHARE), countTokens)).text;
}

/** One earlier exchange of the chat: the prompt, the metadata its result kept, and the answer's text. */
export interface EarlierExchange {
  readonly prompt: string;
  readonly metadata: unknown;
  responseText(): string;
}

/**
 * The history of a chat for one agent: its own turns rebuilt from the rounds their metadata kept (tool calls and
 * results included), other turns as plain prompt and answer; and the files its turns read.
 */
export function rebuildHistory(exchanges: readonly EarlierExchange[], agentName: string): { turns: LoopMessage[][]; readSet: ReadSet } {
  const turns: LoopMessage[][] = [];
  const readSet = new ReadSet();
  for (const exchange of exchanges) {
    const meta = readTurnMetadata(exchange.metadata);
    if (meta && meta.agent === agentName) {
      turns.push(messagesFromRounds(exchange.prompt, meta.rounds));
      readSet.merge(ReadSet.fromJSON(meta.readSet));
    } else {
      turns.push([userText(exchange.prompt), { role: 'assistant', parts: [{ kind: 'text', text: exchange.responseText() }] }]);
    }
  }
  return { turns, readSet };
}
