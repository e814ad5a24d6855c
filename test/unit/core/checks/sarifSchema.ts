import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { ValidateFunction } from 'ajv';
import { REPO_ROOT } from './checkFixtures';

/** The official SARIF 2.1.0 schema (OASIS, draft-04 JSON Schema), kept as test data: see test/fixtures/sarif/SOURCES.tsv. */
export const SARIF_SCHEMA_FILE = path.join(REPO_ROOT, 'test', 'fixtures', 'sarif', 'sarif-schema-2.1.0.json');

let validate: ValidateFunction | undefined;

/** Schema violations of a SARIF log, one line each (`/runs/0/results/3/level must be equal to one of the allowed values`). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (validate === undefined) {
    // strictRequired/strictTypes judge how the schema is written, not the document: the OASIS schema trips both
    const ajv = new Ajv04({ allErrors: true, strict: true, strictRequired: false, strictTypes: false });
    addFormats(ajv);
    validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA_FILE, 'utf8')) as object);
  }
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? e.keyword} ${JSON.stringify(e.params)}`);
}

interface Text { text?: unknown }
interface GithubRule { id?: unknown; shortDescription?: Text; fullDescription?: Text; help?: Text; properties?: { tags?: unknown; 'security-severity'?: unknown } }
interface GithubResult {
  ruleId?: unknown; message?: Text; partialFingerprints?: Record<string, unknown>;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: unknown }; region?: { startLine?: unknown; endLine?: unknown; startColumn?: unknown } } }[];
}
interface GithubLog { runs?: { tool?: { driver?: { name?: unknown; rules?: GithubRule[] } }; results?: GithubResult[] }[] }

/**
 * What GitHub code scanning needs beyond the schema ("SARIF support for code scanning" and its limits): rules with an
 * id, short and full descriptions (≤ 1024 characters) and help; tags within the limit; a security-severity from 0 to
 * 10; results with a ruleId of a listed rule, a message, a repository-relative `/` URI and startLine ≥ 1;
 * partialFingerprints optional but strings when given; at most 20 runs and 25,000 results per run.
 */
export function githubCodeScanningProblems(input: unknown): string[] {
  const log = input as GithubLog;
  const problems: string[] = [];
  const runs = log.runs ?? [];
  if (runs.length === 0 || runs.length > 20) problems.push(`${runs.length} runs; GitHub takes 1 to 20`);
  runs.forEach((run, r) => {
    const rules = run.tool?.driver?.rules ?? [];
    if (typeof run.tool?.driver?.name !== 'string' || run.tool.driver.name === '') problems.push(`run ${r}: tool.driver.name missing`);
    const ids = new Set<unknown>();
    for (const rule of rules) {
      const at = `rule ${String(rule.id)}`;
      if (typeof rule.id !== 'string' || rule.id === '') problems.push(`${at}: no id`);
      if (ids.has(rule.id)) problems.push(`${at}: listed twice`);
      ids.add(rule.id);
      for (const key of ['shortDescription', 'fullDescription', 'help'] as const) {
        const text = rule[key]?.text;
        if (typeof text !== 'string' || text.trim() === '') problems.push(`${at}: no ${key}.text`);
        else if (key !== 'help' && text.length > 1024) problems.push(`${at}: ${key} longer than 1024 characters`);
      }
      const tags = rule.properties?.tags;
      if (tags !== undefined && (!Array.isArray(tags) || tags.length > 10)) problems.push(`${at}: more than the 10 tags GitHub shows`);
      const severity = rule.properties?.['security-severity'];
      if (severity !== undefined && !(typeof severity === 'string' && /^\d+(\.\d+)?$/.test(severity) && Number(severity) <= 10)) problems.push(`${at}: security-severity ${String(severity)} is not a number from 0.0 to 10.0`);
    }
    const results = run.results ?? [];
    if (results.length > 25_000) problems.push(`run ${r}: ${results.length} results; GitHub takes 25,000`);
    results.forEach((result, i) => {
      const at = `result ${i} (${String(result.ruleId)})`;
      if (typeof result.ruleId !== 'string' || !ids.has(result.ruleId)) problems.push(`${at}: ruleId is not a listed rule`);
      if (typeof result.message?.text !== 'string' || result.message.text === '') problems.push(`${at}: no message.text`);
      for (const [key, value] of Object.entries(result.partialFingerprints ?? {})) {
        if (typeof value !== 'string' || value === '') problems.push(`${at}: partialFingerprints.${key} is not a string`);
      }
      const locations = result.locations ?? [];
      if (locations.length === 0) problems.push(`${at}: no location`);
      for (const location of locations) {
        const uri = location.physicalLocation?.artifactLocation?.uri;
        if (typeof uri !== 'string' || uri === '' || uri.startsWith('/') || uri.includes('\\') || /^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.split('/').some((segment) => segment === '..' || segment === '.' || segment === '')) {
          problems.push(`${at}: uri ${String(uri)} is not repository-relative with /`);
        }
        const region = location.physicalLocation?.region;
        const start = region?.startLine;
        if (typeof start !== 'number' || !Number.isInteger(start) || start < 1) problems.push(`${at}: startLine ${String(start)} is not ≥ 1`);
        else if (region?.endLine !== undefined && (typeof region.endLine !== 'number' || region.endLine < start)) problems.push(`${at}: endLine before startLine`);
        if (region?.startColumn !== undefined && (typeof region.startColumn !== 'number' || region.startColumn < 1)) problems.push(`${at}: startColumn is not ≥ 1`);
      }
    });
  });
  return problems;
}
