import * as fs from 'node:fs';
import * as path from 'node:path';
import { AgentNameError, assertAgentName } from '../../core/memory/agentFolder';
import { readMemory } from '../../core/memory/memoryStore';
import { MEMORY_FILE_PURPOSES } from '../../core/memory/memoryTemplates';
import type { CliIo } from '../cliIo';
import { EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';

const HELP = `Usage: devops-agent memory [--root DIR] [--agent NAME] [--json]

Shows the state of an agent's working memory in DIR/docs/ai/agents/NAME/: for working-memory.md,
next-actions.md and decisions-log.md, whether it exists, its size, when it was last modified and its sections.

Options:
  --root DIR    workspace folder (default: the current folder)
  --agent NAME  the agent (default: devops-engineer)
  --json        print {agent, folder, files:[{kind, file, exists, size, modified, sections:[{heading, level, line}]}]}

Exit codes: 0 ok; 2 usage error.`;

const LOG_ENTRIES_SHOWN = 10;

function formatSize(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `devops-agent memory`: the agent's memory files, their sizes, dates and sections. */
export async function runMemoryCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    strict: true,
    options: {
      root: { type: 'string' },
      agent: { type: 'string', default: 'devops-engineer' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }, HELP);
  const { values } = parsed;
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const root = path.resolve(io.cwd, values.root ?? '.');
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new UsageError(`--root ${root} is not a folder`);
  const agent = values.agent ?? 'devops-engineer';
  try {
    assertAgentName(agent);
  } catch (error) {
    if (error instanceof AgentNameError) throw new UsageError(`--agent: ${error.message}`);
    throw error;
  }
  const snapshot = await readMemory(root, agent);
  const relative = (file: string): string => path.relative(root, file).split(path.sep).join('/');
  if (values.json) {
    io.out(JSON.stringify({
      agent,
      folder: relative(snapshot.folder),
      files: snapshot.files.map((f) => ({
        kind: f.kind,
        file: relative(f.path),
        exists: f.exists,
        size: f.size,
        modified: f.modifiedMs !== undefined ? new Date(f.modifiedMs).toISOString() : null,
        sections: f.sections.map((s) => ({ heading: s.heading, level: s.level, line: s.line })),
      })),
    }, null, 2));
    return EXIT_OK;
  }
  io.out(`Working memory of ${agent} in ${relative(snapshot.folder)}/`);
  for (const f of snapshot.files) {
    const name = path.basename(f.path);
    if (!f.exists) {
      io.out(`\n${name}: not created yet (${MEMORY_FILE_PURPOSES[f.kind].toLowerCase()})`);
      continue;
    }
    const modified = f.modifiedMs !== undefined ? new Date(f.modifiedMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC') : '-';
    const level2 = f.sections.filter((s) => s.level === 2);
    const noun = f.kind === 'decisions-log' ? (level2.length === 1 ? 'entry' : 'entries') : level2.length === 1 ? 'section' : 'sections';
    io.out(`\n${name}: ${formatSize(f.size)}, modified ${modified}, ${level2.length} ${noun}`);
    // The log can hold hundreds of entries; the newest are the ones worth a glance.
    const shown = f.kind === 'decisions-log' ? f.sections.slice(-LOG_ENTRIES_SHOWN) : f.sections;
    if (shown.length < f.sections.length) io.out(`  (${f.sections.length - shown.length} earlier headings not shown)`);
    for (const s of shown) io.out(`  ${String(s.line).padStart(5)}  ${'#'.repeat(s.level)} ${s.heading}`);
  }
  return EXIT_OK;
}
