/** One benchmark figure; bench/run.mjs collects the `BENCH {json}` lines every bench prints. */
export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  /** The same work done by the reference (ripgrep, a raw read, …) in the same process; gives the ratio. */
  readonly reference?: number;
  readonly goal: string;
}

export function printBenchFigure(figure: BenchFigure): void {
  const round = (value: number): number => Math.round(value * 100) / 100;
  const line: Record<string, unknown> = { name: figure.name, unit: figure.unit, ours: round(figure.ours) };
  if (figure.reference !== undefined) {
    line.reference = round(figure.reference);
    line.ratio = round(figure.ours / figure.reference);
  }
  line.goal = figure.goal;
  console.log(`BENCH ${JSON.stringify(line)}`);
}

/** Median of the timings. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
