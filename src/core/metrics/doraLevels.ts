/** DORA performance levels, from the performance clusters of the Accelerate State of DevOps Report 2023. */
export type DoraLevel = 'elite' | 'high' | 'medium' | 'low';

export const DORA_LEVEL_SOURCE =
  'DORA, Accelerate State of DevOps Report 2023, software delivery performance clusters (elite, high, medium); ' +
  'a figure beyond the medium range is low. Rework rate has no published levels.';

/** Upper bounds (exclusive) of elite, high and medium; anything else is low. */
export interface LevelThresholds {
  readonly elite: number;
  readonly high: number;
  readonly medium: number;
  /** How the thresholds read, for the level's explanation. */
  readonly text: string;
}

// Lead time: elite less than one day, high one day to one week, medium one week to one month.
export const LEAD_TIME_HOURS: LevelThresholds = { elite: 24, high: 168, medium: 720, text: 'elite < 1 day, high < 1 week, medium < 1 month, else low' };
// Failed deployment recovery time: elite less than one hour, high less than one day, medium one day to one week.
export const RECOVERY_HOURS: LevelThresholds = { elite: 1, high: 24, medium: 168, text: 'elite < 1 hour, high < 1 day, medium < 1 week, else low' };
// Change failure rate: elite 5 %, high 10 %, medium 15 %.
export const CHANGE_FAILURE_RATE: LevelThresholds = { elite: 0.05, high: 0.1, medium: 0.15, text: 'elite ≤ 5 %, high ≤ 10 %, medium ≤ 15 %, else low' };
// Deployment frequency in days between deployments: elite on demand (daily or more), high daily to weekly, medium weekly to monthly.
export const DAYS_BETWEEN_DEPLOYMENTS: LevelThresholds = { elite: 1, high: 7, medium: 30, text: 'elite at least daily, high at least weekly, medium at least monthly, else low' };

/** Level of a figure where smaller is better; `inclusive` makes the bounds part of the better level. */
export function levelOf(value: number | null, thresholds: LevelThresholds, inclusive = false): DoraLevel | null {
  if (value === null || !Number.isFinite(value)) return null;
  const within = (bound: number): boolean => (inclusive ? value <= bound : value < bound);
  if (within(thresholds.elite)) return 'elite';
  if (within(thresholds.high)) return 'high';
  if (within(thresholds.medium)) return 'medium';
  return 'low';
}
