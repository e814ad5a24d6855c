import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const DAY_SECONDS = 86_400;

/** A real git repository whose commits and tags get exact dates: day offsets from `start` (seconds, UTC). */
export class DatedGitRepo {
  private counter = 0;
  constructor(readonly dir: string, readonly start: number) {
    fs.mkdirSync(dir, { recursive: true });
    this.git(0, 'init', '-q', '-b', 'main');
    this.git(0, 'config', 'user.name', 'Release Tester');
    this.git(0, 'config', 'user.email', 'release@example.com');
    this.git(0, 'config', 'commit.gpgsign', 'false');
    this.git(0, 'config', 'tag.gpgsign', 'false');
  }

  git(day: number, ...args: string[]): string {
    const date = `${Math.round(this.start + day * DAY_SECONDS)} +0000`;
    return execFileSync('git', args, {
      cwd: this.dir,
      encoding: 'utf8',
      env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    }).trim();
  }

  /** Commits a change to a new file on the current branch at `day`; returns the full sha. */
  commit(day: number, message: string): string {
    this.counter += 1;
    fs.writeFileSync(path.join(this.dir, `change-${this.counter}.txt`), `${message}\n`);
    this.git(day, 'add', '.');
    this.git(day, 'commit', '-q', '-m', message);
    return this.git(day, 'rev-parse', 'HEAD');
  }

  /** Annotated tag: its tagger date is `day`. */
  annotatedTag(day: number, name: string, target = 'HEAD'): void {
    this.git(day, 'tag', '-a', name, '-m', `release ${name}`, target);
  }

  /** Lightweight tag: its time is the tagged commit's committer date. */
  lightweightTag(name: string, target = 'HEAD'): void {
    this.git(0, 'tag', name, target);
  }
}

export const utcSeconds = (isoDate: string): number => Date.parse(`${isoDate}T00:00:00Z`) / 1000;
