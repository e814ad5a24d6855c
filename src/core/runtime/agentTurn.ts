import * as path from 'node:path';
import type { CertificateRequirement } from '../certificates/certificateRequirement';
import { turnRequiresCertificate } from '../certificates/certificateRequirement';
import { buildRepairPrompt } from '../citations/citationRepair';
import type { CitationCheck } from '../citations/verifyCitations';
import type { ChatModelPort, LoopMessage, ToolCallPart, ToolResultPart, ToolSpec } from './chatModel';
import { userText } from './chatModel';
import { fitHistoryTurns } from './promptAssembly';
import type { ToolRound } from './toolLoop';
import { runToolLoop } from './toolLoop';

/** Where a turn's output goes and how its tools run: the chat participant, the CLI or a test implement this. */
export interface TurnPorts {
  readonly model: ChatModelPort;
  readonly tools: readonly ToolSpec[];
  /** Runs one round's tool calls; one result per call, in order. */
  executeToolCalls(calls: readonly ToolCallPart[]): Promise<readonly ToolResultPart[]>;
  /** Model text as it streams; the port checks the citations in it. */
  streamText(text: string): Promise<void>;
  /** The model's text so far is complete (a round ended): render what was held back. */
  flushText(): Promise<void>;
  /** The citation checks made since the last call, forgotten by the port afterwards. */
  takeCitationChecks(): readonly CitationCheck[];
  /** The certificate a tool wrote during this turn (absolute path), if any. */
  writtenCertificate(): string | undefined;
  /** A line of the answer the harness adds (notes, warnings), as Markdown. */
  markdown(text: string): void;
  progress(message: string): void;
}

export interface TurnRequest {
  readonly agentName: string;
  readonly certificateTriggers: readonly string[];
  /** The user's prompt without the command; `command` is the slash command, if any. */
  readonly prompt: string;
  readonly command?: string;
  /** The assembled system prompt (see systemPromptSections). */
  readonly systemPrompt: string;
  /** Earlier turns of this chat, oldest first, each as the messages it exchanged. */
  readonly history: readonly (readonly LoopMessage[])[];
  readonly maxToolRounds: number;
  readonly citationRepair: boolean;
  readonly enforceCertificates: boolean;
  readonly signal: AbortSignal;
  /** A tool call the harness makes itself before the model's first turn (devops_check for /review); its round comes first. */
  readonly prelude?: ToolCallPart;
}

export interface TurnOutcome {
  readonly rounds: readonly ToolRound[];
  readonly certificate: { readonly required: boolean; readonly written: boolean; readonly file?: string };
  readonly stoppedBy: 'answer' | 'max-rounds' | 'cancelled';
}

/** Earlier turns get this share of the model's window, newest first; the rest is for this turn. */
const HISTORY_SHARE = 1 / 3;
/** Rounds allowed for the citation repair and for the certificate request. */
export const REPAIR_ROUNDS = 2;
export const CERTIFICATE_ROUNDS = 3;

/** The message that asks for the certificate a review needs and was not written. */
function certificateRequest(need: CertificateRequirement): string {
  return `This request was review, assessment or decision work (${need.reason ?? 'certificate trigger'}). The agent definition requires a certificate in addition to the answer. Create it now with the certificate_create tool, with evidence citations to lines you have read.`;
}

/**
 * One agent turn: fits the history to the window, runs the tool loop, then one citation repair round when
 * citations did not verify, and one more request when review work ended without the certificate it requires.
 */
export async function runAgentTurn(request: TurnRequest, ports: TurnPorts): Promise<TurnOutcome> {
  const { signal } = request;
  const count = (m: LoopMessage): Promise<number> =>
    ports.model.countTokens(m.parts.map((p) => (p.kind === 'text' || p.kind === 'toolResult' ? p.text : JSON.stringify(p.input))).join('\n'), signal);
  const earlier = await fitHistoryTurns(request.history, Math.floor(ports.model.maxInputTokens * HISTORY_SHARE), count);
  if (earlier.droppedTurns > 0) ports.progress(`Leaving out the ${earlier.droppedTurns} oldest turn${earlier.droppedTurns === 1 ? '' : 's'} of this chat to fit the model's context`);
  // the model sees the command as the user typed it: `/review the Dockerfile`
  const asTyped = request.command && request.command !== 'agent' ? `/${request.command} ${request.prompt}` : request.prompt;
  const messages: LoopMessage[] = [userText(request.systemPrompt), ...earlier.messages, userText(asTyped)];
  const need = turnRequiresCertificate({ prompt: request.prompt, command: request.command, triggers: request.certificateTriggers });

  const rounds: ToolRound[] = [];
  if (request.prelude && !signal.aborted) {
    const results = await ports.executeToolCalls([request.prelude]);
    rounds.push({ text: '', toolCalls: [request.prelude], results: [...results] });
    messages.push({ role: 'assistant', parts: [request.prelude] }, { role: 'user', parts: [...results] });
  }
  const loop = async (msgs: readonly LoopMessage[], maxRounds: number) => {
    const outcome = await runToolLoop({
      model: ports.model, messages: msgs, tools: ports.tools, maxRounds, signal,
      onText: (text) => ports.streamText(text),
      executeToolCalls: (calls) => ports.executeToolCalls(calls),
    });
    rounds.push(...outcome.rounds);
    await ports.flushText();
    return outcome;
  };

  let outcome = await loop(messages, request.maxToolRounds);
  const stoppedBy = outcome.stoppedBy;
  if (stoppedBy === 'max-rounds') ports.markdown(`\n\n> Stopped after ${request.maxToolRounds} tool rounds (setting \`devopsAgent.maxToolRounds\`).`);

  const unverified = ports.takeCitationChecks().filter((c) => c.status !== 'verified');
  if (!signal.aborted && request.citationRepair) {
    const repair = buildRepairPrompt(unverified);
    if (repair) {
      ports.markdown('\n\n---\n**Citation corrections**\n\n');
      outcome = await loop([...outcome.messages, userText(repair)], REPAIR_ROUNDS);
    }
  }

  let file = ports.writtenCertificate();
  if (!signal.aborted && need.required && request.enforceCertificates && !file) {
    ports.progress('This was review work: asking the agent for its certificate…');
    outcome = await loop([...outcome.messages, userText(certificateRequest(need))], CERTIFICATE_ROUNDS);
    file = ports.writtenCertificate();
    if (!file) ports.markdown('\n\n> ⚠ **No certificate was produced** for this review, although the agent definition requires one.');
  }
  return {
    rounds,
    certificate: { required: need.required, written: file !== undefined, ...(file !== undefined ? { file } : {}) },
    stoppedBy: signal.aborted ? 'cancelled' : stoppedBy,
  };
}

/** The certificate the last successful certificate_create call wrote, as an absolute path under `root`. */
export function writtenCertificateFile(outcomes: readonly { readonly toolName: string; readonly ok: boolean; readonly text: string }[], root: string | undefined): string | undefined {
  const written = outcomes.filter((o) => o.toolName === 'certificate_create' && o.ok);
  const last = written[written.length - 1];
  const relative = last ? /^Created certificate (\S+\.md)$/m.exec(last.text)?.[1] : undefined;
  return relative && root ? path.resolve(root, relative) : undefined;
}
