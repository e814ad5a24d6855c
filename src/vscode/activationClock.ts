import { performance } from 'node:perf_hooks';

/** Measures how long activate() takes, for the activation benchmark and its integration test. */
export class ActivationClock {
  private readonly started = performance.now();
  private finished: number | undefined;

  stop(): void {
    this.finished = performance.now();
  }

  get milliseconds(): number | undefined {
    return this.finished === undefined ? undefined : this.finished - this.started;
  }
}
