import { AGENTS_FOLDER } from '../../memory/agentFolder';
import type { DecisionEntry } from '../../memory/memoryStore';
import { appendDecision, formatDecisionEntry, memoryFilePath } from '../../memory/memoryStore';
import { markdownFence } from '../framework/markdownFence';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { agentRecordsPathOf, selectToolRoot, workspaceRelative } from '../framework/toolRoot';
import { errorMessage } from '../../errors/errorText';

export interface DecisionRecordInput extends DecisionEntry {
  readonly folder?: string;
}

function parseDecisionRecordInput(input: unknown): DecisionRecordInput {
  const fields = new ToolInputFields('decision_record', input, '{"decision": "Use multi-stage Docker builds", "rationale": "..."}');
  const decision = fields.requiredString('decision', 'one line saying what was decided');
  const rationale = fields.requiredString('rationale', 'why it was decided');
  const alternatives = fields.optionalStringList('alternatives');
  const context = fields.optionalString('context');
  const folder = fields.optionalString('folder');
  const entry: DecisionRecordInput = {
    decision,
    rationale,
    ...(alternatives !== undefined ? { alternatives } : {}),
    ...(context !== undefined ? { context } : {}),
    ...(folder !== undefined ? { folder } : {}),
  };
  try {
    formatDecisionEntry(entry, new Date());
  } catch (error) {
    throw new ToolInputError(`decision_record: ${errorMessage(error)}`);
  }
  return entry;
}

export const decisionRecordTool: Tool<DecisionRecordInput> = {
  name: 'decision_record',
  id: 'devops_decision_record',
  description:
    `Appends a dated entry to your decisions log (${AGENTS_FOLDER}/<agent>/decisions-log.md): the decision in one line, ` +
    'the rationale, the alternatives considered and optional context. Earlier entries are never changed.',
  inputSchema: {
    type: 'object',
    properties: {
      decision: { type: 'string', description: 'What was decided, one line.' },
      rationale: { type: 'string', description: 'Why.' },
      alternatives: { type: 'array', items: { type: 'string' }, description: 'Alternatives considered and not chosen.' },
      context: { type: 'string', description: 'The situation that called for the decision.' },
      folder: { type: 'string', description: 'Workspace folder (name or path) when it is not the first one.' },
    },
    required: ['decision', 'rationale'],
    additionalProperties: false,
  },
  risk: 'write',
  writesOnlyAgentRecords: true,

  parse: parseDecisionRecordInput,

  riskOf(): 'write' {
    return 'write';
  },

  subjectOf(input: DecisionRecordInput): string {
    return input.decision;
  },

  pathsOf(input: DecisionRecordInput): readonly string[] {
    return [agentRecordsPathOf(input.folder)];
  },

  async preview(input: DecisionRecordInput, ctx: ToolContext): Promise<ToolPreview> {
    const root = selectToolRoot(input.folder, ctx.roots);
    const relative = workspaceRelative(root, memoryFilePath(root, ctx.agentName, 'decisions-log'));
    return {
      title: `Record a decision in ${relative}`,
      detail: `Appends (the time is set when it is written):\n\n${markdownFence(formatDecisionEntry(input, new Date()).trimEnd(), 'markdown')}`,
    };
  },

  async run(input: DecisionRecordInput, ctx: ToolContext): Promise<ToolResult> {
    try {
      const root = selectToolRoot(input.folder, ctx.roots);
      const result = await appendDecision(root, ctx.agentName, input);
      return { ok: true, text: `Recorded the decision in ${workspaceRelative(root, result.path)} at line ${result.line}.` };
    } catch (error) {
      return { ok: false, text: `decision_record failed, nothing was written: ${errorMessage(error)}` };
    }
  },
};
