import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { agentFolderOf } from '../memory/agentFolder';
import { formatUtcFileStamp } from '../time/utcTimestamp';
import type { CertificateIndexOptions } from './certificateIndex';
import { CertificateIndex } from './certificateIndex';
import type { CertificateInput, CertificateInputProblem } from './certificateSchema';
import { describeCertificateInputProblems, slugForCertificate, validateCertificateInput } from './certificateSchema';
import type { ParsedCertificate } from './parseCertificate';
import { renderCertificate } from './renderCertificate';
import { errorCode } from '../errors/errorText';

export interface CreatedCertificate {
  /** Absolute path of the new file. */
  readonly file: string;
  readonly id: string;
  /** `sha256:<hex>`. */
  readonly hash: string;
  /** `YYYY-MM-DD HH:MM:SS UTC`. */
  readonly date: string;
}

/** The input does not make a valid certificate; nothing was written. */
export class CertificateInputError extends Error {
  override readonly name = 'CertificateInputError';
  constructor(readonly problems: readonly CertificateInputProblem[]) {
    super(`The certificate input has problems:\n${describeCertificateInputProblems(problems)}`);
  }
}

const MAX_SUFFIX = 1000;

export function certificatesFolderOf(root: string, agent: string): string {
  return path.join(agentFolderOf(root, agent), 'certificates');
}

/** `{descriptor}_{component}_{YYYYMMDD_HHMMSS}.md` with both names slugged to [a-z0-9_]; suffix 2, 3, … for collisions. */
export function certificateFileName(input: Pick<CertificateInput, 'descriptor' | 'component'>, now: Date, suffix = 1): string {
  const base = `${slugForCertificate(input.descriptor, 60) || 'certificate'}_${slugForCertificate(input.component, 80) || 'component'}_${formatUtcFileStamp(now)}`;
  return `${base}${suffix > 1 ? `_${suffix}` : ''}.md`;
}

/**
 * Writes a new certificate into docs/ai/agents/<agent>/certificates/. The file appears whole or not at all and is
 * never overwritten: the text goes to a temporary file that is hard-linked to a free name (linking fails if the
 * name exists, so a collision moves on to the `_2`, `_3`, … name).
 */
export async function createCertificate(root: string, agent: string, input: CertificateInput, now: Date = new Date()): Promise<CreatedCertificate> {
  const validation = validateCertificateInput(input);
  if (!validation.ok) throw new CertificateInputError(validation.problems);
  const folder = certificatesFolderOf(root, agent);
  await fs.mkdir(folder, { recursive: true });
  const rendered = renderCertificate(validation.input, { agent, now });
  const temp = path.join(folder, `.certificate.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await fs.open(temp, 'wx', 0o644);
  try {
    await handle.writeFile(rendered.text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    for (let suffix = 1; suffix <= MAX_SUFFIX; suffix += 1) {
      const file = path.join(folder, certificateFileName(validation.input, now, suffix));
      if (await claimName(temp, file, rendered.text)) return { file, id: rendered.id, hash: rendered.hash, date: rendered.date };
    }
  } finally {
    await fs.rm(temp, { force: true });
  }
  throw new Error(`More than ${MAX_SUFFIX} certificates named ${certificateFileName(validation.input, now)} in ${folder}.`);
}

/** True when file was created from temp; false when the name is taken. */
async function claimName(temp: string, file: string, text: string): Promise<boolean> {
  try {
    await fs.link(temp, file);
    return true;
  } catch (error) {
    const code = errorCode(error);
    if (code === 'EEXIST') return false;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw error;
  }
  // File systems without hard links: exclusive create, then write.
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'wx', 0o644);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(text);
    await handle.close();
    return true;
  } catch (error) {
    await handle.close().catch(() => undefined);
    // A half-written certificate would later read as broken; the name is ours, so remove it.
    await fs.rm(file, { force: true });
    throw error;
  }
}

/** Every certificate under root (all agents, or options.agent), parsed and checked, newest first. */
export async function listCertificates(root: string, options: CertificateIndexOptions = {}): Promise<readonly ParsedCertificate[]> {
  const index = new CertificateIndex(root, options);
  await index.refresh();
  return index.list();
}
