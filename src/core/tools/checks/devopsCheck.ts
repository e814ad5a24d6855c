import * as path from 'node:path';
import { describeSeverityCounts, findingCitation } from '../../certificates/certificateFromChecks';
import { narrowReportToKinds } from '../../checks/checkScope';
import type { CheckFileKind, CheckFinding, CheckSeverity } from '../../checks/checkTypes';
import type { CheckRunner } from '../../checks/reviewWithChecks';
import { readLinesOfFindings } from '../../checks/reviewWithChecks';
import { PathRefusedError, resolveConfinedPath } from '../../policy/confinement';
import { formatCount, linesWithinBudget } from '../framework/resultBudget';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputError } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface DevopsCheckInput {
  /** Files or folders, workspace-relative; absent = the whole workspace. */
  readonly paths?: readonly string[];
  readonly kinds?: readonly CheckFileKind[];
  readonly minSeverity?: CheckSeverity;
}

const KINDS: readonly CheckFileKind[] = ['dockerfile', 'github-workflow', 'github-action', 'kubernetes', 'compose', 'gitlab-ci', 'secrets-file'];
const SEVERITIES: readonly CheckSeverity[] = ['note', 'warning', 'error'];

function parseDevopsCheckInput(input: unknown): DevopsCheckInput {
  const fields = new ToolInputFields('devops_check', input ?? {}, '{"paths": ["Dockerfile", ".github/workflows"]}');
  rejectUnknownFields('devops_check', input ?? {}, ['paths', 'kinds', 'min_severity']);
  const paths = fields.optionalStringList('paths')?.map((p) => p.trim()).filter((p) => p.length > 0);
  const kinds = fields.optionalStringList('kinds');
  const unknown = (kinds ?? []).filter((k) => !(KINDS as readonly string[]).includes(k));
  if (unknown.length > 0) throw new ToolInputError(`devops_check: unknown kinds ${unknown.map((k) => JSON.stringify(k)).join(', ')}; use ${KINDS.join(', ')}.`);
  const minSeverity = fields.raw('min_severity') === undefined ? undefined : fields.requiredChoice<CheckSeverity>('min_severity', SEVERITIES);
  return {
    ...(paths && paths.length > 0 ? { paths } : {}),
    ...(kinds && kinds.length > 0 ? { kinds: kinds as CheckFileKind[] } : {}),
    ...(minSeverity ? { minSeverity } : {}),
  };
}

/**
 * The DevOps checks as a read-only tool: what hadolint, zizmor, actionlint and kube-linter find in Dockerfiles,
 * workflows, manifests, Compose files and committed secrets, each finding as `path:line` with the line's code, so the
 * model cites real lines. The cited lines count as read in the session.
 */
