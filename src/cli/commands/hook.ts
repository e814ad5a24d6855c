import { answerClaudeCodeHook } from '../../core/hooks/claudeCodeHook';
import type { CliIo } from '../cliIo';
import { EXIT_CHECK_FAILED, EXIT_OK } from '../exitCodes';
import { errorMessage } from '../../core/errors/errorText';

const HELP = `Usage: devops-agent hook claude-code

A Claude Code hook (configure it with \`devops-agent init claude-code\`). Reads one hook event as JSON on stdin:
  Stop, SubagentStop  verify every path:line citation in the last answer against cwd (and what the conversation
                      read); wrong ones block with the list; review work with no certificate blocks once.
                      Never blocks when stop_hook_active is true.
  PreToolUse          Write, Edit, MultiEdit, Read, Bash: confinement to cwd, the secret deny list, the no-mock
                      guard on what an edit adds, the preserve-work guard -> permissionDecision "deny" with a reason.
  PostToolUse         secrets in a tool's output are reported back to Claude.
Other events and calls pass silently.

Exit codes: 0 answered (JSON on stdout when there is something to say); 1 bad input or an internal error (a
non-blocking hook error; the message is on stderr). Never 2, which would block the user.`;

export async function runHookCommand(args: string[], io: CliIo): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(HELP);
    return EXIT_OK;
  }
  // usage errors exit 1, not the CLI's usual 2: Claude Code treats exit 2 as "block"
  if (args.length !== 1 || args[0] !== 'claude-code') {
    io.err(`devops-agent hook: expected \`hook claude-code\`, got \`hook ${args.join(' ')}\`\n\n${HELP}`);
    return EXIT_CHECK_FAILED;
  }
  let stdin: string;
  try {
    stdin = await io.readStdin();
  } catch (error) {
    io.err(`devops-agent hook claude-code: cannot read stdin: ${errorMessage(error)}`);
    return EXIT_CHECK_FAILED;
  }
  const answer = await answerClaudeCodeHook(stdin);
  if (answer.stdout !== undefined) io.out(answer.stdout);
  if (answer.stderr !== undefined) io.err(answer.stderr);
  return answer.exitCode === 0 ? EXIT_OK : EXIT_CHECK_FAILED;
}
