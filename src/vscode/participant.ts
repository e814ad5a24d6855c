import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ContributionRegistrar } from './deferredContributions';
import type { AgentDefinition } from '../core/agents/agentDefinition';
import type { Citation } from '../core/citations/parseCitations';
import { CitationStreamParser } from '../core/citations/parseCitations';
import type { CitationCheck } from '../core/citations/verifyCitations';
import { describeCitationCheck, formatCitationReport } from '../core/citations/citationReport';
import { CitationTurn } from '../core/citations/citationTurn';
import { isChecksOnlyModel } from '../core/models/checksOnlyModel';
import type { GuardOverrides } from '../core/policy/guardOverrides';
import { mergePermissionRules, parsePermissionRules } from '../core/policy/permissions';
import { runAgentTurn, writtenCertificateFile } from '../core/runtime/agentTurn';
import type { ToolCallPart, ToolResultPart, ToolSpec } from '../core/runtime/chatModel';
import type { EarlierExchange } from '../core/runtime/turnContext';
import { assembleSystemPrompt, rebuildHistory } from '../core/runtime/turnContext';
import type { AuditSink, ToolSession } from '../core/runtime/toolExecutor';
import { existsInsideRoot } from '../core/checks/checkScope';
import type { CheckRunner } from '../core/checks/reviewWithChecks';
import { answerWithoutModel } from '../core/runtime/noModelTurn';
import { reviewPreludeCall } from '../core/runtime/reviewPrelude';
import type { TurnMetadata } from '../core/runtime/turnMetadata';
import { readTurnMetadata } from '../core/runtime/turnMetadata';
import type { ReadSet } from '../core/session/readSet';
import type { Tool } from '../core/tools/framework/tool';
import { toolsForAgent } from '../core/tools/toolRegistry';
import type { AgentCatalog } from './agentCatalog';
import { chatModelPort } from './languageModelAdapter';
import { renderNeedsModel } from './modelSetup';
import { VENDOR } from './openAiCompatibleProvider';
import { doraSettings } from './deliveryMetricsView';
import { readSettings } from './settings';
import type { ToolOutcome, ToolSessionRegistry } from './toolSessions';
import { invokeMcpTool, resolveAgentMcpTools } from './mcpAgentTools';
import type { ResolvedMcpTool } from '../core/agents/mcpToolReferences';
import { workspaceRoots } from './toolSessions';
import { errorMessage } from '../core/errors/errorText';
import { createToolSession } from '../core/runtime/toolSession';
import { bounded } from '../core/text/bounded';

const PARTICIPANT_ID = 'devops-agent.devops';
const DEFAULT_PROMPT = 'Look at this workspace and tell me what you would check first.';

export interface ParticipantDependencies {
  readonly catalog: AgentCatalog;
  readonly sessions: ToolSessionRegistry;
  readonly overrides: GuardOverrides;
  readonly tools: readonly Tool[];
  /** The DevOps check engine, for answers without a model; undefined where it is not available. */
  readonly runChecks?: CheckRunner;
  audit(agentName: string): AuditSink | undefined;
  /** Told about every finished turn (the extension API's onDidFinishTurn). */
  finished(metadata: TurnMetadata): void;
}

export function registerParticipant(context: vscode.ExtensionContext, registrar: ContributionRegistrar, deps: ParticipantDependencies): void {
  const participant = registrar.createChatParticipant(PARTICIPANT_ID, (request, chatContext, stream, token) =>
    new DevopsTurn(deps, request, chatContext, stream, token).run());
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'media', 'devops-agent.svg');
  participant.followupProvider = { provideFollowups: (result) => followupsFor(readTurnMetadata(result.metadata)) };
  context.subscriptions.push(participant);
}

function withPrelude(call: ToolCallPart | undefined): { prelude?: ToolCallPart } {
  return call ? { prelude: call } : {};
}

function followupsFor(meta: TurnMetadata | undefined): vscode.ChatFollowup[] {
  if (!meta || meta.error) return [];
  // without a model only what needs no reasoning makes sense as a next step
  if (meta.noModel) return meta.command === 'memory' ? [] : [{ prompt: '', command: 'memory', label: vscode.l10n.t('Show working memory') }];
  const followups: vscode.ChatFollowup[] = [];
  if (meta.citations && meta.citations.problems > 0) followups.push({ prompt: 'Re-read the files and correct the unverified citations.', label: vscode.l10n.t('Fix the unverified citations') });
  if (meta.certificate?.written) followups.push({ prompt: 'record the decision from this review in the decisions log', command: 'memory', label: vscode.l10n.t('Record the decision in working memory') });
  else if (meta.command === 'review' || meta.command === 'certify') followups.push({ prompt: 'write the certificate for this review', command: 'certify', label: vscode.l10n.t('Write the certificate') });
  followups.push({ prompt: 'update working memory with what we found and what comes next', command: 'memory', label: vscode.l10n.t('Update working memory') });
  return followups;
}

