import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import { certificateAppearance } from '../core/certificates/certificateAppearance';
import { certificateDecorationTooltip } from '../core/certificates/certificateItemText';
import type { WorkspaceCertificates } from './workspaceCertificates';
import { isCertificatePath } from '../core/certificates/certificatePath';
import { workspaceCertificatesFor } from './workspaceCertificates';

/**
 * Colours certificate files in the Explorer (and editor tabs) by status, with a short badge and a tooltip. Only
 * files the Explorer actually shows are parsed, one at a time, through the shared cache.
 */
class CertificateDecorationProvider implements vscode.FileDecorationProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri[] | undefined>();
  readonly onDidChangeFileDecorations = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly certificates: WorkspaceCertificates) {
    this.subscription = certificates.onDidChange(({ files }) => {
      this.changed.fire(files ? files.map((f) => vscode.Uri.file(f)) : undefined);
    });
  }

  async provideFileDecoration(uri: vscode.Uri, token: vscode.CancellationToken): Promise<vscode.FileDecoration | undefined> {
    // The path test needs no file access, so every other file in the Explorer costs one regex.
    if (uri.scheme !== 'file' || !isCertificatePath(uri.fsPath)) return undefined;
    const certificate = await this.certificates.lookup(uri.fsPath);
    if (!certificate || token.isCancellationRequested) return undefined;
    const look = certificateAppearance(certificate);
    const decoration = new vscode.FileDecoration(look.badge, certificateDecorationTooltip(certificate), new vscode.ThemeColor(look.color));
    decoration.propagate = false;
    return decoration;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

/** Registers the Explorer decorations for certificate files; reads nothing until the Explorer shows one. */
export function registerCertificateDecorations(context: vscode.ExtensionContext, registrar: ContributionRegistrar): CertificateDecorationProvider {
  const provider = new CertificateDecorationProvider(workspaceCertificatesFor(context));
  context.subscriptions.push(provider, registrar.registerFileDecorationProvider(provider));
  return provider;
}
