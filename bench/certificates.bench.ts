// Certificates view data for 10,000 certificate files: a cold scan (new CertificateIndex: list, parse, validate, hash,
// group by status) against reading the same files raw in this process, then an incremental refresh after 10 edits.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CertificateIndex } from '../src/core/certificates/certificateIndex';
import { certificateFileName, certificatesFolderOf } from '../src/core/certificates/certificateStore';
import { CERTIFICATE_STATUSES } from '../src/core/certificates/certificateSchema';
import { renderCertificate } from '../src/core/certificates/renderCertificate';
import { median, printBenchFigure } from './benchFigure';

const FILES = 10_000;
const AGENTS = ['devops-engineer', 'security-reviewer', 'release-manager'];
const RUNS = 5;

function generate(root: string): string[] {
  const files: string[] = [];
  const start = Date.UTC(2024, 0, 1);
  for (let i = 0; i < FILES; i += 1) {
    const agent = AGENTS[i % AGENTS.length] ?? 'devops-engineer';
    const status = CERTIFICATE_STATUSES[i % CERTIFICATE_STATUSES.length] ?? 'APPROVED';
    const now = new Date(start + i * 61_000);
    const input = {
      descriptor: ['deployment_review', 'pipeline_assessment', 'infrastructure_validation'][i % 3] ?? 'review',
      component: `service_${i % 97}`,
      scope: [`Release ${i} of service ${i % 97}`, 'Build, test and deploy stages'],
      filesExamined: ['.github/workflows/ci.yml', 'Dockerfile', `deploy/service-${i % 97}.yaml`],
      testsPerformed: ['npm test', 'docker build --check'],
      findings: [`Finding ${i}: cache hit rate ${i % 100}%`],
      issues: i % 4 === 0 ? [`Issue ${i}: missing timeout`] : [],
      recommendations: ['Pin the base image digest'],
      status,
      rationale: `Decision for release ${i}: the pipeline meets the checklist with ${i % 7} open items.`,
      ...(status === 'CONDITIONALLY_APPROVED' ? { conditions: 'Add a deploy timeout' } : {}),
      evidence: [`.github/workflows/ci.yml:${(i % 40) + 1}`, `npm test: ${100 + (i % 50)} passing`],
    };
    let text = renderCertificate(input, { agent, now }).text;
    // One in a hundred is hand-edited after signing, as happens in real folders.
    if (i % 100 === 7) text = text.replace('Decision for release', 'Decision for releases');
    const folder = certificatesFolderOf(root, agent);
    if (i < AGENTS.length) fs.mkdirSync(folder, { recursive: true });
    const file = path.join(folder, certificateFileName(input, now));
    fs.writeFileSync(file, text);
    files.push(file);
  }
  return files;
}

function readAllRaw(root: string): number {
  let bytes = 0;
  const agentsFolder = path.join(root, 'docs', 'ai', 'agents');
  for (const agent of fs.readdirSync(agentsFolder)) {
    const folder = path.join(agentsFolder, agent, 'certificates');
    for (const name of fs.readdirSync(folder)) bytes += fs.readFileSync(path.join(folder, name)).length;
  }
  return bytes;
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-certificates-'));
  try {
    const files = generate(root);

    const rawTimes: number[] = [];
    const coldTimes: number[] = [];
    let index = new CertificateIndex(root);
    for (let run = 0; run < RUNS; run += 1) {
      let t = performance.now();
      const bytes = readAllRaw(root);
      rawTimes.push(performance.now() - t);
      if (bytes === 0) throw new Error('nothing read');

      index = new CertificateIndex(root);
      t = performance.now();
      await index.refresh();
      const groups = index.groupByStatus();
      coldTimes.push(performance.now() - t);
      const total = groups.reduce((n, g) => n + g.certificates.length, 0);
      if (total !== FILES || index.list().filter((c) => c.integrity === 'tampered').length !== FILES / 100) {
        throw new Error(`index saw ${total} certificates`);
      }
    }
    const cold = median(coldTimes);
    printBenchFigure({ name: 'certificates: cold index of 10,000 files grouped by status vs raw readFileSync of them', unit: 'ms', ours: cold, reference: median(rawTimes), goal: '<= 500 ms' });

    const incrementalTimes: number[] = [];
    const watcherTimes: number[] = [];
    for (let run = 0; run < RUNS; run += 1) {
      const touched = files.filter((_, i) => i % 1000 === run);
      const later = new Date(Date.now() + (run + 1) * 10_000);
      for (const file of touched) {
        fs.appendFileSync(file, ' ');
        fs.utimesSync(file, later, later);
      }
      let t = performance.now();
      const changes = await index.refresh();
      index.groupByStatus();
      incrementalTimes.push(performance.now() - t);
      if (changes.changed.length !== touched.length) throw new Error(`refresh saw ${changes.changed.length} changes`);

      for (const file of touched) {
        fs.appendFileSync(file, ' ');
        fs.utimesSync(file, new Date(later.getTime() + 5_000), new Date(later.getTime() + 5_000));
      }
      t = performance.now();
      const watched = await index.refreshFiles(touched);
      index.groupByStatus();
      watcherTimes.push(performance.now() - t);
      if (watched.changed.length !== touched.length) throw new Error(`refreshFiles saw ${watched.changed.length} changes`);
    }
    printBenchFigure({ name: 'certificates: refresh after touching 10 of 10,000 files (stat scan) vs cold', unit: 'ms', ours: median(incrementalTimes), reference: cold, goal: '<= 0.3x cold' });
    printBenchFigure({ name: 'certificates: refreshFiles of 10 watcher-reported files vs cold', unit: 'ms', ours: median(watcherTimes), reference: cold, goal: '<= 0.01x cold' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
