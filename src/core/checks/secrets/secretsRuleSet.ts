import { redactSecrets } from '../../policy/redactSecrets';
import type { CheckRule, CheckRuleSet, CheckedFile, RuleFinding } from '../checkTypes';

export const SECRETS_RULES = {
  committedSecret: {
    id: 'secrets/committed-secret',
    title: 'Secret committed to git',
    severity: 'error',
    kinds: ['secrets-file'],
    references: ['generic-api-key', 'CKV_SECRET_6'],
    help: 'A file tracked by git holds a credential, so everyone with a clone (and the history, forever) has it. Rotate the credential now, remove the file from git (`git rm --cached FILE`, add it to .gitignore), keep the value in a secret store or an untracked file, and commit a template (`.env.example`) with placeholders instead.',
  },
} as const satisfies Record<string, CheckRule>;

const MARKER = /\[REDACTED:([a-z-]+)\]/g;

/**
 * Committed secrets files (`.env`, `*.pem`, keys, …): each line with a token-like value is a finding, found with the
 * same patterns that redact tool output (src/core/policy/redactSecrets.ts). The message names the kind, never the value.
 */
export const secretsRuleSet: CheckRuleSet = {
  kinds: ['secrets-file'],
  rules: Object.values(SECRETS_RULES),
  check(file: CheckedFile): RuleFinding[] {
    const findings: RuleFinding[] = [];
    const lines = file.text.split(/\r\n|\n|\r/);
    let insideKey = false;
    lines.forEach((line, index) => {
      if (insideKey) {
        if (line.includes('-----END ')) insideKey = false;
        return;
      }
      if (line.length > 10_000) return;
      const result = redactSecrets(line);
      if (result.total === 0) return;
      if (/-----BEGIN [A-Z0-9 ]*PRIVATE KEY/.test(line) && !line.includes('-----END ')) insideKey = true;
      const markers = [...result.text.matchAll(MARKER)];
      const first = markers[0];
      const last = markers[markers.length - 1];
      if (first === undefined || last === undefined) return;
      // Text before the first marker and after the last one is unchanged, so both ends map back to the original line.
      const column = (first.index ?? 0) + 1;
      const tail = result.text.length - ((last.index ?? 0) + last[0].length);
      const endColumn = insideKey ? line.length + 1 : line.length - tail + 1;
      const kinds = [...new Set(markers.map((m) => m[1] as string))].join(', ');
      const key = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*[=:]/.exec(line)?.[1];
      findings.push({
        ruleId: SECRETS_RULES.committedSecret.id,
        range: { line: index + 1, column, endLine: index + 1, endColumn: Math.max(endColumn, column) },
        message: `${key === undefined ? 'This line' : key} holds a ${kinds} value in a file tracked by git; rotate it and stop committing it.`,
      });
    });
    return findings;
  },
};
