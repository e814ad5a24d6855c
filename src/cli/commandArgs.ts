import type { ParseArgsConfig } from 'node:util';
import { parseArgs } from 'node:util';
import { UsageError } from './exitCodes';
import { errorMessage } from '../core/errors/errorText';

/** node:util parseArgs, with a bad option or argument turned into a usage error that ends with the command's help. */
export function parseCommandArgs<T extends ParseArgsConfig>(config: T, help: string): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (error) {
    throw new UsageError(`${errorMessage(error)}\n\n${help}`);
  }
}
