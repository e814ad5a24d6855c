import * as assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { BUILT_CLI, ensureBuiltCli } from './builtCli';

interface RpcMessage {
  readonly jsonrpc: '2.0';
  readonly id?: number;
  readonly result?: Record<string, unknown>;
  readonly error?: { code: number; message: string };
}

interface ToolCallResult {
  readonly content: { type: string; text: string }[];
  readonly isError: boolean;
}

/** Speaks newline-delimited JSON-RPC 2.0 to `devops-agent mcp` on its stdin/stdout, as an MCP client does. */
class StdioRpcClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (message: RpcMessage) => void>();
  readonly stderr: string[] = [];
  readonly lines: string[] = [];

  constructor(private readonly child: ChildProcessWithoutNullStreams) {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      this.lines.push(line);
      const message = JSON.parse(line) as RpcMessage;
      if (message.id !== undefined) this.waiting.get(message.id)?.(message);
    });
    child.stderr.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString('utf8')));
  }

  request(method: string, params?: unknown): Promise<RpcMessage> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`);
    });
  }

  notify(method: string): void {
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', method })}\n`);
  }

  async callTool(name: string, args: unknown): Promise<ToolCallResult> {
    const reply = await this.request('tools/call', { name, arguments: args });
    assert.equal(reply.error, undefined, JSON.stringify(reply.error));
    return reply.result as unknown as ToolCallResult;
  }

  close(): Promise<number | null> {
    return new Promise((resolve) => {
      this.child.on('close', (code) => resolve(code));
      this.child.stdin.end();
    });
  }
}

