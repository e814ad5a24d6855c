import * as vscode from 'vscode';

/**
 * File watchers miss changes on some set-ups (measured in code-server: no events for files in folders created
 * after the watch started, none for in-place edits), so a visible view is also polled. Polls only stat files;
 * the interval grows with the cost of a poll so that thousands of files stay cheap.
 */
export function pollWhileVisible(view: vscode.TreeView<unknown>, poll: () => Promise<void>, minIntervalMs = 2_000): vscode.Disposable {
  let timer: NodeJS.Timeout | undefined;
  let interval = minIntervalMs;
  let disposed = false;
  const schedule = (): void => {
    if (disposed || timer || !view.visible) return;
    timer = setTimeout(async () => {
      const started = Date.now();
      try {
        await poll();
      } catch {
        // a failed poll is retried next time; the view shows what it had
      }
      interval = Math.max(minIntervalMs, (Date.now() - started) * 20);
      timer = undefined;
      schedule();
    }, interval);
  };
  const visibility = view.onDidChangeVisibility(() => schedule());
  schedule();
  return new vscode.Disposable(() => {
    disposed = true;
    if (timer) clearTimeout(timer);
    visibility.dispose();
  });
}
