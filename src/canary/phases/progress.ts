/**
 * The run's phase clock: wall time of each named phase (canary.json `phases`) and the progress hooks of the
 * caller (a progress bar). A phase lasts until the next one starts; `end()` closes the last.
 */
import type { CanaryOptions } from '../options.js';

/** Progress within the current phase (work items done so far). */
export type Tick = (done: number) => void;

export class PhaseTimer {
  readonly phases: { name: string; seconds: number }[] = [];
  private name = '';
  private t0: number;
  /** Reports progress within the current phase to the caller's `onProgress`. */
  readonly tick: Tick;

  constructor(
    private readonly hooks: Pick<CanaryOptions, 'onPhase' | 'onProgress'>,
    t0: number,
  ) {
    this.t0 = t0;
    this.tick = (done) => hooks.onProgress?.(done);
  }

  /** Ends the current phase (if any) and starts `name` with `total` work items. */
  start(name: string, total = 0): void {
    const now = performance.now();
    if (this.name) this.phases.push({ name: this.name, seconds: (now - this.t0) / 1000 });
    this.name = name;
    this.t0 = now;
    if (name) this.hooks.onPhase?.(name, total);
  }

  /** Ends the current phase. */
  end(): void {
    this.start('');
  }
}
