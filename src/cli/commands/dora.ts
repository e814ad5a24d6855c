import * as os from 'node:os';
import * as path from 'node:path';
import { DoraHistoryCache } from '../../core/metrics/doraHistoryCache';
import { DoraError } from '../../core/metrics/doraError';
import { formatDoraReport } from '../../core/metrics/formatDoraReport';
import { measureDora } from '../../core/metrics/measureDora';
import type { CliIo } from '../cliIo';
import { EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';

const HELP = `Usage: devops-agent dora [--root DIR] [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--deployments tags|merges]
                         [--branch NAME] [--tag-pattern REGEX] [--failure-window-days N] [--json]

Measures delivery metrics (DORA) from the git history of the repository containing DIR (a clone or a bare
repository): deployment frequency, lead time for changes, change failure rate, recovery time and rework rate,
each with its DORA performance level (Accelerate State of DevOps Report 2023).

  --root DIR                 folder in the repository (default: current folder)
  --since YYYY-MM-DD         window start, UTC, included (default: 90 days before --until)
  --until YYYY-MM-DD         window end, UTC, excluded (default: tomorrow, so today is in)
  --deployments tags|merges  tags (default): commits with a release tag; merges: first-parent merges on --branch
  --branch NAME              merges mode: the branch (default main, else master)
  --tag-pattern REGEX        release tags (default ^v?(\\d+)\\.(\\d+)\\.(\\d+)$; groups 1-3 are major.minor.patch)
  --failure-window-days N    a patch release or revert this many days after a deployment marks it failed (default 14)
  --json                     print the report as JSON
  --no-cache                 read the history from git even when the tags and branches are unchanged since the last
                             run (the history is kept in $DEVOPS_AGENT_CACHE_DIR, else $XDG_CACHE_HOME/devops-agent/dora,
                             else ~/.cache/devops-agent/dora)

Definitions: a deployment's changes are the non-merge commits it reaches that no earlier deployment reaches;
lead time = deployment time - committer date; a deployment failed when a patch release of its major.minor or a
revert of one of its changes ships within the failure window.

Exit codes: 0 measured (also when the window is empty), 2 usage error or a repository that cannot be measured.`;

/** Where the CLI keeps read histories between runs. */
export function doraCacheDirectory(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DEVOPS_AGENT_CACHE_DIR) return env.DEVOPS_AGENT_CACHE_DIR;
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'devops-agent', 'dora');
}

export async function runDoraCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs({
    args,
    strict: true,
    allowPositionals: false,
    options: {
      root: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      deployments: { type: 'string' },
      branch: { type: 'string' },
      'tag-pattern': { type: 'string' },
      'failure-window-days': { type: 'string' },
      json: { type: 'boolean' },
      'no-cache': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const windowDays = values['failure-window-days'];
  if (windowDays !== undefined && !/^\d+(\.\d+)?$/.test(windowDays)) throw new UsageError(`--failure-window-days must be a number of days; got ${JSON.stringify(windowDays)}`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  try {
    const report = await measureDora(root, {
      ...(values.since !== undefined ? { since: values.since } : {}),
      ...(values.until !== undefined ? { until: values.until } : {}),
      ...(values.deployments !== undefined ? { deployments: values.deployments } : {}),
      ...(values.branch !== undefined ? { branch: values.branch } : {}),
      ...(values['tag-pattern'] !== undefined ? { tagPattern: values['tag-pattern'] } : {}),
      ...(windowDays !== undefined ? { failureWindowDays: Number(windowDays) } : {}),
    }, values['no-cache'] ? { cache: new DoraHistoryCache() } : { cache: new DoraHistoryCache({ directory: doraCacheDirectory() }) });
    io.out(values.json ? JSON.stringify(report, null, 2) : formatDoraReport(report));
    return EXIT_OK;
  } catch (error) {
    if (error instanceof DoraError) throw new UsageError(error.message);
    throw error;
  }
}
