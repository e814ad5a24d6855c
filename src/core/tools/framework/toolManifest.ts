import type { Tool } from './tool';

/** One `contributes.languageModelTools` entry of package.json. */
export interface LanguageModelToolContribution {
  readonly name: string;
  readonly displayName: string;
  readonly toolReferenceName: string;
  readonly canBeReferencedInPrompt: true;
  readonly icon: string;
  readonly userDescription: string;
  readonly modelDescription: string;
  readonly tags: readonly string[];
  readonly inputSchema: object;
}

const ICONS: Readonly<Record<string, string>> = {
  Read: '$(file)', Write: '$(new-file)', Edit: '$(edit)', Glob: '$(files)', Grep: '$(search)', Bash: '$(terminal)',
  Git: '$(git-commit)', Docker: '$(package)', memory_read: '$(notebook)', memory_update: '$(notebook)',
  decision_record: '$(law)', certificate_create: '$(verified)', dora: '$(graph)', devops_check: '$(checklist)',
};
// Names that read badly when only capitalised.
const DISPLAY_NAMES: Readonly<Record<string, string>> = { dora: 'Delivery Metrics (DORA)', devops_check: 'DevOps Checks' };

/**
 * The manifest entries for the harness tools, derived from the tools themselves so package.json cannot drift
 * from the code (`npm run sync-manifest` writes them; a unit test compares).
 */
export function languageModelToolContributions(tools: readonly Tool[]): LanguageModelToolContribution[] {
  return tools.map((tool) => ({
    name: tool.id,
    displayName: `DevOps Agent: ${DISPLAY_NAMES[tool.name] ?? tool.name.replace(/_/g, ' ')}`,
    // `#devopsRead`, `#devopsBash`: prefixed so they never clash with other extensions' references
    toolReferenceName: `devops${tool.name.replace(/^devops_/, '').split('_').map((w) => w[0]?.toUpperCase() + w.slice(1)).join('')}`,
    canBeReferencedInPrompt: true,
    icon: ICONS[tool.name] ?? '$(tools)',
    userDescription: firstSentence(tool.description),
    modelDescription: tool.description,
    tags: ['devops-agent', `devops-agent-${tool.risk}`],
    inputSchema: tool.inputSchema,
  }));
}

function firstSentence(text: string): string {
  const match = /^(.+?[.!?])(\s|$)/s.exec(text.trim());
  return (match?.[1] ?? text).replace(/\s+/g, ' ').trim();
}
