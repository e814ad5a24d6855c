import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { CheckOptions, CheckSeverity } from './checkTypes';

/** The names the workspace configuration may have, first found wins. */
export const CHECK_CONFIG_FILES = ['.devops-agent.yaml', '.devops-agent.yml'] as const;

/** The `checks:` section of `.devops-agent.yaml`. */
export interface CheckConfig extends CheckOptions {
  /** Rule ids or public references (`dockerfile/latest-tag`, `DL3007`) never reported. */
  readonly ignoreRules: readonly string[];
  /** Globs (relative to the root, `/`) of files never checked, e.g. `vendor/**`. */
  readonly ignorePaths: readonly string[];
  /** Severity per rule id or reference; `off` ignores the rule. */
  readonly severity: Readonly<Record<string, CheckSeverity | 'off'>>;
}

export interface CheckConfigProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface LoadedCheckConfig {
  readonly config: CheckConfig;
  /** Root-relative path of the file read (`.devops-agent.yaml`), undefined when there is none. */
  readonly file: string | undefined;
  /** What was wrong with it; the valid parts still apply. */
  readonly problems: readonly CheckConfigProblem[];
}

export const DEFAULT_CHECK_CONFIG: CheckConfig = {
  ignoreRules: [], ignorePaths: [], severity: {}, trustedRegistries: [], allowedActionOwners: [],
};

const EXAMPLE = `checks:
  ignore: [DL3008, dockerfile/consecutive-run]
  ignorePaths: ["vendor/**"]
  severity: { dockerfile/no-user: error, DL3059: off }
  trustedRegistries: [docker.io, ghcr.io/acme]
  allowedActionOwners: [actions, github]`;

const KEYS = ['ignore', 'ignorePaths', 'severity', 'trustedRegistries', 'allowedActionOwners'];
const SEVERITIES = ['error', 'warning', 'note', 'off'];

/** Reads `.devops-agent.yaml` (or `.yml`) in root; a missing file is the defaults, a malformed one has problems. */
export function loadCheckConfig(root: string): LoadedCheckConfig {
  for (const name of CHECK_CONFIG_FILES) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(root, name), 'utf8');
    } catch {
      continue;
    }
    return { ...parseCheckConfig(text), file: name };
  }
  return { config: DEFAULT_CHECK_CONFIG, file: undefined, problems: [] };
}

/** Parses the text of `.devops-agent.yaml`; other top-level sections belong to other features and are left alone. */
export function parseCheckConfig(text: string): { config: CheckConfig; problems: CheckConfigProblem[] } {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const problems: CheckConfigProblem[] = [];
  const at = (offset: number | undefined, message: string): void => {
    const position = lineCounter.linePos(offset ?? 0);
    problems.push({ line: position.line, column: position.col, message });
  };
  const where = (node: Node | null | undefined): number | undefined => node?.range?.[0];
  for (const error of document.errors) at(error.pos[0], `not valid YAML: ${error.message.split('\n')[0] ?? error.message}`);
  if (document.errors.length > 0) return { config: DEFAULT_CHECK_CONFIG, problems };
  const top = document.contents;
  if (top === null || (isScalar(top) && top.value === null)) return { config: DEFAULT_CHECK_CONFIG, problems };
  if (!isMap(top)) {
    at(where(top), `the file must be a mapping with a \`checks:\` section, e.g.\n${EXAMPLE}`);
    return { config: DEFAULT_CHECK_CONFIG, problems };
  }
  let checksPair: Pair | undefined;
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key === 'checks') checksPair = pair;
    else if (KEYS.includes(key)) at(where(pair.key as Node), `\`${key}\` belongs under \`checks:\`, e.g.\n${EXAMPLE}`);
  }
  const checks = checksPair?.value as Node | null | undefined;
  if (checks === undefined || checks === null || (isScalar(checks) && checks.value === null)) return { config: DEFAULT_CHECK_CONFIG, problems };
  if (!isMap(checks)) {
    at(where(checks), `\`checks\` must be a mapping, e.g.\n${EXAMPLE}`);
    return { config: DEFAULT_CHECK_CONFIG, problems };
  }
  const lists: Record<string, string[]> = { ignore: [], ignorePaths: [], trustedRegistries: [], allowedActionOwners: [] };
  const severity: Record<string, CheckSeverity | 'off'> = {};
  for (const pair of checks.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const value = pair.value as Node | null;
    if (!KEYS.includes(key)) {
      at(where(pair.key as Node), `unknown key \`checks.${key}\`; known: ${KEYS.join(', ')}`);
      continue;
    }
    if (key === 'severity') {
      if (!isMap(value)) {
        at(where(value) ?? where(pair.key as Node), '`checks.severity` must map rule ids to error, warning, note or off');
        continue;
      }
      for (const entry of value.items) {
        const rule = isScalar(entry.key) ? String(entry.key.value) : '';
        const level = isScalar(entry.value) ? String(entry.value.value).toLowerCase() : '';
        if (rule === '' || !SEVERITIES.includes(level)) {
          at(where(entry.value as Node) ?? where(entry.key as Node), `severity of \`${rule}\` must be error, warning, note or off`);
          continue;
        }
        severity[rule] = level as CheckSeverity | 'off';
      }
      continue;
    }
    const target = lists[key] as string[];
    const items = isSeq(value) ? value.items : isScalar(value) ? [value] : undefined;
    if (items === undefined) {
      at(where(value) ?? where(pair.key as Node), `\`checks.${key}\` must be a list of strings`);
      continue;
    }
    for (const item of items) {
      if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number') && String(item.value).trim() !== '') target.push(String(item.value).trim());
      else at(where(item as Node), `\`checks.${key}\` must be a list of strings`);
    }
  }
  return {
    config: {
      ignoreRules: lists.ignore as string[],
      ignorePaths: lists.ignorePaths as string[],
      severity,
      trustedRegistries: lists.trustedRegistries as string[],
      allowedActionOwners: lists.allowedActionOwners as string[],
    },
    problems,
  };
}
