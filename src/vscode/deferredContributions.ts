import * as vscode from 'vscode';

/**
 * What the lazily loaded parts (the harness, the model provider) register through, instead of `vscode.*`: a
 * contribution the entry bundle already registered as a stand-in is bound to the real implementation; anything
 * else is registered with VS Code directly. The method names mirror the VS Code API they replace.
 */
export interface ContributionRegistrar {
  registerCommand(id: string, handler: (...args: never[]) => unknown): vscode.Disposable;
  createTreeView<T>(id: string, options: vscode.TreeViewOptions<T>): vscode.TreeView<T>;
  registerWebviewViewProvider(id: string, provider: vscode.WebviewViewProvider): vscode.Disposable;
  registerTool<T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable;
  createChatParticipant(id: string, handler: vscode.ChatRequestHandler): vscode.ChatParticipant;
  registerLanguageModelChatProvider(vendor: string, provider: vscode.LanguageModelChatProvider): vscode.Disposable;
  registerFileDecorationProvider(provider: vscode.FileDecorationProvider): vscode.Disposable;
  registerDocumentLinkProvider(selector: vscode.DocumentSelector, provider: vscode.DocumentLinkProvider): vscode.Disposable;
}

/** The part of package.json `contributes` the entry registers stand-ins for. */
interface ContributedPoints {
  readonly commands?: readonly { readonly command: string }[];
  readonly views?: Readonly<Record<string, readonly { readonly id: string; readonly type?: string }[]>>;
  readonly languageModelTools?: readonly { readonly name: string }[];
  readonly chatParticipants?: readonly { readonly id: string }[];
  readonly languageModelChatProviders?: readonly { readonly vendor: string }[];
}

/** Which lazily loaded part serves a contribution. */
export interface LazyPart {
  readonly name: string;
  load(): Promise<void>;
}

/** The Markdown whose citations are checked and linked: agents' working memory and certificates. */
export const AGENT_MARKDOWN: vscode.DocumentSelector = { language: 'markdown', scheme: 'file', pattern: '**/docs/ai/agents/**' };

type AnyHandler = (...args: unknown[]) => unknown;

/**
 * Registers a stand-in for every contributed command, view, tool, participant and model vendor, so activation
 * costs registrations only; the first call of a stand-in loads the part that implements it, and the part binds
 * the real implementation through the ContributionRegistrar.
 */
