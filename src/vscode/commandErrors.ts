import * as vscode from 'vscode';
import { errorMessage } from '../core/errors/errorText';

/** Wraps a command so a failure shows as an error message instead of an unhandled rejection. */
export function guarded<A extends unknown[]>(run: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await run(...args);
    } catch (error) {
      void vscode.window.showErrorMessage(errorMessage(error));
    }
  };
}
