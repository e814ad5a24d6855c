import * as path from 'node:path';
import { describeCertificateCheck, describeCertificateChecks, summarizeCertificateChecks } from '../certificates/certificateVerification';
import { listCertificates } from '../certificates/certificateStore';
import type { ParsedCertificate } from '../certificates/parseCertificate';
import { parseCertificateFile } from '../certificates/parseCertificate';
import { parseCitations } from '../citations/parseCitations';
import { formatCitationReport } from '../citations/citationReport';
import { verifyCitations } from '../citations/verifyCitations';
import type { AuditEntry } from '../policy/auditLog';
import { appendAuditEntry, auditLogPath } from '../policy/auditLog';
import { PathRefusedError, resolveConfinedPath } from '../policy/confinement';
import { canonicalJson } from '../policy/guardOverrides';
import { redactSecrets } from '../policy/redactSecrets';
import type { ToolSession } from '../runtime/toolExecutor';
import { executePreparedCall, prepareToolCall } from '../runtime/toolExecutor';
import { fileSystemFileAccess } from '../tools/files/fileSystemFileAccess';
import { ReadSet } from '../session/readSet';
import type { JsonObjectSchema, Tool, ToolContext } from '../tools/framework/tool';
import { DEFAULT_TOOL_LIMITS } from '../tools/framework/tool';
import { MEASUREMENT_TOOLS, MEMORY_TOOLS } from '../tools/toolRegistry';
import { errorMessage } from '../errors/errorText';
import { createToolSession } from '../runtime/toolSession';

/**
 * An MCP client reads files with its own tools, which the server never sees; so, as in the CLI, no citation counts as
 * unread (the files, lines and quoted code are still checked).
 */
class ClientReadsSet extends ReadSet {
  override has(): boolean {
    return true;
  }
}

/** MCP names for harness tools whose own name says less to another agent (`dora` is the delivery metrics). */
const MCP_NAMES: Readonly<Record<string, string>> = { dora: 'delivery_metrics', devops_check: 'run_checks' };

/** One tool the MCP server offers. */
export interface McpTool {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: JsonObjectSchema;
  /** True for tools that only read (MCP `readOnlyHint`). */
  readonly readOnly: boolean;
  run(args: Readonly<Record<string, unknown>>, signal: AbortSignal): Promise<McpToolOutcome>;
}

export interface McpToolOutcome {
  readonly text: string;
  /** The call failed or was refused (MCP `isError`): the text says why. */
  readonly isError: boolean;
}

export interface McpCatalogOptions {
  /** Real path of the workspace folder the server works in. */
  readonly root: string;
  /** Whose memory, certificates and audit log (docs/ai/agents/<agent>/). */
  readonly agent: string;
  readonly homeDir?: string;
}

/**
 * The harness's tools for MCP clients: citations, certificates, working memory and delivery metrics, all on the same core and through
 * the same policy as in VS Code. The memory and certificate-writing tools run through prepareToolCall /
 * executePreparedCall (confinement, deny lists, guards, redaction, audit); the verifying tools are read-only and
 * are audited the same way.
 */
