import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { listDockerContext, packDockerBuildContext, parseDockerignore } from '../../../../../src/core/tools/docker/dockerBuildContext';

function write(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
}

/** Names, owners and contents of a tar, read with the system tar (an independent reader). */
async function tarEntries(stream: NodeJS.ReadableStream, dir: string): Promise<{ names: string[]; listing: string; extracted: string }> {
  const file = path.join(dir, `context-${Math.random().toString(36).slice(2)}.tar`);
  await pipeline(stream, fs.createWriteStream(file));
  const names = execFileSync('tar', ['-tf', file], { encoding: 'utf8' })
    .split('\n')
    .filter((n) => n !== '')
    .map((n) => n.replace(/\/$/, ''));
  const listing = execFileSync('tar', ['--numeric-owner', '-tvf', file], { encoding: 'utf8' });
  const extracted = fs.mkdtempSync(path.join(dir, 'x-'));
  execFileSync('tar', ['-xf', file, '-C', extracted]);
  return { names: names.sort(), listing, extracted };
}

describe('core/tools/docker/dockerBuildContext', () => {
  let tmp: string;

  before(() => {
    tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'docker-context-')));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('reads .dockerignore like the docker CLI: comments, blanks, cleaning, leading slash, exceptions, BOM', () => {
    assert.deepEqual(parseDockerignore('\uFEFF# comment\n\n  /abs/path/  \ndir/\n!  keep.txt\n ./a/../b\n*.log\r\n  #not-a-comment\n'), [
      'abs/path',
      'dir',
      '!keep.txt',
      'b',
      '*.log',
      '#not-a-comment',
    ]);
  });

  it('excludes files and folders, walks into an excluded folder only for an exception, keeps Dockerfile and .dockerignore', async () => {
    const context = path.join(tmp, 'ctx');
    write(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    write(path.join(context, '.dockerignore'), 'secret.txt\nlogs\n!logs/keep.log\n*.md\n**/*.tmp\nnode_modules\nDockerfile\n.dockerignore\n');
    write(path.join(context, 'secret.txt'), 'secret\n');
    write(path.join(context, 'keep.txt'), 'keep\n');
    write(path.join(context, 'README.md'), 'readme\n');
    write(path.join(context, 'docs', 'guide.md'), 'nested md files are not matched by *.md\n');
    write(path.join(context, 'docs', 'draft.tmp'), 'tmp\n');
    write(path.join(context, 'a', 'b', 'c.tmp'), 'tmp\n');
    write(path.join(context, 'a', 'b', 'c.txt'), 'c\n');
    write(path.join(context, 'logs', 'noise.log'), 'noise\n');
    write(path.join(context, 'logs', 'keep.log'), 'keep me\n');
    write(path.join(context, 'node_modules', 'pkg', 'index.js'), 'x\n');
    fs.symlinkSync('keep.txt', path.join(context, 'link-to-keep'));

    const listing = await listDockerContext(context, 'Dockerfile');
    assert.deepEqual([...listing.entries].sort(), ['.dockerignore', 'Dockerfile', 'a', 'a/b', 'a/b/c.txt', 'docs', 'docs/guide.md', 'keep.txt', 'link-to-keep', 'logs/keep.log']);
    // secret.txt, README.md, docs/draft.tmp, a/b/c.tmp, logs/noise.log and node_modules (once, not walked)
    assert.equal(listing.excluded, 6);

    const packed = await packDockerBuildContext(context, path.join(context, 'Dockerfile'));
    assert.equal(packed.dockerfileName, 'Dockerfile');
    const tar = await tarEntries(packed.tarStream, tmp);
    assert.deepEqual(tar.names, ['.dockerignore', 'Dockerfile', 'a', 'a/b', 'a/b/c.txt', 'docs', 'docs/guide.md', 'keep.txt', 'link-to-keep', 'logs/keep.log']);
    assert.equal(fs.readFileSync(path.join(tar.extracted, 'logs', 'keep.log'), 'utf8'), 'keep me\n');
    assert.equal(fs.readlinkSync(path.join(tar.extracted, 'link-to-keep')), 'keep.txt');
    for (const line of tar.listing.trim().split('\n')) assert.match(line, /^\S+ 0\/0 /, `owned by root like docker build: ${line}`);
  });

  it('matches case-sensitively on Linux and treats a pattern as matching its whole subtree', async () => {
    const context = path.join(tmp, 'ctx-case');
    write(path.join(context, 'Dockerfile'), 'FROM scratch\n');
    write(path.join(context, '.dockerignore'), 'build\nTEMP\n');
    write(path.join(context, 'build', 'deep', 'out.bin'), 'x');
    write(path.join(context, 'temp', 'x.txt'), 'x');
    const listing = await listDockerContext(context, 'Dockerfile');
    assert.deepEqual([...listing.entries].sort(), process.platform === 'win32' ? ['.dockerignore', 'Dockerfile'] : ['.dockerignore', 'Dockerfile', 'temp', 'temp/x.txt']);
  });

  it('adds a Dockerfile from outside the context under a generated name, as the docker CLI does', async () => {
    const context = path.join(tmp, 'ctx-outside');
    write(path.join(context, 'app.txt'), 'app\n');
    const dockerfile = path.join(tmp, 'elsewhere', 'Build.dockerfile');
    write(dockerfile, 'FROM scratch\nCOPY app.txt /\n');
    const packed = await packDockerBuildContext(context, dockerfile);
    assert.match(packed.dockerfileName, /^\.dockerfile\.[0-9a-f]{20}$/);
    const tar = await tarEntries(packed.tarStream, tmp);
    assert.deepEqual(tar.names, [packed.dockerfileName, 'app.txt'].sort());
    assert.equal(fs.readFileSync(path.join(tar.extracted, packed.dockerfileName), 'utf8'), 'FROM scratch\nCOPY app.txt /\n');
  });

  it('packs a context without .dockerignore whole, and a Dockerfile in a subfolder by its relative name', async () => {
    const context = path.join(tmp, 'ctx-plain');
    write(path.join(context, 'docker', 'api.Dockerfile'), 'FROM scratch\n');
    write(path.join(context, 'src', 'main.go'), 'package main\n');
    const packed = await packDockerBuildContext(context, path.join(context, 'docker', 'api.Dockerfile'));
    assert.equal(packed.dockerfileName, 'docker/api.Dockerfile');
    assert.equal(packed.excluded, 0);
    const tar = await tarEntries(packed.tarStream, tmp);
    assert.deepEqual(tar.names, ['docker', 'docker/api.Dockerfile', 'src', 'src/main.go']);
  });
});
