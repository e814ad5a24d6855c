import { DoraError } from '../../metrics/doraError';
import { formatDoraReport } from '../../metrics/formatDoraReport';
import { measureDora } from '../../metrics/measureDora';
import type { DoraSettingsInput } from '../../metrics/doraSettings';
import type { Tool, ToolContext, ToolPreview, ToolResult } from '../framework/tool';
import { ToolInputFields } from '../framework/toolInputFields';
import { selectToolRoot } from '../framework/toolRoot';
import { rejectUnknownFields } from '../framework/unknownInputFields';

export interface DoraInput {
  readonly settings: DoraSettingsInput;
  readonly format: 'text' | 'json';
  readonly folder?: string;
}

const doraInputProperties = {
  since: { type: 'string', description: 'Window start, YYYY-MM-DD (UTC), included. Default: `days` before until.' },
  until: { type: 'string', description: 'Window end, YYYY-MM-DD (UTC), excluded. Default: tomorrow, so today is in.' },
  days: { type: 'integer', minimum: 1, maximum: 36500, description: 'Window length when since is not given (default 90).' },
  deployments: { type: 'string', enum: ['tags', 'merges'], description: 'tags (default): commits with a release tag; merges: first-parent merge commits on `branch`.' },
  branch: { type: 'string', description: 'merges: the branch (default main, else master).' },
  tag_pattern: { type: 'string', description: 'Release tag regular expression (default ^v?(\\d+)\\.(\\d+)\\.(\\d+)$; groups 1-3 are major.minor.patch).' },
  failure_window_days: { type: 'integer', minimum: 0, maximum: 3650, description: 'A patch release or revert within this many days marks a deployment failed (default 14).' },
  format: { type: 'string', enum: ['text', 'json'], description: 'text (default): a table; json: every figure, the deployment list and the weekly series.' },
  folder: { type: 'string', description: 'Workspace folder (name or path) when it is not the first one.' },
} as const;

function parseDoraInput(input: unknown): DoraInput {
  rejectUnknownFields('dora', input ?? {}, Object.keys(doraInputProperties));
  const fields = new ToolInputFields('dora', input ?? {}, '{"days": 90}');
  const since = fields.optionalString('since');
  const until = fields.optionalString('until');
  const days = fields.optionalInteger('days', 1, 36_500);
  const deployments = fields.raw('deployments') === undefined ? undefined : fields.requiredChoice<'tags' | 'merges'>('deployments', ['tags', 'merges']);
  const branch = fields.optionalString('branch');
  const tagPattern = fields.optionalString('tag_pattern');
  const failureWindowDays = fields.optionalInteger('failure_window_days', 0, 3650);
  const format = fields.raw('format') === undefined ? 'text' : fields.requiredChoice<'text' | 'json'>('format', ['text', 'json']);
  const folder = fields.optionalString('folder');
  return {
    settings: {
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(days !== undefined ? { days } : {}),
      ...(deployments !== undefined ? { deployments } : {}),
      ...(branch !== undefined ? { branch } : {}),
      ...(tagPattern !== undefined ? { tagPattern } : {}),
      ...(failureWindowDays !== undefined ? { failureWindowDays } : {}),
    },
    format,
    ...(folder !== undefined ? { folder } : {}),
  };
}

export const doraTool: Tool<DoraInput> = {
  name: 'dora',
  id: 'devops_dora',
  description:
    'Measures delivery metrics (DORA) from the git history of the workspace repository: deployment frequency, lead time ' +
    'for changes (median and p90 hours), change failure rate, failed-deployment recovery time and rework rate, each with ' +
    'its DORA performance level, plus the deployments of the window and what fixed the failed ones. Deployments are ' +
    'release tags (default) or first-parent merges on a branch; a deployment failed when a patch release of its ' +
    'major.minor or a revert of one of its changes ships within 14 days. Read-only. Quote these measured values ' +
    'instead of estimating, and measure before and after a change to a pipeline or release process.',
  inputSchema: { type: 'object', properties: doraInputProperties, additionalProperties: false },
  risk: 'read',

  parse: parseDoraInput,

  riskOf(): 'read' {
    return 'read';
  },

  subjectOf(input: DoraInput): string {
    return input.settings.deployments ?? 'tags';
  },

  pathsOf(input: DoraInput): readonly string[] {
    return input.folder !== undefined ? [input.folder] : [];
  },

  async preview(input: DoraInput): Promise<ToolPreview> {
    const window = input.settings.since ?? `last ${input.settings.days ?? 90} days`;
    return { title: 'Measure delivery metrics', detail: `Deployments from ${input.settings.deployments ?? 'tags'}, window ${window}` };
  },

  async run(input: DoraInput, ctx: ToolContext): Promise<ToolResult> {
    const root = selectToolRoot(input.folder, ctx.roots);
    ctx.progress('reading the git history');
    try {
      const report = await measureDora(root, input.settings, { signal: ctx.signal });
      const text = input.format === 'json' ? JSON.stringify(report) : formatDoraReport(report);
      if (text.length <= ctx.limits.maxResultChars) return { ok: true, text };
      // A long window lists many deployments: keep the figures and as many of the newest deployments as fit.
      const cut = '(The full report is longer than the result limit: newest deployments only. Narrow the window with since/until for the rest.)';
      for (const keep of [20, 5, 0]) {
        const shorter = input.format === 'json'
          ? JSON.stringify({ ...report, deployments: { ...report.deployments, list: report.deployments.list.slice(report.deployments.list.length - keep) }, weekly: report.weekly.slice(-Math.max(keep, 4)), notes: [...report.notes, cut] })
          : `${formatDoraReport(report, keep)}\n${cut}`;
        if (shorter.length <= ctx.limits.maxResultChars) return { ok: true, text: shorter };
      }
      return { ok: true, text: `${formatDoraReport(report, 0).slice(0, ctx.limits.maxResultChars - cut.length - 2)}\n${cut}` };
    } catch (error) {
      if (error instanceof DoraError) return { ok: false, text: `dora: ${error.message}` };
      throw error;
    }
  },
};
