import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { createCertificate } from '../../../src/core/certificates/certificateStore';
import type { CertificateInput, CertificateStatus } from '../../../src/core/certificates/certificateSchema';
import type { CertificatesTreeProvider, CertificatesTreeSnapshot } from '../../../src/vscode/certificatesView';

const EXTENSION_ID = 'devops-agent.devops-agent';
const AGENT = 'integration-certs';

/** The part of the extension API these tests use (the lead exposes the provider registerCertificatesView returns). */
interface CertificatesApi {
  harness(): Promise<{ readonly certificatesView?: CertificatesTreeProvider }>;
}

function input(status: CertificateStatus, descriptor: string): CertificateInput {
  return {
    descriptor,
    component: 'integration_pipeline',
    scope: ['The integration fixture workspace'],
    filesExamined: ['Dockerfile'],
    testsPerformed: [],
    findings: ['Written by the integration suite'],
    issues: [],
    recommendations: [],
    status,
    rationale: `Checks that a ${status} certificate shows in the Certificates view.`,
    evidence: ['Dockerfile:1'],
  };
}

async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function findIn(snapshot: CertificatesTreeSnapshot, file: string): { group: string; label: string; description: string; contextValue: string } | undefined {
  for (const group of snapshot.groups) {
    const hit = group.certificates.find((c) => c.file === file);
    if (hit) return { group: group.key, label: hit.label, description: hit.description, contextValue: hit.contextValue };
  }
  return undefined;
}

describe('Certificates view (real VS Code)', () => {
  let root: string;
  let view: CertificatesTreeProvider;
  let approved: string;
  let rejected: string;

  before(async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the integration workspace has no folder');
    root = folder.uri.fsPath;
    const extension = vscode.extensions.getExtension<CertificatesApi>(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is not installed in this host`);
    const api = await extension.activate();
    const harness = await api.harness();
    assert.ok(harness.certificatesView, 'the harness must expose certificatesView (the provider registerCertificatesView returns)');
    view = harness.certificatesView;
    approved = (await createCertificate(root, AGENT, input('APPROVED', 'integration view check'))).file;
    rejected = (await createCertificate(root, AGENT, input('REJECTED', 'integration rejection check'))).file;
  });

  after(async () => {
    await view?.setFilter([]);
    await vscode.commands.executeCommand('devopsAgent.certificates.groupByStatus');
    fs.rmSync(path.join(root, 'docs', 'ai', 'agents', AGENT), { recursive: true, force: true });
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows a new certificate under its status after Refresh Certificates, labelled and described', async () => {
    await vscode.commands.executeCommand('devopsAgent.refreshCertificates');
    const snapshot = await view.snapshot();
    assert.equal(snapshot.groupBy, 'status');
    assert.deepEqual(findIn(snapshot, approved), {
      group: 'APPROVED',
      label: 'Integration View Check',
      description: `integration_pipeline · ${/\*\*Date\*\*: (\d{4}-\d{2}-\d{2} \d{2}:\d{2})/.exec(fs.readFileSync(approved, 'utf8'))?.[1]}`,
      contextValue: 'certificate',
    });
    assert.equal(findIn(snapshot, rejected)?.group, 'REJECTED');
    const keys = snapshot.groups.map((g) => g.key);
    assert.ok(keys.indexOf('REJECTED') < keys.indexOf('APPROVED'), `blocking statuses first: ${keys.join(', ')}`);
    assert.ok((snapshot.badge ?? 0) >= 1, `the badge counts the REJECTED certificate (badge ${snapshot.badge})`);
  });

  it('opens the certificate with Open Certificate', async () => {
    await vscode.commands.executeCommand('devopsAgent.openCertificate', vscode.Uri.file(approved));
    const active = vscode.window.activeTextEditor?.document.uri.fsPath;
    assert.equal(active, approved);
  });

  it('groups by component and filters by status', async () => {
    await vscode.commands.executeCommand('devopsAgent.certificates.groupByComponent');
    let snapshot = await view.snapshot();
    assert.equal(snapshot.groupBy, 'component');
    assert.equal(findIn(snapshot, approved)?.group, 'integration_pipeline');
    assert.equal(findIn(snapshot, rejected)?.group, 'integration_pipeline');

    await vscode.commands.executeCommand('devopsAgent.certificates.groupByStatus');
    await view.setFilter(['REJECTED']);
    snapshot = await view.snapshot();
    assert.equal(findIn(snapshot, approved), undefined);
    assert.equal(findIn(snapshot, rejected)?.group, 'REJECTED');
    assert.match(snapshot.message ?? '', /^Filtered to Rejected: \d+ of \d+ certificates/);
    await view.setFilter([]);
    snapshot = await view.snapshot();
    assert.equal(snapshot.message, undefined);
    assert.ok(findIn(snapshot, approved));
  });

  it('marks a certificate edited after signing as a problem without a manual refresh (file watcher)', async () => {
    fs.writeFileSync(rejected, fs.readFileSync(rejected, 'utf8').replace('**Status**: REJECTED', '**Status**: APPROVED'));
    const seen = await eventually('the watcher to re-read the edited certificate', async () => {
      const hit = findIn(await view.snapshot(), rejected);
      return hit?.contextValue === 'certificate-problem' ? hit : undefined;
    });
    assert.equal(seen.group, 'APPROVED');
  });

  it('puts the problems into the Problems panel with Verify All Certificates', async () => {
    await vscode.commands.executeCommand('devopsAgent.verifyAllCertificates');
    const diagnostics = vscode.languages.getDiagnostics(vscode.Uri.file(rejected));
    assert.ok(diagnostics.some((d) => /Certificate Hash does not match/.test(d.message) && d.severity === vscode.DiagnosticSeverity.Error),
      JSON.stringify(diagnostics.map((d) => d.message)));
    const hashLine = fs.readFileSync(rejected, 'utf8').split('\n').findIndex((l) => l.startsWith('Certificate Hash:'));
    assert.ok(diagnostics.some((d) => d.range.start.line === hashLine), `a diagnostic on line ${hashLine + 1}`);
    assert.deepEqual(vscode.languages.getDiagnostics(vscode.Uri.file(approved)), []);
  });
});
