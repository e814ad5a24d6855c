/** The trigger concepts listed in the agent definition's "Certificate Triggers" (used when an agent file lists none). */
export const DEFAULT_CERTIFICATE_TRIGGERS: readonly string[] = [
  'review', 'evaluate', 'determine',
  'assess', 'validate', 'sign-off', 'approve', 'certify',
  'analyze', 'investigate', 'examine',
  'recommend', 'advise', 'suggest',
  'decide', 'choose', 'select',
  'verify', 'confirm', 'check',
  'audit', 'inspect', 'test',
  'compare', 'contrast', 'benchmark',
  'prioritize', 'rank', 'score',
];

/** Chat commands whose whole purpose is a judgment, so they always end with a certificate. */
const CERTIFYING_COMMANDS: readonly string[] = ['review', 'certify'];

export interface CertificateRequirementInput {
  readonly prompt: string;
  /** The chat command (`review` for `/review`), if any. */
  readonly command?: string;
  readonly triggers: readonly string[];
}

export interface CertificateRequirement {
  readonly required: boolean;
  /** Why, in words for the user: the command, or the word in the prompt and the trigger it belongs to. */
  readonly reason?: string;
}

// The nouns and spellings of a trigger that plain inflection does not produce.
const RELATED_FORMS: Readonly<Record<string, readonly string[]>> = {
  evaluate: ['evaluation'],
  determine: ['determination'],
  assess: ['assessment'],
  validate: ['validation'],
  approve: ['approval'],
  certify: ['certification'],
  analyze: ['analyse', 'analysis', 'analyses'],
  investigate: ['investigation'],
  examine: ['examination'],
  recommend: ['recommendation'],
  advise: ['advice'],
  suggest: ['suggestion'],
  decide: ['decision'],
  choose: ['choice', 'chose', 'chosen'],
  select: ['selection'],
  verify: ['verification'],
  confirm: ['confirmation'],
  inspect: ['inspection'],
  compare: ['comparison'],
  prioritize: ['prioritise', 'prioritization', 'prioritisation'],
};

/** The words a trigger stands for: itself, its inflections (review, reviews, reviewing, reviewed) and related nouns. */
export function triggerWordForms(trigger: string): string[] {
  const parts = trigger.trim().toLowerCase().split(/[-\s]+/).filter((p) => p.length > 0);
  const [first] = parts;
  if (first === undefined) return [];
  if (parts.length === 1) {
    const stems = [first, ...(RELATED_FORMS[first] ?? [])];
    return [...new Set(stems.flatMap(inflect))];
  }
  // Phrases such as "sign-off": the first word takes verb forms, the last a plural; any separator or none.
  const last = parts[parts.length - 1] ?? '';
  const middle = parts.slice(1, -1);
  const forms: string[] = [];
  for (const head of inflect(first)) {
    for (const tail of [last, plural(last)]) forms.push([head, ...middle, tail].join(' '));
  }
  return [...new Set(forms)];
}

/** True for `/review` and `/certify`, or when the prompt (outside code) uses a trigger word in any of its forms. */
export function turnRequiresCertificate(input: CertificateRequirementInput): CertificateRequirement {
  const command = input.command?.trim().replace(/^\//, '').toLowerCase();
  if (command && CERTIFYING_COMMANDS.includes(command)) {
    return { required: true, reason: `/${command} always ends with a certificate.` };
  }
  const prose = input.prompt.replace(/(```|~~~)[\s\S]*?(\1|$)/g, ' ').replace(/`[^`\n]*`/g, ' ');
  for (const trigger of input.triggers) {
    const forms = triggerWordForms(trigger);
    if (forms.length === 0) continue;
    const alternatives = forms
      .sort((a, b) => b.length - a.length)
      .map((f) => f.split(' ').map(escapeRegExp).join('[-\\s]?'))
      .join('|');
    const pattern = new RegExp(`(?<![\\p{L}\\p{N}_/\\\\.])(?:${alternatives})(?![\\p{L}\\p{N}_]|[./\\\\][\\p{L}\\p{N}_])`, 'iu');
    const match = pattern.exec(prose);
    if (match) {
      return { required: true, reason: `The request says "${match[0]}" (certificate trigger "${trigger}"), which asks for a professional judgment.` };
    }
  }
  return { required: false };
}

function inflect(word: string): string[] {
  const forms = [word, plural(word)];
  const consonantY = /[^aeiou]y$/.test(word);
  if (word.endsWith('ie')) forms.push(`${word.slice(0, -2)}ying`, `${word}d`);
  else if (word.endsWith('e') && !word.endsWith('ee')) forms.push(`${word.slice(0, -1)}ing`, `${word}d`);
  else if (consonantY) forms.push(`${word}ing`, `${word.slice(0, -1)}ied`);
  else forms.push(`${word}ing`, `${word}ed`);
  // Short consonant-vowel-consonant words double the last letter (stop → stopping).
  if (/^[^aeiou]*[aeiou][^aeiouwxy]$/.test(word)) forms.push(`${word}${word.slice(-1)}ing`, `${word}${word.slice(-1)}ed`);
  return forms;
}

function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
