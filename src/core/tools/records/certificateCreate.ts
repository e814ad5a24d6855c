import * as path from 'node:path';
import { certificateFileName, certificatesFolderOf, createCertificate } from '../../certificates/certificateStore';
import type { CertificateInput } from '../../certificates/certificateSchema';
import { CERTIFICATE_STATUSES, CERTIFICATE_STATUS_MEANINGS, describeCertificateInputProblems, validateCertificateInput } from '../../certificates/certificateSchema';
import { describeEvidenceFailures, verifyEvidenceCitations } from '../../certificates/evidenceCitations';
import { renderCertificate } from '../../certificates/renderCertificate';
import { AGENTS_FOLDER } from '../../memory/agentFolder';
import { markdownFence } from '../framework/markdownFence';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { agentRecordsPathOf, selectToolRoot, workspaceRelative } from '../framework/toolRoot';
import { errorMessage } from '../../errors/errorText';

export interface CertificateCreateInput extends CertificateInput {
  readonly folder?: string;
}

function parseCertificateCreateInput(input: unknown): CertificateCreateInput {
  const validation = validateCertificateInput(input);
  if (!validation.ok) throw new ToolInputError(`certificate_create: fix these fields and call again:\n${describeCertificateInputProblems(validation.problems)}`);
  const folder = (input as { folder?: unknown }).folder;
  if (folder !== undefined && folder !== null && typeof folder !== 'string') throw new ToolInputError('certificate_create: "folder" must be a string.');
  return { ...validation.input, ...(typeof folder === 'string' && folder.trim().length > 0 ? { folder } : {}) };
}

/** The chosen folder first, so relative evidence paths resolve where the certificate is written. */
function rootsFor(root: string, ctx: ToolContext): string[] {
  return [root, ...ctx.roots.filter((r) => r !== root)];
}

const list = (description: string): Record<string, unknown> => ({ type: 'array', items: { type: 'string' }, description });

export const certificateCreateTool: Tool<CertificateCreateInput> = {
  name: 'certificate_create',
  id: 'devops_certificate_create',
  description:
    `Writes a certificate for review, assessment, sign-off, validation or decision work to ${AGENTS_FOLDER}/<agent>/certificates/ ` +
    'in the exact format of your definition, with a unique ID, UTC timestamp and sha256 integrity hash. Evidence entries that cite ' +
    'code as path:line (optionally followed by the exact code in backticks) are checked against the files and against what you have ' +
    'read this session; if any does not verify, nothing is written and you are told which. Statuses: ' +
    CERTIFICATE_STATUSES.map((s) => `${s} (${CERTIFICATE_STATUS_MEANINGS[s]})`).join('; ') + '.',
  inputSchema: {
    type: 'object',
    properties: {
      descriptor: { type: 'string', description: 'Brief description of the work, e.g. deployment_review, pipeline_assessment.' },
      component: { type: 'string', description: 'What was reviewed, e.g. ci_cd_pipeline, docker_config.' },
      scope: list('What was reviewed or assessed.'),
      filesExamined: list('Files examined (workspace-relative paths).'),
      testsPerformed: list('Tests performed and their results.'),
      findings: list('Key findings.'),
      issues: list('Issues identified.'),
      recommendations: list('Recommendations.'),
      status: { type: 'string', enum: [...CERTIFICATE_STATUSES] },
      rationale: { type: 'string', description: 'Clear explanation of the decision.' },
      conditions: { type: 'string', description: 'Conditions for approval; required for CONDITIONALLY_APPROVED.' },
      evidence: list('File references with line numbers (path:line or path:start-end, then the quoted code in backticks), test results, metrics.'),
      folder: { type: 'string', description: 'Workspace folder (name or path) when it is not the first one.' },
    },
    required: ['descriptor', 'component', 'scope', 'findings', 'status', 'rationale', 'evidence'],
    additionalProperties: false,
  },
  risk: 'write',
  writesOnlyAgentRecords: true,

  parse: parseCertificateCreateInput,

  riskOf(): 'write' {
    return 'write';
  },

  subjectOf(input: CertificateCreateInput): string {
    return `${input.descriptor} ${input.component} ${input.status}`;
  },

  pathsOf(input: CertificateCreateInput): readonly string[] {
    return [agentRecordsPathOf(input.folder)];
  },

  async preview(input: CertificateCreateInput, ctx: ToolContext): Promise<ToolPreview> {
    const root = selectToolRoot(input.folder, ctx.roots);
    const now = new Date();
    const file = path.join(certificatesFolderOf(root, ctx.agentName), certificateFileName(input, now));
    const rendered = renderCertificate(input, { agent: ctx.agentName, now });
    const report = await verifyEvidenceCitations(input.evidence, { roots: rootsFor(root, ctx), readSet: ctx.readSet });
    const citations = report.checks.length === 0
      ? 'No evidence entry cites a file.'
      : report.failures.length === 0
        ? `All ${report.checks.length} evidence citation${report.checks.length === 1 ? '' : 's'} verified.`
        : `It will be refused; these evidence citations do not verify:\n${describeEvidenceFailures(report.failures)}`;
    return {
      title: `Create certificate ${workspaceRelative(root, file)} (${input.status})`,
      detail: `${citations}\n\nThe ID, timestamp and hash are set when it is written.\n\n${markdownFence(rendered.text.trimEnd(), 'markdown')}`,
    };
  },

  async run(input: CertificateCreateInput, ctx: ToolContext): Promise<ToolResult> {
    try {
      const root = selectToolRoot(input.folder, ctx.roots);
      const report = await verifyEvidenceCitations(input.evidence, { roots: rootsFor(root, ctx), readSet: ctx.readSet });
      if (report.failures.length > 0) {
        return {
          ok: false,
          text: 'certificate_create refused, nothing was written: the evidence cites code that does not check out.\n' +
            `${describeEvidenceFailures(report.failures)}\n` +
            'Read the files (Read tool), cite existing lines with the exact code, or drop the citation, then call certificate_create again.',
        };
      }
      const { folder: _folder, ...certificate } = input;
      const created = await createCertificate(root, ctx.agentName, certificate);
      const verified = report.checks.length > 0 ? `\nEvidence citations verified: ${report.checks.length}` : '';
      return {
        ok: true,
        text: `Created certificate ${workspaceRelative(root, created.file)}\nCertificate ID: ${created.id}\nStatus: ${input.status}\n` +
          `Certificate Hash: ${created.hash}${verified}`,
      };
    } catch (error) {
      return { ok: false, text: `certificate_create failed, nothing was written: ${errorMessage(error)}` };
    }
  },
};
