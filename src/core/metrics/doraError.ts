/** Why delivery metrics cannot be measured for a repository; each kind has a fix the message states. */
export type DoraProblem =
  | 'not-a-repository'
  | 'no-commits'
  | 'single-commit'
  | 'shallow-clone'
  | 'no-deployments'
  | 'branch-not-found'
  | 'bad-setting'
  | 'git-failed';

/** A repository or a setting that cannot give delivery metrics; `message` says what is missing and `fix` how to fix it. */
export class DoraError extends Error {
  override readonly name = 'DoraError';
  constructor(readonly problem: DoraProblem, message: string, readonly fix: string) {
    super(`${message} ${fix}`);
  }
}
