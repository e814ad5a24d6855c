import * as fs from 'node:fs';
import * as path from 'node:path';
import { CertificateIndex } from '../../core/certificates/certificateIndex';
import { createCertificate } from '../../core/certificates/certificateStore';
import { describeCertificateInputProblems, validateCertificateInput } from '../../core/certificates/certificateSchema';
import { describeEvidenceFailures, verifyEvidenceCitations } from '../../core/certificates/evidenceCitations';
import type { ParsedCertificate } from '../../core/certificates/parseCertificate';
import { AgentNameError, assertAgentName } from '../../core/memory/agentFolder';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../exitCodes';
import { parseCommandArgs } from '../commandArgs';
import { errorCode, errorMessage } from '../../core/errors/errorText';

const HELP = `Usage: devops-agent certificates [--root DIR] [--agent NAME] [--json]
       devops-agent certificates new --from-json FILE|- [--root DIR] [--agent NAME] [--json]

Lists the certificates under DIR/docs/ai/agents/*/certificates/ (or one agent's), checks each against the
certificate format of the agent definition and verifies its Certificate Hash. Problems print as file:line: message.
\`new\` writes a certificate from JSON in certificate_create's input shape (descriptor, component, scope,
filesExamined, testsPerformed, findings, issues, recommendations, status, rationale, conditions, evidence);
path:line evidence is checked against DIR first. It prints the new file's path.

Options:
  --root DIR        workspace folder (default: the current folder)
  --agent NAME      only this agent (list) / the agent signing (new; default devops-engineer)
  --from-json FILE  the certificate input; - reads standard input
  --json            print JSON: an array of {file, id, descriptor, component, status, date, valid, integrity,
                    problems:[{line, message}]}, or for new {file, id, hash, date}

Exit codes: 0 ok; 1 a certificate is invalid or tampered; 2 usage error, bad JSON or invalid input.`;

export interface CertificateJson {
  file: string;
  id: string | null;
  descriptor: string | null;
  component: string | null;
  status: string | null;
  date: string | null;
  valid: boolean;
  integrity: string;
  problems: Array<{ line: number; message: string }>;
}

function relativeTo(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/');
}

function toJson(root: string, c: ParsedCertificate): CertificateJson {
  return {
    file: relativeTo(root, c.file),
    id: c.id ?? null,
    descriptor: c.descriptor ?? null,
    component: c.component ?? null,
    status: c.status ?? null,
    date: c.date ?? null,
    valid: c.valid,
    integrity: c.integrity,
    problems: c.problems.map((p) => ({ line: p.line, message: p.message })),
  };
}

function folderOption(io: CliIo, value: string | undefined): string {
  const root = path.resolve(io.cwd, value ?? '.');
  let isFolder = false;
  try {
    isFolder = fs.statSync(root).isDirectory();
  } catch {
    throw new UsageError(`--root ${root} does not exist`);
  }
  if (!isFolder) throw new UsageError(`--root ${root} is not a folder`);
  return fs.realpathSync.native(root);
}

function agentOption(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    assertAgentName(value);
  } catch (error) {
    if (error instanceof AgentNameError) throw new UsageError(`--agent: ${error.message}`);
    throw error;
  }
  return value;
}

async function listAndCheck(root: string, agent: string | undefined, json: boolean, io: CliIo): Promise<number> {
  const index = new CertificateIndex(root, agent !== undefined ? { agent } : {});
  await index.refresh();
  const certificates = index.list();
  const failed = certificates.filter((c) => !c.valid || c.integrity === 'tampered');
  if (json) {
    io.out(JSON.stringify(certificates.map((c) => toJson(root, c)), null, 2));
    return failed.length > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
  }
  if (certificates.length === 0) {
    io.out(`No certificates under ${path.join(root, 'docs', 'ai', 'agents')}${agent !== undefined ? `/${agent}` : '/*'}/certificates/.`);
    return EXIT_OK;
  }
  for (const c of certificates) {
    const file = relativeTo(root, c.file);
    const verdict = c.integrity === 'tampered' ? 'TAMPERED' : c.valid ? (c.integrity === 'ok' ? 'ok' : 'ok (unsigned)') : 'INVALID';
    io.out(`${verdict.padEnd(13)} ${(c.status ?? c.statusText ?? '-').padEnd(22)} ${(c.date ?? '-').padEnd(23)} ${c.id ?? '-'}  ${file}`);
    for (const p of c.problems) io.out(`  ${file}:${p.line}: ${p.message}`);
  }
  const tampered = certificates.filter((c) => c.integrity === 'tampered').length;
  const unsigned = certificates.filter((c) => c.integrity === 'unsigned').length;
  const invalid = certificates.filter((c) => !c.valid).length;
  io.err(`${certificates.length} certificate${certificates.length === 1 ? '' : 's'}: ${certificates.length - invalid} valid, ` +
    `${invalid} invalid (${tampered} tampered), ${unsigned} unsigned`);
  return failed.length > 0 ? EXIT_CHECK_FAILED : EXIT_OK;
}

async function readInput(source: string, io: CliIo): Promise<string> {
  if (source === '-') return io.readStdin();
  const file = path.resolve(io.cwd, source);
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--from-json ${source}: ${errorCode(error) === 'ENOENT' ? 'no such file' : String(error)}`);
  }
}

async function createFromJson(source: string, root: string, agent: string, json: boolean, io: CliIo): Promise<number> {
  const text = await readInput(source, io);
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    io.err(`devops-agent certificates new: ${source} is not valid JSON: ${errorMessage(error)}`);
    return EXIT_USAGE;
  }
  const validation = validateCertificateInput(raw);
  if (!validation.ok) {
    io.err(`devops-agent certificates new: the certificate input has problems, nothing was written:\n${describeCertificateInputProblems(validation.problems)}`);
    return EXIT_USAGE;
  }
  const report = await verifyEvidenceCitations(validation.input.evidence, { roots: [root] });
  if (report.failures.length > 0) {
    io.err(`devops-agent certificates new: evidence citations do not verify against ${root}, nothing was written:\n${describeEvidenceFailures(report.failures)}`);
    return EXIT_USAGE;
  }
  const created = await createCertificate(root, agent, validation.input);
  if (json) io.out(JSON.stringify({ file: created.file, id: created.id, hash: created.hash, date: created.date }, null, 2));
  else {
    io.out(created.file);
    io.err(`Certificate ID: ${created.id}\nCertificate Hash: ${created.hash}`);
  }
  return EXIT_OK;
}

/** `devops-agent certificates`: list, validate and verify certificates; `certificates new` writes one from JSON. */
export async function runCertificatesCommand(args: string[], io: CliIo): Promise<number> {
  const parsed = parseCommandArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: 'string' },
      agent: { type: 'string' },
      'from-json': { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  }, HELP);
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(HELP);
    return EXIT_OK;
  }
  const [action, ...rest] = positionals;
  if (rest.length > 0 || (action !== undefined && action !== 'new')) {
    throw new UsageError(`unexpected argument '${action === 'new' ? rest[0] : action}' (the only action is: new)\n\n${HELP}`);
  }
  const root = folderOption(io, values.root);
  const agent = agentOption(values.agent);
  const json = values.json === true;
  if (action === 'new') {
    const source = values['from-json'];
    if (source === undefined) throw new UsageError(`new needs --from-json FILE (or - for standard input)\n\n${HELP}`);
    return createFromJson(source, root, agent ?? 'devops-engineer', json, io);
  }
  if (values['from-json'] !== undefined) throw new UsageError('--from-json goes with `certificates new`');
  return listAndCheck(root, agent, json, io);
}
