import { ToolInputError } from './tool';

/** Throws a ToolInputError naming fields the tool does not take, with the closest known name as a suggestion. */
export function rejectUnknownFields(toolName: string, input: unknown, known: readonly string[]): void {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return;
  const unknown = Object.keys(input).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  const described = unknown.map((key) => {
    const suggestion = closest(key, known);
    return suggestion === undefined ? `"${key}"` : `"${key}" (did you mean "${suggestion}"?)`;
  });
  throw new ToolInputError(`${toolName}: unknown field${unknown.length > 1 ? 's' : ''} ${described.join(', ')}; the fields are: ${known.join(', ')}.`);
}

function closest(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase().replace(/[-_]/g, '');
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const name of known) {
    const plain = name.toLowerCase().replace(/[-_]/g, '');
    const distance = plain.includes(wanted) || wanted.includes(plain) ? 1 : editDistance(wanted, plain);
    if (distance < bestDistance) {
      best = name;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((previous[j] as number) + 1, (row[j - 1] as number) + 1, (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[b.length] as number;
}
