/** One benchmark figure; bench/run.mjs collects the `BENCH {json}` lines every bench prints. */
export interface BenchFigure {
  readonly name: string;
  readonly unit: string;
  readonly ours: number;
  /** The same work done by the reference (ripgrep, a raw read, …) in the same process; gives the ratio. */
  readonly reference?: number;
  /**
   * `<= 1.5x` (ratio to the reference), `<= 25 ms` (ours, in the figure's unit, words after the number ignored),
   * `overhead <= 50 ms` (ours minus the reference) or `informational`.
   */
  readonly goal: string;
}

/** Whether the figure meets its goal; undefined for an informational figure or a goal that cannot be read. */
export function goalMet(figure: BenchFigure): boolean | undefined {
  const ratioGoal = /^<=\s*([\d.]+)\s*x\b/.exec(figure.goal);
  if (ratioGoal) return figure.reference === undefined ? undefined : figure.ours / figure.reference <= Number(ratioGoal[1]);
  const overheadGoal = /^overhead\s*<=\s*([\d.]+)/.exec(figure.goal);
  if (overheadGoal) return figure.reference === undefined ? undefined : figure.ours - figure.reference <= Number(overheadGoal[1]);
  const absoluteGoal = /^<=\s*([\d.]+)/.exec(figure.goal);
  return absoluteGoal ? figure.ours <= Number(absoluteGoal[1]) : undefined;
}

export function printBenchFigure(figure: BenchFigure): void {
  const round = (value: number): number => Math.round(value * 100) / 100;
  const line: Record<string, unknown> = { name: figure.name, unit: figure.unit, ours: round(figure.ours) };
  if (figure.reference !== undefined) {
    line.reference = round(figure.reference);
    line.ratio = round(figure.ours / figure.reference);
  }
  line.goal = figure.goal;
  const met = goalMet(figure);
  if (met !== undefined) line.met = met;
  console.log(`BENCH ${JSON.stringify(line)}`);
}

/** Median of the timings. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}
