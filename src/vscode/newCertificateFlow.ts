import * as vscode from 'vscode';
import { statusAppearance } from '../core/certificates/certificateAppearance';
import { certificateInputFromForm } from '../core/certificates/certificateFormInput';
import type { CertificateStatus } from '../core/certificates/certificateSchema';
import { CERTIFICATE_STATUSES, CERTIFICATE_STATUS_MEANINGS, describeCertificateInputProblems, slugForCertificate } from '../core/certificates/certificateSchema';
import type { CreatedCertificate } from '../core/certificates/certificateStore';
import { createCertificate } from '../core/certificates/certificateStore';
import { AGENTS_FOLDER, assertAgentName } from '../core/memory/agentFolder';
import type { StepResult } from './multiStepInput';
import { askPick, askText, runSteps, STEP_BACK } from './multiStepInput';
import { readSettings } from './settings';
import { errorMessage } from '../core/errors/errorText';

interface Answers {
  agent: string;
  descriptor: string;
  component: string;
  scope: string;
  status: CertificateStatus | undefined;
  rationale: string;
  conditions: string;
  findings: string;
  evidence: string;
}

interface StatusPick extends vscode.QuickPickItem {
  readonly status: CertificateStatus;
}

function nameProblem(value: string, maxLength: number, example: string): string | undefined {
  if (value.length > maxLength) return vscode.l10n.t('At most {0} characters (now {1}).', maxLength, value.length);
  if (slugForCertificate(value).length === 0) return vscode.l10n.t('Use letters or digits (it names the file), e.g. {0}.', example);
  return undefined;
}

async function agentChoices(root: vscode.Uri, defaultAgent: string): Promise<string[]> {
  const base = vscode.Uri.joinPath(root, ...AGENTS_FOLDER.split('/'));
  const entries = await vscode.workspace.fs.readDirectory(base).then((e) => e, () => [] as [string, vscode.FileType][]);
  const names = entries.filter(([name, type]) => type === vscode.FileType.Directory && !name.startsWith('.')).map(([name]) => name).filter((name) => {
    try {
      assertAgentName(name);
      return true;
    } catch {
      return false;
    }
  });
  return [defaultAgent, ...names.filter((n) => n !== defaultAgent).sort()];
}

/** `src/app.ts:12` for the cursor of the active editor, offered as the first piece of evidence. */
function activeCitation(folder: vscode.WorkspaceFolder): string {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.uri.scheme !== 'file') return '';
  if (vscode.workspace.getWorkspaceFolder(editor.document.uri)?.uri.toString() !== folder.uri.toString()) return '';
  return `${vscode.workspace.asRelativePath(editor.document.uri, false)}:${editor.selection.active.line + 1}`;
}

function keep<T>(value: StepResult<T>, store: (v: T) => void): true | typeof STEP_BACK | undefined {
  if (value === undefined) return undefined;
  if (value === STEP_BACK) return STEP_BACK;
  store(value as T);
  return true;
}

/**
 * The guided New Certificate flow: agent, descriptor, component, scope, status (with meanings), rationale,
 * conditions, findings and evidence, "Step n/9" each, with Back. Escape at any step writes nothing.
 * Returns the certificate written, or undefined when cancelled.
 */
