import * as vscode from 'vscode';
import type { ParsedCertificate } from '../core/certificates/parseCertificate';

const SOURCE = 'DevOps Agent certificate';
// Diagnostics are built from the parse alone (no document open); VS Code clamps the end to the line's length.
const WHOLE_LINE = 10_000;

/** Certificate problems in the Problems panel, one entry per problem at its line; tampering is an error. */
export class CertificateDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('devops-agent-certificates');

  /** Replaces every entry with the problems of these certificates (Verify All). */
  replaceAll(certificates: readonly ParsedCertificate[]): void {
    this.collection.clear();
    for (const certificate of certificates) this.update(certificate);
  }

  /** Sets (or clears, when it has none) one certificate's problems. */
  update(certificate: ParsedCertificate): void {
    const uri = vscode.Uri.file(certificate.file);
    if (certificate.problems.length === 0) {
      this.collection.delete(uri);
      return;
    }
    const severity = certificate.integrity === 'tampered' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning;
    this.collection.set(uri, certificate.problems.map((p) => {
      const line = Math.max(0, p.line - 1);
      const diagnostic = new vscode.Diagnostic(new vscode.Range(line, 0, line, WHOLE_LINE), p.message, severity);
      diagnostic.source = SOURCE;
      return diagnostic;
    }));
  }

  /** Drops a file's entry (it was deleted). */
  remove(file: string): void {
    this.collection.delete(vscode.Uri.file(file));
  }

  /** True when the file has entries, so changes to it should refresh them. */
  has(file: string): boolean {
    return this.collection.has(vscode.Uri.file(file));
  }

  dispose(): void {
    this.collection.dispose();
  }
}
