/**
 * Session shards encoded ahead of the run folder's writing, while the workers count motif nulls and this thread
 * is otherwise idle: on the bundled sample the shards were ~0.4 s of the main thread's work after the last null
 * batch. Within a byte budget, so a long run holds at most that much of them (the rest are encoded as they are
 * written, as before). The bytes are the ones the writer would produce (same function); which shards come from
 * here changes no output.
 */
import type { Session } from '../session/index.js';
import type { EncodedShard } from '../store/index.js';

/** Most bytes of encoded shards held ahead of writing. */
export const SHARD_PREFETCH_BYTES = 128 * 2 ** 20;

export class ShardPrefetch {
  private readonly ready = new Map<Session, EncodedShard>();
  private bytes = 0;
  private stopped = false;
  /** Time spent producing shards here (added to the run's shard time). */
  ms = 0;

  constructor(
    private readonly produce: (s: Session) => Promise<EncodedShard>,
    private readonly budget = SHARD_PREFETCH_BYTES,
  ) {}

  /**
   * Start encoding `sessions` in order, one at a time, yielding to the event loop between shards (so task results
   * are still handled at once). Not awaited by the caller; a failure stops it quietly — the writer encodes that
   * shard itself and reports the error there.
   */
  start(sessions: readonly Session[]): void {
    void (async () => {
      for (const s of sessions) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.stopped || this.bytes >= this.budget) return;
        const t0 = performance.now();
        let shard: EncodedShard;
        try {
          shard = await this.produce(s);
        } catch {
          return;
        }
        this.ms += performance.now() - t0;
        if (this.stopped) return;
        this.ready.set(s, shard);
        this.bytes +=
          shard.nodes.byteLength + shard.edges.byteLength + shard.nodeMap.byteLength + shard.metaJson.length;
      }
    })();
  }

  /** No more shards ahead: the writer takes over. */
  stop(): void {
    this.stopped = true;
  }

  /** The shard of `s` if it was encoded ahead (handed over once). */
  take(s: Session): EncodedShard | undefined {
    const shard = this.ready.get(s);
    if (shard) this.ready.delete(s);
    return shard;
  }
}