/** One @devops request: picks the agent, assembles the prompt, runs the tool loop and checks the answer. */
class DevopsTurn {
  private readonly settings = readSettings();
  private readonly abort = new AbortController();
  private readonly outcomes: ToolOutcome[] = [];
  private readonly citationChecks: CitationCheck[] = [];
  private readonly roots = workspaceRoots();
  private readonly citationTurn = new CitationTurn(this.roots);
  private renderQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: ParticipantDependencies,
    private readonly request: vscode.ChatRequest,
    private readonly chatContext: vscode.ChatContext,
    private readonly stream: vscode.ChatResponseStream,
    token: vscode.CancellationToken,
  ) {
    token.onCancellationRequested(() => this.abort.abort());
  }

  async run(): Promise<vscode.ChatResult> {
    const result = await this.answer();
    this.deps.finished(result.metadata);
    return result;
  }

  private async answer(): Promise<vscode.ChatResult & { metadata: TurnMetadata }> {
    let agentName = this.settings.defaultAgent;
    try {
      const picked = await this.pickAgent();
      if (!picked) return { metadata: { agent: agentName, rounds: [], readSet: [], error: 'unknown agent' } };
      const { agent, prompt } = picked;
      agentName = agent.name;
      return await this.runAgent(agent, prompt);
    } catch (error) {
      return this.reportError(error, agentName);
    }
  }

  private async pickAgent(): Promise<{ agent: AgentDefinition; prompt: string } | undefined> {
    // an agent file added or edited just now counts even where the file watcher missed it
    await this.deps.catalog.poll();
    const agents = await this.deps.catalog.agents();
    let name = this.settings.defaultAgent;
    let prompt = this.request.prompt;
    if (this.request.command === 'agent') {
      const match = /^\s*(\S+)\s*([\s\S]*)$/.exec(prompt);
      if (!match?.[1]) {
        this.stream.markdown(vscode.l10n.t('Name the agent to run: `/agent NAME your request`. Found: {0}.', agents.map((a) => `\`${a.name}\``).join(', ')));
        return undefined;
      }
      name = match[1];
      prompt = match[2] ?? '';
    }
    const agent = agents.find((a) => a.name === name);
    if (!agent) {
      this.stream.markdown(vscode.l10n.t('There is no agent named `{0}`. Found: {1}.\n\nAdd `.claude/agents/{0}.md` to the workspace, or change the `devopsAgent.defaultAgent` setting.', name, agents.map((a) => `\`${a.name}\``).join(', ') || vscode.l10n.t('none')));
      this.stream.button({ command: 'workbench.action.openSettings', title: vscode.l10n.t('Open Settings'), arguments: ['devopsAgent.defaultAgent'] });
      return undefined;
    }
    if (agent.problems.some((p) => p.severity === 'error')) {
      this.stream.markdown(vscode.l10n.t('> ⚠ `{0}` has problems in its definition (see the Agents view); running it anyway.', agent.name) + '\n\n');
    }
    return { agent, prompt: prompt.trim() || DEFAULT_PROMPT };
  }

  private async runAgent(agent: AgentDefinition, prompt: string): Promise<vscode.ChatResult & { metadata: TurnMetadata }> {
    const model = this.request.model as vscode.LanguageModelChat | undefined;
    // no model, or the provider's "checks only" entry: do for real what needs no reasoning
    if (!model || isChecksOnlyModel(model, VENDOR)) return this.answerWithoutModel(agent, prompt);
    const history = rebuildHistory(this.earlierExchanges(), agent.name);
    const readSet = history.readSet;
    const session = this.session(agent, readSet);
    const tools = toolsForAgent(this.deps.tools, agent.tools);
    const mcp = resolveAgentMcpTools(agent);
    if (mcp.missing.length > 0) {
      this.stream.markdown(vscode.l10n.t('> ⚠ {0} lists MCP tools that VS Code does not offer now: {1}. Add or start those MCP servers (command **MCP: List Servers**); the agent runs without them.', agent.name, mcp.missing.map((m) => `\`${m.written}\``).join(', ')) + '\n\n');
    }
    const specs: ToolSpec[] = [
      ...tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
      ...mcp.available.map((m) => ({ name: m.reference.written, description: m.description, inputSchema: m.inputSchema ?? { type: 'object', properties: {} } })),
    ];
    const port = chatModelPort(model, 'The DevOps agent answers your request with tools that read your workspace.');

    this.stream.progress(vscode.l10n.t('{0} is reading its working memory…', agent.name));
    const systemPrompt = await assembleSystemPrompt({
      agent, folders: (vscode.workspace.workspaceFolders ?? []).map((f) => ({ name: f.name, path: f.uri.fsPath })),
      today: new Date().toISOString().slice(0, 10), maxInputTokens: port.maxInputTokens,
      ...(this.request.command ? { command: this.request.command } : {}),
      ...(await currentBranch().then((branch) => (branch ? { branch } : {}))),
      ...(this.roots[0] ? { memoryRoot: this.roots[0] } : {}),
    }, (text) => port.countTokens(text, this.abort.signal));

    const outcome = await runAgentTurn({
      agentName: agent.name, certificateTriggers: agent.certificateTriggers, prompt, systemPrompt, history: history.turns,
      maxToolRounds: this.settings.maxToolRounds, citationRepair: this.settings.citationRepair, enforceCertificates: this.settings.enforceCertificates,
      signal: this.abort.signal, ...(this.request.command ? { command: this.request.command } : {}),
      // /review starts from the DevOps checks' findings, which arrive as verified path:line citations
      ...withPrelude(this.roots[0] ? reviewPreludeCall(this.request.command, prompt, (p) => existsInsideRoot(this.roots[0] as string, p), tools.map((t) => t.name)) : undefined),
    }, {
      model: port,
      tools: specs,
      executeToolCalls: (calls) => this.executeCalls(calls, tools, session, mcp.available),
      streamText: (text) => this.renderText(text, readSet),
      flushText: () => this.flushText(readSet),
      takeCitationChecks: () => this.citationChecks.splice(0),
      writtenCertificate: () => writtenCertificateFile(this.outcomes, this.roots[0]),
      markdown: (text) => this.stream.markdown(text),
      progress: (message) => this.stream.progress(message),
    });

    const certificateFile = outcome.certificate.file;
    if (certificateFile) {
      this.stream.markdown(`\n\n${vscode.l10n.t('Certificate:')} `);
      this.stream.anchor(vscode.Uri.file(certificateFile), path.basename(certificateFile));
    }
    const summary = this.citationSummary();
    if (summary.total > 0) this.stream.markdown(`\n\n*${formatCitationReport(this.distinctChecks())}*`);
    const metadata: TurnMetadata = {
      agent: agent.name, rounds: [...outcome.rounds], readSet: readSet.toJSON(), citations: summary, certificate: outcome.certificate,
      ...(this.request.command ? { command: this.request.command } : {}),
    };
    return { metadata };
  }

  private async answerWithoutModel(agent: AgentDefinition, prompt: string): Promise<vscode.ChatResult & { metadata: TurnMetadata }> {
    const readSet = rebuildHistory(this.earlierExchanges(), agent.name).readSet;
    // no progress lines: VS Code would fold the whole answer under "Completed N steps"; the checks take under a second
    const answer = await answerWithoutModel({
      command: this.request.command, prompt: prompt === DEFAULT_PROMPT ? '' : prompt,
      root: this.roots[0], agent: agent.name, signal: this.abort.signal, trusted: vscode.workspace.isTrusted,
      doraSettings: doraSettings().input,
      ...(this.deps.runChecks ? { runChecks: this.deps.runChecks } : {}),
    });
    // the harness read these files itself, in full: citations to them count as read
    for (const file of answer.readFiles) readSet.record(file, 1, Number.MAX_SAFE_INTEGER);
    const text: string[] = [];
    for (const part of answer.parts) {
      if (part.kind === 'markdown') {
        text.push(part.text);
        await this.renderText(part.text, readSet);
        await this.flushText(readSet);
      } else if (part.kind === 'file') {
        this.stream.anchor(vscode.Uri.file(part.path), part.title);
      } else if (part.kind === 'needs-model') {
        text.push(part.text);
        renderNeedsModel(this.stream, part.text);
      } else if (part.kind === 'command') {
        this.stream.button({ command: part.command, title: part.title });
      } else {
        this.stream.button({ command: 'devopsAgent.newCertificate', title: vscode.l10n.t('New Certificate…') });
        void vscode.commands.executeCommand('devopsAgent.newCertificate');
      }
    }
    const summary = this.citationSummary();
    if (summary.total > 0) this.stream.markdown(`\n\n*${formatCitationReport(this.distinctChecks())}*`);
    const certificate = answer.certificate;
    const metadata: TurnMetadata = {
      agent: agent.name,
      // the answer is kept as a round's text, so a later turn with a model sees what was found
      rounds: [{ text: text.join('\n\n'), toolCalls: [], results: [] }],
      readSet: readSet.toJSON(),
      citations: summary,
      certificate: { required: !!certificate, written: !!certificate, ...(certificate ? { file: certificate.file } : {}) },
      ...(this.request.command ? { command: this.request.command } : {}),
      noModel: true,
    };
    return { metadata };
  }

  private readonly allChecks: CitationCheck[] = [];
  private parser: CitationStreamParser | undefined;
  private paragraphPending = false;

  /** Streams model text, turning each citation into an anchor once it is verified, in order. */
  private renderText(text: string, readSet: ReadSet): Promise<void> {
    // text of a new round starts a new paragraph, or it would run on from the text before the tool calls
    if (this.paragraphPending && text) {
      this.paragraphPending = false;
      text = `\n\n${text.replace(/^\s+/, '')}`;
    }
    this.parser ??= new CitationStreamParser({ roots: this.roots, folderNames: (vscode.workspace.workspaceFolders ?? []).map((f) => f.name) });
    const segments = this.parser.push(text);
    this.renderQueue = this.renderQueue.then(() => this.renderSegments(segments, readSet));
    return this.renderQueue;
  }

  private flushText(readSet: ReadSet): Promise<void> {
    const segments = this.parser?.end() ?? [];
    this.parser = undefined;
    this.renderQueue = this.renderQueue.then(() => this.renderSegments(segments, readSet));
    return this.renderQueue;
  }

  private async renderSegments(segments: ReturnType<CitationStreamParser['push']>, readSet: ReadSet): Promise<void> {
    for (const segment of segments) {
      if (segment.kind === 'text') {
        if (segment.text) this.stream.markdown(segment.text);
        continue;
      }
      const [check] = await this.citationTurn.verify([segment.citation], readSet);
      if (!check) continue;
      this.citationChecks.push(check);
      this.allChecks.push(check);
      this.renderCitation(segment.citation, check);
    }
  }

  private renderCitation(citation: Citation, check: CitationCheck): void {
    if (check.status === 'verified' && check.absolutePath) {
      const range = new vscode.Range(citation.startLine - 1, 0, citation.endLine - 1, 0);
      // Quote matched: the anchor says so; line exists: the anchor alone, and the note says only the line was checked.
      const label = citation.text.replace(/`/g, '').replace(/^\*\*|\*\*$/g, '');
      this.stream.anchor(new vscode.Location(vscode.Uri.file(check.absolutePath), range), check.verifiedBy === 'quote' ? `${label} ✓` : label);
      return;
    }
    this.stream.markdown(`${citation.text} *(${describeCitationCheck(check)})*`);
  }

  /** One check per cited range and outcome: a citation repeated (say, when it is withdrawn) counts once. */
  private distinctChecks(): CitationCheck[] {
    const seen = new Map<string, CitationCheck>();
    for (const check of this.allChecks) {
      seen.set(`${check.absolutePath ?? check.citation.path}:${check.citation.startLine}-${check.citation.endLine}:${check.status}`, check);
    }
    return [...seen.values()];
  }

  private citationSummary(): { total: number; verified: number; problems: number } {
    const checks = this.distinctChecks();
    const verified = checks.filter((c) => c.status === 'verified').length;
    return { total: checks.length, verified, problems: checks.length - verified };
  }

  private async executeCalls(calls: readonly ToolCallPart[], tools: readonly Tool[], session: ToolSession, mcpTools: readonly ResolvedMcpTool[]): Promise<readonly ToolResultPart[]> {
    // text before the tool calls is complete: release what the citation parser held back, start a new paragraph next
    await this.flushText(session.readSet);
    this.paragraphPending = true;
    this.stream.progress(calls.length === 1 ? vscode.l10n.t('Running {0}…', describeCall(calls[0])) : vscode.l10n.t('Running {0} tools in parallel: {1}…', calls.length, calls.map((c) => c.name).join(', ')));
    return Promise.all(calls.map((call) => this.executeCall(call, tools, session, mcpTools)));
  }

  private async executeCall(call: ToolCallPart, tools: readonly Tool[], session: ToolSession, mcpTools: readonly ResolvedMcpTool[]): Promise<ToolResultPart> {
    const tool = tools.find((t) => t.name === call.name);
    const error = (text: string): ToolResultPart => ({ kind: 'toolResult', callId: call.callId, text, isError: true });
    const mcpTool = tool ? undefined : mcpTools.find((m) => m.reference.written === call.name);
    if (mcpTool) return this.executeMcpCall(call, mcpTool, session);
    if (!tool) {
      const allowed = [...tools.map((t) => t.name), ...mcpTools.map((m) => m.reference.written)].join(', ');
      this.stream.progress(vscode.l10n.t("Refused {0}: not one of {1}'s tools", call.name, session.agentName));
      return error(`The tool '${call.name}' is not available to the agent '${session.agentName}'. Use only: ${allowed}.`);
    }
    if (typeof call.input !== 'object' || call.input === null || '__malformedArguments' in call.input) {
      return error(`Your call to ${call.name} had malformed arguments (not a JSON object). Call it again with valid JSON matching its schema.`);
    }
    const binding = this.deps.sessions.bind(this.request.toolInvocationToken, tool.name, call.input, {
      session,
      progress: (message) => this.stream.progress(`${tool.name}: ${message}`),
      onOutcome: (outcome) => {
        this.outcomes.push(outcome);
        if (outcome.auditFailure !== undefined) this.stream.markdown(`\n\n${vscode.l10n.t('> ⚠ {0} ran, but its audit-log entry could not be written: {1}', tool.name, outcome.auditFailure)}\n\n`);
        if (outcome.redactions > 0) this.stream.progress(redactionNote(tool.name, outcome.redactions));
        if (outcome.refusedByGuard?.overrideKey) {
          this.stream.markdown(`\n\n${vscode.l10n.t('> ⚠ {0} was refused by the {1} guard.', tool.name, outcome.refusedByGuard.guard)}\n\n`);
          this.stream.button({ command: 'devopsAgent.allowGuardedCall', title: vscode.l10n.t('Allow this exact call once'), arguments: [outcome.refusedByGuard.overrideKey] });
        }
      },
    });
    try {
      const source = new vscode.CancellationTokenSource();
      const onAbort = (): void => source.cancel();
      this.abort.signal.addEventListener('abort', onAbort);
      try {
        try {
          const result = await vscode.lm.invokeTool(tool.id, { input: call.input, toolInvocationToken: this.request.toolInvocationToken }, source.token);
          return { kind: 'toolResult', callId: call.callId, text: resultText(result), isError: false };
        } finally {
          // a Write or Edit changed a file: citations after it are judged by the new text
          await this.citationTurn.toolRan(tool.name, call.input);
        }
      } finally {
        this.abort.signal.removeEventListener('abort', onAbort);
        source.dispose();
      }
    } catch (e) {
      if (e instanceof vscode.CancellationError || this.abort.signal.aborted) return error(`The user declined or cancelled the ${tool.name} call. Do not repeat it; continue without it or ask the user.`);
      return error(errorMessage(e));
    } finally {
      binding.dispose();
    }
  }

  /** An MCP tool the agent lists: run through VS Code (its confirmation), redacted and audited like ours. */
  private async executeMcpCall(call: ToolCallPart, tool: ResolvedMcpTool, session: ToolSession): Promise<ToolResultPart> {
    if (typeof call.input !== 'object' || call.input === null || '__malformedArguments' in call.input) {
      return { kind: 'toolResult', callId: call.callId, text: `Your call to ${call.name} had malformed arguments (not a JSON object). Call it again with valid JSON matching its schema.`, isError: true };
    }
    const source = new vscode.CancellationTokenSource();
    const onAbort = (): void => source.cancel();
    this.abort.signal.addEventListener('abort', onAbort);
    try {
      const result = await invokeMcpTool(tool, call.input, { agentName: session.agentName, audit: session.audit, toolInvocationToken: this.request.toolInvocationToken, token: source.token });
      this.outcomes.push({ toolName: call.name, ok: !result.isError, text: result.text, redactions: result.redactions });
      if (result.redactions > 0) this.stream.progress(redactionNote(call.name, result.redactions));
      return { kind: 'toolResult', callId: call.callId, text: result.text, isError: result.isError };
    } finally {
      this.abort.signal.removeEventListener('abort', onAbort);
      source.dispose();
    }
  }

  private session(agent: AgentDefinition, readSet: ReadSet): ToolSession {
    const fromSettings = parsePermissionRules(this.settings.permissions, 'settings');
    const fromAgent = parsePermissionRules(agent.permissions, agent.file ?? agent.name);
    const audit = this.deps.audit(agent.name);
    return createToolSession({
      agentName: agent.name,
      allowedTools: toolsForAgent(this.deps.tools, agent.tools).map((t) => t.name),
      readSet,
      rules: mergePermissionRules(fromSettings.rules, fromAgent.rules),
      trusted: vscode.workspace.isTrusted,
      guards: { noMock: this.settings.noMockGuard, maxDeletedLines: this.settings.maxDeletedLines },
      overrides: this.deps.overrides,
      ...(audit ? { audit } : {}),
    });
  }

  /** This chat's earlier exchanges, as the core rebuilds history from them. */
  private earlierExchanges(): EarlierExchange[] {
    const exchanges: EarlierExchange[] = [];
    let pendingPrompt: string | undefined;
    for (const turn of this.chatContext.history) {
      if (turn instanceof vscode.ChatRequestTurn) {
        pendingPrompt = turn.prompt;
        continue;
      }
      if (!(turn instanceof vscode.ChatResponseTurn)) continue;
      const response = turn.response;
      exchanges.push({
        prompt: pendingPrompt ?? '',
        metadata: turn.result.metadata,
        responseText: () => response.map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : '')).join(''),
      });
      pendingPrompt = undefined;
    }
    return exchanges;
  }

  private reportError(error: unknown, agentName: string): vscode.ChatResult & { metadata: TurnMetadata } {
    if (this.abort.signal.aborted) return { metadata: { agent: agentName, rounds: [], readSet: [], error: 'cancelled' } };
    const message = errorMessage(error);
    let advice = message;
    if (error instanceof vscode.LanguageModelError) {
      advice = error.code === vscode.LanguageModelError.NoPermissions.name
        ? vscode.l10n.t('This extension is not allowed to use the selected language model. Allow it when VS Code asks, or pick another model.')
        : error.code === vscode.LanguageModelError.NotFound.name
          ? vscode.l10n.t('The selected language model is not available. Pick another model in the chat, or configure an OpenAI-compatible endpoint.')
          : error.code === vscode.LanguageModelError.Blocked.name
            ? vscode.l10n.t('The language model refused the request (quota or content policy). Try again later or pick another model.')
            : vscode.l10n.t('The language model failed: {0}', message);
    }
    this.stream.markdown(vscode.l10n.t('**The request could not be completed.** {0}', advice));
    this.stream.button({ command: 'devopsAgent.configureModelProvider', title: vscode.l10n.t('Configure a Model Provider') });
    return { errorDetails: { message: advice }, metadata: { agent: agentName, rounds: [], readSet: [], error: message } };
  }
}

function redactionNote(toolName: string, count: number): string {
  return count === 1 ? vscode.l10n.t('{0}: 1 secret redacted before the model saw the result', toolName) : vscode.l10n.t('{0}: {1} secrets redacted before the model saw the result', toolName, count);
}

function describeCall(call: ToolCallPart | undefined): string {
  if (!call) return vscode.l10n.t('a tool');
  const input = call.input as Record<string, unknown> | null;
  const detail = input && typeof input === 'object' ? (input.command ?? input.path ?? input.pattern ?? input.action) : undefined;
  return typeof detail === 'string' ? `${call.name} ${bounded(detail, 60)}` : call.name;
}

function resultText(result: vscode.LanguageModelToolResult): string {
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

async function currentBranch(): Promise<string | undefined> {
  const root = workspaceRoots()[0];
  if (!root) return undefined;
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => {
    execFile('git', ['rev-parse', '--abbrev-ref', 'HEAD'], { cwd: root, timeout: 3000 }, (err, stdout) => resolve(err ? undefined : stdout.trim() || undefined));
  });
}
