/**
 * The public entry point: validate a session's inputs, choose the kernel, run the encoder, read out the
 * last-layer attention. `TgatEncoder` keeps its buffers and wasm instance between sessions (what the bench
 * and a batch run use); `encodeSession` is the one-call form.
 */
import type { Dag } from '../graph/index.js';
import { type TgatConfig, resolveConfig } from './config.js';
import { DenseBackend, TsDenseBackend, WasmDenseBackend } from './dense-backend.js';
import {
  type KernelBuffers,
  type ResolvedWeights,
  allocateKernelBuffers,
  attentionSession,
  forward,
  resolveWeights,
} from './encoder.js';
import { type KernelChoice, choiceFor } from './env.js';
import { type MaskKind, resolveAuto } from './kernels/auto.js';
import { type BackendChoice, getKernel, parseBackend } from './kernels/registry.js';
import type { AttentionKernel, ConcreteKernelName, KernelName } from './kernels/types.js';
import { buildMask } from './mask.js';
import { type AttentionTopM, attentionTopM } from './topm.js';
import { wasmAvailable } from './wasm/runtime.js';
import { type TgatWeights, validateWeights } from './weights.js';

export interface EncodeSessionInput {
  /** Node features, row-major n×inDim, standardized per session, rows sorted by time. */
  x: Float32Array;
  n: number;
  inDim: number;
  /** Event times, UTC epoch ms, non-decreasing. */
  t: Float64Array;
  /** Optional DAG (edges i → j, i < j): node j then attends only to its predecessors and itself. */
  dag?: Dag | null;
}

export interface EncodeSessionArgs extends EncodeSessionInput {
  kernel: KernelName | KernelChoice;
  config?: Partial<TgatConfig>;
  weights: TgatWeights;
  /** 'auto' (default): wasm SIMD where the kernel has it and the module loads; 'ts' forces TypeScript. */
  backend?: BackendChoice;
}

export interface EncodeSessionResult {
  /** n×hidden, row-major. */
  embeddings: Float32Array;
  attentionTopM: AttentionTopM;
  /** The kernel that ran (after resolving `auto` and conditional choices) and its backend. */
  kernel: ConcreteKernelName;
  backend: 'ts' | 'wasm';
}

