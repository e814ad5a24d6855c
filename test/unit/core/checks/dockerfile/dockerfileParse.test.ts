import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Instruction } from 'dockerfile-ast';
import { parseByStage, parseWhole } from '../../../../../src/core/checks/dockerfile/dockerfileParse';
import type { ParsedDockerfile } from '../../../../../src/core/checks/dockerfile/dockerfileParse';
import { dockerfileRuleSet } from '../../../../../src/core/checks/dockerfile/dockerfileRuleSet';
import { REPO_ROOT, sharedDirectory } from '../checkFixtures';

const DOCKERFILES = path.join(REPO_ROOT, 'test', 'fixtures', 'checks', 'dockerfiles');

/** Everything the rules read from an instruction, with its positions in the file. */
function shape(instruction: Instruction): unknown {
  return {
    keyword: instruction.getKeyword(),
    range: instruction.getRange(),
    instructionRange: instruction.getInstructionRange(),
    argumentsRange: instruction.getArgumentsRange(),
    content: instruction.getArgumentsContent(),
    arguments: instruction.getArguments().map((a) => [a.getValue(), a.getRange()]),
  };
}

function assertSameParse(text: string, what: string): ParsedDockerfile {
  const split = parseByStage(text);
  const whole = parseWhole(text);
  assert.equal(split.escape, whole.escape, what);
  assert.deepEqual(split.instructions.map(shape), whole.instructions.map(shape), what);
  return split;
}

function realDockerfiles(): { name: string; text: string }[] {
  const files = fs.readdirSync(DOCKERFILES).filter((n) => n !== 'SOURCES.tsv').sort().map((name) => ({ name, text: fs.readFileSync(path.join(DOCKERFILES, name), 'utf8') }));
  const shared = sharedDirectory();
  const corpus = shared === undefined ? undefined : path.join(shared, 'corpus', 'dockerfiles');
  if (corpus !== undefined && fs.existsSync(corpus)) {
    for (const name of fs.readdirSync(corpus).filter((n) => n !== 'SOURCES.tsv').sort()) files.push({ name: `corpus/${name}`, text: fs.readFileSync(path.join(corpus, name), 'utf8') });
  }
  return files;
}

describe('core/checks/dockerfile/dockerfileParse', () => {
  it('parses every real Dockerfile stage by stage exactly as in one parse', () => {
    const files = realDockerfiles();
    assert.ok(files.length > 200, `${files.length} files`);
    for (const { name, text } of files) assertSameParse(text, name);
  });

  it('parses real Dockerfiles run together (many stages), and with CRLF line ends, exactly as in one parse', () => {
    const all = realDockerfiles().slice(0, 40).map((f) => f.text).join('\n');
    assertSameParse(all, 'concatenated');
    assertSameParse(all.replace(/\n/g, '\r\n'), 'concatenated, CRLF');
  });

  it('does not split where FROM is not an instruction: continuations (across comments and empty lines), heredocs, an escape directive', () => {
    const cases = [
      'FROM a AS one\nRUN echo \\\n  FROM b\nFROM c\n',
      'FROM a\nRUN echo \\\n# a comment\nFROM b\nRUN x\n',
      'FROM a\nRUN echo \\\n\nFROM b\n',
      'FROM a\nRUN echo \\   \nFROM b\n',
      'FROM a\nRUN <<EOF\nFROM b\nEOF\nFROM c\n',
      '# escape=`\nFROM a\nRUN echo `\nFROM b\nFROM c\n',
      '\ufeffFROM a\nFROM b\n',
      'FROM a\rRUN x\rFROM b\r',
      '# syntax=docker/dockerfile:1\nARG V=1\n# hadolint ignore=DL3007\nFROM a:latest\n\n  from b\nfrom\tc\nFROM\nFROMAGE x\n',
      '',
      'RUN x',
    ];
    for (const text of cases) assertSameParse(text, JSON.stringify(text));
  });

  it('re-parses only the stage that changed: the other stages are the same objects', () => {
    const base = 'FROM node:20 AS build\nRUN npm ci\n\nFROM alpine:3\nRUN apk add curl\nCOPY --from=build /app /app\n';
    const before = assertSameParse(base, 'base').instructions;
    const after = assertSameParse(base.replace('apk add curl', 'apk add --no-cache curl'), 'edited').instructions;
    assert.equal(after[0], before[0]);
    assert.equal(after[1], before[1]);
    assert.notEqual(after[3], before[3]);
    assert.equal(after[3]?.getRange().start.line, 4);
  });

  it('the editor path (edited: true, parsed by stage) finds exactly what a whole check finds, keystroke after keystroke', () => {
    const options = { trustedRegistries: [], allowedActionOwners: [] };
    const base = realDockerfiles().slice(40, 80).map((f) => f.text).join('\n');
    const lines = base.split('\n');
    const at = lines.findIndex((line, i) => i > lines.length / 2 && line.startsWith('RUN '));
    let findings = 0;
    for (const typed of ['', ' a', ' ap', ' apt-get install curl']) {
      const edited = [...lines.slice(0, at), `${lines[at] ?? ''}${typed}`, ...lines.slice(at + 1)].join('\n');
      const whole = dockerfileRuleSet.check({ path: 'Dockerfile', text: edited, kind: 'dockerfile' }, options);
      assert.deepEqual(dockerfileRuleSet.check({ path: 'Dockerfile', text: edited, kind: 'dockerfile', edited: true }, options), whole, JSON.stringify(typed));
      findings = whole.length;
    }
    assert.ok(findings > 10, `${findings} findings`);
  });
});
