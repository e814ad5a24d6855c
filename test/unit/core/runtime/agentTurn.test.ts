import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCitations } from '../../../../src/core/citations/parseCitations';
import type { CitationCheck } from '../../../../src/core/citations/verifyCitations';
import { verifyCitations } from '../../../../src/core/citations/verifyCitations';
import type { TurnPorts, TurnRequest } from '../../../../src/core/runtime/agentTurn';
import { CERTIFICATE_ROUNDS, REPAIR_ROUNDS, runAgentTurn, writtenCertificateFile } from '../../../../src/core/runtime/agentTurn';
import type { LoopMessage, ToolSpec } from '../../../../src/core/runtime/chatModel';
import { userText } from '../../../../src/core/runtime/chatModel';
import { reviewPreludeCall } from '../../../../src/core/runtime/reviewPrelude';
import { HARNESS_TOOLS } from '../../../../src/core/tools/toolRegistry';
import { processToolContext } from '../tools/processToolContext';
import { realToolCalls, realToolSession } from './realToolSession';
import { call, ScriptedChatModel, text } from './scriptedChatModel';

const SPECS: ToolSpec[] = HARNESS_TOOLS.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
const DOCKERFILE = 'FROM node:20-alpine\nWORKDIR /app\nCOPY . .\nRUN npm ci\nCMD ["node", "server.js"]\n';

function messageText(message: LoopMessage | undefined): string {
  return (message?.parts ?? []).map((p) => (p.kind === 'text' || p.kind === 'toolResult' ? p.text : '')).join('');
}