export function createDevopsCheckTool(runChecks: CheckRunner): Tool<DevopsCheckInput> {
  return {
    name: 'devops_check',
    id: 'devops_check',
    description:
      'Runs the deterministic DevOps checks (the rules of hadolint, zizmor, actionlint and kube-linter, plus committed secrets) on ' +
      'Dockerfiles, GitHub Actions workflows, Kubernetes manifests, Compose files and .gitlab-ci.yml, in the files or folders given ' +
      '(default: the whole workspace). Returns each finding as `path:line` followed by the exact code of that line, its severity, rule id ' +
      'and public ids (DL3007, unpinned-uses, latest-tag, …). Use it first when reviewing DevOps files, and cite its findings as given: ' +
      'they are verified lines. Read-only.',
    inputSchema: {
      type: 'object',
      properties: {
        paths: { type: 'array', items: { type: 'string' }, description: 'Files or folders relative to the workspace, e.g. ["Dockerfile", ".github/workflows"]. Default: the whole workspace.' },
        kinds: { type: 'array', items: { type: 'string', enum: [...KINDS] }, description: 'Only these kinds of file.' },
        min_severity: { type: 'string', enum: [...SEVERITIES], description: 'Leave out findings below this severity (default note: all).' },
      },
      additionalProperties: false,
    },
    risk: 'read',
    parse: parseDevopsCheckInput,
    riskOf: () => 'read',
    subjectOf: (input) => (input.paths ?? ['.']).join(' '),
    pathsOf: (input) => input.paths ?? ['.'],

    async preview(input: DevopsCheckInput): Promise<ToolPreview> {
      return { title: `Run the DevOps checks on ${(input.paths ?? ['the workspace']).join(', ')}`, detail: input.kinds ? `Kinds: ${input.kinds.join(', ')}` : 'Every kind of DevOps file' };
    },

    async run(input: DevopsCheckInput, ctx: ToolContext): Promise<ToolResult> {
      const root = ctx.roots[0];
      if (!root) return { ok: false, text: 'devops_check: no workspace folder is open.' };
      const relative: string[] = [];
      try {
        for (const requested of input.paths ?? []) {
          const target = await resolveConfinedPath(ctx.roots, requested);
          if (!target.exists) return { ok: false, text: `devops_check: ${requested} does not exist; give existing files or folders (Glob finds them).` };
          if (target.root !== root) return { ok: false, text: `devops_check: ${requested} is in another workspace folder; this tool checks the first folder, ${path.basename(root)}.` };
          relative.push(target.relative);
        }
      } catch (error) {
        if (error instanceof PathRefusedError) return { ok: false, text: `devops_check ${error.message}` };
        throw error;
      }
      ctx.progress('running the DevOps checks');
      const full = await runChecks({ root, ...(relative.length > 0 && !relative.includes('.') ? { paths: relative } : {}), signal: ctx.signal, git: ctx.environment.runGit !== false });
      const report = narrowReportToKinds(full, input.kinds ?? []);
      const minimum = SEVERITIES.indexOf(input.minSeverity ?? 'note');
      const findings = report.findings.filter((f) => SEVERITIES.indexOf(f.severity) >= minimum);
      const lines = await readLinesOfFindings(root, findings);
      const lineText = (file: string, line: number): string | undefined => lines.get(file)?.[line - 1];

      const header = [
        `DevOps checks: ${formatCount(report.files.length)} file${report.files.length === 1 ? '' : 's'} checked, ` +
          (findings.length === 0 ? 'no findings' : `${formatCount(findings.length)} finding${findings.length === 1 ? '' : 's'} (${describeSeverityCounts(findings)})`) +
          (findings.length < report.findings.length ? `; ${report.findings.length - findings.length} below ${input.minSeverity} left out` : '') + '.',
      ];
      if (report.files.length === 0) header.push('No Dockerfile, workflow, Kubernetes manifest, Compose file, .gitlab-ci.yml or secrets file was found there.');
      else if (findings.length > 0) header.push('Each finding: path:line `the code of that line` — severity rule (public ids): message. Cite them as given.');
      const body = findings.map((f) => describeFinding(f, lineText, report.rules.find((r) => r.id === f.ruleId)?.help));
      const fit = linesWithinBudget(body, ctx.limits.maxResultChars, header.join('\n').length + 200);
      for (const finding of findings.slice(0, fit)) {
        ctx.readSet.record(path.join(root, ...finding.file.split('/')), finding.range.line, finding.range.endLine);
      }
      const clean = report.files.filter((f) => !findings.some((x) => x.file === f.path)).map((f) => f.path);
      const tail: string[] = [];
      if (fit < body.length) tail.push(`… ${body.length - fit} more findings left out to fit; call again with narrower paths, kinds or min_severity.`);
      if (clean.length > 0) tail.push(`No findings in: ${clean.slice(0, 50).join(', ')}${clean.length > 50 ? ` and ${clean.length - 50} more` : ''}.`);
      return { ok: true, text: [...header, '', ...body.slice(0, fit), ...(tail.length ? ['', ...tail] : [])].join('\n') };
    },
  };
}

function describeFinding(f: CheckFinding, lineText: (file: string, line: number) => string | undefined, help: string | undefined): string {
  const ids = f.references.length > 0 ? ` (${f.references.join(', ')})` : '';
  const fix = f.fix ? `\n    fix: ${f.fix.title}` : help ? `\n    why/fix: ${help.replace(/\s+/g, ' ').trim().slice(0, 300)}` : '';
  return `${findingCitation(f, lineText)} — ${f.severity} ${f.ruleId}${ids}: ${f.message.replace(/\s+/g, ' ').trim()}${fix}`;
}
