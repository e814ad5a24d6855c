import * as path from 'node:path';
import { describeSeverityCounts, findingCitation } from '../certificates/certificateFromChecks';
import type { CheckScope } from '../checks/checkScope';
import { checkScopeFor, existsInsideRoot } from '../checks/checkScope';
import type { CheckRunner } from '../checks/reviewWithChecks';
import { reviewWithChecks } from '../checks/reviewWithChecks';
import type { CheckFinding, CheckReport } from '../checks/checkTypes';
import { splitLines } from '../markdown/markdownHeadings';
import type { MemorySnapshot } from '../memory/memoryStore';
import { DoraError } from '../metrics/doraError';
import type { DoraSettingsInput } from '../metrics/doraSettings';
import { formatDoraReport } from '../metrics/formatDoraReport';
import { measureDora } from '../metrics/measureDora';
import { appendDecision, readMemory, updateMemorySection } from '../memory/memoryStore';
import { MEMORY_FILE_PURPOSES, UPDATABLE_MEMORY_FILES } from '../memory/memoryTemplates';
import type { UpdatableMemoryFile } from '../memory/memoryTemplates';
import { bounded } from '../text/bounded';

/**
 * What the answer is made of. Markdown may hold `path:line` citations, which the renderer verifies and links;
 * `needs-model` is one line saying what needs reasoning, shown with the buttons that get a model.
 */
export type NoModelPart =
  | { readonly kind: 'markdown'; readonly text: string }
  | { readonly kind: 'file'; readonly path: string; readonly title: string }
  | { readonly kind: 'needs-model'; readonly text: string }
  | { readonly kind: 'open-new-certificate' }
  | { readonly kind: 'command'; readonly command: string; readonly title: string };

export interface NoModelAnswer {
  readonly parts: readonly NoModelPart[];
  /** Absolute paths of files the harness read in full (checked files, memory files): their citations count as read. */
  readonly readFiles: readonly string[];
  readonly certificate?: { readonly file: string; readonly id: string; readonly status: string; readonly hash: string };
  /** The checks run, when the request ran them. */
  readonly report?: CheckReport;
}

export interface NoModelTurnRequest {
  readonly command: string | undefined;
  readonly prompt: string;
  /** The first workspace folder; undefined when no folder is open. */
  readonly root: string | undefined;
  readonly agent: string;
  /** The check engine; undefined where it is not available. */
  readonly runChecks?: CheckRunner;
  readonly signal?: AbortSignal;
  progress?(message: string): void;
  readonly now?: Date;
  /** False in an untrusted workspace: nothing is written (no certificate, no memory update) and git is not run. Default true. */
  readonly trusted?: boolean;
  /** How `/metrics` finds deployments and failures (the `devopsAgent.dora.*` settings); default tags, 90 days. */
  readonly doraSettings?: DoraSettingsInput;
}

/** The command that shows the Delivery Metrics view (VS Code makes one `<view id>.focus` per view). */
export const DELIVERY_METRICS_FOCUS_COMMAND = 'devops-agent.deliveryMetrics.focus';

/** The commands that run the checks without a model. */
export const CHECK_COMMANDS: readonly string[] = ['review', 'docker', 'pipeline'];
const MAX_FINDINGS_SHOWN = 200;
const REVIEW_WORDS = /^\s*(please\s+)?(review|check|lint|scan|audit)\b/i;

/**
 * An @devops request answered without a language model: what needs no reasoning is done for real (checks with
 * verified citations and a certificate, working memory, the certificate form); the rest says in one line that it
 * needs a model.
 */
export async function answerWithoutModel(request: NoModelTurnRequest): Promise<NoModelAnswer> {
  // "review the Dockerfile" typed without the slash means the same to a newcomer
  const command = request.command ?? (REVIEW_WORDS.test(request.prompt) ? 'review' : '');
  if (command === 'certify') {
    return { parts: [{ kind: 'markdown', text: 'Opening the **New Certificate** form: fill in the scope, findings, status and evidence; evidence citations are checked against the files before it is written.' }, { kind: 'open-new-certificate' }], readFiles: [] };
  }
  if (!request.root) {
    return { parts: [{ kind: 'markdown', text: 'Open a folder first: the checks, working memory and certificates live in a workspace folder.' }], readFiles: [] };
  }
  if (command === 'memory') return answerMemory(request.root, request.agent, request.prompt, request.trusted !== false);
  if (command === 'metrics') return answerMetrics(request.root, request);
  if (CHECK_COMMANDS.includes(command)) {
    if (!request.runChecks) return { parts: [{ kind: 'needs-model', text: `/${command} needs the DevOps check engine or a language model; neither is available in this build.` }], readFiles: [] };
    return answerWithChecks({ ...request, command, root: request.root, runChecks: request.runChecks });
  }
  const what = command ? `\`/${command}\`` : 'This request';
  return {
    parts: [
      { kind: 'markdown', text: 'Without a language model, `@devops` can run the DevOps checks (`/review`, `/docker`, `/pipeline`), measure delivery metrics from git history (`/metrics`), show and update working memory (`/memory`) and open the certificate form (`/certify`).' },
      { kind: 'needs-model', text: `${what} needs reasoning, which needs a language model.` },
    ],
    readFiles: [],
  };
}