describe('core/runtime/agentTurn', () => {
  let root: string;
  beforeEach(() => {
    root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'agent-turn-')));
    fs.writeFileSync(path.join(root, 'Dockerfile'), DOCKERFILE);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  /** Ports as the participant wires them, with real tools and real citation checks, recording what is shown. */
  function ports(model: ScriptedChatModel): TurnPorts & { shown: string[]; progressed: string[] } {
    const ctx = processToolContext([root]);
    const session = realToolSession({ readSet: ctx.readSet });
    const run = realToolCalls(session, ctx);
    const outcomes: { toolName: string; ok: boolean; text: string }[] = [];
    const checks: CitationCheck[] = [];
    const shown: string[] = [];
    const progressed: string[] = [];
    let pending = '';
    return {
      model, tools: SPECS, shown, progressed,
      async executeToolCalls(calls) {
        const results = await run(calls);
        results.forEach((r, i) => outcomes.push({ toolName: calls[i]?.name ?? '', ok: !r.isError, text: r.text }));
        return results;
      },
      async streamText(t) {
        pending += t;
        shown.push(t);
      },
      async flushText() {
        checks.push(...await verifyCitations(parseCitations(pending), { roots: [root], readSet: ctx.readSet }));
        pending = '';
      },
      takeCitationChecks: () => checks.splice(0),
      writtenCertificate: () => writtenCertificateFile(outcomes, root),
      markdown: (t) => shown.push(t),
      progress: (m) => progressed.push(m),
    };
  }

  function request(extra: Partial<TurnRequest> = {}): TurnRequest {
    return {
      agentName: 'devops-engineer', certificateTriggers: [], prompt: 'what base image does the Dockerfile use?', systemPrompt: 'SYSTEM',
      history: [], maxToolRounds: 5, citationRepair: true, enforceCertificates: true, signal: new AbortController().signal, ...extra,
    };
  }

  it('answers in one loop when every citation verifies and no certificate is needed', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'Dockerfile' })] },
      { parts: [text('It uses `Dockerfile:1` `FROM node:20-alpine`.')] },
    ]);
    const p = ports(model);
    const outcome = await runAgentTurn(request(), p);
    assert.equal(outcome.stoppedBy, 'answer');
    assert.equal(outcome.rounds.length, 2);
    assert.deepEqual(outcome.certificate, { required: false, written: false });
    assert.equal(model.remaining, 0);
    assert.equal(messageText(model.requests[0]?.messages[0]), 'SYSTEM');
    assert.equal(messageText(model.requests[0]?.messages[1]), 'what base image does the Dockerfile use?');
  });

  it('runs one repair round with the unverified citations, limited to the repair rounds', async () => {
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'Dockerfile' })] },
      { parts: [text('The image is set at `Dockerfile:3` `FROM node:20-alpine`.')] },
      { parts: [text('Correction: `Dockerfile:1` `FROM node:20-alpine`.')] },
    ]);
    const p = ports(model);
    const outcome = await runAgentTurn(request(), p);
    assert.equal(outcome.rounds.length, 3);
    const repair = model.requests[2];
    assert.ok(repair, 'the repair round was not sent');
    assert.match(messageText(repair.messages[repair.messages.length - 1]), /Dockerfile:3/);
    assert.ok(p.shown.some((s) => s.includes('Citation corrections')));
    assert.equal(REPAIR_ROUNDS, 2);
  });

  it('sends no repair round when the setting is off', async () => {
    const model = new ScriptedChatModel([{ parts: [text('See `Dockerfile:9` `FROM scratch`.')] }]);
    const outcome = await runAgentTurn(request({ citationRepair: false }), ports(model));
    assert.equal(outcome.rounds.length, 1);
    assert.equal(model.remaining, 0);
  });

  it('asks once for the certificate review work requires, and reports it written', async () => {
    const evidence = {
      descriptor: 'docker_review', component: 'api image', scope: ['Dockerfile'], filesExamined: ['Dockerfile'],
      findings: ['Base image pinned to a major version'], status: 'APPROVED', rationale: 'Small, pinned base image.',
      evidence: ['Dockerfile:1 `FROM node:20-alpine`'],
    };
    const model = new ScriptedChatModel([
      { parts: [call('c1', 'Read', { path: 'Dockerfile' })] },
      { parts: [text('Looks fine: `Dockerfile:1` `FROM node:20-alpine`.')] },
      { parts: [call('c2', 'certificate_create', evidence)] },
      { parts: [text('Certificate written.')] },
    ]);
    const p = ports(model);
    const outcome = await runAgentTurn(request({ command: 'review', prompt: 'the Dockerfile' }), p);
    assert.equal(outcome.certificate.required, true);
    assert.equal(outcome.certificate.written, true);
    assert.ok(outcome.certificate.file && fs.existsSync(outcome.certificate.file), `no certificate file: ${outcome.certificate.file}`);
    assert.match(messageText(model.requests[0]?.messages[1]), /^\/review the Dockerfile$/);
    assert.match(messageText(model.requests[2]?.messages.at(-1)), /requires a certificate/);
    assert.ok(p.progressed.some((m) => /asking the agent for its certificate/.test(m)));
    assert.equal(CERTIFICATE_ROUNDS, 3);
  });

  it('says plainly when review work ends without a certificate', async () => {
    const model = new ScriptedChatModel([{ parts: [text('Fine.')] }, { parts: [text('I will not.')] }]);
    const p = ports(model);
    const outcome = await runAgentTurn(request({ command: 'certify', prompt: 'release' }), p);
    assert.deepEqual(outcome.certificate, { required: true, written: false });
    assert.ok(p.shown.some((s) => /No certificate was produced/.test(s)));
  });

  it('leaves out the oldest turns that do not fit a third of the window, and says so', async () => {
    const long = 'x'.repeat(8_000); // 2,000 tokens at 4 characters each: two of them exceed a third of 8,000 (2,666)
    const history = [[userText(`first ${long}`)], [userText(`second ${long}`)], [userText('third, short')]];
    const model = new ScriptedChatModel([{ parts: [text('ok')] }]);
    const p = ports(model);
    await runAgentTurn(request({ history }), p);
    const sent = model.requests[0]?.messages.map(messageText) ?? [];
    assert.ok(!sent.some((m) => m.startsWith('first')), 'the oldest turn was kept');
    assert.ok(sent.some((m) => m.startsWith('second')));
    assert.ok(sent.includes('third, short'));
    assert.ok(p.progressed.some((m) => m === "Leaving out the 1 oldest turn of this chat to fit the model's context"));
  });

  it('stops without repair or certificate request once cancelled', async () => {
    const controller = new AbortController();
    const model = new ScriptedChatModel([{ parts: [text('`Dockerfile:9` `x`'), text(' more')], delayMs: 50 }]);
    const turn = runAgentTurn(request({ command: 'review', signal: controller.signal }), ports(model));
    setTimeout(() => controller.abort(), 10);
    const outcome = await turn;
    assert.equal(outcome.stoppedBy, 'cancelled');
    assert.equal(model.requests.length, 1);
  });

  it('finds the certificate file from the last successful certificate_create only', () => {
    assert.equal(writtenCertificateFile([{ toolName: 'certificate_create', ok: false, text: 'Created certificate a.md' }], root), undefined);
    assert.equal(writtenCertificateFile([
      { toolName: 'certificate_create', ok: true, text: 'Created certificate docs/one.md\nmore' },
      { toolName: 'Read', ok: true, text: 'Created certificate docs/not.md' },
    ], root), path.join(root, 'docs/one.md'));
    assert.equal(writtenCertificateFile([{ toolName: 'certificate_create', ok: true, text: 'Created certificate x.md' }], undefined), undefined);
  });

  it('/review runs the devops_check prelude first: the model starts from its findings, and citing them verifies without a Read', async () => {
    const prelude = reviewPreludeCall('review', 'the Dockerfile', (p) => fs.existsSync(path.join(root, p)), SPECS.map((t) => t.name));
    assert.deepEqual(prelude, { kind: 'toolCall', callId: 'harness-review-devops-check', name: 'devops_check', input: { paths: ['Dockerfile'] } });
    const model = new ScriptedChatModel([{ parts: [text('The runtime is pinned: `Dockerfile:1` `FROM node:20-alpine`; it runs as root.')] }]);
    const p = ports(model);
    const outcome = await runAgentTurn(request({ command: 'review', prompt: 'the Dockerfile', prelude, enforceCertificates: false }), p);
    assert.equal(outcome.stoppedBy, 'answer');
    assert.deepEqual(outcome.rounds[0]?.toolCalls.map((c) => c.name), ['devops_check']);
    const first = model.requests[0]?.messages ?? [];
    assert.match(messageText(first[first.length - 1]), /^Dockerfile:1 `FROM node:20-alpine` — warning dockerfile\/no-user /m, 'the findings are the last message the model sees');
    assert.equal(outcome.rounds.length, 2);
  });

  it('makes no prelude for other commands, or for an agent without devops_check', () => {
    const exists = (): boolean => true;
    assert.equal(reviewPreludeCall('docker', 'the Dockerfile', exists, ['devops_check']), undefined);
    assert.equal(reviewPreludeCall(undefined, 'review the Dockerfile', exists, ['devops_check']), undefined);
    assert.equal(reviewPreludeCall('review', 'the Dockerfile', exists, ['Read']), undefined);
    assert.deepEqual(reviewPreludeCall('review', 'everything', () => false, ['devops_check'])?.input, {}, 'nothing named: the whole workspace');
  });
});
