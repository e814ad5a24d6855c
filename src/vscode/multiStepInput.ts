import * as vscode from 'vscode';

/** Returned when the user pressed the Back button of a step. */
export const STEP_BACK = Symbol('step back');
export type StepResult<T> = T | typeof STEP_BACK | undefined;

export interface StepHeader {
  readonly title: string;
  /** 1-based; shown as "step/totalSteps" in the title bar. */
  readonly step: number;
  readonly totalSteps: number;
}

export interface TextStepOptions extends StepHeader {
  readonly prompt: string;
  readonly placeholder?: string;
  readonly value?: string;
  /** Empty input is accepted (and returned as '') only when true. */
  readonly optional?: boolean;
  /** A message when the value cannot be used, undefined when it can. */
  readonly validate?: (value: string) => string | undefined;
}

export interface PickStepOptions<T extends vscode.QuickPickItem> extends StepHeader {
  readonly placeholder: string;
  readonly items: readonly T[];
  readonly activeItem?: T;
  readonly matchOnDetail?: boolean;
}

/** One input box step with "Step n/m" in its title, a Back button after the first step; Escape resolves undefined. */
export function askText(options: TextStepOptions): Promise<StepResult<string>> {
  const box = vscode.window.createInputBox();
  box.title = vscode.l10n.t('{0} — Step {1}/{2}', options.title, options.step, options.totalSteps);
  box.step = options.step;
  box.totalSteps = options.totalSteps;
  box.prompt = options.prompt;
  box.placeholder = options.placeholder;
  box.value = options.value ?? '';
  box.ignoreFocusOut = true;
  box.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  const check = (value: string): string | undefined => {
    if (value.trim().length === 0) return options.optional ? undefined : vscode.l10n.t('Required.');
    return options.validate?.(value);
  };
  return new Promise<StepResult<string>>((resolve) => {
    let settled = false;
    const finish = (result: StepResult<string>): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      box.dispose();
    };
    const subscriptions = [
      box.onDidChangeValue((value) => { box.validationMessage = value.length === 0 ? undefined : check(value); }),
      box.onDidAccept(() => {
        const problem = check(box.value);
        if (problem) {
          box.validationMessage = problem;
          return;
        }
        finish(box.value.trim());
      }),
      box.onDidTriggerButton((button) => { if (button === vscode.QuickInputButtons.Back) finish(STEP_BACK); }),
      box.onDidHide(() => finish(undefined)),
    ];
    box.onDidHide(() => subscriptions.forEach((s) => s.dispose()));
    box.show();
  });
}

/** One quick pick step with "Step n/m" in its title, a Back button after the first step; Escape resolves undefined. */
export function askPick<T extends vscode.QuickPickItem>(options: PickStepOptions<T>): Promise<StepResult<T>> {
  const pick = vscode.window.createQuickPick<T>();
  pick.title = vscode.l10n.t('{0} — Step {1}/{2}', options.title, options.step, options.totalSteps);
  pick.step = options.step;
  pick.totalSteps = options.totalSteps;
  pick.placeholder = options.placeholder;
  pick.items = options.items;
  pick.matchOnDetail = options.matchOnDetail ?? false;
  pick.ignoreFocusOut = true;
  if (options.activeItem) pick.activeItems = [options.activeItem];
  pick.buttons = options.step > 1 ? [vscode.QuickInputButtons.Back] : [];
  return new Promise<StepResult<T>>((resolve) => {
    let settled = false;
    const finish = (result: StepResult<T>): void => {
      if (settled) return;
      settled = true;
      resolve(result);
      pick.dispose();
    };
    const subscriptions = [
      pick.onDidAccept(() => {
        const chosen = pick.selectedItems[0] ?? pick.activeItems[0];
        if (chosen) finish(chosen);
      }),
      pick.onDidTriggerButton((button) => { if (button === vscode.QuickInputButtons.Back) finish(STEP_BACK); }),
      pick.onDidHide(() => finish(undefined)),
    ];
    pick.onDidHide(() => subscriptions.forEach((s) => s.dispose()));
    pick.show();
  });
}

/**
 * Runs steps in order: each gets the answers so far and returns true to go on, STEP_BACK to return to the previous
 * step, or undefined to cancel. Resolves true only when every step finished.
 */
export async function runSteps(steps: readonly (() => Promise<boolean | typeof STEP_BACK | undefined>)[]): Promise<boolean> {
  let index = 0;
  while (index < steps.length) {
    const step = steps[index];
    if (!step) break;
    const result = await step();
    if (result === undefined || result === false) return false;
    index = result === STEP_BACK ? Math.max(0, index - 1) : index + 1;
  }
  return true;
}