async function answerWithChecks(request: NoModelTurnRequest & { root: string; runChecks: CheckRunner }): Promise<NoModelAnswer> {
  const root = request.root;
  const scope = checkScopeFor(request.command, request.prompt, (relative) => existsInsideRoot(root, relative));
  const review = await reviewWithChecks({
    root, agent: request.agent, scope, runChecks: request.runChecks,
    ...(request.signal ? { signal: request.signal } : {}), ...(request.progress ? { progress: request.progress } : {}), ...(request.now ? { now: request.now } : {}),
    writeCertificate: request.trusted !== false,
  });
  const { report, certificate } = review;
  if (report.files.length === 0) {
    return {
      parts: [
        { kind: 'markdown', text: `No file the DevOps checks know (Dockerfiles, GitHub Actions and GitLab CI files, Kubernetes manifests, Compose files, committed secrets files) was found in ${scope.description}, so nothing was checked and no certificate was written.` },
      ],
      readFiles: [],
      report,
    };
  }
  const parts: NoModelPart[] = [{ kind: 'markdown', text: findingsMarkdown(report, scope, review.lineText) }];
  if (certificate) {
    parts.push({ kind: 'markdown', text: `\n\n**Certificate ${certificate.id}**: **${certificate.status}** — ${describeStatusReason(certificate.status)} ` });
    parts.push({ kind: 'file', path: certificate.file, title: path.relative(root, certificate.file).split(path.sep).join('/') });
  } else {
    parts.push({ kind: 'markdown', text: `\n\nNo certificate was written: ${review.notWritten ?? 'the checks were interrupted.'}` });
  }
  if (report.findings.length > 0) parts.push({ kind: 'needs-model', text: 'Explaining these findings in context and writing the fixes needs a language model.' });
  return { parts, readFiles: report.files.map((f) => path.join(root, ...f.path.split('/'))), report, ...(certificate ? { certificate } : {}) };
}

function describeStatusReason(status: string): string {
  return status === 'REQUIRES_REMEDIATION' ? 'the checks found errors that must be fixed.'
    : status === 'CONDITIONALLY_APPROVED' ? 'no errors; the warnings are its conditions.'
      : 'no errors or warnings.';
}

