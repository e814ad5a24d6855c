import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LineIndexCache } from '../../../../src/core/citations/lineIndexCache';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import type { CitationCheck } from '../../../../src/core/citations/verifyCitations';
import { verifyCitations } from '../../../../src/core/citations/verifyCitations';
import { WorkspaceFileList } from '../../../../src/core/citations/workspaceFiles';

/**
 * False flags measured on a real repository: answers citing its real lines, in the phrasings models use, must all
 * verify; the same answers with a quote taken from far away in the file must all be flagged. The repository is this
 * project's own clone, or the one CITATION_CORPUS_REPO names (for measuring over other code bases).
 */

interface CitedLine {
  readonly path: string;
  readonly line: number;
  readonly text: string;
  /** Code from the same file, far from the cited line and found nowhere near it. */
  readonly far: string;
  /** The file name is unique in the repository, so a bare name means this file. */
  readonly uniqueName: boolean;
}

type Phrasing = (c: { path: string; name: string; suffix: string; line: number; quote: string; block: string }) => string;

/** How models cite, collected from real answers: each takes the cited path, line and quoted code. */
const PHRASINGS: readonly Phrasing[] = [
  (c) => `\`${c.path}:${c.line}\` where it says \`${c.quote}\`.`,
  (c) => `\`${c.path}:${c.line}\` contains the line \`${c.quote}\`.`,
  (c) => `In \`${c.path}:${c.line}\` the code \`${c.quote}\` handles this.`,
  (c) => `Line ${c.line} of \`${c.path}\` reads \`${c.quote}\`.`,
  (c) => `\`${c.path}\` line ${c.line}: \`${c.quote}\``,
  (c) => `\`${c.path}\` (line ${c.line}) — \`${c.quote}\``,
  (c) => `\`${c.path}\`, lines ${c.line}-${c.line + 1}: \`${c.quote}\``,
  (c) => `See ${c.path}:${c.line} — \`${c.quote}\``,
  (c) => `- **${c.path}:${c.line}**: \`${c.quote}\``,
  (c) => `\`${c.quote}\` at \`${c.path}:${c.line}\``,
  (c) => `The check in [${c.name}](${c.path}#L${c.line}) is \`${c.quote}\`.`,
  (c) => `${c.path}:${c.line} shows \`${c.quote}\`, which matters here.`,
  (c) => `lines ${c.line}–${c.line + 1} of \`${c.path}\` contain \`${c.quote}\``,
  (c) => `As \`${c.path}:${c.line}\` shows, \`${c.quote}\` is what runs.`,
  (c) => `\`${c.suffix}:${c.line}\` reads \`${c.quote}\``,
  (c) => `\`${c.path}:${c.line}\`:\n\n\`\`\`\n${c.block}\n\`\`\``,
  (c) => `${c.path}:${c.line}\n\`\`\`\n${c.block}\n\`\`\``,
];

/** Bare-name phrasings: only for names one file in the repository has. */
const BARE_PHRASINGS: readonly Phrasing[] = [
  (c) => `${c.name}:${c.line} says \`${c.quote}\``,
  (c) => `Line ${c.line} of \`${c.name}\` reads \`${c.quote}\`.`,
];

