import * as assert from 'node:assert/strict';
import type { Citation, CitationParseOptions, CitationStreamSegment } from '../../../../src/core/citations/parseCitations';
import { CitationStreamParser, parseCitations } from '../../../../src/core/citations/parseCitations';

/** `path:start-end` for each citation, the shape the tables below are written in. */
function refs(text: string, options?: CitationParseOptions): string[] {
  return parseCitations(text, options).map((c) => `${c.path}:${c.startLine}-${c.endLine}`);
}

interface Case {
  readonly input: string;
  readonly expected: readonly string[];
  readonly options?: CitationParseOptions;
}

const FOUND: readonly Case[] = [
  { input: 'See src/a.ts:12.', expected: ['src/a.ts:12-12'] },
  { input: 'src/a.ts:12-14', expected: ['src/a.ts:12-14'] },
  { input: 'src/a.ts:12–14 (en dash)', expected: ['src/a.ts:12-14'] },
  { input: 'src/a.ts#L12', expected: ['src/a.ts:12-12'] },
  { input: 'src/a.ts#L12-L14', expected: ['src/a.ts:12-14'] },
  { input: 'src/a.ts#L12-14', expected: ['src/a.ts:12-14'] },
  { input: 'see [x](src/a.ts#L12C3-L14C9)', expected: ['src/a.ts:12-14'] },
  { input: 'the [handler](src/a.ts#L10) runs', expected: ['src/a.ts:10-10'] },
  { input: 'the [handler](src/a.ts:10-12) runs', expected: ['src/a.ts:10-12'] },
  { input: '[x](<docs/my notes.md#L3>)', expected: ['docs/my notes.md:3-3'] },
  { input: '[x](docs/my%20notes.md#L3 "title")', expected: ['docs/my notes.md:3-3'] },
  { input: 'in `src/a.ts:12`', expected: ['src/a.ts:12-12'] },
  { input: 'in `` src/a.ts:12-20 ``', expected: ['src/a.ts:12-20'] },
  { input: 'in ./src/a.ts:3', expected: ['src/a.ts:3-3'] },
  { input: 'in .\\src\\win\\a.ts:3', expected: ['src/win/a.ts:3-3'] },
  { input: 'in /work/repo/src/a.ts:3', expected: ['/work/repo/src/a.ts:3-3'], options: { roots: ['/work/repo'] } },
  { input: 'in /work/repo/bin/run:3', expected: ['/work/repo/bin/run:3-3'], options: { roots: ['/work/repo'] } },
  { input: 'C:\\work\\app\\main.go:7', expected: ['C:/work/app/main.go:7-7'] },
  { input: 'Dockerfile:5', expected: ['Dockerfile:5-5'] },
  { input: 'Makefile:12', expected: ['Makefile:12-12'] },
  { input: 'Jenkinsfile:3-9', expected: ['Jenkinsfile:3-9'] },
  { input: 'Procfile:1', expected: ['Procfile:1-1'] },
  { input: 'Dockerfile.prod:2 and api.Dockerfile:4', expected: ['Dockerfile.prod:2-2', 'api.Dockerfile:4-4'] },
  { input: '.gitignore:4', expected: ['.gitignore:4-4'] },
  { input: '.env.production:2', expected: ['.env.production:2-2'] },
  { input: '.github/workflows/ci.yml:22', expected: ['.github/workflows/ci.yml:22-22'] },
  { input: 'api/src/x.ts:3', expected: ['api/src/x.ts:3-3'] },
  { input: 'api/run:3', expected: ['api/run:3-3'], options: { folderNames: ['api', 'web'] } },
  { input: 'scripts/deploy:5', expected: ['scripts/deploy:5-5'] },
  { input: 'trainer.py:674-736', expected: ['trainer.py:674-736'] },
  { input: '(see src/a.ts:3)', expected: ['src/a.ts:3-3'] },
  { input: '**src/a.ts:3** is bold', expected: ['src/a.ts:3-3'] },
  { input: '_src/a.ts:3_ is italic', expected: ['src/a.ts:3-3'] },
  { input: 'tsc says src/a.ts:12:5', expected: ['src/a.ts:12-12'] },
  { input: 'src/a.ts:L12-L20', expected: ['src/a.ts:12-20'] },
  { input: 'docker-compose.yml:10, values.yaml:3;', expected: ['docker-compose.yml:10-10', 'values.yaml:3-3'] },
  { input: '| src/a.ts:3 | ok |', expected: ['src/a.ts:3-3'] },
  { input: 'deploy/k8s/deployment.yaml#L30-L42', expected: ['deploy/k8s/deployment.yaml:30-42'] },
  { input: '../shared/x.ts:3', expected: ['../shared/x.ts:3-3'] },
  { input: '[`src/a.ts:3`](src/a.ts#L3)', expected: ['src/a.ts:3-3'] },
  { input: '<src/a.ts:3>', expected: ['src/a.ts:3-3'] },
  { input: "src/a.ts:3's handler", expected: ['src/a.ts:3-3'] },
  { input: '__init__.py:3', expected: ['__init__.py:3-3'] },
  { input: '_config.yml:2', expected: ['_config.yml:2-2'] },
  { input: 'node_modules/@types/node/fs.d.ts:100', expected: ['node_modules/@types/node/fs.d.ts:100-100'] },
  { input: 'go.mod:3', expected: ['go.mod:3-3'] },
  { input: 'a.ts:3', expected: ['a.ts:3-3'] },
  { input: 'nginx.conf:12 sets the port', expected: ['nginx.conf:12-12'] },
  { input: 'src/a.ts:3 and src/b.ts:4-6', expected: ['src/a.ts:3-3', 'src/b.ts:4-6'] },
  { input: '- `scripts/deploy.sh:3`:', expected: ['scripts/deploy.sh:3-3'] },
  { input: '## src/a.ts:7\n', expected: ['src/a.ts:7-7'] },
  { input: 'src/a.ts:3\r\nsrc/b.ts:4\r\n', expected: ['src/a.ts:3-3', 'src/b.ts:4-4'] },
  { input: 'src/a.ts:0 is not a line', expected: ['src/a.ts:0-0'] },
  { input: 'range src/a.ts:20-10 reversed', expected: ['src/a.ts:20-10'] },
  { input: '~/notes/x.md:3 (the verifier refuses it)', expected: ['~/notes/x.md:3-3'] },
  { input: 'prose before\n```\ncode\n```\nafter src/a.ts:3', expected: ['src/a.ts:3-3'] },
  // Phrase forms, as models write them.
  { input: 'Line 62 of `pkg/server.go` reads `return nil`', expected: ['pkg/server.go:62-62'] },
  { input: 'lines 10–12 of `deploy/app.yaml` set the probes', expected: ['deploy/app.yaml:10-12'] },
  { input: 'Lines 3 to 5 in src/a.ts set it up.', expected: ['src/a.ts:3-5'] },
  { input: 'see line 4 of the file `Dockerfile`', expected: ['Dockerfile:4-4'] },
  { input: 'line 7 of trainer.py, then', expected: ['trainer.py:7-7'] },
  { input: '`src/a.ts` line 7: `x`', expected: ['src/a.ts:7-7'] },
  { input: '`src/a.ts` (line 7)', expected: ['src/a.ts:7-7'] },
  { input: '`src/a.ts` (lines 7-9) and `src/b.ts` (lines 1–2)', expected: ['src/a.ts:7-9', 'src/b.ts:1-2'] },
  { input: '`src/a.ts`, lines 3-4', expected: ['src/a.ts:3-4'] },
  { input: 'in `src/a.ts` at line 9 we', expected: ['src/a.ts:9-9'] },
  { input: '`Dockerfile` on line 2', expected: ['Dockerfile:2-2'] },
  { input: '`.github/workflows/ci.yml`, line 14:', expected: ['.github/workflows/ci.yml:14-14'] },
  { input: 'In `src/a.ts`:12 the loop', expected: ['src/a.ts:12-12'] },
  { input: '`src/a.ts`:3-5', expected: ['src/a.ts:3-5'] },
  { input: '**Line 8 of `Makefile`**', expected: ['Makefile:8-8'] },
];

