/** The three working-memory files the agent definition names, in the order they matter to the agent. */
export const MEMORY_FILE_KINDS = ['working-memory', 'next-actions', 'decisions-log'] as const;
export type MemoryFileKind = (typeof MEMORY_FILE_KINDS)[number];

/** The files whose `##` sections memory_update may replace; the decisions log is append-only. */
export const UPDATABLE_MEMORY_FILES = ['working-memory', 'next-actions'] as const;
export type UpdatableMemoryFile = (typeof UPDATABLE_MEMORY_FILES)[number];

/** What each file holds, as the agent definition describes it. */
export const MEMORY_FILE_PURPOSES: Readonly<Record<MemoryFileKind, string>> = {
  'working-memory': 'Current pipeline status, deployments and active tasks',
  'next-actions': 'Planned automation work and operational priorities',
  'decisions-log': 'Decisions with rationale, newest last',
};

const EMPTY = '_Nothing recorded yet._';

/** The content a memory file starts with when it is first used. */
export function memoryTemplate(kind: MemoryFileKind, agent: string): string {
  switch (kind) {
    case 'working-memory':
      return [
        `# Working Memory — ${agent}`,
        '',
        `${MEMORY_FILE_PURPOSES[kind]}. Kept current by the agent; your own edits are preserved.`,
        '',
        '## Pipeline Status', '', EMPTY, '',
        '## Deployments', '', EMPTY, '',
        '## Active Tasks', '', EMPTY, '',
      ].join('\n');
    case 'next-actions':
      return [
        `# Next Actions — ${agent}`,
        '',
        `${MEMORY_FILE_PURPOSES[kind]}. Kept current by the agent; your own edits are preserved.`,
        '',
        '## Planned Automation Work', '', EMPTY, '',
        '## Operational Priorities', '', EMPTY, '',
      ].join('\n');
    case 'decisions-log':
      return [
        `# Decisions Log — ${agent}`,
        '',
        `${MEMORY_FILE_PURPOSES[kind]}. Each entry is appended by decision_record; earlier entries are never rewritten.`,
        '',
      ].join('\n');
  }
}
