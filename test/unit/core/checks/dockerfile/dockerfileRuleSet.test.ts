import * as assert from 'node:assert/strict';
import type { CheckOptions, RuleFinding } from '../../../../../src/core/checks/checkTypes';
import { dockerfileRuleSet, execFormOf } from '../../../../../src/core/checks/dockerfile/dockerfileRuleSet';
import { DOCKERFILE_RULES } from '../../../../../src/core/checks/dockerfile/dockerfileRules';
import { NO_OPTIONS, fixture, lineOf } from '../checkFixtures';

function check(text: string, options: CheckOptions = NO_OPTIONS): RuleFinding[] {
  return dockerfileRuleSet.check({ path: 'Dockerfile', text, kind: 'dockerfile' }, options);
}

const of = (findings: readonly RuleFinding[], ruleId: string): RuleFinding[] => findings.filter((f) => f.ruleId === ruleId);

/** Applies a finding's fix to the text (edits of one fix never overlap). */
function applyFix(text: string, finding: RuleFinding): string {
  assert.ok(finding.fix, `${finding.ruleId} has a fix`);
  const lines = text.split('\n');
  const offset = (line: number, column: number): number => lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  let out = text;
  for (const edit of [...finding.fix.edits].sort((a, b) => offset(b.range.line, b.range.column) - offset(a.range.line, a.range.column))) {
    out = out.slice(0, offset(edit.range.line, edit.range.column)) + edit.newText + out.slice(offset(edit.range.endLine, edit.range.endColumn));
  }
  return out;
}

/**
 * Positive cases: a real file (test/fixtures/checks/dockerfiles, see SOURCES.tsv) and the line (named by its text)
 * and column where the rule must fire. Negative cases: a real file using the same construct correctly.
 */
interface RealCase {
  readonly rule: string;
  readonly positive: { readonly file: string; readonly line: string; readonly column: number };
  readonly negative: string;
}

