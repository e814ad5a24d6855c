import { isUtf8 } from 'node:buffer';
import * as fsSync from 'node:fs';
import { promises as fs } from 'node:fs';
import { findMarkdownHeadings, splitLines } from '../markdown/markdownHeadings';
import { parseUtcTimestamp } from '../time/utcTimestamp';
import { canonicalTextAsWritten, certificateHashOf, hashCanonicalText } from './certificateHash';
import type { CertificateStatus } from './certificateSchema';
import { CERTIFICATE_SECTIONS, CERTIFICATE_STATUSES, normalizeCertificateStatus } from './certificateSchema';
import { errorCode, errorMessage } from '../errors/errorText';

/** ok: the hash matches; tampered: it does not, or text follows it; unsigned: no hash (the definition makes it optional). */
export type CertificateIntegrity = 'ok' | 'tampered' | 'unsigned';

export interface CertificateProblem {
  /** 1-based line the problem is on (or where the missing part belongs). */
  readonly line: number;
  readonly message: string;
}

export interface ParsedCertificate {
  /** The path the certificate was read from, as given. */
  readonly file: string;
  readonly id: string | undefined;
  /** The title's `{DESCRIPTOR}` (`DEPLOYMENT REVIEW` for `# DEPLOYMENT REVIEW CERTIFICATE`). */
  readonly descriptor: string | undefined;
  readonly component: string | undefined;
  readonly agent: string | undefined;
  /** Undefined when the file names no status from the list (see statusText for what it says). */
  readonly status: CertificateStatus | undefined;
  readonly statusText: string | undefined;
  /** The `**Date**:` value as written. */
  readonly date: string | undefined;
  /** The Date as milliseconds since the epoch, when it is in the required form. */
  readonly dateMs: number | undefined;
  readonly rationale: string | undefined;
  readonly conditions: string | undefined;
  /** The `sha256:<hex>` written on the hash line, if any. */
  readonly hash: string | undefined;
  readonly integrity: CertificateIntegrity;
  /** No problems at all: structure complete and, when signed, the hash matches. */
  readonly valid: boolean;
  readonly problems: readonly CertificateProblem[];
  /** Line of the title (`TITLE`), the five sections (`REVIEW SCOPE`, …) and the `**Status**:` line (`STATUS`), where present. */
  readonly headingLines: Readonly<Record<string, number>>;
}

/** Certificates are small; anything larger is reported, not parsed. */
export const MAX_CERTIFICATE_BYTES = 1024 * 1024;

const FIELD = /^\s*\*\*([^*\n]+?)\s*(:?)\s*\*\*\s*(:?)\s*(.*)$/;
const SIGNATURE_FIELD = /^\s*(?:\*\*)?(Agent|Timestamp|Certificate Hash)(?:\*\*)?\s*:\s*(?:\*\*)?\s*(.*?)\s*$/i;
const HASH_VALUE = /^sha256:([0-9a-f]{64})$/i;
// Template text or a stand-in where a value belongs.
const PLACEHOLDER = /^(\{.*\}|\[.*\]|<.*>|tbd|todo|\.\.\.|…)$/i;
const NOTHING = /^(n\/?a|none|not applicable|-+)$/i;
const HASH_PLACEHOLDER = /optional|^(pending|none|n\/?a|-+)$/i;

interface Field {
  readonly key: string;
  readonly value: string;
  readonly line: number;
}

