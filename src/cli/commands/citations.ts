import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCitations } from '../../core/citations/parseCitations';
import type { Citation } from '../../core/citations/parseCitations';
import { formatCitationReport } from '../../core/citations/citationReport';
import { verifyCitations } from '../../core/citations/verifyCitations';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';
import { errorCode } from '../../core/errors/errorText';

const HELP = `Usage: devops-agent citations FILE|- [--root DIR]... [--json]

Checks every file citation in a Markdown answer (FILE, or - for stdin) against the workspace: path:line,
path#L3-L5, [text](path#L3), "line 3 of \`path\`", "\`path\` line 3", "\`path\` (lines 3-5)". Checked: the file
exists inside a workspace folder (a bare name or path suffix is looked up among the workspace's files, .gitignore
respected; several matches and no quote to tell them apart: ambiguous), the lines exist, and the quoted code is
really at those lines (or within 15: drift). The quote is the inline code next to the citation or introduced by it
later in the sentence ("reads \`...\`", "contains the line \`...\`"), or the fenced block right after.
A citation without a quote is "verified (line exists)": only the line was checked; with one, "verified (quote matched)".

  --root DIR   workspace folder (default: current folder); repeat for a multi-root workspace
  --json       print {"citations":[...],"summary":{...}}

Exit codes: 0 every citation verified, 1 some citation did not verify, 2 usage or input error.`;

interface JsonCitation {
  readonly text: string;
  readonly path: string;
  readonly startLine: number;
  readonly endLine: number;
  readonly status: string;
  readonly message: string;
  readonly actualStartLine?: number;
  readonly verifiedBy?: string;
  readonly resolvedPath?: string;
  readonly candidates?: readonly string[];
}

export async function runCitationsCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs({
    args, allowPositionals: true, strict: true,
    options: { root: { type: 'string', multiple: true }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
  }, HELP);
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  if (positionals.length !== 1) throw new UsageError(`give one FILE (or - for stdin).\n\n${HELP}`);
  const source = positionals[0] as string;
  const text = await readAnswer(source, io);
  const roots = (values.root ?? ['.']).map((root) => {
    const absolute = path.resolve(io.cwd, root);
    try {
      if (!fs.statSync(absolute).isDirectory()) throw new UsageError(`--root ${absolute} is not a folder`);
      return fs.realpathSync.native(absolute);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      throw new UsageError(`--root ${absolute} does not exist`);
    }
  });
  const citations = parseCitations(text, { roots, folderNames: roots.map((root) => path.basename(root)) });
  const checks = await verifyCitations(citations, { roots });
  const verified = checks.filter((check) => check.status === 'verified').length;

  if (values.json) {
    const list: JsonCitation[] = checks.map(({ citation, status, message, actualStartLine, verifiedBy, resolvedPath, candidates }) => ({
      text: citation.text, path: citation.path, startLine: citation.startLine, endLine: citation.endLine, status, message,
      ...(actualStartLine === undefined ? {} : { actualStartLine }),
      ...(verifiedBy === undefined ? {} : { verifiedBy }),
      ...(resolvedPath === undefined ? {} : { resolvedPath }),
      ...(candidates === undefined ? {} : { candidates }),
    }));
    io.out(JSON.stringify({ citations: list, summary: { total: checks.length, verified, problems: checks.length - verified } }));
  } else {
    const lines = checks.map((check) => check.status === 'verified'
      ? `✓ ${reference(check.citation)}${check.resolvedPath === undefined ? '' : ` = ${check.resolvedPath}`} (${check.verifiedBy === 'quote' ? 'quote matched' : 'line exists'})`
      : `✗ ${reference(check.citation)} — ${check.message}`);
    io.out([...lines, formatCitationReport(checks)].join('\n'));
  }
  return verified === checks.length ? EXIT_OK : EXIT_CHECK_FAILED;
}

function reference(citation: Citation): string {
  return `${citation.path}:${citation.startLine === citation.endLine ? citation.startLine : `${citation.startLine}-${citation.endLine}`}`;
}

async function readAnswer(source: string, io: CliIo): Promise<string> {
  if (source === '-') return io.readStdin();
  const file = path.resolve(io.cwd, source);
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = errorCode(error) ?? '';
    throw new UsageError(code === 'ENOENT' ? `${file} does not exist` : code === 'EISDIR' ? `${file} is a folder, not a file` : `cannot read ${file} (${code || String(error)})`);
  }
}
