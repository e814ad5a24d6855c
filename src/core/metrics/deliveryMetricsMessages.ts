import type { DoraReport } from './doraReport';

/** The window the Delivery Metrics view measures: the last N days, or explicit UTC dates (until excluded). */
export type MetricsWindow = { readonly days: number } | { readonly since: string; readonly until: string };

/** Messages from the Delivery Metrics webview to the extension. */
export type MetricsViewRequest =
  | { readonly type: 'ready' }
  | { readonly type: 'refresh' }
  | { readonly type: 'setWindow'; readonly window: MetricsWindow }
  | { readonly type: 'setFolder'; readonly index: number }
  | { readonly type: 'openDeployment'; readonly sha: string; readonly name: string };

/** Messages from the extension to the Delivery Metrics webview. */
export type MetricsViewUpdate =
  | { readonly type: 'state'; readonly folders: readonly string[]; readonly folderIndex: number; readonly window: MetricsWindow }
  | { readonly type: 'loading' }
  | { readonly type: 'report'; readonly report: DoraReport }
  | { readonly type: 'error'; readonly message: string };
