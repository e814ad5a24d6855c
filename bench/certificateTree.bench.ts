// Certificates view redraw for 10,000 parsed certificates: grouping (status, component, date) plus the label,
// description and tooltip text of every item, against the index's own status grouping of the same list.
//   node scripts/build-tests.mjs && node out/bench/certificateTree.bench.js
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { CertificateIndex } from '../src/core/certificates/certificateIndex';
import { certificateDescription, certificateLabel, certificateTooltipMarkdown } from '../src/core/certificates/certificateItemText';
import { CERTIFICATE_STATUSES } from '../src/core/certificates/certificateSchema';
import { certificateFileName, certificatesFolderOf } from '../src/core/certificates/certificateStore';
import type { CertificateGroupBy } from '../src/core/certificates/certificateTree';
import { attentionCount, groupCertificates } from '../src/core/certificates/certificateTree';
import { renderCertificate } from '../src/core/certificates/renderCertificate';
import { median, printBenchFigure } from './benchFigure';

const FILES = 10_000;
const RUNS = 7;

function timed(run: () => void): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    const start = performance.now();
    run();
    times.push(performance.now() - start);
  }
  return median(times);
}

async function main(): Promise<void> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cert-tree-bench-'));
  try {
    const folder = certificatesFolderOf(root, 'devops-engineer');
    fs.mkdirSync(folder, { recursive: true });
    const start = Date.now() - 400 * 24 * 3600 * 1000;
    for (let i = 0; i < FILES; i += 1) {
      const now = new Date(start + i * 3_456_000);
      const input = {
        descriptor: ['deployment_review', 'pipeline_assessment', 'infrastructure_validation'][i % 3] ?? 'review',
        component: `service_${i % 97}`,
        scope: [`Release ${i}`],
        filesExamined: ['Dockerfile'],
        testsPerformed: ['npm test'],
        findings: [`Finding ${i}`],
        issues: [],
        recommendations: [],
        status: CERTIFICATE_STATUSES[i % CERTIFICATE_STATUSES.length] ?? 'APPROVED',
        rationale: `Rationale ${i}: the release meets the bar.`,
        ...(i % CERTIFICATE_STATUSES.length === 1 ? { conditions: 'Add a timeout' } : {}),
        evidence: [`Dockerfile:${1 + (i % 30)}`],
      };
      const text = renderCertificate(input, { agent: 'devops-engineer', now }).text;
      fs.writeFileSync(path.join(folder, certificateFileName(input, now, 1 + (i % 2))), i % 50 === 0 ? text.replace('Rationale', 'Edited rationale') : text);
    }
    const index = new CertificateIndex(root);
    await index.refresh();
    const list = index.list();
    if (list.length !== FILES) throw new Error(`expected ${FILES} certificates, indexed ${list.length}`);

    const reference = timed(() => { index.groupByStatus(); });
    for (const by of ['status', 'component', 'date'] as CertificateGroupBy[]) {
      const ours = timed(() => { groupCertificates(list, by); });
      printBenchFigure({ name: `certificates view: group ${FILES} certificates by ${by}`, unit: 'ms', ours: ours, reference, goal: '<= 25 ms' });
    }
    const redraw = timed(() => {
      const groups = groupCertificates(list, 'status');
      attentionCount(list);
      for (const group of groups) for (const c of group.certificates) { certificateLabel(c); certificateDescription(c); }
    });
    printBenchFigure({ name: `certificates view: full redraw of ${FILES} items (group + badge + labels)`, unit: 'ms', ours: redraw, reference, goal: '<= 100 ms' });
    const tooltips = timed(() => { for (const c of list.slice(0, 1000)) certificateTooltipMarkdown(c); });
    printBenchFigure({ name: 'certificates view: 1000 item tooltips', unit: 'ms', ours: tooltips, goal: '<= 50 ms' });
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
