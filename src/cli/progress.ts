/**
 * Progress of long commands on stderr (run, canary, validate, motifs), one reporter for all:
 * - stderr is a terminal: a cli-progress bar per stage with done/total, elapsed time and ETA;
 * - stderr is not a terminal (CI, pipes, logs): a plain line every few seconds, `ironforge: <stage> done/total,
 *   elapsed, ETA`, and a closing line for every stage that ran that long;
 * - `--quiet` (or `--no-progress`): nothing.
 * Stages report (0, 1) when they start and (1, 1) when they end (app/run.ts); a stage that reported real
 * sub-progress (e.g. 35 sessions) is not reset to 1/1 by that end mark.
 */
import cliProgress from 'cli-progress';

export interface StageProgress {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

export interface ProgressOptions {
  /** No output at all (--quiet). */
  quiet?: boolean;
  /** Draw bars (default: stderr is a TTY). */
  tty?: boolean;
  /** Plain mode: at most one line per this many ms (default 5000; env IRONFORGE_PROGRESS_MS). */
  intervalMs?: number;
  /** Plain mode output (default: stderr). */
  write?: (line: string) => void;
  /** Milliseconds clock (default Date.now). */
  now?: () => number;
}

const OFF: StageProgress = { update: () => undefined, stop: () => undefined };

/** `12.3 s`, `4 min 05 s`, `1 h 02 min`. */
export function formatDuration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(Math.round(s - 60 * m)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

interface StageState {
  done: number;
  total: number;
  /** reported more than the start/end marks (0/1, 1/1) */
  detailed: boolean;
  started: number;
  finished: boolean;
}

/** Applies one report to a stage's state; false when the report is a start/end mark to ignore. */
function advance(st: StageState, done: number, total: number): boolean {
  if (total === 1 && st.detailed) {
    if (done >= 1) st.done = st.total; // the stage's end mark: complete, not 1/1
    return done >= 1;
  }
  if (total > 1) st.detailed = true;
  st.done = done;
  st.total = total;
  return true;
}

function eta(st: StageState, now: number): string {
  const elapsed = now - st.started;
  if (st.done <= 0 || st.done >= st.total) return '';
  return `, ETA ${formatDuration((elapsed / st.done) * (st.total - st.done))}`;
}

export function stageProgress(opts: ProgressOptions | boolean = {}): StageProgress {
  const o: ProgressOptions = typeof opts === 'boolean' ? { quiet: !opts } : opts;
  if (o.quiet) return OFF;
  const now = o.now ?? Date.now;
  const states = new Map<string, StageState>();
  const state = (stage: string): StageState => {
    let st = states.get(stage);
    if (!st) {
      st = { done: 0, total: 1, detailed: false, started: now(), finished: false };
      states.set(stage, st);
    }
    return st;
  };
  const tty = o.tty ?? Boolean(process.stderr.isTTY);
  if (!tty) {
    const envMs = Number(process.env.IRONFORGE_PROGRESS_MS);
    const interval = o.intervalMs ?? (Number.isFinite(envMs) && envMs >= 0 ? envMs : 5000);
    const write = o.write ?? ((line: string) => process.stderr.write(line + '\n'));
    let last = now();
    const line = (stage: string, st: StageState, t: number) =>
      `ironforge: ${stage} ${st.done}/${st.total}, ${formatDuration(t - st.started)} elapsed${st.done >= st.total ? ', done' : eta(st, t)}`;
    return {
      update(stage, done, total) {
        const st = state(stage);
        if (!advance(st, done, total)) return;
        const t = now();
        const finished = st.done >= st.total;
        // a closing line for every stage that ran long enough to have been reported on
        if (finished && !st.finished) {
          st.finished = true;
          if (t - st.started >= interval) {
            write(line(stage, st, t));
            last = t;
          }
          return;
        }
        if (!finished) st.finished = false;
        if (t - last >= interval) {
          write(line(stage, st, t));
          last = t;
        }
      },
      stop: () => undefined,
    };
  }
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {stage} [{bar}] {value}/{total} | {duration_formatted} | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(stage, done, total) {
      const st = state(stage);
      if (!advance(st, done, total)) return;
      let bar = bars.get(stage);
      if (!bar) {
        bar = multi.create(st.total, 0, { stage: stage.padEnd(11) });
        bars.set(stage, bar);
      }
      bar.setTotal(st.total);
      bar.update(st.done, { stage: stage.padEnd(11) });
    },
    stop() {
      multi.stop();
    },
  };
}