/** The findings grouped by file, each with its rule, public ids and a `path:line` citation quoting the line. */
export function findingsMarkdown(report: CheckReport, scope: CheckScope, lineText: (file: string, line: number) => string | undefined): string {
  const header = `**DevOps checks of ${scope.description}**: ${plural(report.files.length, 'file')} checked, ${report.findings.length === 0 ? 'no findings' : `${plural(report.findings.length, 'finding')} (${describeSeverityCounts(report.findings)})`}.`;
  if (report.findings.length === 0) {
    return `${header}\n\n${report.files.map((f) => `- \`${f.path}\` (${f.kind}): passes every rule that applies`).join('\n')}`;
  }
  const out: string[] = [header];
  const shown = report.findings.slice(0, MAX_FINDINGS_SHOWN);
  const byFile = new Map<string, CheckFinding[]>();
  for (const finding of shown) byFile.set(finding.file, [...(byFile.get(finding.file) ?? []), finding]);
  for (const [file, findings] of byFile) {
    out.push('', `**${file}**`, '');
    for (const f of findings) {
      const ids = f.references.length > 0 ? ` (${f.references.join(', ')})` : '';
      // the citation opens the line with its quote right after it: code in the message can never pass for the quote
      out.push(`- ${findingCitation(f, lineText)} — ${SEVERITY_ICONS[f.severity]} **${f.severity}** ${f.ruleId}${ids}: ${escapeMarkdown(oneLine(f.message))}`);
    }
  }
  if (report.findings.length > shown.length) out.push('', `… and ${report.findings.length - shown.length} more findings (run "DevOps Agent: Review Workspace" or \`devops-agent check\` for all of them).`);
  const clean = report.files.filter((f) => !byFile.has(f.path));
  if (clean.length > 0 && report.findings.length <= shown.length) out.push('', `No findings in ${clean.map((f) => `\`${f.path}\``).join(', ')}.`);
  return out.join('\n');
}

const SEVERITY_ICONS = { error: '❌', warning: '⚠️', note: 'ℹ️' } as const;

// ---------------------------------------------------------------- /metrics

/** `/metrics`: the DORA figures measured from the repository's history, as the dora tool and the metrics view give them. */
async function answerMetrics(root: string, request: NoModelTurnRequest): Promise<NoModelAnswer> {
  const openView: NoModelPart = { kind: 'command', command: DELIVERY_METRICS_FOCUS_COMMAND, title: 'Open Delivery Metrics' };
  if (request.trusted === false) {
    return { parts: [{ kind: 'markdown', text: 'This workspace is not trusted, so git is not run in it (a repository\'s config can run programs); trust the workspace to measure its delivery metrics.' }], readFiles: [] };
  }
  request.progress?.('Reading the git history…');
  try {
    // "last 30 days" in the request sets the window; otherwise the settings' (default 90 days)
    const days = /\b(\d{1,5})\s*(?:d|days?)\b/i.exec(request.prompt)?.[1];
    const settings = { ...request.doraSettings, ...(days && Number(days) >= 1 ? { days: Number(days) } : {}) };
    const report = await measureDora(root, settings, { ...(request.signal ? { signal: request.signal } : {}) });
    const text = formatDoraReport(report, 20);
    return {
      parts: [
        { kind: 'markdown', text: `**Delivery metrics** measured from the git history (read-only):\n\n\`\`\`text\n${text.replace(/```/g, "'''")}\n\`\`\`` },
        openView,
        { kind: 'needs-model', text: 'Explaining what drives these figures and what to change needs a language model.' },
      ],
      readFiles: [],
    };
  } catch (error) {
    if (error instanceof DoraError) return { parts: [{ kind: 'markdown', text: `Delivery metrics could not be measured: ${error.message}` }], readFiles: [] };
    throw error;
  }
}

// ---------------------------------------------------------------- /memory

const DECISION = /^\s*decisions?\s*:\s*(.+?)\s+because\s+(.+)$/is;
const SECTION_UPDATE = /^\s*([^:\n]{2,80}?)\s*:\s*(\S[\s\S]*)$/;

/**
 * `/memory` shows the three memory files; `/memory Active Tasks: upgrade the base image` adds a bullet to that
 * section; `/memory decision: pin images because :latest drifts` appends to the decisions log.
 */
async function answerMemory(root: string, agent: string, prompt: string, trusted: boolean): Promise<NoModelAnswer> {
  const text = prompt.trim();
  const decision = DECISION.exec(text);
  if (!trusted && (decision || SECTION_UPDATE.test(text))) {
    return memoryAnswer(root, agent, 'This workspace is not trusted, so working memory is not changed; trust the workspace to update it. Here it is as it stands:');
  }
  if (decision?.[1] && decision[2]) {
    const written = await appendDecision(root, agent, { decision: decision[1], rationale: decision[2] });
    return memoryAnswer(root, agent, `Recorded the decision at ${relativeTo(root, written.path)}:${written.line}.`);
  }
  const update = SECTION_UPDATE.exec(text);
  if (update?.[1] && update[2]) {
    const snapshot = await readMemory(root, agent);
    const target = findSection(snapshot, update[1]);
    if (target) {
      const body = sectionBody(snapshot, target.file, target.heading);
      const written = await updateMemorySection(root, agent, target.file, target.heading, appendBullet(body, update[2]));
      return memoryAnswer(root, agent, `Added to **${target.heading}** in ${relativeTo(root, written.path)}:${written.line}.`);
    }
  }
  const answer = await memoryAnswer(root, agent, undefined);
  if (text === '' || /^(show|list|status)\b/i.test(text)) return answer;
  return {
    ...answer,
    parts: [...answer.parts, { kind: 'needs-model', text: 'Answering questions about working memory needs a language model; without one, `/memory SECTION: text` adds to a section and `/memory decision: … because …` records a decision.' }],
  };
}

