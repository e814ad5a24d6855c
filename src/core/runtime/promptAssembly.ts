/** One part of the prompt; when the budget is short the lowest priority goes first. */
export interface PromptSection {
  readonly id: string;
  readonly text: string;
  /** Higher is more important. Sections with `required` are never dropped. */
  readonly priority: number;
  readonly required?: boolean;
}

export interface FittedPrompt {
  readonly text: string;
  readonly included: readonly string[];
  readonly dropped: readonly string[];
  readonly tokens: number;
}

/**
 * Fits sections into a token budget: drops whole sections, least important first, and keeps the survivors in
 * their original order. Required sections stay even when they alone exceed the budget (the model reports that).
 */
export async function fitPromptSections(
  sections: readonly PromptSection[],
  budgetTokens: number,
  countTokens: (text: string) => Promise<number>,
): Promise<FittedPrompt> {
  const costs = await Promise.all(sections.map((s) => countTokens(s.text)));
  let total = costs.reduce((a, b) => a + b, 0);
  const dropped = new Set<number>();
  const byPriority = sections.map((s, i) => ({ s, i })).filter(({ s }) => !s.required).sort((a, b) => a.s.priority - b.s.priority);
  for (const { i } of byPriority) {
    if (total <= budgetTokens) break;
    dropped.add(i);
    total -= costs[i] ?? 0;
  }
  const kept = sections.filter((_, i) => !dropped.has(i));
  return {
    text: kept.map((s) => s.text).join('\n\n'),
    included: kept.map((s) => s.id),
    dropped: sections.filter((_, i) => dropped.has(i)).map((s) => s.id),
    tokens: total,
  };
}

/** The rules the harness checks, told to the model so it can follow them rather than be refused. */
export function harnessRulesText(agentName: string, memoryDir: string): string {
  return [
    '# How this harness works (it checks these rules)',
    '- Read before you claim: use the Read tool on a file before saying anything about it. Citations to files you have not read in this session are flagged as unread.',
    '- Cite code as `path:line` or `path:start-end` (workspace-relative), followed by the exact code quoted in backticks or a fenced block. Every citation is checked against the file: wrong paths, lines out of range, shifted lines and paraphrased quotes are shown to the user as unverified.',
    '- Edit and Write refuse files you have not read. Edits that remove many lines need a `reason` and the user\'s confirmation.',
    '- Paths must stay inside the workspace folders. Secret files (.env, keys, credentials) are never opened, and secrets in tool results arrive as `[REDACTED:kind]`: never write such a marker into a file.',
    '- Placeholder, mock, stub or simulated code outside tests is refused. Implement it for real, or say "Cannot implement: <reason>".',
    `- Working memory lives in \`${memoryDir}/\`: read it with memory_read, keep it current with memory_update and record decisions with decision_record.`,
    `- Reviews, assessments, sign-offs and decisions end with a certificate written by the certificate_create tool (agent ${agentName}); its evidence citations are checked too.`,
    '- devops_check runs the deterministic DevOps checks (hadolint, zizmor, actionlint and kube-linter rules, committed secrets) on Dockerfiles, workflows, manifests and Compose files. Run it before judging such files and cite its findings as it gives them: `path:line` with the exact code.',
    '- Tools you are not given are refused. Some calls need the user\'s confirmation; a refused call comes back as an error result: adapt, do not retry the same call.',
  ].join('\n');
}

/**
 * Keeps the most recent conversation turns that fit the budget; older turns go first, whole, so a tool call never
 * loses its result. Returns the kept turns' messages in order and how many turns were dropped.
 */
export async function fitHistoryTurns<M>(
  turns: readonly (readonly M[])[],
  budgetTokens: number,
  countTokens: (message: M) => Promise<number>,
): Promise<{ readonly messages: M[]; readonly droppedTurns: number }> {
  const kept: (readonly M[])[] = [];
  let used = 0;
  for (let i = turns.length - 1; i >= 0; i--) {
    const turn = turns[i] ?? [];
    const cost = (await Promise.all(turn.map(countTokens))).reduce((a, b) => a + b, 0);
    if (used + cost > budgetTokens) break;
    used += cost;
    kept.unshift(turn);
  }
  return { messages: kept.flat(), droppedTurns: turns.length - kept.length };
}
