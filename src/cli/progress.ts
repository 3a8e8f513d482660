/**
 * Per-stage progress bars on stderr (cli-progress). Off when stderr is not a TTY (CI, pipes) or with --quiet,
 * so logs stay clean; stage start/finish lines are printed instead when `verbose`.
 */
import cliProgress from 'cli-progress';

export interface StageProgress {
  update(stage: string, done: number, total: number): void;
  stop(): void;
}

export function stageProgress(enabled = Boolean(process.stderr.isTTY)): StageProgress {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const multi = new cliProgress.MultiBar(
    {
      stream: process.stderr,
      format: ' {stage} [{bar}] {value}/{total}',
      hideCursor: true,
      clearOnComplete: false,
      barsize: 30,
    },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  return {
    update(stage, done, total) {
      let bar = bars.get(stage);
      if (!bar) {
        bar = multi.create(total, 0, { stage: stage.padEnd(11) });
        bars.set(stage, bar);
      }
      bar.setTotal(total);
      bar.update(done, { stage: stage.padEnd(11) });
    },
    stop() {
      multi.stop();
    },
  };
}