export async function runNewCertificateFlow(folder: vscode.WorkspaceFolder): Promise<CreatedCertificate | undefined> {
  const defaultAgent = readSettings().defaultAgent;
  const agents = await agentChoices(folder.uri, defaultAgent);
  const citation = activeCitation(folder);
  const answers: Answers = {
    agent: defaultAgent, descriptor: '', component: '', scope: '', status: undefined, rationale: '', conditions: '', findings: '', evidence: citation,
  };
  const total = 9;
  const title = vscode.l10n.t('New Certificate');
  const otherAgent = vscode.l10n.t('Another agent…');
  const statusItems: StatusPick[] = CERTIFICATE_STATUSES.map((status) => ({
    status,
    label: `$(${statusAppearance(status).icon}) ${status}`,
    detail: CERTIFICATE_STATUS_MEANINGS[status],
  }));

  const finished = await runSteps([
    async () => {
      const items: vscode.QuickPickItem[] = [
        ...agents.map((agent) => ({ label: agent, description: agent === defaultAgent ? vscode.l10n.t('default agent') : `${AGENTS_FOLDER}/${agent}` })),
        { label: otherAgent, description: vscode.l10n.t('type a name') },
      ];
      const picked = await askPick({
        title, step: 1, totalSteps: total, items,
        placeholder: vscode.l10n.t('Which agent issues the certificate? (it goes to docs/ai/agents/<agent>/certificates/)'),
        activeItem: items.find((i) => i.label === answers.agent),
      });
      if (picked === undefined || picked === STEP_BACK) return picked;
      if (picked.label !== otherAgent) {
        answers.agent = picked.label;
        return true;
      }
      const typed = await askText({
        title, step: 1, totalSteps: total, prompt: vscode.l10n.t('Agent name (letters, digits, ".", "_" or "-")'), value: answers.agent,
        validate: (v) => {
          try {
            assertAgentName(v);
            return undefined;
          } catch (error) {
            return errorMessage(error);
          }
        },
      });
      return keep(typed, (v) => { answers.agent = v; });
    },
    async () => keep(await askText({
      title, step: 2, totalSteps: total, value: answers.descriptor,
      prompt: vscode.l10n.t('Descriptor: what kind of work this certifies (names the file and the title)'),
      placeholder: vscode.l10n.t('e.g. deployment_review, pipeline_assessment, infrastructure_validation'),
      validate: (v) => nameProblem(v, 80, 'deployment_review'),
    }), (v) => { answers.descriptor = v; }),
    async () => keep(await askText({
      title, step: 3, totalSteps: total, value: answers.component,
      prompt: vscode.l10n.t('Component: what was reviewed'),
      placeholder: vscode.l10n.t('e.g. ci_cd_pipeline, docker_config, monitoring_setup'),
      validate: (v) => nameProblem(v, 120, 'ci_cd_pipeline'),
    }), (v) => { answers.component = v; }),
    async () => keep(await askText({
      title, step: 4, totalSteps: total, value: answers.scope || answers.component,
      prompt: vscode.l10n.t('Review scope: what was reviewed or assessed (separate items with semicolons)'),
      placeholder: vscode.l10n.t('e.g. .github/workflows/ci.yml; Dockerfile'),
    }), (v) => { answers.scope = v; }),
    async () => {
      const picked = await askPick({
        title, step: 5, totalSteps: total, items: statusItems, matchOnDetail: true,
        placeholder: vscode.l10n.t('Status: the decision or outcome'),
        activeItem: statusItems.find((i) => i.status === answers.status),
      });
      return keep(picked, (v) => { answers.status = v.status; });
    },
    async () => keep(await askText({
      title, step: 6, totalSteps: total, value: answers.rationale,
      prompt: vscode.l10n.t('Rationale: a clear explanation of the decision'),
    }), (v) => { answers.rationale = v; }),
    async () => {
      const required = answers.status === 'CONDITIONALLY_APPROVED';
      return keep(await askText({
        title, step: 7, totalSteps: total, value: answers.conditions, optional: !required,
        prompt: required
          ? vscode.l10n.t('Conditions: what must be met (required for CONDITIONALLY_APPROVED)')
          : vscode.l10n.t('Conditions, if any (optional; Enter to skip)'),
      }), (v) => { answers.conditions = v; });
    },
    async () => keep(await askText({
      title, step: 8, totalSteps: total, value: answers.findings,
      prompt: vscode.l10n.t('Findings: key findings, issues and recommendations (separate them with semicolons)'),
      placeholder: vscode.l10n.t('e.g. Image runs as root; no HEALTHCHECK; pin the base image digest'),
    }), (v) => { answers.findings = v; }),
    async () => keep(await askText({
      title, step: 9, totalSteps: total, value: answers.evidence,
      prompt: vscode.l10n.t('Evidence: file references with line numbers, test results or metrics (comma separated; at least one)'),
      placeholder: vscode.l10n.t('e.g. Dockerfile:1, .github/workflows/ci.yml:42, npm test: 120 passed'),
    }), (v) => { answers.evidence = v; }),
  ]);
  if (!finished || answers.status === undefined) return undefined;

  const validation = certificateInputFromForm({ ...answers, status: answers.status });
  if (!validation.ok) {
    void vscode.window.showErrorMessage(vscode.l10n.t('Nothing was written; the certificate has problems:\n{0}', describeCertificateInputProblems(validation.problems)), { modal: true });
    return undefined;
  }
  return createCertificate(folder.uri.fsPath, answers.agent, validation.input);
}