export function buildMcpToolCatalog(options: McpCatalogOptions): McpTool[] {
  const { root, agent } = options;
  const audit = { append: (entry: AuditEntry) => appendAuditEntry(auditLogPath(root, agent), entry) };
  const session: ToolSession = createToolSession({
    agentName: agent,
    allowedTools: [...MEMORY_TOOLS, ...MEASUREMENT_TOOLS].map((t) => t.name),
    readSet: new ClientReadsSet(),
    audit,
    ...(options.homeDir !== undefined ? { homeDir: options.homeDir } : {}),
  });
  const contextFor = (signal: AbortSignal): ToolContext => ({
    agentName: agent, roots: [root], signal, readSet: session.readSet, limits: DEFAULT_TOOL_LIMITS,
    files: fileSystemFileAccess, environment: {}, progress: () => undefined,
  });
  /** Audits a read-only call that does not go through the executor. */
  const audited = async (toolName: string, args: unknown, run: () => Promise<McpToolOutcome>): Promise<McpToolOutcome> => {
    const started = Date.now();
    let outcome: McpToolOutcome;
    try {
      outcome = await run();
    } catch (error) {
      outcome = { isError: true, text: `${toolName} failed: ${errorMessage(error)}` };
    }
    const redacted = redactSecrets(outcome.text);
    let auditFailure: string | undefined;
    await audit.append({
      time: new Date(started).toISOString(), agent, tool: toolName, input: canonicalJson(args), decision: 'allow', approvedBy: 'rule',
      outcome: outcome.isError ? 'error' : 'ok', durationMs: Date.now() - started, bytes: Buffer.byteLength(redacted.text), redactions: redacted.total,
    }).catch((error: unknown) => {
      auditFailure = error instanceof Error ? error.message : String(error);
    });
    return withAuditFailure({ isError: outcome.isError, text: redacted.text }, auditFailure);
  };

  const harnessTool = (tool: Tool, mcpName: string = MCP_NAMES[tool.name] ?? tool.name): McpTool => ({
    name: mcpName,
    title: mcpName.replace(/_/g, ' '),
    description: tool.description,
    inputSchema: tool.inputSchema,
    readOnly: tool.risk === 'read',
    async run(args, signal) {
      const ctx = contextFor(signal);
      const prepared = await prepareToolCall(tool, tool.name, args, session, ctx);
      if (prepared.verdict.kind === 'ask') {
        const refused = await executePreparedCall({ ...prepared, verdict: { kind: 'refuse', message: prepared.verdict.reason } }, session, ctx, 'rule');
        return withAuditFailure({ isError: true, text: `${tool.name} needs the user's approval (${prepared.verdict.reason}); it was not run. Ask the user to run it in VS Code or with \`devops-agent tool ${tool.name} --yes\`.` }, refused.auditFailure);
      }
      const executed = await executePreparedCall(prepared, session, ctx, 'rule');
      return withAuditFailure({ isError: !executed.result.ok, text: executed.result.text }, executed.auditFailure);
    },
  });

  const verifyCitationsTool: McpTool = {
    name: 'verify_citations',
    title: 'Verify citations',
    description: 'Checks every path:line citation in a Markdown text against the workspace: the file exists inside it, the lines exist, and quoted code (inline code on the same line, or the fenced block right after) is really at those lines. Returns one line per citation (✓ verified, or ✗ with what is wrong and where the code really is) and a summary.',
    inputSchema: {
      type: 'object',
      properties: { text: { type: 'string', description: 'The answer or document whose citations to check, e.g. "The port is set at `src/server.js:3` `app.listen(8080)`".' } },
      required: ['text'],
      additionalProperties: false,
    },
    readOnly: true,
    run: (args) => audited('verify_citations', { text: typeof args.text === 'string' ? args.text.slice(0, 200) : args.text }, async () => {
      if (typeof args.text !== 'string') return { isError: true, text: 'verify_citations: "text" must be a string holding the text to check.' };
      const citations = parseCitations(args.text, { roots: [root], folderNames: [path.basename(root)] });
      const checks = await verifyCitations(citations, { roots: [root] });
      const lines = checks.map((check) => `${check.status === 'verified' ? '✓' : '✗'} ${check.citation.text} — ${check.status}: ${check.message}`);
      return { isError: false, text: [...lines, formatCitationReport(checks)].join('\n') };
    }),
  };

  const verifyCertificatesTool: McpTool = {
    name: 'certificate_verify',
    title: 'Verify certificates',
    description: 'Verifies certificates under docs/ai/agents/*/certificates/: structure (the exact schema and one of the 11 statuses) and integrity (the Certificate Hash matches the text). Give a path for one certificate; without it every certificate in the workspace is checked.',
    inputSchema: {
      type: 'object',
      properties: { path: { type: 'string', description: 'One certificate file, relative to the workspace folder. Default: all certificates.' } },
      additionalProperties: false,
    },
    readOnly: true,
    run: (args) => audited('certificate_verify', args, async () => {
      let certificates: readonly ParsedCertificate[];
      if (args.path !== undefined) {
        if (typeof args.path !== 'string') return { isError: true, text: 'certificate_verify: "path" must be a string.' };
        try {
          const target = await resolveConfinedPath([root], args.path);
          if (!target.exists) return { isError: true, text: `certificate_verify: ${target.relative} does not exist.` };
          certificates = [await parseCertificateFile(target.absolute)];
        } catch (error) {
          if (error instanceof PathRefusedError) return { isError: true, text: `certificate_verify: ${error.message}` };
          throw error;
        }
      } else {
        certificates = await listCertificates(root);
      }
      if (certificates.length === 0) return { isError: false, text: 'No certificates under docs/ai/agents/*/certificates/.' };
      const lines = certificates.map((c) => {
        const check = describeCertificateCheck(c);
        return `${check.severity === 'info' ? '✓' : '✗'} ${path.relative(root, c.file).split(path.sep).join('/')} [${c.status ?? c.statusText ?? 'no status'}] ${check.message}`;
      });
      return { isError: false, text: [...lines, describeCertificateChecks(summarizeCertificateChecks(certificates))].join('\n') };
    }),
  };

  return [verifyCitationsTool, verifyCertificatesTool, ...MEMORY_TOOLS.map((t) => harnessTool(t)), ...MEASUREMENT_TOOLS.map((t) => harnessTool(t))];
}

/** A result whose audit entry was lost says so, and counts as an error: the client must not take it as recorded. */
function withAuditFailure(outcome: McpToolOutcome, auditFailure: string | undefined): McpToolOutcome {
  if (auditFailure === undefined) return outcome;
  return { isError: true, text: `${outcome.text}\n\nThe audit log could not be written: ${auditFailure}` };
}
