/** Exit codes every `devops-agent` subcommand uses. */
export const EXIT_OK = 0;
/** A check failed (an invalid agent file, an unverified citation, a tampered certificate, a tool error). */
export const EXIT_CHECK_FAILED = 1;
/** Bad usage or unreadable input. */
export const EXIT_USAGE = 2;
/** Refused by policy (a denied tool call, or an "ask" without --yes). */
export const EXIT_REFUSED = 3;
/** The call ran (or was refused) but its audit-log entry could not be written. */
export const EXIT_AUDIT_FAILED = 4;
/** devops-agent itself failed unexpectedly (sysexits EX_SOFTWARE); the message says what happened. */
export const EXIT_INTERNAL_ERROR = 70;

/** Thrown by a subcommand for a usage or input error; main prints the message and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
