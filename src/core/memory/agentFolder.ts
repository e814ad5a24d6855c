import * as path from 'node:path';

/** Where every agent keeps its working memory and certificates, relative to a workspace folder. */
export const AGENTS_FOLDER = 'docs/ai/agents';

const AGENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/** An agent name that cannot be used as a folder name (it would escape docs/ai/agents/). */
export class AgentNameError extends Error {
  override readonly name = 'AgentNameError';
}

/** Throws AgentNameError unless the name is a single safe path segment such as `devops-engineer`. */
export function assertAgentName(agent: string): void {
  if (!AGENT_NAME.test(agent) || agent.includes('..')) {
    throw new AgentNameError(
      `Agent name ${JSON.stringify(agent)} cannot name a folder: use letters, digits, '.', '_' or '-' (for example devops-engineer).`,
    );
  }
}

/** `<root>/docs/ai/agents/<agent>`, after checking the agent name. */
export function agentFolderOf(root: string, agent: string): string {
  assertAgentName(agent);
  return path.join(root, ...AGENTS_FOLDER.split('/'), agent);
}