describe('cli: devops-agent mcp (built CLI over stdio JSON-RPC)', function () {
  this.timeout(60_000);
  let workspace: string;
  let client: StdioRpcClient;

  before(async () => {
    ensureBuiltCli();
    workspace = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-ws-')));
    fs.mkdirSync(path.join(workspace, 'src'));
    fs.writeFileSync(path.join(workspace, 'src', 'server.js'), 'const app = require("express")();\napp.listen(8080);\n');
    client = new StdioRpcClient(spawn(process.execPath, [BUILT_CLI, 'mcp', '--root', workspace], { stdio: ['pipe', 'pipe', 'pipe'] }));
    const init = await client.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'mcp-test', version: '1.0.0' } });
    assert.equal(init.error, undefined);
    assert.deepEqual((init.result as { serverInfo: unknown }).serverInfo, { name: 'devops-agent', version: JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')).version });
    assert.equal((init.result as { protocolVersion: string }).protocolVersion, '2025-06-18');
    assert.deepEqual((init.result as { capabilities: unknown }).capabilities, { tools: {} });
    client.notify('notifications/initialized');
  });

  after(async () => {
    const code = await client.close();
    assert.equal(code, 0);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('tools/list names every tool with a JSON schema', async () => {
    const reply = await client.request('tools/list');
    const tools = (reply.result as { tools: { name: string; inputSchema: { type: string }; annotations: { readOnlyHint: boolean } }[] }).tools;
    assert.deepEqual(tools.map((t) => t.name), ['verify_citations', 'certificate_verify', 'memory_read', 'memory_update', 'decision_record', 'certificate_create', 'delivery_metrics', 'run_checks']);
    for (const tool of tools) assert.equal(tool.inputSchema.type, 'object');
    assert.equal(tools.find((t) => t.name === 'verify_citations')?.annotations.readOnlyHint, true);
    assert.equal(tools.find((t) => t.name === 'memory_update')?.annotations.readOnlyHint, false);
  });

  it('verify_citations checks each citation against the files', async () => {
    const result = await client.callTool('verify_citations', { text: 'Port: `src/server.js:2` `app.listen(8080);`; also src/server.js:30.' });
    assert.equal(result.isError, false);
    assert.deepEqual(result.content.map((c) => c.type), ['text']);
    assert.equal(result.content[0]?.text, [
      '✓ `src/server.js:2` — verified: the quoted code is at line 2',
      '✗ src/server.js:30 — line-out-of-range: line 30 out of range, file has 2 lines',
      'Citations: 1 verified (1 quote matched, 0 line exists), 1 line out of range',
    ].join('\n'));
  });

  it('delivery_metrics measures the real git history (the dora tool, read-only)', async () => {
    const git = (...args: string[]): void => { execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', ...args], { cwd: workspace, stdio: 'ignore' }); };
    git('init', '-q', '-b', 'main');
    git('add', 'src/server.js');
    git('commit', '-q', '-m', 'first');
    git('tag', 'v1.0.0');
    fs.writeFileSync(path.join(workspace, 'src', 'health.js'), 'module.exports = () => "ok";\n');
    git('add', 'src/health.js');
    git('commit', '-q', '-m', 'health route');
    git('tag', 'v1.1.0');
    const result = await client.callTool('delivery_metrics', {});
    assert.equal(result.isError, false, result.content[0]?.text);
    assert.match(result.content[0]?.text ?? '', /[Dd]eployment frequency/);
    const bad = await client.callTool('delivery_metrics', { days: 'many' });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0]?.text ?? '', /^Invalid input for dora: /);
  });

  it('run_checks runs the DevOps checks and cites each finding with the code of its line', async () => {
    fs.writeFileSync(path.join(workspace, 'Dockerfile'), 'FROM node:latest\nCOPY . /app\nCMD node /app/src/server.js\n');
    const result = await client.callTool('run_checks', { paths: ['Dockerfile'] });
    assert.equal(result.isError, false, result.content[0]?.text);
    const text = result.content[0]?.text ?? '';
    assert.match(text, /^DevOps checks: 1 file checked, \d+ findings/);
    assert.match(text, /^Dockerfile:1 `FROM node:latest` — warning dockerfile\/latest-tag \(DL3007\): /m);
    assert.match(text, /^Dockerfile:3 `CMD node \/app\/src\/server\.js` — warning dockerfile\/json-cmd \(DL3025\): /m, 'shell-form CMD on its real line');
    const bad = await client.callTool('run_checks', { kinds: ['terraform'] });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0]?.text ?? '', /unknown kinds "terraform"/);
  });

  it('memory_update then memory_read round-trips working memory on disk', async () => {
    const updated = await client.callTool('memory_update', { file: 'working-memory', section: 'Pipeline Status', content: 'CI green on main since build 42.' });
    assert.equal(updated.isError, false, updated.content[0]?.text);
    const file = path.join(workspace, 'docs/ai/agents/devops-engineer/working-memory.md');
    assert.match(fs.readFileSync(file, 'utf8'), /## Pipeline Status\n+CI green on main since build 42\./);
    const read = await client.callTool('memory_read', { file: 'working-memory' });
    assert.equal(read.isError, false);
    assert.match(read.content[0]?.text ?? '', /CI green on main since build 42\./);
  });

  it('certificate_create refuses evidence that does not verify, writes a valid one, and certificate_verify checks it', async () => {
    const input = {
      descriptor: 'deployment_review', component: 'api_server', scope: ['src/server.js'], filesExamined: ['src/server.js'],
      testsPerformed: ['node --check src/server.js'], findings: ['Listens on 8080'], issues: ['None'], recommendations: ['None'],
      status: 'APPROVED', rationale: 'Small and correct.', evidence: ['src/server.js:2 `app.listen(8080);`'],
    };
    const refused = await client.callTool('certificate_create', { ...input, evidence: ['src/server.js:9'] });
    assert.equal(refused.isError, true);
    assert.match(refused.content[0]?.text ?? '', /^certificate_create refused, nothing was written: the evidence cites code that does not check out\./);
    const created = await client.callTool('certificate_create', input);
    assert.equal(created.isError, false, created.content[0]?.text);
    const relative = /^Created certificate (\S+)/.exec(created.content[0]?.text ?? '')?.[1] ?? '';
    assert.match(relative, /^docs\/ai\/agents\/devops-engineer\/certificates\/deployment_review_api_server_\d{8}_\d{6}\.md$/);
    const verified = await client.callTool('certificate_verify', { path: relative });
    assert.equal(verified.isError, false);
    assert.match(verified.content[0]?.text ?? '', new RegExp(`^✓ ${relative.replace(/\./g, '\\.')} \\[APPROVED\\] Integrity ok`));
    fs.appendFileSync(path.join(workspace, relative), 'tampered\n');
    const tampered = await client.callTool('certificate_verify', {});
    assert.match(tampered.content[0]?.text ?? '', /^✗ .* Tampered — /);
  });

  it('bad calls: an unknown tool is a JSON-RPC error; bad arguments and refused paths are tool errors', async () => {
    const unknown = await client.request('tools/call', { name: 'rm_rf', arguments: {} });
    assert.equal(unknown.error?.code, -32602);
    assert.match(unknown.error?.message ?? '', /There is no tool named 'rm_rf'/);
    const badArgs = await client.callTool('verify_citations', { text: 42 });
    assert.deepEqual(badArgs, { content: [{ type: 'text', text: 'verify_citations: "text" must be a string holding the text to check.' }], isError: true });
    const outside = await client.callTool('certificate_verify', { path: '../../etc/passwd' });
    assert.equal(outside.isError, true);
    assert.match(outside.content[0]?.text ?? '', /^certificate_verify: refused/);
    const badMemory = await client.callTool('memory_update', { file: 'secrets', section: 'x', content: 'y' });
    assert.equal(badMemory.isError, true);
    assert.match(badMemory.content[0]?.text ?? '', /^Invalid input for memory_update: /);
    const notJson = await client.request('no/such/method');
    assert.equal(notJson.error?.code, -32601);
  });

  it('every call is in the same audit log as the chat, and stdout carried only protocol messages', async () => {
    const audit = fs.readFileSync(path.join(workspace, 'docs/ai/agents/devops-engineer/audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { tool: string; outcome: string; decision: string });
    const tools = audit.map((e) => `${e.tool}:${e.outcome}`);
    for (const expected of ['verify_citations:ok', 'memory_update:ok', 'memory_read:ok', 'certificate_create:error', 'certificate_create:ok', 'certificate_verify:ok', 'dora:ok', 'verify_citations:error', 'certificate_verify:error', 'memory_update:refused']) {
      assert.ok(tools.includes(expected), `${expected} missing from ${tools.join(', ')}`);
    }
    for (const line of client.lines) assert.equal((JSON.parse(line) as { jsonrpc: string }).jsonrpc, '2.0');
    assert.match(client.stderr.join(''), /devops-agent mcp: serving .* for agent devops-engineer on stdio/);
  });
});
