import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { failsAt, formatCheckJson, formatCheckText, formatRuleList } from '../../core/checks/checkReportFormat';
import type { CheckSeverity } from '../../core/checks/checkTypes';
import { CheckRequestError, allRules, runChecks } from '../../core/checks/runChecks';
import { toSarif } from '../../core/checks/sarifReport';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';

declare const PACKAGE_VERSION: string | undefined;
/** The version SARIF names the tool with (the build defines PACKAGE_VERSION). */
const cliVersion = (): string => (typeof PACKAGE_VERSION === 'string' ? PACKAGE_VERSION : '0.0.0-dev');

const HELP = `Usage: devops-agent check [PATH...] [--root DIR] [--format text|json|sarif] [--fail-on error|warning|note|none]
       devops-agent check --list-rules [--json]

Checks Dockerfiles, GitHub Actions workflows, Kubernetes manifests, Compose files, .gitlab-ci.yml and committed
secrets files with the same rules as the editor (what hadolint, zizmor, actionlint and kube-linter find).
Files git ignores are skipped unless named. .devops-agent.yaml in the root configures ignores and severities.

  PATH...            files or folders to check (default: the whole root)
  --root DIR         the folder findings are relative to (default: current folder)
  --format FORMAT    text (default), json, or sarif (SARIF 2.1.0 for GitHub code scanning)
  --fail-on LEVEL    exit 1 when a finding is at or above LEVEL: error (default), warning, note, none
  --list-rules       print every rule (with --json: as JSON)

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 usage or input error.`;

const FORMATS = ['text', 'json', 'sarif'] as const;
const LEVELS = ['error', 'warning', 'note', 'none'] as const;

export async function runCheckCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: {
      root: { type: 'string' },
      format: { type: 'string' },
      'fail-on': { type: 'string' },
      'list-rules': { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  }, HELP);
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (values['list-rules']) {
    if (positionals.length > 0 || values.format !== undefined || values['fail-on'] !== undefined) throw new UsageError(`--list-rules takes only --json.\n\n${HELP}`);
    const rules = allRules();
    io.out(values.json ? JSON.stringify({ rules }) : formatRuleList(rules));
    return EXIT_OK;
  }
  if (values.json) throw new UsageError(`--json goes with --list-rules; use --format json for findings.\n\n${HELP}`);
  const format = values.format ?? 'text';
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format must be text, json or sarif (got ${format}).\n\n${HELP}`);
  const failOn = values['fail-on'] ?? 'error';
  if (!(LEVELS as readonly string[]).includes(failOn)) throw new UsageError(`--fail-on must be error, warning, note or none (got ${failOn}).\n\n${HELP}`);
  const root = path.resolve(io.cwd, values.root ?? '.');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(root);
  } catch {
    throw new UsageError(`--root ${root} does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`--root ${root} is not a folder`);
  const realRoot = fs.realpathSync.native(root);
  const paths = positionals.map((p) => {
    const absolute = path.resolve(io.cwd, p);
    if (!fs.existsSync(absolute)) throw new UsageError(`${p} does not exist`);
    const real = fs.realpathSync.native(absolute);
    const relative = path.relative(realRoot, real);
    if (relative.startsWith('..') || path.isAbsolute(relative)) throw new UsageError(`${p} is outside the root ${realRoot} (set --root)`);
    return relative === '' ? '.' : relative;
  });
  let report;
  try {
    report = await runChecks({ root: realRoot, paths });
  } catch (error) {
    if (error instanceof CheckRequestError) throw new UsageError(error.message);
    throw error;
  }
  if (format === 'json') io.out(formatCheckJson(report));
  else if (format === 'sarif') {
    const top = await gitTopLevel(realRoot);
    const rootInRepository = top === undefined ? '' : path.relative(top, realRoot).split(path.sep).join('/');
    const cache = new Map<string, string[]>();
    const lineText = (file: string, line: number): string | undefined => {
      let lines = cache.get(file);
      if (lines === undefined) {
        try {
          lines = fs.readFileSync(path.join(realRoot, file), 'utf8').split(/\r\n|\n|\r/);
        } catch {
          lines = [];
        }
        cache.set(file, lines);
      }
      return lines[line - 1];
    };
    io.out(JSON.stringify(toSarif(report, { version: cliVersion(), rootInRepository, lineText }), null, 2));
  } else io.out(formatCheckText(report));
  return failsAt(report, failOn as CheckSeverity | 'none') ? EXIT_CHECK_FAILED : EXIT_OK;
}

async function gitTopLevel(folder: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--show-toplevel'], { cwd: folder, encoding: 'utf8' }, (error, stdout) => {
      if (error) resolve(undefined);
      else {
        try {
          resolve(fs.realpathSync.native(stdout.trim()));
        } catch {
          resolve(undefined);
        }
      }
    });
  });
}