async function memoryAnswer(root: string, agent: string, done: string | undefined): Promise<NoModelAnswer> {
  const snapshot = await readMemory(root, agent);
  const out: string[] = done ? [done, ''] : [];
  const existing = snapshot.files.filter((f) => f.exists);
  if (existing.length === 0) {
    out.push(`Working memory of **${agent}** is empty: nothing in \`${relativeTo(root, snapshot.folder)}/\` yet. Add to it with \`/memory Active Tasks: what you are working on\` or \`/memory decision: … because …\`.`);
    return { parts: [{ kind: 'markdown', text: out.join('\n') }], readFiles: [] };
  }
  out.push(`**Working memory of ${agent}** (\`${relativeTo(root, snapshot.folder)}/\`)`);
  for (const file of snapshot.files) {
    const relative = relativeTo(root, file.path);
    out.push('', `**${path.basename(file.path)}** — ${MEMORY_FILE_PURPOSES[file.kind]}${file.exists ? '' : ': not created yet'}`);
    if (!file.exists) continue;
    const lines = splitLines(file.text);
    const sections = file.sections.filter((s) => s.level === 2);
    // the decisions log grows without bound: its newest entries matter
    const shown = file.kind === 'decisions-log' ? sections.slice(-5) : sections;
    if (shown.length === 0) out.push('- _no sections_');
    for (const section of shown) {
      const body = bodyLines(lines, section.line, sections).filter((l) => l.trim() !== '').slice(0, 4).map((l) => oneLine(l)).join(' · ');
      out.push(`- ${relative}:${section.line} **${escapeMarkdown(section.heading)}**: ${body ? escapeMarkdown(bounded(body, 200)) : '_empty_'}`);
    }
    if (shown.length < sections.length) out.push(`- … ${sections.length - shown.length} earlier entries`);
  }
  out.push('', 'Add to a section with `/memory SECTION: text` (for example `/memory Active Tasks: pin the base image`); record a decision with `/memory decision: … because …`.');
  return { parts: [{ kind: 'markdown', text: out.join('\n') }], readFiles: existing.map((f) => f.path) };
}

function bodyLines(lines: readonly string[], headingLine: number, sections: readonly { line: number }[]): string[] {
  const next = sections.find((s) => s.line > headingLine)?.line ?? lines.length + 1;
  return lines.slice(headingLine, next - 1);
}

function findSection(snapshot: MemorySnapshot, name: string): { file: UpdatableMemoryFile; heading: string } | undefined {
  const wanted = normalizeName(name);
  for (const file of snapshot.files) {
    if (!(UPDATABLE_MEMORY_FILES as readonly string[]).includes(file.kind)) continue;
    const section = file.sections.find((s) => s.level === 2 && normalizeName(s.heading) === wanted);
    if (section) return { file: file.kind as UpdatableMemoryFile, heading: section.heading };
  }
  // sections of memory files not created yet: the templates' headings
  const templates: ReadonlyArray<readonly [UpdatableMemoryFile, string]> = [
    ['working-memory', 'Pipeline Status'], ['working-memory', 'Deployments'], ['working-memory', 'Active Tasks'],
    ['next-actions', 'Planned Automation Work'], ['next-actions', 'Operational Priorities'],
  ];
  const template = templates.find(([, heading]) => normalizeName(heading) === wanted);
  return template ? { file: template[0], heading: template[1] } : undefined;
}

function sectionBody(snapshot: MemorySnapshot, kind: UpdatableMemoryFile, heading: string): string {
  const file = snapshot.files.find((f) => f.kind === kind);
  if (!file?.exists) return '';
  const sections = file.sections.filter((s) => s.level === 2);
  const section = sections.find((s) => s.heading === heading);
  return section ? bodyLines(splitLines(file.text), section.line, sections).join('\n').trim() : '';
}

/** The section's text with one more bullet; the template's "nothing recorded yet" line gives way to it. */
export function appendBullet(body: string, item: string): string {
  const kept = body.split('\n').filter((l) => l.trim() !== '_Nothing recorded yet._').join('\n').trim();
  const bullet = `- ${item.replace(/\s+/g, ' ').trim()}`;
  return kept === '' ? bullet : `${kept}\n${bullet}`;
}

function normalizeName(name: string): string {
  return name.replace(/^#+\s*/, '').replace(/[\s_-]+/g, ' ').trim().toLowerCase();
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Findings and memory text are data: keep `*`, `_`, `[` and `<` from turning into Markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\*_[\]<>]/g, (c) => `\\${c}`);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