export class DeferredContributions implements ContributionRegistrar {
  private readonly commands = new Map<string, AnyHandler | undefined>();
  private readonly trees = new Map<string, TreeStandIn>();
  private readonly webviews = new Map<string, vscode.WebviewViewProvider | undefined>();
  private readonly tools = new Map<string, vscode.LanguageModelTool<unknown> | undefined>();
  private readonly participants = new Map<string, { participant: vscode.ChatParticipant; handler?: vscode.ChatRequestHandler }>();
  private readonly modelProviders = new Map<string, ModelProviderStandIn>();
  private decorations: vscode.FileDecorationProvider | undefined;
  private readonly decorationsChanged = new vscode.EventEmitter<vscode.Uri | vscode.Uri[] | undefined>();
  private links: vscode.DocumentLinkProvider | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    /** The part that serves a contribution, by kind and id; the harness serves everything not named otherwise. */
    private readonly partFor: (kind: 'command' | 'modelProvider' | 'other', id: string) => LazyPart,
  ) {}

  /** Registers the stand-ins for what package.json contributes. Reads no file and loads no module. */
  registerStandIns(contributes: ContributedPoints, options: { participantIcon: vscode.Uri; isCertificatePath(file: string): boolean }): void {
    const subscriptions = this.context.subscriptions;
    for (const { command } of contributes.commands ?? []) {
      this.commands.set(command, undefined);
      subscriptions.push(vscode.commands.registerCommand(command, async (...args: unknown[]) => {
        const handler = await this.bound(this.partFor('command', command), () => this.commands.get(command), `command ${command}`);
        return handler(...args);
      }));
    }
    for (const view of Object.values(contributes.views ?? {}).flat()) {
      if (view.type === 'webview') {
        this.webviews.set(view.id, undefined);
        subscriptions.push(vscode.window.registerWebviewViewProvider(view.id, {
          resolveWebviewView: async (webviewView, resolveContext, token) => {
            const real = await this.bound(this.partFor('other', view.id), () => this.webviews.get(view.id), `view ${view.id}`);
            return real.resolveWebviewView(webviewView, resolveContext, token);
          },
        }));
        continue;
      }
      const standIn = new TreeStandIn(() => this.partFor('other', view.id), view.id);
      const treeView = vscode.window.createTreeView(view.id, { treeDataProvider: standIn, showCollapseAll: true });
      standIn.attachView(treeView);
      this.trees.set(view.id, standIn);
      subscriptions.push(standIn, treeView);
    }
    for (const { name } of contributes.languageModelTools ?? []) {
      this.tools.set(name, undefined);
      const tool = (): Promise<vscode.LanguageModelTool<unknown>> => this.bound(this.partFor('other', name), () => this.tools.get(name), `tool ${name}`);
      subscriptions.push(vscode.lm.registerTool<unknown>(name, {
        prepareInvocation: async (opts, token) => (await tool()).prepareInvocation?.(opts, token),
        invoke: async (opts, token) => (await tool()).invoke(opts, token),
      }));
    }
    for (const { id } of contributes.chatParticipants ?? []) {
      const participant = vscode.chat.createChatParticipant(id, async (request, chatContext, stream, token) => {
        const handler = await this.bound(this.partFor('other', id), () => this.participants.get(id)?.handler, `participant ${id}`);
        return handler(request, chatContext, stream, token);
      });
      participant.iconPath = options.participantIcon;
      this.participants.set(id, { participant });
      subscriptions.push(participant);
    }
    for (const { vendor } of contributes.languageModelChatProviders ?? []) {
      const standIn = new ModelProviderStandIn(() => this.partFor('modelProvider', vendor), vendor);
      this.modelProviders.set(vendor, standIn);
      subscriptions.push(standIn, vscode.lm.registerLanguageModelChatProvider(vendor, standIn));
    }
    // Explorer decorations: every shown file asks, so the stand-in answers from the path alone until a certificate shows
    subscriptions.push(this.decorationsChanged, vscode.window.registerFileDecorationProvider({
      onDidChangeFileDecorations: this.decorationsChanged.event,
      provideFileDecoration: (uri, token) => {
        if (this.decorations) return this.decorations.provideFileDecoration(uri, token);
        if (uri.scheme !== 'file' || !options.isCertificatePath(uri.fsPath)) return undefined;
        void this.partFor('other', 'fileDecorations').load().then(() => this.decorationsChanged.fire(uri), () => undefined);
        return undefined;
      },
    }));
    subscriptions.push(vscode.languages.registerDocumentLinkProvider(AGENT_MARKDOWN, {
      provideDocumentLinks: async (document, token) => {
        const real = await this.bound(this.partFor('other', 'documentLinks'), () => this.links, 'citation links');
        return real.provideDocumentLinks(document, token);
      },
    }));
  }

  registerCommand(id: string, handler: (...args: never[]) => unknown): vscode.Disposable {
    if (!this.commands.has(id)) return vscode.commands.registerCommand(id, handler as AnyHandler);
    this.commands.set(id, handler as AnyHandler);
    return new vscode.Disposable(() => this.commands.set(id, undefined));
  }

  createTreeView<T>(id: string, options: vscode.TreeViewOptions<T>): vscode.TreeView<T> {
    const standIn = this.trees.get(id);
    if (!standIn) return vscode.window.createTreeView(id, options);
    return standIn.bind(options.treeDataProvider as vscode.TreeDataProvider<unknown>) as vscode.TreeView<T>;
  }

  registerWebviewViewProvider(id: string, provider: vscode.WebviewViewProvider): vscode.Disposable {
    if (!this.webviews.has(id)) return vscode.window.registerWebviewViewProvider(id, provider);
    this.webviews.set(id, provider);
    return new vscode.Disposable(() => this.webviews.set(id, undefined));
  }

  registerTool<T>(name: string, tool: vscode.LanguageModelTool<T>): vscode.Disposable {
    if (!this.tools.has(name)) return vscode.lm.registerTool(name, tool);
    this.tools.set(name, tool as vscode.LanguageModelTool<unknown>);
    return new vscode.Disposable(() => this.tools.set(name, undefined));
  }

  createChatParticipant(id: string, handler: vscode.ChatRequestHandler): vscode.ChatParticipant {
    const entry = this.participants.get(id);
    if (!entry) return vscode.chat.createChatParticipant(id, handler);
    entry.handler = handler;
    return entry.participant;
  }

  registerLanguageModelChatProvider(vendor: string, provider: vscode.LanguageModelChatProvider): vscode.Disposable {
    const standIn = this.modelProviders.get(vendor);
    if (!standIn) return vscode.lm.registerLanguageModelChatProvider(vendor, provider);
    return standIn.bind(provider);
  }

  registerFileDecorationProvider(provider: vscode.FileDecorationProvider): vscode.Disposable {
    this.decorations = provider;
    const forwarded = provider.onDidChangeFileDecorations?.((uris) => this.decorationsChanged.fire(uris));
    return new vscode.Disposable(() => {
      forwarded?.dispose();
      this.decorations = undefined;
    });
  }

  registerDocumentLinkProvider(selector: vscode.DocumentSelector, provider: vscode.DocumentLinkProvider): vscode.Disposable {
    // compared by value: the harness bundle holds its own copy of AGENT_MARKDOWN
    if (JSON.stringify(selector) !== JSON.stringify(AGENT_MARKDOWN)) return vscode.languages.registerDocumentLinkProvider(selector, provider);
    this.links = provider;
    return new vscode.Disposable(() => (this.links = undefined));
  }

  private async bound<T>(part: LazyPart, current: () => T | undefined, what: string): Promise<T> {
    const already = current();
    if (already) return already;
    await part.load();
    const loaded = current();
    if (!loaded) throw new Error(`DevOps Agent: the ${part.name} loaded but did not register ${what}.`);
    return loaded;
  }
}