const NOT_CITATIONS: readonly Case[] = [
  { input: 'https://github.com/o/r/blob/main/src/a.ts#L10', expected: [] },
  { input: 'http://localhost:8080/health', expected: [] },
  { input: 'file:///home/u/src/a.ts:3', expected: [] },
  { input: 'vscode://file/home/u/a.ts:3', expected: [] },
  { input: '[link](https://x.io/src/a.ts#L3)', expected: [] },
  { input: 'Meet at 10:30.', expected: [] },
  { input: 'at 10:30:15 UTC', expected: [] },
  { input: 'FROM node:20', expected: [] },
  { input: 'image python:3.11 and python:3', expected: [] },
  { input: 'ubuntu:22.04', expected: [] },
  { input: '`node:20-alpine`', expected: [] },
  { input: 'redis:6379', expected: [] },
  { input: 'localhost:8080', expected: [] },
  { input: '127.0.0.1:5432', expected: [] },
  { input: 'api.example.com:443', expected: [] },
  { input: 'db.internal:5432 and my-svc.default.svc.cluster.local:80', expected: [] },
  { input: 'postgres://user:pw@db:5432/app', expected: [] },
  { input: 'git@github.com:org/repo.git', expected: [] },
  { input: 'aspect 16:9, ratio 4:3', expected: [] },
  { input: 'John 3:16 and step 2:3', expected: [] },
  { input: 'v1.2:3', expected: [] },
  { input: 'ghcr.io/org/app:12', expected: [] },
  { input: 'bitnami/redis:7', expected: [] },
  { input: '[Install](#install)', expected: [] },
  { input: '[Setup](README.md#setup)', expected: [] },
  { input: '```\nsrc/a.ts:3\n```', expected: [] },
  { input: '~~~yaml\nfile: src/a.ts:3\n~~~', expected: [] },
  { input: '  ```ts\n  `src/a.ts:3`\n  ```', expected: [] },
  { input: 'src/a.ts without a line', expected: [] },
  { input: '`docker run -p 8080:80 nginx`', expected: [] },
  { input: 'mailto:ops@example.com', expected: [] },
  { input: 'see `cat src/a.ts:3` output', expected: [] },
  { input: '/etc/nginx/run:3', expected: [], options: { roots: ['/work/repo'] } },
  { input: 'line 3 of the output', expected: [] },
  { input: 'Lines 1-2 of the response are a summary', expected: [] },
  { input: 'Line 4 of 10 failed', expected: [] },
  { input: '`npm` on line 3 of the log', expected: [] },
  { input: 'line 5 of `npm install`', expected: [] },
  { input: 'the pipeline 3 of `src/a.ts`', expected: [] },
  { input: '`node` line 4', expected: [] },
  { input: 'in line with `src/a.ts`', expected: [] },
  { input: '`localhost`:8080', expected: [] },
  { input: '[line 3 of a.ts](https://x.io/a)', expected: [] },
  { input: '```\nline 3 of `src/a.ts`\n```', expected: [] },
];