function repositoryRoot(): string | undefined {
  const wanted = process.env.CITATION_CORPUS_REPO ?? path.resolve(__dirname, '..', '..', '..', '..', '..');
  try {
    return execFileSync('git', ['rev-parse', '--show-toplevel'], { cwd: wanted, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

/** Deterministic, so a failure names the same line every run. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const TEXT_FILE = /\.(?:ts|js|mjs|json|md|go|py|rs|ya?ml|sh|toml|tf|java|c|h|rb)$|(?:^|\/)(?:Dockerfile|Makefile)$/;

/** Lines worth quoting: code of some length that a backtick span can hold and the parser cannot take for a path. */
function quotable(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length >= 12 && trimmed.length <= 100 && !text.includes('`') && !text.includes('\t') && !/^[\w./-]+:\d+$/.test(trimmed) && /^[\x20-\x7e]*$/.test(trimmed);
}

function sample(root: string, count: number): CitedLine[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).split('\0').filter((f) => TEXT_FILE.test(f));
  const names = new Map<string, number>();
  for (const file of files) names.set(path.posix.basename(file), (names.get(path.posix.basename(file)) ?? 0) + 1);
  const next = random(12);
  const picked: CitedLine[] = [];
  for (let attempt = 0; picked.length < count && attempt < count * 20; attempt++) {
    const file = files[Math.floor(next() * files.length)] as string;
    let lines: string[];
    try {
      const stat = fs.lstatSync(path.join(root, file));
      if (!stat.isFile() || stat.size > 512 * 1024) continue;
      lines = fs.readFileSync(path.join(root, file), 'utf8').split('\n');
    } catch {
      continue;
    }
    if (lines.length < 60) continue;
    const index = Math.floor(next() * (lines.length - 1));
    const text = lines[index] as string;
    if (!quotable(text) || !quotable(lines[index + 1] ?? '')) continue;
    // Far code: 40+ lines away, not occurring within 20 lines of the cited one.
    const near = lines.slice(Math.max(0, index - 20), index + 22).join('\n');
    const far = lines.find((l, i) => Math.abs(i - index) > 40 && quotable(l) && !near.includes(l.trim()));
    if (far === undefined) continue;
    picked.push({ path: file, line: index + 1, text: text.trim(), far: far.trim(), uniqueName: names.get(path.posix.basename(file)) === 1 });
  }
  return picked;
}

function answersFor(cited: CitedLine, quoteOf: (c: CitedLine) => string, blockOf: (c: CitedLine) => string): string[] {
  const segments = cited.path.split('/');
  const shape = {
    path: cited.path, name: segments[segments.length - 1] as string, suffix: segments.slice(-2).join('/'),
    line: cited.line, quote: quoteOf(cited), block: blockOf(cited),
  };
  return [...PHRASINGS, ...(cited.uniqueName ? BARE_PHRASINGS : [])].map((phrase) => phrase(shape));
}

describe('core/citations: true citations over a real repository', function () {
  this.timeout(120_000);
  const root = repositoryRoot();
  const sampleSize = Number(process.env.CITATION_CORPUS_LINES ?? 60);

  before(function () {
    if (root === undefined) {
      console.log('    (skipped: no git repository to sample; set CITATION_CORPUS_REPO to one)');
      this.skip();
    }
  });

  async function checkAll(answers: readonly string[]): Promise<Array<{ answer: string; checks: CitationCheck[] }>> {
    const roots = [root as string];
    const cache = new LineIndexCache();
    const files = new WorkspaceFileList(roots);
    const out: Array<{ answer: string; checks: CitationCheck[] }> = [];
    for (const answer of answers) out.push({ answer, checks: await verifyCitations(parseCitations(answer, { roots }), { roots, cache, files }) });
    return out;
  }

  it('verifies every true citation in every phrasing: zero false flags', async () => {
    const cited = sample(root as string, sampleSize);
    assert.ok(cited.length >= Math.min(20, sampleSize), `sampled ${cited.length} lines`);
    const answers = cited.flatMap((c) => answersFor(c, (x) => x.text, (x) => x.text));
    const results = await checkAll(answers);
    const unparsed = results.filter((r) => r.checks.length !== 1 || r.checks[0]?.citation.quote === undefined);
    const flagged = results.filter((r) => r.checks.some((c) => c.status !== 'verified'));
    console.log(`    ${answers.length} true citations (${cited.length} lines × ${PHRASINGS.length}+ phrasings): ${flagged.length} false flags, ${unparsed.length} without a recognised quote`);
    assert.deepEqual(unparsed.map((r) => r.answer), [], 'every phrasing yields one citation with its quote');
    assert.deepEqual(flagged.map((r) => `${r.answer} → ${r.checks.map((c) => `${c.status}: ${c.message}`).join('; ')}`), []);
  });

  it('flags every wrong quote in every phrasing', async () => {
    const cited = sample(root as string, sampleSize);
    const answers = cited.flatMap((c) => answersFor(c, (x) => x.far, (x) => x.far));
    const results = await checkAll(answers);
    const passed = results.filter((r) => r.checks.every((c) => c.status === 'verified'));
    console.log(`    ${answers.length} wrong quotes: ${answers.length - passed.length} flagged, ${passed.length} passed`);
    assert.deepEqual(passed.map((r) => r.answer), []);
  });
});
