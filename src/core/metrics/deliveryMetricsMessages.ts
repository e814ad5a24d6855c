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

/**
 * The webview's own texts, translated by the extension (vscode.l10n) and handed to the page with its HTML;
 * `{0}`, `{1}`… are filled in by the page.
 */
export interface MetricsViewText {
  readonly lastDays: string;
  readonly dates: string;
  readonly giveBothDates: string;
  readonly hours: string;
  readonly days: string;
  readonly percent: string;
  readonly noLevel: string;
  readonly noDoraLevel: string;
  readonly weekOf: string;
  readonly windowStatus: string;
  readonly tagsDeployments: string;
  readonly mergesDeployments: string;
  readonly deployments: string;
  readonly deploymentsDetail: string;
  readonly leadTime: string;
  readonly leadTimeDetail: string;
  readonly changeFailureRate: string;
  readonly changeFailureRateDetail: string;
  readonly recoveryTime: string;
  readonly recoveryTimeDetailOne: string;
  readonly recoveryTimeDetail: string;
  readonly reworkRate: string;
  readonly reworkRateDetail: string;
  readonly levelsSource: string;
  readonly deploymentsChartTitle: string;
  readonly deploymentsChartLabel: string;
  readonly deploymentsSeries: string;
  readonly leadTimeChartTitle: string;
  readonly leadTimeChartLabel: string;
  readonly leadTimeSeries: string;
  readonly failuresChartTitle: string;
  readonly failuresChartLabelOne: string;
  readonly failuresChartLabel: string;
  readonly failuresSeries: string;
  readonly recoverySeries: string;
  readonly tableSummary: string;
  readonly tableRegion: string;
  readonly tableCaption: string;
  readonly columnWeek: string;
  readonly columnDeployments: string;
  readonly columnLeadTime: string;
  readonly columnLeadTimeTitle: string;
  readonly columnFailures: string;
  readonly columnFailuresTitle: string;
  readonly columnRecovery: string;
  readonly columnRecoveryTitle: string;
  readonly openCommit: string;
  readonly failedFixedBy: string;
  readonly deploymentsHeading: string;
  readonly columnDeployment: string;
  readonly columnDate: string;
  readonly columnChanges: string;
  readonly columnFailure: string;
  readonly historyRead: string;
  readonly historyReadCached: string;
  readonly readingHistory: string;
}