const D = 'dockerfiles';
const REAL_CASES: readonly RealCase[] = [
  { rule: DOCKERFILE_RULES.untaggedImage.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'FROM buildpack-deps', column: 6 }, negative: 'docker-library__python__3.13_bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.latestTag.id, positive: { file: 'jessfraz__dockerfiles__aspell_Dockerfile', line: 'FROM alpine:latest', column: 13 }, negative: 'docker-library__python__3.13_bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.aptUnpinned.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'ca-certificates', column: 3 }, negative: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile' },
  { rule: DOCKERFILE_RULES.aptNoInstallRecommends.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'apt-get install -y', column: 31 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.aptListsNotRemoved.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'apt-get install -y', column: 23 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.aptGetYes.id, positive: { file: 'jessfraz__dockerfiles__zoom-us_Dockerfile', line: 'apt-get -f install', column: 16 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.aptNotAptGet.id, positive: { file: 'jessfraz__dockerfiles__cura_Dockerfile', line: '&& apt update', column: 5 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.consecutiveRun.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'RUN gpg --keyserver', column: 1 }, negative: 'jessfraz__dockerfiles__rstudio_Dockerfile' },
  { rule: DOCKERFILE_RULES.pipefail.id, positive: { file: 'docker-library__node__0.10_Dockerfile', line: 'SHASUMS256.txt.asc | sha256sum', column: 71 }, negative: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile' },
  { rule: DOCKERFILE_RULES.noUser.id, positive: { file: 'docker-library__node__0.10_onbuild_Dockerfile', line: 'FROM node:0.10.35', column: 1 }, negative: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile' },
  { rule: DOCKERFILE_RULES.apkUnpinned.id, positive: { file: 'docker__awesome-compose__django_app_Dockerfile', line: 'apk add git', column: 9 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.apkNoCache.id, positive: { file: 'docker__awesome-compose__django_app_Dockerfile', line: 'apk add git', column: 5 }, negative: 'docker-library__python__3.13_alpine3.23_Dockerfile' },
  { rule: DOCKERFILE_RULES.cdInRun.id, positive: { file: 'docker-library__postgres__17_alpine3.23_Dockerfile', line: 'cd /usr/src/postgresql', column: 2 }, negative: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile' },
  { rule: DOCKERFILE_RULES.pipUnpinned.id, positive: { file: 'jessfraz__dockerfiles__awscli_Dockerfile', line: 'pip3 install awscli', column: 18 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.pipNoCacheDir.id, positive: { file: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile', line: 'RUN pip install -r requirements.txt', column: 9 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.jsonCmd.id, positive: { file: 'docker__awesome-compose__sparkjava_sparkjava_Dockerfile', line: 'CMD java -jar /app.jar', column: 5 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.curlPipeShell.id, positive: { file: 'jessfraz__dockerfiles__consul_Dockerfile', line: 'setup_10.x | bash -', column: 5 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.maintainer.id, positive: { file: 'jessfraz__dockerfiles__consul_Dockerfile', line: 'MAINTAINER Jessica Frazelle', column: 1 }, negative: 'docker-library__python__3.13_slim-bookworm_Dockerfile' },
  { rule: DOCKERFILE_RULES.npmUnpinned.id, positive: { file: 'jessfraz__dockerfiles__imagemin_Dockerfile', line: 'npm install --global imagemin-cli', column: 26 }, negative: 'docker__awesome-compose__angular_angular_Dockerfile' },
  { rule: DOCKERFILE_RULES.npmInstallNotCi.id, positive: { file: 'jessfraz__dockerfiles__parrot-live_Dockerfile', line: 'RUN npm install', column: 9 }, negative: 'docker__awesome-compose__angular_angular_Dockerfile' },
  { rule: DOCKERFILE_RULES.absoluteWorkdir.id, positive: { file: 'jessfraz__dockerfiles__wireshark_Dockerfile', line: 'WORKDIR wireshark', column: 9 }, negative: 'docker__awesome-compose__nginx-wsgi-flask_flask_Dockerfile' },
];

describe('core/checks/dockerfile/dockerfileRuleSet', () => {
  describe('rules on real Dockerfiles (positive and negative)', () => {
    for (const c of REAL_CASES) {
      it(`${c.rule}: fires in ${c.positive.file} at "${c.positive.line}"`, () => {
        const text = fixture(`${D}/${c.positive.file}`);
        const line = lineOf(text, c.positive.line);
        const hits = of(check(text), c.rule);
        assert.ok(hits.some((f) => f.range.line === line && f.range.column === c.positive.column),
          `expected ${c.rule} at ${line}:${c.positive.column}, got ${hits.map((f) => `${f.range.line}:${f.range.column}`).join(' ') || 'none'}`);
        for (const hit of hits) assert.ok(hit.message.length > 10);
      });
      it(`${c.rule}: silent on ${c.negative}`, () => {
        assert.deepEqual(of(check(fixture(`${D}/${c.negative}`)), c.rule), []);
      });
    }
  });

  describe('rules with no real licensed example at hand (written for the test)', () => {
    it('dockerfile/sudo on sudo as a command, also after env assignments, not as a package name', () => {
      const text = 'FROM debian:12\nRUN apt-get install -y sudo=1.9 && DEBIAN_FRONTEND=x sudo -E apt-get update\nUSER app\n';
      const hits = of(check(text), DOCKERFILE_RULES.sudo.id);
      assert.deepEqual(hits.map((f) => [f.range.line, f.range.column]), [[2, 54]]);
    });

    it('dockerfile/add-for-local-files on ADD of a folder, with a COPY fix; not on URLs or archives', () => {
      const text = 'FROM alpine:3.20\nADD . /app\nADD https://example.com/x.tgz /tmp/\nADD rootfs.tar.gz /\nUSER app\n';
      const hits = of(check(text), DOCKERFILE_RULES.addForLocalFiles.id);
      assert.deepEqual(hits.map((f) => f.range.line), [2]);
      assert.equal(applyFix(text, hits[0] as RuleFinding).split('\n')[1], 'COPY . /app');
    });

    it('dockerfile/copy-from-unknown-stage on a name defined later or not at all, not on stages, numbers or images', () => {
      const text = 'FROM golang:1.23 AS build\nRUN go build\nFROM alpine:3.20\nCOPY --from=build /a /a\nCOPY --from=0 /b /b\nCOPY --from=nginx:1.27 /c /c\nCOPY --from=bulid /d /d\nCOPY --from=later /e /e\nCOPY --from=3 /f /f\nFROM alpine:3.20 AS later\nUSER app\n';
      const hits = of(check(text), DOCKERFILE_RULES.copyFromUnknownStage.id);
      assert.deepEqual(hits.map((f) => f.range.line), [7, 8, 9]);
      assert.match((hits[1] as RuleFinding).message, /defined after/);
    });

    it('dockerfile/multiple-cmd and multiple-entrypoint flag all but the last of a stage', () => {
      const text = 'FROM alpine:3.20 AS a\nCMD ["a"]\nCMD ["b"]\nENTRYPOINT ["x"]\nENTRYPOINT ["y"]\nFROM alpine:3.20\nCMD ["c"]\nUSER app\n';
      const findings = check(text);
      assert.deepEqual(of(findings, DOCKERFILE_RULES.multipleCmd.id).map((f) => f.range.line), [2]);
      assert.deepEqual(of(findings, DOCKERFILE_RULES.multipleEntrypoint.id).map((f) => f.range.line), [4]);
    });

    it('dockerfile/last-user-root on a final USER root, not when root is only used in the middle', () => {
      assert.deepEqual(of(check('FROM alpine:3.20\nUSER app\nUSER root\n'), DOCKERFILE_RULES.lastUserRoot.id).map((f) => f.range.line), [3]);
      assert.deepEqual(of(check('FROM alpine:3.20\nUSER 0:0\n'), DOCKERFILE_RULES.lastUserRoot.id).map((f) => f.range.line), [2]);
      assert.deepEqual(of(check('FROM alpine:3.20\nUSER root\nRUN apk add --no-cache curl=8.1-r0\nUSER app\n'), DOCKERFILE_RULES.lastUserRoot.id), []);
    });

    it('dockerfile/no-user follows the final stage back to the stage it is built on, and trusts nonroot images', () => {
      assert.deepEqual(of(check('FROM alpine:3.20 AS base\nUSER app\nFROM base\nCMD ["x"]\n'), DOCKERFILE_RULES.noUser.id), []);
      assert.deepEqual(of(check('FROM golang:1.23 AS b\nFROM gcr.io/distroless/static:nonroot\nCOPY --from=b /x /x\n'), DOCKERFILE_RULES.noUser.id), []);
      assert.deepEqual(of(check('FROM alpine:3.20 AS base\nFROM base\n'), DOCKERFILE_RULES.noUser.id).map((f) => f.range.line), [2]);
    });

    it('dockerfile/secret-in-env on a token-like ENV or ARG value, never naming the value; secret-build-arg on an empty ARG', () => {
      const token = `ghp_${'aB3dE6gH9jK2mN5pQ8sT1vW4yZ7bC0eF3hJ6'}`;
      const text = `FROM alpine:3.20\nARG NPM_TOKEN\nENV GITHUB_TOKEN=${token} LOG_LEVEL=debug\nENV DB_PASSWORD=\${DB_PASSWORD}\nENV API_KEY Zq8xW2vN7mK4pR9tY3uE6iO1\nUSER app\n`;
      const findings = check(text);
      const secrets = of(findings, DOCKERFILE_RULES.secretInEnv.id);
      assert.deepEqual(secrets.map((f) => [f.range.line, f.range.column]), [[3, 18], [5, 13]]);
      for (const f of secrets) assert.ok(!f.message.includes(token) && !f.message.includes('Zq8xW2'));
      assert.deepEqual(of(findings, DOCKERFILE_RULES.secretBuildArg.id).map((f) => [f.range.line, f.range.column]), [[2, 5]]);
    });

    it('dockerfile/untrusted-registry only when trusted registries are configured', () => {
      const text = 'FROM quay.io/prometheus/busybox:1.36\nFROM docker.io/library/alpine:3.20\nFROM ghcr.io/acme/base:1\nUSER app\n';
      assert.deepEqual(of(check(text), DOCKERFILE_RULES.untrustedRegistry.id), []);
      const hits = of(check(text, { trustedRegistries: ['docker.io', 'ghcr.io/acme'], allowedActionOwners: [] }), DOCKERFILE_RULES.untrustedRegistry.id);
      assert.deepEqual(hits.map((f) => f.range.line), [1]);
    });

    it('dockerfile/first-instruction and unknown-instruction', () => {
      const findings = check('# syntax=docker/dockerfile:1\nRUN echo hi\nFROM alpine:3.20\nRUNN echo\nUSER app\n');
      assert.deepEqual(of(findings, DOCKERFILE_RULES.firstInstruction.id).map((f) => f.range.line), [2]);
      assert.deepEqual(of(findings, DOCKERFILE_RULES.unknownInstruction.id).map((f) => f.range.line), [4]);
    });
  });

  describe('shell understanding', () => {
    it('apt-get install pinned, with .deb files or options taking values, is not unpinned', () => {
      const text = 'FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confnew curl=7.88.1 ./x.deb && rm -rf /var/lib/apt/lists/*\nUSER app\n';
      assert.deepEqual(check(text).map((f) => f.ruleId), []);
    });

    it('pipefail is satisfied by a SHELL with -o pipefail or set -o pipefail in the RUN, and case patterns are not pipes', () => {
      assert.deepEqual(of(check('FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN curl -fsSL x | tar x\nUSER a\n'), DOCKERFILE_RULES.pipefail.id), []);
      assert.deepEqual(of(check('FROM debian:12\nRUN set -euxo pipefail; curl -fsSL x | tar x\nUSER a\n'), DOCKERFILE_RULES.pipefail.id), []);
      assert.deepEqual(of(check('FROM debian:12\nRUN case "$a" in amd64 | arm64) echo;; esac\nUSER a\n'), DOCKERFILE_RULES.pipefail.id), []);
      assert.deepEqual(of(check('FROM debian:12\nRUN echo a || echo b\nUSER a\n'), DOCKERFILE_RULES.pipefail.id), []);
    });

    it('reads continuation lines and reports the word on its own line and column', () => {
      const text = 'FROM debian:12\nRUN apt-get update \\\n # a comment inside\n    && apt-get install -y \\\n      curl \\\n    && rm -rf /var/lib/apt/lists/*\nUSER app\n';
      const hits = of(check(text), DOCKERFILE_RULES.aptUnpinned.id);
      assert.deepEqual(hits.map((f) => [f.range.line, f.range.column, f.range.endColumn]), [[5, 7, 11]]);
    });

    it('honours the escape directive (backtick continuations)', () => {
      const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN apt-get install -y `\n    curl\nUSER app\n';
      assert.deepEqual(of(check(text), DOCKERFILE_RULES.aptUnpinned.id).map((f) => [f.range.line, f.range.column]), [[4, 5]]);
    });

    it('checks exec-form RUN words too', () => {
      assert.deepEqual(of(check('FROM debian:12\nRUN ["apt", "install", "-y", "curl"]\nUSER a\n'), DOCKERFILE_RULES.aptNotAptGet.id).map((f) => [f.range.line, f.range.column]), [[2, 6]]);
    });
  });

  describe('fixes', () => {
    it('adds --no-install-recommends, -y, --no-cache-dir and --no-cache right after the subcommand', () => {
      const text = 'FROM debian:12\nRUN apt-get install curl=1 && pip install --upgrade x==1 && apk add y=2\nUSER app\n';
      const findings = check(text);
      const fixed = (rule: string): string => applyFix(text, of(findings, rule)[0] as RuleFinding).split('\n')[1] as string;
      assert.equal(fixed(DOCKERFILE_RULES.aptNoInstallRecommends.id), 'RUN apt-get install --no-install-recommends curl=1 && pip install --upgrade x==1 && apk add y=2');
      assert.equal(fixed(DOCKERFILE_RULES.aptGetYes.id), 'RUN apt-get install -y curl=1 && pip install --upgrade x==1 && apk add y=2');
      assert.equal(fixed(DOCKERFILE_RULES.pipNoCacheDir.id), 'RUN apt-get install curl=1 && pip install --no-cache-dir --upgrade x==1 && apk add y=2');
      assert.equal(fixed(DOCKERFILE_RULES.apkNoCache.id), 'RUN apt-get install curl=1 && pip install --upgrade x==1 && apk add --no-cache y=2');
    });

    it('turns a shell-form CMD of the real sparkjava Dockerfile into JSON form', () => {
      const text = fixture(`${D}/docker__awesome-compose__sparkjava_sparkjava_Dockerfile`);
      const hit = of(check(text), DOCKERFILE_RULES.jsonCmd.id)[0] as RuleFinding;
      const fixed = applyFix(text, hit);
      assert.equal(fixed.split('\n')[hit.range.line - 1], 'CMD ["java", "-jar", "/app.jar"]');
      assert.deepEqual(of(check(fixed), DOCKERFILE_RULES.jsonCmd.id), []);
    });

    it('execFormOf: plain commands and single-quoted JSON convert; shell features do not', () => {
      assert.equal(execFormOf('node "src/server.js" --port 8080'), '["node", "src/server.js", "--port", "8080"]');
      assert.equal(execFormOf("['node','x.js']"), '["node", "x.js"]');
      assert.equal(execFormOf('npm start && echo done'), undefined);
      assert.equal(execFormOf('node $APP'), undefined);
    });

    it('replaces MAINTAINER with the OCI authors label and apt with apt-get', () => {
      const text = fixture(`${D}/jessfraz__dockerfiles__consul_Dockerfile`);
      const hit = of(check(text), DOCKERFILE_RULES.maintainer.id)[0] as RuleFinding;
      assert.equal(applyFix(text, hit).split('\n')[hit.range.line - 1], 'LABEL org.opencontainers.image.authors="Jessica Frazelle <jess@linux.com>"');
      const cura = fixture(`${D}/jessfraz__dockerfiles__cura_Dockerfile`);
      const apt = of(check(cura), DOCKERFILE_RULES.aptNotAptGet.id)[0] as RuleFinding;
      assert.match(applyFix(cura, apt).split('\n')[apt.range.line - 1] as string, /&& apt-get update/);
    });
  });

  describe('suppressions hadolint users already write', () => {
    it('# hadolint ignore=… silences the next instruction only', () => {
      const text = 'FROM debian:12\n# hadolint ignore=DL3008,DL3015\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\nRUN apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\nUSER a\n';
      const findings = check(text);
      assert.deepEqual(of(findings, DOCKERFILE_RULES.aptUnpinned.id).map((f) => f.range.line), [4]);
      assert.deepEqual(of(findings, DOCKERFILE_RULES.aptNoInstallRecommends.id), []);
    });

    it('# hadolint global ignore=… silences the whole file', () => {
      const text = fixture(`${D}/jessfraz__dockerfiles__aspell_Dockerfile`);
      assert.ok(of(check(text), DOCKERFILE_RULES.latestTag.id).length > 0);
      assert.deepEqual(of(check(`# hadolint global ignore=DL3007\n${text}`), DOCKERFILE_RULES.latestTag.id), []);
    });
  });

  it('never throws: empty, binary-ish and unterminated input give findings on real lines or none', () => {
    for (const text of ['', '\n\n', 'FROM', 'FROM alpine:3.20\nRUN "unterminated \\\n', 'RUN <<EOF\nnever closed', '\u0000\u0001FROM x']) {
      const lines = text.split(/\r\n|\n|\r/).length;
      for (const f of check(text)) assert.ok(f.range.line >= 1 && f.range.line <= lines, `${JSON.stringify(text)}: ${f.ruleId} at ${f.range.line}`);
    }
  });

  it('lists each rule once with its hadolint reference', () => {
    const ids = dockerfileRuleSet.rules.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length);
    const refs = dockerfileRuleSet.rules.flatMap((r) => r.references);
    for (const dl of ['DL3000', 'DL3002', 'DL3003', 'DL3004', 'DL3006', 'DL3007', 'DL3008', 'DL3009', 'DL3013', 'DL3015', 'DL3016', 'DL3018', 'DL3020', 'DL3022', 'DL3025', 'DL3027', 'DL3042', 'DL3059', 'DL4000', 'DL4003', 'DL4004', 'DL4006']) {
      assert.ok(refs.includes(dl), dl);
    }
  });
});
