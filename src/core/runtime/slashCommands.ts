/** What each @devops slash command asks of the agent, added to its prompt for that request. */
const INSTRUCTIONS: Readonly<Record<string, string>> = {
  review: '# This request: /review\nReview what the user names. The harness has already run devops_check on it: start from those findings and cite them as given (they are verified lines). Read every other relevant file first (Read, Glob, Grep), cite each finding as `path:line` with the quoted code, rank issues by severity, and finish with a certificate (certificate_create) whose status fits your judgement.',
  pipeline: '# This request: /pipeline\nWork on CI/CD pipelines (GitHub Actions, GitLab CI, Jenkins…). Run devops_check on the workflow files and read them first, keep what works, pin actions and images, and verify changes with the tools you have (Bash, Git) before claiming they work.',
  docker: '# This request: /docker\nWork on containers. Run devops_check on the Dockerfile and compose files and read them first; use the Docker tool to inspect, build and run for real; report actual build output and exit codes, never assumed ones.',
  incident: '# This request: /incident\nInvestigate an incident. Gather evidence first: container state and logs (Docker), recent changes (Git log/diff), configuration (Read). Separate facts (cited) from hypotheses, find the root cause, propose the minimal fix, and record the decision.',
  metrics: '# This request: /metrics\nMeasure delivery performance with the dora tool (deployment frequency, lead time for changes, change failure rate, recovery time, rework rate) and report the measured values with their DORA levels, never estimates. Then explain what drives the weakest figure from the git history and the pipeline files you read, and what to change.',
  memory: '# This request: /memory\nWork with your working memory: read it with memory_read, answer from it, and update it with memory_update or decision_record as the user asks.',
  certify: '# This request: /certify\nThis is formal assessment work: examine the subject with the tools, then create a certificate with certificate_create (scope, files examined, tests performed, findings, status, rationale, conditions, evidence citations).',
};

export const SLASH_COMMANDS: readonly string[] = Object.keys(INSTRUCTIONS);

export function commandInstructions(command: string | undefined): string | undefined {
  // own keys only: `toString` or `constructor` must not find Object.prototype's
  return command && Object.hasOwn(INSTRUCTIONS, command) ? INSTRUCTIONS[command] : undefined;
}
