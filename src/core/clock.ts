/**
 * Stages never read the clock: a stage that reports how long its parts took takes a `Clock` from its caller
 * (the application layer passes `performance.now`) and reports `null` timings without one, so a stage's output
 * stays a function of its inputs.
 */
export type Clock = () => number;

/** Milliseconds since `t0` on `clock`, or null without a clock. */
export function elapsedMs(clock: Clock | undefined, t0: number | null): number | null {
  return clock && t0 !== null ? clock() - t0 : null;
}

/** The current reading of `clock`, or null without one. */
export function readClock(clock: Clock | undefined): number | null {
  return clock ? clock() : null;
}
