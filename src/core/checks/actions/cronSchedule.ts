// POSIX cron as GitHub Actions `on.schedule[].cron` accepts it: five fields, numbers, ranges, steps, lists, names.

interface CronField {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 6, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

function fieldValue(text: string, field: CronField): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index < 0) return undefined;
  return field.min + index;
}

function fieldError(text: string, field: CronField): string | undefined {
  for (const item of text.split(',')) {
    const [rangePart, stepPart, extra] = item.split('/');
    if (extra !== undefined || rangePart === undefined || rangePart === '') return `invalid ${field.name} "${item}"`;
    if (stepPart !== undefined && (!/^\d+$/.test(stepPart) || Number(stepPart) === 0)) {
      return `invalid step "${stepPart}" in ${field.name}`;
    }
    if (rangePart === '*') continue;
    const bounds = rangePart.split('-');
    if (bounds.length > 2) return `invalid range "${rangePart}" in ${field.name}`;
    const values: number[] = [];
    for (const bound of bounds) {
      const value = fieldValue(bound, field);
      if (value === undefined) return `"${bound}" is not a valid ${field.name}`;
      if (value < field.min || value > field.max) {
        return `${field.name} ${value} is out of range ${field.min}-${field.max}`;
      }
      values.push(value);
    }
    if (values.length === 2 && (values[0] as number) > (values[1] as number)) {
      return `range "${rangePart}" in ${field.name} runs backwards`;
    }
  }
  return undefined;
}

/** Why a cron expression is invalid, or undefined when it is valid. */
export function cronError(expression: string): string | undefined {
  const fields = expression.trim().split(/\s+/).filter((field) => field !== '');
  if (fields.length !== 5) return `expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`;
  for (let index = 0; index < 5; index += 1) {
    const error = fieldError(fields[index] as string, FIELDS[index] as CronField);
    if (error) return error;
  }
  return undefined;
}