/** A tree view's data provider until the part that fills the view is loaded (on the view's first getChildren). */
class TreeStandIn implements vscode.TreeDataProvider<unknown>, vscode.Disposable {
  private real: vscode.TreeDataProvider<unknown> | undefined;
  private view: vscode.TreeView<unknown> | undefined;
  private forwarded: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<unknown>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly part: () => LazyPart, private readonly id: string) {}

  /** Called by the entry with the view it created, and by the part with the real provider. */
  bind(real: vscode.TreeDataProvider<unknown>): vscode.TreeView<unknown> {
    if (!this.view) throw new Error(`DevOps Agent: view ${this.id} was bound before it was created.`);
    this.real = real;
    this.forwarded?.dispose();
    this.forwarded = real.onDidChangeTreeData?.((element) => this.changed.fire(element));
    this.changed.fire(undefined);
    return this.view;
  }

  attachView(view: vscode.TreeView<unknown>): void {
    this.view = view;
  }

  async getChildren(element?: unknown): Promise<unknown[]> {
    if (!this.real) await this.part().load();
    if (!this.real) throw new Error(`DevOps Agent: the ${this.part().name} did not fill view ${this.id}.`);
    return (await this.real.getChildren(element)) ?? [];
  }

  getTreeItem(element: unknown): vscode.TreeItem | Thenable<vscode.TreeItem> {
    if (!this.real) throw new Error(`DevOps Agent: view ${this.id} asked for an item before it was filled.`);
    return this.real.getTreeItem(element);
  }

  getParent(element: unknown): vscode.ProviderResult<unknown> {
    return this.real?.getParent?.(element);
  }

  resolveTreeItem(item: vscode.TreeItem, element: unknown, token: vscode.CancellationToken): vscode.ProviderResult<vscode.TreeItem> {
    return this.real?.resolveTreeItem ? this.real.resolveTreeItem(item, element, token) : item;
  }

  dispose(): void {
    this.forwarded?.dispose();
    this.changed.dispose();
  }
}

/** The model vendor until the model provider is loaded: the first question about models loads it. */
class ModelProviderStandIn implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private real: vscode.LanguageModelChatProvider | undefined;
  private forwarded: vscode.Disposable | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;

  constructor(private readonly part: () => LazyPart, private readonly vendor: string) {}

  bind(real: vscode.LanguageModelChatProvider): vscode.Disposable {
    this.real = real;
    this.forwarded = real.onDidChangeLanguageModelChatInformation?.(() => this.changed.fire());
    return new vscode.Disposable(() => {
      this.forwarded?.dispose();
      this.real = undefined;
    });
  }

  private async provider(): Promise<vscode.LanguageModelChatProvider> {
    if (!this.real) await this.part().load();
    if (!this.real) throw new Error(`DevOps Agent: the ${this.part().name} did not register the ${this.vendor} models.`);
    return this.real;
  }

  async provideLanguageModelChatInformation(options: vscode.PrepareLanguageModelChatModelOptions, token: vscode.CancellationToken): Promise<vscode.LanguageModelChatInformation[]> {
    return (await (await this.provider()).provideLanguageModelChatInformation(options, token)) ?? [];
  }

  async provideLanguageModelChatResponse(
    model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    await (await this.provider()).provideLanguageModelChatResponse(model, messages, options, progress, token);
  }

  async provideTokenCount(model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage, token: vscode.CancellationToken): Promise<number> {
    return (await this.provider()).provideTokenCount(model, text, token);
  }

  dispose(): void {
    this.forwarded?.dispose();
    this.changed.dispose();
  }
}