/** Throw a clear Error for any malformed input. */
export function validateInput(input: EncodeSessionInput, c: TgatConfig): void {
  const { x, n, inDim, t } = input;
  if (!Number.isInteger(n) || n < 0) throw new Error(`n must be a non-negative integer, got ${String(n)}`);
  if (!Number.isInteger(inDim) || inDim !== c.inDim) {
    throw new Error(`inDim is ${String(inDim)}, but the TGAT config expects inDim = ${c.inDim}`);
  }
  if (!(x instanceof Float32Array)) throw new Error(`x must be a Float32Array (n×inDim), got ${describe(x)}`);
  if (x.length !== n * inDim) {
    throw new Error(`x has ${x.length} values, expected n×inDim = ${n}×${inDim} = ${n * inDim}`);
  }
  if (!(t instanceof Float64Array)) throw new Error(`t must be a Float64Array of UTC ms, got ${describe(t)}`);
  if (t.length !== n) throw new Error(`t has ${t.length} values, expected n = ${n}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i])) {
      throw new Error(
        `x[${Math.floor(i / inDim)}][${i % inDim}] is ${x[i]}: features must be finite (NaN/Inf found)`,
      );
    }
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(t[i])) throw new Error(`t[${i}] is ${t[i]}: times must be finite`);
    if (i > 0 && t[i] < t[i - 1]) {
      throw new Error(
        `t is not sorted: t[${i}] = ${t[i]} < t[${i - 1}] = ${t[i - 1]} (rows must be sorted by time)`,
      );
    }
  }
  const dag = input.dag;
  if (dag) {
    if (dag.n !== n) throw new Error(`dag.n is ${dag.n}, but the session has n = ${n} nodes`);
  }
}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  return (v as object).constructor?.name ?? typeof v;
}

/** Resolve a name or choice to the concrete kernel for n nodes. */
export function resolveKernelName(
  choice: KernelName | KernelChoice,
  n: number,
  mask: MaskKind,
): ConcreteKernelName {
  // The name was validated once at the door (parseKernelName, by the CLI or a library caller's types); an
  // unknown name that slips through untyped JavaScript still fails in getKernel with the same message.
  const name = typeof choice === 'string' ? choice : choiceFor(choice, n);
  return name === 'auto' ? resolveAuto(n, mask) : name;
}

/** An encoder bound to one set of weights; reuse it across sessions to reuse buffers. */
export class TgatEncoder {
  readonly config: TgatConfig;
  private readonly rw: ResolvedWeights;
  private readonly backendChoice: BackendChoice;
  private readonly dense: { ts: DenseBackend | null; wasm: DenseBackend | null } = { ts: null, wasm: null };
  private buf32: KernelBuffers | null = null;
  private buf64: KernelBuffers | null = null;

  constructor(weights: TgatWeights, options: { config?: Partial<TgatConfig>; backend?: BackendChoice } = {}) {
    this.config = resolveConfig({ ...weights.config, ...(options.config ?? {}) });
    validateWeights(weights, this.config);
    this.rw = resolveWeights(weights);
    this.backendChoice = parseBackend(options.backend ?? 'auto');
  }

  /** The concrete kernel object that `encode` would run. */
  kernelFor(choice: KernelName | KernelChoice, n: number, dag: boolean): AttentionKernel {
    return getKernel(resolveKernelName(choice, n, dag ? 'dag' : 'causal'), this.backendChoice);
  }

  private denseFor(kernel: AttentionKernel): DenseBackend {
    const useWasm = kernel.precision === 'float32' && this.backendChoice !== 'ts' && wasmAvailable();
    if (useWasm) return (this.dense.wasm ??= new WasmDenseBackend(this.config, this.rw));
    return (this.dense.ts ??= new TsDenseBackend(this.config, this.rw));
  }

  private buffers(kernel: AttentionKernel, n: number): KernelBuffers {
    const key = kernel.precision === 'float64' ? 'buf64' : 'buf32';
    let b = this[key];
    if (!b || b.capacity < n) {
      b = allocateKernelBuffers(this.config, Math.max(n, 2 * (b?.capacity ?? 0)), kernel.precision);
      this[key] = b;
    }
    return b;
  }

  /**
   * Encode one session. `out` (optional) receives the embeddings; pass a Float64Array to keep the float64
   * output of the `reference` kernel unrounded (tests); `topM: false` skips the attention read-out.
   */
  encode(
    input: EncodeSessionInput,
    choice: KernelName | KernelChoice,
    options: { out?: Float32Array | Float64Array; topM?: boolean } = {},
  ): EncodeSessionResult & { output: Float32Array | Float64Array } {
    const c = this.config;
    validateInput(input, c);
    const n = input.n;
    const kernel = this.kernelFor(choice, n, !!input.dag);
    const out = options.out ?? new Float32Array(n * c.hidden);
    if (out.length !== n * c.hidden)
      throw new Error(`out has ${out.length} values, expected ${n * c.hidden}`);
    const mask = buildMask(n, input.t, {
      windowMs: c.windowMs,
      selfAttention: c.selfAttention,
      dag: input.dag,
    });
    const session = attentionSession(c, this.rw, n, input.t, mask);
    const m = options.topM === false ? 0 : c.topM;
    let topM: AttentionTopM = { m, index: new Int32Array(n * m).fill(-1), weight: new Float32Array(n * m) };
    if (n > 0) {
      const state = kernel.prepare(session);
      const last = forward(
        c,
        this.rw,
        this.denseFor(kernel),
        kernel,
        state,
        input.x,
        n,
        this.buffers(kernel, n),
        out,
      );
      if (m > 0) topM = attentionTopM(session, last.q, last.k, last.gamma, m, kernel.precision === 'float64');
    }
    const embeddings = out instanceof Float32Array ? out : Float32Array.from(out);
    return { embeddings, attentionTopM: topM, kernel: kernel.name, backend: kernel.backend, output: out };
  }
}

/**
 * Encode one session: validates every input (clear Error on shape mismatch, NaN/Inf, unsorted times,
 * unknown kernel, weights of the wrong shape), resolves the kernel, returns embeddings (n×hidden float32) and
 * the top-m last-layer attention predecessors per node.
 */
export function encodeSession(args: EncodeSessionArgs): EncodeSessionResult {
  const encoder = new TgatEncoder(args.weights, { config: args.config, backend: args.backend });
  const r = encoder.encode(args, args.kernel);
  return { embeddings: r.embeddings, attentionTopM: r.attentionTopM, kernel: r.kernel, backend: r.backend };
}
