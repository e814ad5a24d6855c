import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CERTIFICATE_TRIGGERS, turnRequiresCertificate } from '../certificates/certificateRequirement';
import { parseCitations } from '../citations/parseCitations';
import type { CitationCheck } from '../citations/verifyCitations';
import { verifyCitations } from '../citations/verifyCitations';
import { AGENTS_FOLDER } from '../memory/agentFolder';
import type { StopEvent } from './claudeCodeEvent';
import type { TranscriptFacts } from './claudeCodeTranscript';
import { readClaudeCodeTranscript } from './claudeCodeTranscript';
import type { HookAnswer } from './hookAnswer';
import { blockAnswer, MAX_HOOK_OUTPUT_CHARS, SILENT } from './hookAnswer';

/**
 * Stop / SubagentStop: every citation in the last answer is verified against cwd (and against what the conversation
 * read, when the transcript can be read); wrong ones block with a list of what is wrong. Review work with no
 * certificate written in the conversation blocks once. Never blocks when stop_hook_active is set (it would loop).
 */
export async function answerStop(event: StopEvent, root: string): Promise<HookAnswer> {
  if (event.stopHookActive) return SILENT;
  const transcriptFile = event.kind === 'SubagentStop' ? event.agentTranscriptPath ?? event.transcriptPath : event.transcriptPath;
  const facts = transcriptFile === undefined ? undefined : await readClaudeCodeTranscript(transcriptFile, root);
  const answer = event.lastAssistantMessage ?? facts?.lastAssistantText ?? '';
  const citations = parseCitations(answer, { roots: [root], folderNames: [path.basename(root)] });
  const checks = await verifyCitations(citations, { roots: [root], ...(facts ? { readSet: facts.readSet } : {}) });
  const wrong = checks.filter((check) => check.status !== 'verified');
  if (wrong.length > 0) return blockAnswer(citationReason(wrong, checks.length, root));
  const missing = facts ? await certificateMissing(facts, root) : undefined;
  if (missing) return blockAnswer(missing);
  return SILENT;
}

function citationReason(wrong: readonly CitationCheck[], total: number, root: string): string {
  const head = `${wrong.length} of ${total} file citation${total === 1 ? '' : 's'} in your answer did not verify against ${root}. `
    + 'Fix each one (correct the path or line, quote the code that is really at those lines, read the file first if you have not, or remove the claim), then give the corrected answer:';
  const lines: string[] = [];
  let length = head.length;
  for (const [i, check] of wrong.entries()) {
    const line = `- ${check.citation.text} — ${check.status}: ${check.message}`;
    if (length + line.length + 60 > MAX_HOOK_OUTPUT_CHARS - 200) {
      lines.push(`- … and ${wrong.length - i} more`);
      break;
    }
    lines.push(line);
    length += line.length + 1;
  }
  return [head, ...lines].join('\n');
}

async function certificateMissing(facts: TranscriptFacts, root: string): Promise<string | undefined> {
  if (facts.lastUserPrompt === undefined) return undefined;
  const requirement = turnRequiresCertificate({ prompt: facts.lastUserPrompt, triggers: DEFAULT_CERTIFICATE_TRIGGERS });
  if (!requirement.required) return undefined;
  if (facts.certificateWritten) return undefined;
  if (facts.startedAtMs !== undefined && await certificateWrittenSince(root, facts.startedAtMs)) return undefined;
  return `${requirement.reason ?? 'This is review work.'} Review work ends with a certificate, and none was written in this conversation. `
    + `Write one under ${AGENTS_FOLDER}/<agent>/certificates/ (the devops-agent MCP tool certificate_create, or \`devops-agent certificates new --from-json FILE\`) `
    + 'with one of the 11 statuses, the findings and the evidence as path:line citations; or say plainly why this work needs none.';
}

/** Any certificate file under docs/ai/agents/<agent>/certificates/ changed since the conversation began. */
async function certificateWrittenSince(root: string, sinceMs: number): Promise<boolean> {
  const agentsDir = path.join(root, AGENTS_FOLDER);
  const agents = await fs.readdir(agentsDir, { withFileTypes: true }).catch(() => []);
  for (const agent of agents) {
    if (!agent.isDirectory()) continue;
    const folder = path.join(agentsDir, agent.name, 'certificates');
    const files = await fs.readdir(folder).catch(() => [] as string[]);
    for (const name of files) {
      if (!name.endsWith('.md')) continue;
      const stat = await fs.stat(path.join(folder, name)).catch(() => undefined);
      if (stat && stat.mtimeMs >= sinceMs) return true;
    }
  }
  return false;
}