/** Reads and checks a certificate file; never throws (unreadable, binary, empty and huge files come back as problems). */
export async function parseCertificateFile(file: string): Promise<ParsedCertificate> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const stat = await handle.stat();
    if (!stat.isFile()) return unreadable(file, 'not a regular file');
    if (stat.size > MAX_CERTIFICATE_BYTES) return tooLarge(file, stat.size);
    const bytes = Buffer.alloc(stat.size);
    let read = 0;
    while (read < stat.size) {
      const { bytesRead } = await handle.read(bytes, read, stat.size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return parseCertificateBytes(bytes.subarray(0, read), file);
  } catch (error) {
    return unreadable(file, errorMessage(error));
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** A certificate read by readCertificateFileSync, with the mtime and size that identify this version of the file. */
export interface CertificateFileRead {
  readonly parsed: ParsedCertificate;
  readonly mtimeMs: number;
  readonly size: number;
}

/**
 * Reads and parses one file synchronously with a single open: for scanning thousands of small files, where the
 * thread pool's per-call overhead costs more than the reads. Undefined when the path is gone or not a file.
 */
export function readCertificateFileSync(file: string): CertificateFileRead | undefined {
  let fd: number | undefined;
  try {
    fd = fsSync.openSync(file, 'r');
    const stat = fsSync.fstatSync(fd);
    if (!stat.isFile()) return undefined;
    if (stat.size > MAX_CERTIFICATE_BYTES) return { parsed: tooLarge(file, stat.size), mtimeMs: stat.mtimeMs, size: stat.size };
    const bytes = Buffer.allocUnsafe(stat.size);
    let read = 0;
    while (read < stat.size) {
      const n = fsSync.readSync(fd, bytes, read, stat.size - read, read);
      if (n === 0) break;
      read += n;
    }
    return { parsed: parseCertificateBytes(bytes.subarray(0, read), file), mtimeMs: stat.mtimeMs, size: stat.size };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    return { parsed: unreadable(file, errorMessage(error)), mtimeMs: 0, size: -1 };
  } finally {
    if (fd !== undefined) fsSync.closeSync(fd);
  }
}

/** Checks certificate bytes: rejects empty, oversized, binary and non-UTF-8 content with a problem, then parses the text. */
export function parseCertificateBytes(bytes: Uint8Array, file: string): ParsedCertificate {
  if (bytes.length === 0) return broken(file, [{ line: 1, message: 'The file is empty; a certificate starts with "# <DESCRIPTOR> CERTIFICATE".' }]);
  if (bytes.length > MAX_CERTIFICATE_BYTES) return tooLarge(file, bytes.length);
  if (bytes.includes(0)) return broken(file, [{ line: 1, message: 'Binary file (it contains NUL bytes), not a Markdown certificate.' }]);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  const extra: CertificateProblem[] = [];
  if (!isUtf8(bytes)) {
    const at = text.indexOf('\uFFFD');
    extra.push({ line: splitLines(text.slice(0, Math.max(0, at))).length, message: 'The file is not valid UTF-8; save it as UTF-8.' });
  }
  const parsed = parseCertificateText(text, file);
  if (extra.length === 0) return parsed;
  const problems = [...extra, ...parsed.problems].sort((a, b) => a.line - b.line);
  return { ...parsed, problems, valid: false };
}

/** Parses and validates certificate Markdown against the agent definition's schema, with line-numbered problems. */
export function parseCertificateText(text: string, file: string): ParsedCertificate {
  const problems: CertificateProblem[] = [];
  const problem = (line: number, message: string): void => { problems.push({ line, message }); };
  const lines = splitLines(text);
  if (lines[0]?.startsWith('\uFEFF')) lines[0] = lines[0].slice(1);
  const headings = findMarkdownHeadings(lines);
  const lastLine = Math.max(1, lastNonBlank(lines));
  const headingLines: Record<string, number> = {};

  // Title
  const firstText = lines.findIndex((l) => l.trim().length > 0) + 1;
  const title = headings.find((h) => h.level === 1);
  let descriptor: string | undefined;
  if (firstText === 0) {
    problem(1, 'The file has no text; a certificate starts with "# <DESCRIPTOR> CERTIFICATE".');
  } else if (!title || title.line !== firstText) {
    problem(firstText, 'The first line must be the title "# <DESCRIPTOR> CERTIFICATE".');
  }
  if (title) {
    headingLines.TITLE = title.line;
    const match = /^(.*?)\s*\bCERTIFICATE\s*$/i.exec(title.heading);
    if (match && (match[1] ?? '').trim().length > 0) descriptor = (match[1] ?? '').trim();
    else problem(title.line, `The title "${title.heading}" must read "<DESCRIPTOR> CERTIFICATE", e.g. "DEPLOYMENT REVIEW CERTIFICATE".`);
  }

  // Sections
  const sections = headings.filter((h) => h.level === 2);
  const found = new Map<string, { line: number; end: number }>();
  sections.forEach((h) => {
    const name = sectionName(h.heading);
    const end = (headings.find((x) => x.line > h.line && x.level <= 2)?.line ?? lines.length + 1) - 1;
    const known = (CERTIFICATE_SECTIONS as readonly string[]).includes(name);
    if (!known) return;
    const first = found.get(name);
    if (first) {
      problem(h.line, `A second "## ${name}" section (the first is at line ${first.line}); keep one.`);
      return;
    }
    found.set(name, { line: h.line, end });
    headingLines[name] = h.line;
    if (!hasText(lines, h.line, end)) problem(h.line, `The "## ${name}" section is empty.`);
  });
  let previousLine = 0;
  let previousName = '';
  CERTIFICATE_SECTIONS.forEach((name, i) => {
    const at = found.get(name);
    if (!at) {
      const nextFound = CERTIFICATE_SECTIONS.slice(i + 1).map((n) => found.get(n)?.line).find((l) => l !== undefined);
      problem(nextFound ?? lastLine, `Missing the "## ${name}" section.`);
      return;
    }
    if (at.line < previousLine) problem(at.line, `"## ${name}" must come after "## ${previousName}" (line ${previousLine}).`);
    previousLine = at.line;
    previousName = name;
  });

  // Header fields: between the title and the first section.
  const headerStart = title ? title.line : 0;
  const headerEnd = (sections.find((s) => s.line > headerStart)?.line ?? lines.length + 1) - 1;
  const header = fieldsIn(lines, headerStart, headerEnd);
  const headerAnchor = title?.line ?? (firstText || 1);
  const headerValue = (key: string, label: string): string | undefined => {
    const field = header.find((f) => f.key === key);
    if (!field) {
      problem(headerAnchor, `Missing the "**${label}**:" line below the title.`);
      return undefined;
    }
    if (field.value.length === 0 || PLACEHOLDER.test(field.value)) {
      problem(field.line, `"**${label}**:" is not filled in.`);
      return undefined;
    }
    return field.value;
  };
  const component = headerValue('component', 'Component');
  const agent = headerValue('agent', 'Agent');
  const date = headerValue('date', 'Date');
  const id = headerValue('certificate id', 'Certificate ID');
  let dateMs: number | undefined;
  if (date !== undefined) {
    dateMs = parseUtcTimestamp(date)?.getTime();
    if (dateMs === undefined) {
      problem(header.find((f) => f.key === 'date')?.line ?? headerAnchor, `Date "${date}" is not a real date in the form YYYY-MM-DD HH:MM:SS UTC.`);
    }
  }

  // Decision
  const decision = found.get('DECISION/OUTCOME');
  const decisionFields = decision ? fieldsIn(lines, decision.line, decision.end) : fieldsIn(lines, 0, lines.length);
  const decisionAnchor = decision?.line ?? lastLine;
  const statusField = decisionFields.find((f) => f.key === 'status');
  let status: CertificateStatus | undefined;
  if (!statusField) {
    problem(decisionAnchor, `Missing the "**Status**:" line; use one of ${CERTIFICATE_STATUSES.join(', ')}.`);
  } else {
    headingLines.STATUS = statusField.line;
    status = normalizeCertificateStatus(statusField.value);
    const leading = /^[[`*_\s]*([A-Za-z_-]+)/.exec(statusField.value)?.[1];
    const leadingStatus = status ? undefined : leading === undefined ? undefined : normalizeCertificateStatus(leading);
    if (leadingStatus && !statusField.value.includes('/')) {
      status = leadingStatus;
      problem(statusField.line, `Status should be only "${leadingStatus}"; move the rest ("${statusField.value}") to the rationale.`);
    } else if (!status) {
      const named = CERTIFICATE_STATUSES.filter((s) => new RegExp(`(^|[^A-Z_])${s}($|[^A-Z_])`).test(statusField.value.toUpperCase()));
      problem(statusField.line, named.length > 1
        ? `Status lists several options (${named.join(', ')}); keep exactly one.`
        : `Status "${statusField.value}" is not one of ${CERTIFICATE_STATUSES.join(', ')}.`);
    }
  }
  const rationale = multiLineValue(lines, decisionFields, 'rationale', decision?.end ?? lines.length);
  if (rationale === undefined) problem(decisionAnchor, 'Missing the "**Rationale**:" line explaining the decision.');
  else if (rationale.length === 0 || PLACEHOLDER.test(rationale) || NOTHING.test(rationale)) {
    problem(decisionFields.find((f) => f.key === 'rationale')?.line ?? decisionAnchor, '"**Rationale**:" is not filled in.');
  }
  const conditions = multiLineValue(lines, decisionFields, 'conditions', decision?.end ?? lines.length);
  if (status === 'CONDITIONALLY_APPROVED' && (conditions === undefined || conditions.length === 0 || PLACEHOLDER.test(conditions) || NOTHING.test(conditions))) {
    problem(decisionFields.find((f) => f.key === 'conditions')?.line ?? statusField?.line ?? decisionAnchor,
      'CONDITIONALLY_APPROVED needs "**Conditions**:" listing the conditions that must be met.');
  }

  // Signature
  const signature = found.get('SIGNATURE');
  const signatureFields: Field[] = [];
  for (let i = signature ? signature.line : 0; i < (signature ? signature.end : lines.length); i += 1) {
    const match = SIGNATURE_FIELD.exec(lines[i] ?? '');
    if (match) signatureFields.push({ key: (match[1] ?? '').toLowerCase(), value: match[2] ?? '', line: i + 1 });
  }
  if (signature) {
    const signedAgent = signatureFields.find((f) => f.key === 'agent');
    if (!signedAgent || signedAgent.value.length === 0) problem(signature.line, 'The signature is missing "Agent: <agent name>".');
    else if (agent !== undefined && signedAgent.value !== agent) {
      problem(signedAgent.line, `The signature's agent "${signedAgent.value}" differs from the header's "${agent}".`);
    }
    const stamp = signatureFields.find((f) => f.key === 'timestamp');
    if (!stamp || stamp.value.length === 0) problem(signature.line, 'The signature is missing "Timestamp: <YYYY-MM-DD HH:MM:SS UTC>".');
    else if (!(stamp.value === date && dateMs !== undefined) && parseUtcTimestamp(stamp.value) === undefined && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(stamp.value)) {
      problem(stamp.line, `Timestamp "${stamp.value}" is not a date (YYYY-MM-DD HH:MM:SS UTC).`);
    }
  }
  const hashField = signatureFields.find((f) => f.key === 'certificate hash');
  let integrity: CertificateIntegrity = 'unsigned';
  let hash: string | undefined;
  if (hashField && hashField.value.length > 0 && !PLACEHOLDER.test(hashField.value) && !HASH_PLACEHOLDER.test(hashField.value)) {
    const match = HASH_VALUE.exec(hashField.value.replace(/`/g, ''));
    if (!match) {
      problem(hashField.line, `Certificate Hash "${hashField.value}" is not "sha256:<64 hex digits>"; it cannot be checked.`);
    } else {
      hash = `sha256:${(match[1] ?? '').toLowerCase()}`;
      let offset = 0;
      for (let i = 0; i < hashField.line - 1; i += 1) offset += (lines[i] ?? '').length + 1;
      const asWritten = canonicalTextAsWritten(text, offset);
      const actual = asWritten !== undefined ? hashCanonicalText(asWritten) : certificateHashOf(lines.slice(0, hashField.line - 1));
      integrity = actual === hash ? 'ok' : 'tampered';
      if (integrity === 'tampered') {
        problem(hashField.line, 'Certificate Hash does not match the text above it: the certificate was changed after its hash was written.');
      }
      const after = lines.findIndex((l, i) => i >= hashField.line && l.trim().length > 0);
      if (after >= 0) {
        integrity = 'tampered';
        problem(after + 1, 'Text after the Certificate Hash line is not covered by the hash; certificates end with the hash.');
      }
    }
  }

  lines.forEach((l, i) => {
    if (l.includes('{') && /^\s*-\s*\{[^}]*\}\s*$/.test(l)) problem(i + 1, `Template placeholder "${l.trim()}" was left in; replace it with the real content.`);
  });

  problems.sort((a, b) => a.line - b.line);
  return {
    file, id, descriptor, component, agent, status,
    statusText: statusField?.value,
    date, dateMs, rationale, conditions, hash, integrity,
    valid: problems.length === 0,
    problems,
    headingLines,
  };
}

const KNOWN_SECTIONS: ReadonlySet<string> = new Set(CERTIFICATE_SECTIONS);

function sectionName(heading: string): string {
  if (KNOWN_SECTIONS.has(heading)) return heading;
  return heading.toUpperCase().replace(/^[^A-Z0-9]+/, '').replace(/[:\s]+$/, '').replace(/\s*\/\s*/g, '/').replace(/\s+/g, ' ').trim();
}

/** `**Key**: value` and `**Key:** value` lines from line index start (exclusive of the heading) to end (1-based, inclusive). */
function fieldsIn(lines: readonly string[], start: number, end: number): Field[] {
  const fields: Field[] = [];
  for (let i = start; i < Math.min(end, lines.length); i += 1) {
    const line = lines[i] ?? '';
    if (!line.includes('**')) continue;
    const match = FIELD.exec(line);
    if (match && (match[2] === ':' || match[3] === ':')) {
      fields.push({ key: (match[1] ?? '').trim().toLowerCase(), value: (match[4] ?? '').trim(), line: i + 1 });
    }
  }
  return fields;
}

/** A field's value plus the lines below it up to the next field or the end of the section. */
function multiLineValue(lines: readonly string[], fields: readonly Field[], key: string, end: number): string | undefined {
  const index = fields.findIndex((f) => f.key === key);
  const field = fields[index];
  if (!field) return undefined;
  const stop = Math.min(fields[index + 1]?.line ?? end + 1, end + 1) - 1;
  // Undo the renderer's escaping of continuation lines that would read as headings or fields.
  const body = lines.slice(field.line, stop).map((l) => l.replace(/^\\(?=#|\*\*|Agent:|Timestamp:|Certificate Hash:)/i, ''));
  return [field.value, ...body].join('\n').trim();
}

/** Whether any line from index start up to (not including) index end has non-blank text. */
function hasText(lines: readonly string[], start: number, end: number): boolean {
  for (let i = start; i < end && i < lines.length; i += 1) if ((lines[i] ?? '').trim().length > 0) return true;
  return false;
}

function lastNonBlank(lines: readonly string[]): number {
  for (let i = lines.length - 1; i >= 0; i -= 1) if ((lines[i] ?? '').trim().length > 0) return i + 1;
  return 0;
}

function broken(file: string, problems: CertificateProblem[]): ParsedCertificate {
  return {
    file, id: undefined, descriptor: undefined, component: undefined, agent: undefined, status: undefined,
    statusText: undefined, date: undefined, dateMs: undefined, rationale: undefined, conditions: undefined,
    hash: undefined, integrity: 'unsigned', valid: false, problems, headingLines: {},
  };
}

function unreadable(file: string, reason: string): ParsedCertificate {
  return broken(file, [{ line: 1, message: `Cannot read the file: ${reason}.` }]);
}

function tooLarge(file: string, size: number): ParsedCertificate {
  return broken(file, [{ line: 1, message: `The file is ${size} bytes; a certificate is at most ${MAX_CERTIFICATE_BYTES} bytes, so it was not parsed.` }]);
}
