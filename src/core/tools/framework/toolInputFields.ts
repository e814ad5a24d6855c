import { ToolInputError } from './tool';

/**
 * Reads typed fields out of raw model input, throwing ToolInputError messages that name the tool and the field,
 * so the model can correct its call.
 */
export class ToolInputFields {
  private readonly record: Record<string, unknown>;

  constructor(
    private readonly toolName: string,
    input: unknown,
    example: string,
  ) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new ToolInputError(`${toolName}: input must be an object like ${example}.`);
    }
    this.record = input as Record<string, unknown>;
  }

  private fail(message: string): never {
    throw new ToolInputError(`${this.toolName}: ${message}`);
  }

  /** The raw value, or undefined when absent or null. */
  raw(key: string): unknown {
    const value = this.record[key];
    return value === null ? undefined : value;
  }

  optionalString(key: string): string | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'string') this.fail(`"${key}" must be a string.`);
    if (value.includes('\u0000')) this.fail(`"${key}" must not contain NUL characters.`);
    return value.trim().length === 0 ? undefined : value;
  }

  requiredString(key: string, what: string): string {
    const value = this.optionalString(key);
    if (value === undefined) this.fail(`"${key}" is required: ${what}.`);
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') this.fail(`"${key}" must be true or false.`);
    return value;
  }

  optionalInteger(key: string, min: number, max: number): number | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.fail(`"${key}" must be a whole number from ${min} to ${max}.`);
    }
    return value;
  }

  requiredInteger(key: string, min: number, max: number): number {
    const value = this.optionalInteger(key, min, max);
    if (value === undefined) this.fail(`"${key}" is required (a whole number from ${min} to ${max}).`);
    return value;
  }

  /** A list of strings; a single string is accepted as a list of one. */
  optionalStringList(key: string): string[] | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.some((item) => typeof item !== 'string' || item.includes('\u0000'))) {
      this.fail(`"${key}" must be a list of strings.`);
    }
    const strings = (list as string[]).filter((item) => item.trim().length > 0);
    return strings.length === 0 ? undefined : strings;
  }

  /** A flat object of string values (numbers and booleans are turned into strings). */
  optionalStringMap(key: string): Record<string, string> | undefined {
    const value = this.raw(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) this.fail(`"${key}" must be an object of NAME: "value" pairs.`);
    const map: Record<string, string> = {};
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(name)) this.fail(`"${key}" has an invalid name "${name}" (letters, digits, _ . -; not starting with a digit).`);
      if (typeof item !== 'string' && typeof item !== 'number' && typeof item !== 'boolean') this.fail(`"${key}.${name}" must be a string.`);
      const text = String(item);
      if (text.includes('\u0000')) this.fail(`"${key}.${name}" must not contain NUL characters.`);
      map[name] = text;
    }
    return map;
  }

  /** One of the allowed words. */
  requiredChoice<T extends string>(key: string, choices: readonly T[]): T {
    const value = this.raw(key);
    if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
      this.fail(`"${key}" must be one of: ${choices.join(', ')}.`);
    }
    return value as T;
  }
}