describe('core/citations/parseCitations', () => {
  describe('finds citations', () => {
    for (const c of FOUND) {
      it(JSON.stringify(c.input), () => assert.deepEqual(refs(c.input, c.options), c.expected));
    }
  });

  describe('ignores what is not a citation', () => {
    for (const c of NOT_CITATIONS) {
      it(JSON.stringify(c.input), () => assert.deepEqual(refs(c.input, c.options), c.expected));
    }
  });

  it('has at least 115 table cases, 40 of them false positives', () => {
    assert.ok(FOUND.length + NOT_CITATIONS.length >= 115);
    assert.ok(NOT_CITATIONS.filter((c) => c.expected.length === 0).length >= 40);
  });

  describe('text, offset and length', () => {
    it('covers the whole backticked or linked form and points into the input', () => {
      const input = 'A `src/a.ts:3`, B [see](src/b.ts#L4), C ./src/c.ts:5.';
      const found = parseCitations(input);
      assert.deepEqual(found.map((c) => c.text), ['`src/a.ts:3`', '[see](src/b.ts#L4)', './src/c.ts:5']);
      for (const c of found) assert.equal(input.slice(c.offset, c.offset + c.length), c.text);
    });

    it('counts offsets across CRLF lines and fenced blocks', () => {
      const input = 'one\r\n```\nx\n```\r\ntwo src/a.ts:9\r\n';
      const [c] = parseCitations(input);
      assert.ok(c);
      assert.equal(input.slice(c.offset, c.offset + c.length), 'src/a.ts:9');
    });
  });

  describe('quotes', () => {
    const quoteOf = (input: string): Array<Pick<Citation, 'path' | 'quote' | 'quoteKind'>> =>
      parseCitations(input).map(({ path, quote, quoteKind }) => ({ path, quote, quoteKind }));

    it('takes the inline code after a citation on the same line', () => {
      assert.deepEqual(quoteOf('`src/a.ts:3` — `const x = 1`'), [{ path: 'src/a.ts', quote: 'const x = 1', quoteKind: 'inline' }]);
    });

    it('takes the inline code before each citation when the line starts with code', () => {
      assert.deepEqual(quoteOf('`x = 1` at src/a.ts:3 and `y = 2` at src/b.ts:4'), [
        { path: 'src/a.ts', quote: 'x = 1', quoteKind: 'inline' },
        { path: 'src/b.ts', quote: 'y = 2', quoteKind: 'inline' },
      ]);
    });

    it('gives each citation the first code after it', () => {
      assert.deepEqual(quoteOf('src/a.ts:3 (`x`) and src/b.ts:4 (`y`)'), [
        { path: 'src/a.ts', quote: 'x', quoteKind: 'inline' },
        { path: 'src/b.ts', quote: 'y', quoteKind: 'inline' },
      ]);
    });

    it('takes the fenced block on the next line', () => {
      assert.deepEqual(quoteOf('src/a.ts:3-4\n```ts\nconst a = 1;\nconst b = 2;\n```\n'), [
        { path: 'src/a.ts', quote: 'const a = 1;\nconst b = 2;', quoteKind: 'fenced' },
      ]);
    });

    it('lets blank lines separate a line ending with ":" from its fenced block', () => {
      assert.deepEqual(quoteOf('In `src/a.ts:3`:\n\n~~~\nx\n~~~'), [{ path: 'src/a.ts', quote: 'x', quoteKind: 'fenced' }]);
      assert.deepEqual(quoteOf('In `src/a.ts:3`\n\n```\nx\n```'), [{ path: 'src/a.ts', quote: undefined, quoteKind: undefined }]);
    });

    it('strips the fence indentation inside list items', () => {
      assert.deepEqual(quoteOf('- src/a.ts:3:\n  ```sh\n  set -e\n    echo hi\n  ```'), [{ path: 'src/a.ts', quote: 'set -e\n  echo hi', quoteKind: 'fenced' }]);
    });

    it('takes only code right next to the citation as its quote, not code that is a word of the sentence', () => {
      assert.deepEqual(quoteOf('there is no `USER` line anywhere in Dockerfile:1-10.'), [{ path: 'Dockerfile', quote: undefined, quoteKind: undefined }]);
      assert.deepEqual(quoteOf('Dockerfile:1 pins nothing, unlike the `FROM` of api/Dockerfile'), [{ path: 'Dockerfile', quote: undefined, quoteKind: undefined }]);
      assert.deepEqual(quoteOf('Dockerfile:1 reads `FROM node:latest`'), [{ path: 'Dockerfile', quote: 'FROM node:latest', quoteKind: 'inline' }]);
    });

    it('prefers inline code to a following fenced block, and gives the block to the last citation without a quote', () => {
      assert.deepEqual(quoteOf('src/a.ts:3 `inline`\n```\nx\n```'), [{ path: 'src/a.ts', quote: 'inline', quoteKind: 'inline' }]);
      assert.deepEqual(quoteOf('Read src/a.ts:3 and src/b.ts:10:\n```\ncode\n```'), [
        { path: 'src/a.ts', quote: undefined, quoteKind: undefined },
        { path: 'src/b.ts', quote: 'code', quoteKind: 'fenced' },
      ]);
    });

    it('ends an unclosed fenced quote with the input, and ignores an empty one', () => {
      assert.deepEqual(quoteOf('src/a.ts:3\n```\npartial'), [{ path: 'src/a.ts', quote: 'partial', quoteKind: 'fenced' }]);
      assert.deepEqual(quoteOf('src/a.ts:3\n```\n\n```'), [{ path: 'src/a.ts', quote: undefined, quoteKind: undefined }]);
    });

    // Real phrasing from model answers over real repositories: the quote is the code introduced as the cited text.
    const INTRODUCED: ReadonlyArray<{ readonly input: string; readonly quote: string | undefined }> = [
      { input: '`pkg/server.go:62` where it says `return nil, err`', quote: 'return nil, err' },
      { input: '`pkg/server.go:62` contains the line `if err != nil {`', quote: 'if err != nil {' },
      { input: 'In `pkg/server.go:62` the code `defer conn.Close()` handles this', quote: 'defer conn.Close()' },
      { input: 'Line 62 of `pkg/server.go` reads `x := 1`', quote: 'x := 1' },
      { input: '`pkg/server.go` line 62: `x := 1`', quote: 'x := 1' },
      { input: '`pkg/server.go` (line 62) — `x := 1`', quote: 'x := 1' },
      { input: '`pkg/server.go`, lines 62-63: `x := 1`', quote: 'x := 1' },
      { input: 'pkg/server.go:62 calls `retry(ctx, 3)` before returning', quote: 'retry(ctx, 3)' },
      { input: 'The handler at `pkg/server.go:62` returns `http.StatusOK` after `w.Write(body)`', quote: undefined },
      { input: 'At `pkg/server.go:62`, the guard `if ctx.Err() != nil { return }` exits early.', quote: 'if ctx.Err() != nil { return }' },
      { input: '- **pkg/server.go:62**: `x := 1`', quote: 'x := 1' },
      { input: 'As `Dockerfile:3` shows, `RUN npm ci` runs before the copy', quote: 'RUN npm ci' },
      { input: '`Dockerfile:3` says `USER`', quote: 'USER' },
      { input: '`Dockerfile:3` contains `--no-cache`', quote: '--no-cache' },
      { input: 'Dockerfile:1-3 has the text `FROM node:20 AS build`', quote: 'FROM node:20 AS build' },
      { input: 'The workflow step (`.github/workflows/ci.yml:14` is `uses: actions/checkout@v4`)', quote: 'uses: actions/checkout@v4' },
      { input: 'In `ci.yml:14` the step is: `run: npm test`', quote: 'run: npm test' },
      { input: 'lines 10–12 of `deploy/app.yaml` contain `initialDelaySeconds: 5`', quote: 'initialDelaySeconds: 5' },
      // Mentions, advice and negations: no quote.
      { input: '`Dockerfile:3` sets `USER`', quote: undefined },
      { input: 'pkg/server.go:62 uses `npm`', quote: undefined },
      { input: 'pkg/server.go:62 should be `x := 2`', quote: undefined },
      { input: 'pkg/server.go:62 does not call `conn.Close()`', quote: undefined },
      { input: 'pkg/server.go:62 is wrong. Use `x := 2` instead', quote: undefined },
      { input: 'Dockerfile:4 has no `USER` line', quote: undefined },
      { input: 'See pkg/server.go:62; then `make test` runs', quote: undefined },
      { input: 'pkg/server.go:62 is where the loop `for i := range xs` starts', quote: 'for i := range xs' },
      { input: 'pkg/server.go:62 is where `handle()` is called', quote: undefined },
      { input: 'Replace pkg/server.go:62 with `x := 2`', quote: undefined },
      { input: 'Dockerfile:3 pins nothing; compare `FROM node:20@sha256:abc`', quote: undefined },
      { input: 'Dockerfile:3 is fine, but the fix would be `USER app`', quote: undefined },
      { input: 'ci.yml:14 runs on every push, unlike `on: workflow_dispatch` elsewhere', quote: undefined },
      { input: 'Dockerfile:3 could use `RUN --mount=type=cache,target=/root/.npm npm ci`', quote: undefined },
      { input: 'Dockerfile:3 runs as root; add `USER node` after it', quote: undefined },
    ];
    for (const { input, quote } of INTRODUCED) {
      it(`phrasing ${JSON.stringify(input)}`, () => {
        const found = parseCitations(input);
        assert.equal(found.length, 1, 'one citation');
        assert.equal(found[0]?.quote, quote);
      });
    }

    it('does not take a backtick run with a backtick info string as a fence', () => {
      assert.deepEqual(refs('```src/a.ts:3```'), ['src/a.ts:3-3']);
    });
  });

  describe('streaming', () => {
    const ANSWERS: readonly string[] = [
      [
        '# Review of the build',
        '',
        'The base image is pinned in `Dockerfile:1` — `FROM node:20-alpine AS build`, and the cache mount at Dockerfile:7-9:',
        '',
        '```dockerfile',
        'RUN --mount=type=cache,target=/root/.npm \\',
        '    npm ci',
        '```',
        '',
        'See [the workflow](.github/workflows/ci.yml#L12-L20) and `src/server.ts:44`.',
        'Times like 10:30 and ports like localhost:8080 are not citations; neither is https://github.com/o/r/blob/main/src/a.ts#L3.',
        '- `scripts/deploy.sh:3`:',
        '  ```bash',
        '  set -euo pipefail',
        '  ```',
        '- **src/app.ts:10-12** `app.listen(port)` [x](#section) `[not](a.ts#L3)`',
        'Unclosed `code with src/q.ts:3 and [link text',
        '```',
        'src/inside.ts:4',
        '```',
        'Last line src/last.ts:99',
      ].join('\n'),
      [
        '## Findings\r',
        '\r',
        '1. The health check in docker-compose.yml:14-18 points at `localhost:8080`:\r',
        '   ```yaml\r',
        '   healthcheck:\r',
        '     test: ["CMD", "curl", "-f", "http://localhost:8080/health"]\r',
        '   ```\r',
        '2. `k8s/deployment.yaml#L30` sets `replicas: 3`; compare [values](charts/app/values.yaml#L5-L9).\r',
        '3. `x = 1` at src/a.ts:3 and `y = 2` at src/b.ts:4, times 16:9, node:20, python:3.11.\r',
        '\r',
        '~~~\r',
        'not/a/citation.ts:1\r',
        '~~~',
      ].join('\n'),
      [
        'Short: a.ts:1 b.ts:2 `c.ts:3` `d` [e](e.ts#L5) \\`f.ts:6 ``g.ts:7`` `` ` `` h.ts:8:',
        '',
        '',
        '````md',
        '```',
        'inner fence src/in.ts:1',
        '```',
        '````',
        'i.ts:9-10',
        '```',
        'unclosed fenced quote',
      ].join('\n'),
      [
        'Line 62 of `pkg/server.go` reads `return nil, err`, and lines 3 to 5 in src/a.ts set it up.',
        '`src/a.ts` line 7: `x` then `src/b.ts` (lines 7-9) and `c.ts`, lines 3-4 and `d.ts`:12 — `y := 2`',
        'In `pkg/e.go:62` the code `defer conn.Close()` handles this; line 3 of the output and `npm` on line 4.',
        '`Dockerfile` on line 2:',
        '```dockerfile',
        'FROM node:20',
        '```',
        'see line 9 of trainer.py',
      ].join('\n'),
    ];

    function run(text: string, cuts: readonly number[], options?: CitationParseOptions): CitationStreamSegment[] {
      const parser = new CitationStreamParser(options);
      const segments: CitationStreamSegment[] = [];
      let previous = 0;
      for (const cut of [...cuts, text.length]) {
        segments.push(...parser.push(text.slice(previous, cut)));
        previous = cut;
      }
      segments.push(...parser.end());
      return segments;
    }

    function citationsOf(segments: readonly CitationStreamSegment[]): Citation[] {
      return segments.flatMap((s) => (s.kind === 'citation' ? [s.citation] : []));
    }

    function joined(segments: readonly CitationStreamSegment[]): string {
      return segments.map((s) => (s.kind === 'text' ? s.text : s.citation.text)).join('');
    }

    /** A small deterministic generator so a failing split can be reproduced. */
    function random(seed: number): () => number {
      let state = seed >>> 0;
      return () => {
        state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
        return state / 2 ** 32;
      };
    }

    ANSWERS.forEach((answer, index) => {
      it(`answer ${index + 1}: every two-chunk split gives the whole-text citations and reproduces the input`, () => {
        const whole = parseCitations(answer);
        assert.ok(whole.length >= 5, `answer ${index + 1} should hold citations`);
        for (let cut = 0; cut <= answer.length; cut++) {
          const segments = run(answer, [cut]);
          assert.deepEqual(citationsOf(segments), whole, `split at ${cut}`);
          assert.equal(joined(segments), answer, `split at ${cut}`);
        }
      });

      it(`answer ${index + 1}: one character at a time and random chunkings give the same result`, () => {
        const whole = parseCitations(answer);
        const everyChar = run(answer, Array.from({ length: answer.length - 1 }, (_, i) => i + 1));
        assert.deepEqual(citationsOf(everyChar), whole);
        assert.equal(joined(everyChar), answer);
        const next = random(index + 7);
        for (let trial = 0; trial < 200; trial++) {
          const cuts = new Set<number>();
          const count = 1 + Math.floor(next() * 30);
          for (let i = 0; i < count; i++) cuts.add(Math.floor(next() * answer.length));
          const segments = run(answer, [...cuts].sort((a, b) => a - b));
          assert.deepEqual(citationsOf(segments), whole, `cuts ${[...cuts].join(',')}`);
          assert.equal(joined(segments), answer);
        }
      });
    });

    it('random Markdown-like texts: every split and one character at a time give the whole-text result', () => {
      const pieces = ['src/a.ts:3', '`', '``', '```', '~~~', '[', ']', '(', ')', '](', 'b.ts#L2', ' ', ' ', '\n', '\n', '\r\n', ':',
        'x', '\\', '*', '_', '-', '12', 'Dockerfile:4', '#L5', 'http://h/a.ts:3', '  ', '\t', '.', 'c.md:1-2', '<', '>',
        'line ', 'Lines ', '3', ' of ', ' in ', '`a.ts`', '`x = 1`', ' (line 2)', ', lines 4-5', ' says ', ' the code '];
      const next = random(2024);
      for (let trial = 0; trial < 300; trial++) {
        let text = '';
        const count = 5 + Math.floor(next() * 50);
        for (let i = 0; i < count; i++) text += pieces[Math.floor(next() * pieces.length)];
        const whole = parseCitations(text);
        for (let cut = 0; cut <= text.length; cut++) {
          const segments = run(text, [cut]);
          assert.deepEqual(citationsOf(segments), whole, `${JSON.stringify(text)} split at ${cut}`);
          assert.equal(joined(segments), text);
        }
        const everyChar = run(text, Array.from({ length: Math.max(0, text.length - 1) }, (_, i) => i + 1));
        assert.deepEqual(citationsOf(everyChar), whole, JSON.stringify(text));
        assert.equal(joined(everyChar), text);
      }
    });

    it('releases text before the trailing word, and holds a citation until its quote is known', () => {
      const parser = new CitationStreamParser();
      assert.deepEqual(parser.push('Intro text then sr'), [{ kind: 'text', text: 'Intro text then ' }]);
      assert.deepEqual(parser.push('c/a.ts:3 tail'), []);
      const next = parser.push('\nNext words');
      assert.equal(next.length, 2);
      assert.equal(next[0]?.kind === 'citation' && next[0].citation.path, 'src/a.ts');
      assert.deepEqual(next[1], { kind: 'text', text: ' tail\nNext ' });
      assert.deepEqual(parser.end(), [{ kind: 'text', text: 'words' }]);
    });

    it('holds a citation through the fenced block that quotes it, and releases other fenced blocks line by line', () => {
      const parser = new CitationStreamParser();
      assert.deepEqual(parser.push('See a.ts:1\n```\nx\n'), [{ kind: 'text', text: 'See ' }]);
      const closed = parser.push('```\n');
      assert.equal(closed[0]?.kind === 'citation' && closed[0].citation.quote, 'x');
      assert.deepEqual(parser.push('~~~\nfree '), [{ kind: 'text', text: '~~~\nfree ' }]);
      assert.deepEqual(parser.push('text'), [{ kind: 'text', text: 'text' }]);
    });

    it('holds text after an unmatched backtick or an open bracket, which may still become a citation', () => {
      const parser = new CitationStreamParser();
      assert.deepEqual(parser.push('a `src/a.ts:3 b '), [{ kind: 'text', text: 'a ' }]);
      assert.deepEqual(parser.push('` c [x] d [y](b.ts#L2'), [{ kind: 'text', text: '`src/a.ts:3 b ` c [x] d ' }]);
      const all = [...parser.push(') e\n'), ...parser.end()];
      assert.deepEqual(citationsOf(all).map((c) => c.text), ['[y](b.ts#L2)']);
    });

    it('refuses push after end and ignores a second end', () => {
      const parser = new CitationStreamParser();
      parser.push('x');
      parser.end();
      assert.deepEqual(parser.end(), []);
      assert.throws(() => parser.push('y'), /after end/);
    });
  });
});
