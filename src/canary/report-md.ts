/**
 * canary.md: the seed report's sections and rows, filled with this run's measurements, plus a Method section
 * that says how each figure was measured. Pure: CanaryResult in, Markdown out. Every qualitative word in the
 * report (Excellent, ⭐, Ready, risk level) comes from a stated rule over a measured figure.
 */
import type { ComponentAssessment } from './assess.js';
import { FLAG_ENV, flagsAsExports } from './flags.js';
import { fmtBytes, fmtMs, fmtNum, fmtPct, fmtSci, fmtX, speedupMark, speedupWords } from './format.js';
import { GATE_EVIDENCE } from './gate-evidence.js';
import { overLimit, type GateResult } from './gates.js';
import { HALF_PARITY_BOUND } from '../tgat/index.js';
import type { CanaryResult, KernelRow, PerLRow } from './types.js';
import type { MotifAgreement } from '../motifs/index.js';
import { JIT_WARMUP_ROUNDS } from './scale.js';

const KERNEL_LABELS: Record<string, string> = {
  baseline: 'Baseline',
  flash: 'Flash Attention',
  'block-sparse': 'Block Sparse',
  'time-bias-cache': 'Time Bias Cache',
  half: 'AMP (half)',
  reference: 'Reference f64',
  auto: 'Auto',
};

const KERNEL_ORDER = ['baseline', 'flash', 'block-sparse', 'time-bias-cache', 'half', 'reference', 'auto'];

/** A Markdown table; `|` inside a cell is escaped so it does not split the cell. */
function table(header: string[], rows: string[][]): string {
  const cell = (x: string) => x.replace(/\|/g, '\\|');
  const line = (r: string[]) => `| ${r.map(cell).join(' | ')} |`;
  return [line(header), `|${header.map(() => '---').join('|')}|`, ...rows.map(line)].join('\n');
}

function gateValue(g: GateResult): string {
  if (g.measured === null)
    return g.status === 'skipped' ? 'skipped' : g.status === 'n/a' ? 'not applicable' : 'not measured';
  switch (g.id) {
    case 'speedup':
      return fmtX(g.measured);
    case 'parity':
      return fmtSci(g.measured);
    case 'memory':
      return fmtPct(g.measured, 3);
    case 'motif-promote':
    case 'motif-rank':
      return fmtNum(g.measured, 3);
    case 'regime':
      return fmtX(g.measured);
  }
}

function gateThreshold(g: GateResult): string {
  const t =
    g.id === 'speedup' || g.id === 'regime'
      ? fmtX(g.threshold, 1)
      : g.id === 'parity'
        ? fmtSci(g.threshold, 0)
        : g.id === 'motif-promote' || g.id === 'motif-rank'
          ? String(g.threshold)
          : fmtPct(g.threshold, 0);
  return `${g.comparator} ${t}`;
}

const STATUS_ICON: Record<GateResult['status'], string> = {
  pass: '✅ PASS',
  fail: '❌ FAIL',
  skipped: '⏭️ SKIPPED',
  error: '❌ NOT MEASURED',
  'n/a': '➖ NOT APPLICABLE',
};

/** Category label from its speedup vs the gate: ≥1.25·gate Excellent, ≥1.1·gate Good, ≥gate Acceptable. */
export function categoryStatus(speedup: number, gate: number): string {
  if (!Number.isFinite(speedup)) return '❌ n/m';
  if (speedup >= 1.25 * gate) return '✅ Excellent';
  if (speedup >= 1.1 * gate) return '✅ Good';
  if (speedup >= gate) return '✅ Acceptable';
  if (speedup >= 1) return '⚠️ Below gate';
  return '❌ Slower than baseline';
}

function perLCells(row: PerLRow, L: number[]): string[] {
  return L.map((_, i) => fmtMs(row.timing[i]?.medianMs));
}

function meanOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

function header(r: CanaryResult): string[] {
  const date = r.createdAt.slice(0, 10);
  return [
    '# IRONFORGE Canary Benchmark Report',
    '',
    `**Release Captain**: ironforge canary ${r.versions.ironforge ?? ''} on ${r.machine.hostname}  `,
    `**Branch**: ${r.git.branch ?? 'unknown (not a git checkout)'}${r.git.commit ? ` (${r.git.commit.slice(0, 10)})` : ''}  `,
    `**Date**: ${date}  `,
    `**Validation Mode**: ${r.config.sessions}-Session ${r.config.mode.toUpperCase()} Canary (+ ${r.config.realSessions} real sample sessions)  `,
    `**Machine**: ${r.machine.cpuModel}, ${r.machine.availableParallelism} CPUs, ${fmtBytes(r.memory.ramBytes)} RAM, Node ${r.machine.node}  `,
    `**Run time**: ${r.totalSeconds.toFixed(1)} s (load average over 1 min: ${r.machine.loadAvgStart[0].toFixed(2)} at start, ${r.machine.loadAvgEnd[0].toFixed(2)} at end, on ${r.machine.availableParallelism} CPUs)`,
    '',
    ...(r.config.injected
      ? [
          `> ⚠️ **TEST-ONLY REGRESSIONS INJECTED** (\`IRONFORGE_CANARY_INJECT=${r.config.injected}\`): this run measures a deliberately broken build; its figures are not a release measurement.`,
          '',
        ]
      : []),
    ...(r.config.thresholdsFromEnv?.length
      ? [
          `> Gate thresholds set by the environment: ${r.config.thresholdsFromEnv.map((x) => `\`${x}\``).join(', ')}.`,
          '',
        ]
      : []),
  ];
}

function executiveSummary(r: CanaryResult): string[] {
  const passed = r.gates.filter((g) => g.status === 'pass').length;
  const counted = r.gates.filter((g) => g.status !== 'skipped' && g.status !== 'n/a').length;
  const bad = r.gates.filter((g) => g.status === 'fail' || g.status === 'error');
  const icon = r.verdict === 'APPROVED' ? '✅' : r.verdict === 'CONDITIONAL APPROVAL' ? '⚠️' : '❌';
  const rec =
    r.verdict === 'APPROVED'
      ? 'Release: every gate passed'
      : r.verdict === 'CONDITIONAL APPROVAL'
        ? `Address ${bad.map((g) => g.name).join(' and ')} before full production release`
        : `Do not release: ${bad.map((g) => g.name).join(', ')} failed`;
  const out = [
    '## Executive Summary',
    '',
    `${icon} **CANARY STATUS: ${r.verdict}** (exit code ${r.exitCode})  `,
    `- **${passed}/${counted} release gates passed**${counted < r.gates.length ? ` (${r.gates.length - counted} skipped or not applicable)` : ''}`,
    `- **${fmtX(r.pipeline.overall.speedup)} performance improvement** vs baseline (min-time based: ${fmtX(r.pipeline.overall.speedupMin)})`,
    bad.length === 0
      ? '- **No critical issue**'
      : `- **${bad.length} critical issue${bad.length > 1 ? 's' : ''}**: ${bad.map((g) => `${g.name} = ${gateValue(g)} (limit ${gateThreshold(g)})`).join('; ')}`,
    `- **Recommendation**: ${rec}`,
    '',
    '### Release Gates',
    '',
    table(
      ['Gate', 'Measured', 'Limit', 'Status', 'Can fail: test that injects its regression'],
      r.gates.map((g) => [
        g.name,
        gateValue(g),
        gateThreshold(g),
        STATUS_ICON[g.status] + (g.note ? ` (${g.note})` : ''),
        GATE_EVIDENCE[g.id]
          ? `${GATE_EVIDENCE[g.id].regression}: \`${GATE_EVIDENCE[g.id].inject}\` → ${GATE_EVIDENCE[g.id].file} “${GATE_EVIDENCE[g.id].test}”`
          : '—',
      ]),
    ),
    '',
    ...decisionTable(r),
  ];
  if (r.motifs && 'alert' in r.motifs && r.motifs.alert) {
    out.push(
      `⚠️ Motif variance alert: |Δlift| ${fmtNum(r.motifs.deltaLift, 4)} exceeds ${FLAG_ENV.motifVarianceAlertThreshold} = ${r.motifs.alertThreshold}.`,
      '',
    );
  }
  return out;
}

/**
 * The decisions that replaced the blocked targets (issue 21), each with what this run measured for it. The
 * PyTorch comparison is not part of the canary (it needs python3-torch); the bench that runs it is named.
 */
function decisionTable(r: CanaryResult): string[] {
  const half = r.kernels.rows.find((k) => k.name === 'half');
  const auto = r.kernels.rows.find((k) => k.name === 'auto');
  const bs = r.kernels.rows.find((k) => k.name === 'block-sparse');
  const halfWorst = half ? Math.max(...half.parity.map((p) => p ?? Infinity)) : null;
  const autoPicks = [...new Set((auto?.resolvedTo ?? []).filter((x): x is string => x !== null))];
  const iL = r.kernels.L.length - 1;
  const hw = half?.workspaceBytes[iL];
  const bw = bs?.workspaceBytes[iL];
  const ht = half?.timing[iL];
  const bt = bs?.timing[iL];
  const worst = [...r.regime.categories].sort((a, b) => a.speedup - b.speedup)[0];
  return [
    '### Decisions (issue 21) and this run',
    '',
    table(
      ['Decision', 'Rule', 'This run'],
      [
        [
          '16-bit kernel (`half`)',
          `own bound: decided ≤ 1e-3 max-abs against the float64 reference (16-bit storage cannot meet 5e-7); measured worst 1.00e-3 causal / 1.33e-3 DAG, so the asserted bound is ${fmtSci(HALF_PARITY_BOUND, 0)} (kernels/half.ts); exists for memory; \`auto\` never picks it`,
          `${halfWorst === null ? 'not measured' : `worst parity ${fmtSci(halfWorst)} (${halfWorst <= 1e-3 ? 'within' : 'above'} 1e-3, ${halfWorst <= HALF_PARITY_BOUND ? 'within' : 'OUTSIDE'} ${fmtSci(HALF_PARITY_BOUND, 0)})`}; ` +
            `auto picked ${autoPicks.length ? autoPicks.join(', ') : 'nothing measured'}${autoPicks.includes('half') ? ' — VIOLATES the rule' : ''}; ` +
            (hw != null && bw != null && ht && bt
              ? `at L=${r.kernels.L[iL]}: the K/V copy it reads is binary16 (half of float32's bytes); declared workspace ${fmtBytes(hw)} vs block-sparse ${fmtBytes(bw)} (its own buffers; the float32 K/V the dense layers write exist for every kernel); time ${fmtMs(ht.medianMs)} vs ${fmtMs(bt.medianMs)} median (${fmtX(ht.medianMs / bt.medianMs)} slower)`
              : 'memory and speed not measured'),
        ],
        [
          'PyTorch comparison',
          'the same forward in PyTorch float32, OpenBLAS on one thread (`OPENBLAS_NUM_THREADS=1`), glibc allocator kept warm (`GLIBC_TUNABLES=glibc.malloc.mmap_threshold=33554432:glibc.malloc.trim_threshold=2147483648:glibc.malloc.top_pad=67108864`), same machine, same run; never a quoted figure',
          'not part of the canary: `npx tsx bench/attention.ts --pytorch DIR` runs it (README, attention table)',
        ],
        [
          'Regime gate',
          `no regime below ${fmtX(r.thresholds.minRegimeSpeedup, 1)} baseline — each size category and the real sessions; the CV is still reported`,
          `slowest: ${worst ? `${worst.id} ${fmtX(worst.speedup)}` : 'n/m'}; below: ${r.regime.below.length ? r.regime.below.join(', ') : 'none'}; CV ${fmtPct(r.regime.cv)} (size categories), ${fmtPct(r.regime.cvWithReal)} with the real sessions`,
        ],
      ],
    ),
    '',
  ];
}

function scaleTable(r: CanaryResult): string[] {
  const gate = r.thresholds.minSpeedup;
  return [
    '## Performance Benchmark Results',
    '',
    '### Scale Distribution Analysis',
    table(
      [
        'Session Category',
        'Count',
        'Size Range',
        'Avg Performance',
        'Baseline / Enabled (Σ median)',
        'Status',
      ],
      r.pipeline.categories.map((c) => [
        c.label,
        String(c.count),
        `${c.range} events`,
        `${fmtX(c.speedup)} speedup`,
        `${fmtMs(c.baselineMs)} / ${fmtMs(c.enabledMs)}`,
        categoryStatus(c.speedup, gate),
      ]),
    ),
    '',
    `Status rule: Excellent ≥ ${fmtX(1.25 * gate)}, Good ≥ ${fmtX(1.1 * gate)}, Acceptable ≥ ${fmtX(gate)} (the gate). ` +
      `Speedup = Σ per-session median pipeline time with the baseline configuration / the same with the enabled configuration.`,
    '',
  ];
}

function kernelSection(r: CanaryResult): string[] {
  const L = r.kernels.L;
  const rows = KERNEL_ORDER.map((k) => r.kernels.rows.find((x) => x.name === k)).filter(
    (x): x is KernelRow => !!x,
  );
  const lines: string[] = [
    '### TGAT Attention Performance',
    '',
    '#### Optimization Effectiveness by Scale',
    '```',
  ];
  const scaleName: Record<number, string> = {
    128: 'Small Scale',
    256: 'Medium Scale',
    512: 'Large Scale',
    1024: 'XL Scale',
  };
  L.forEach((l, i) => {
    lines.push(`L=${l}${' '.repeat(Math.max(1, 6 - String(l).length))}(${scaleName[l] ?? 'custom L'})`);
    rows.forEach((row, j) => {
      const branch = j === rows.length - 1 ? '└──' : '├──';
      const t = row.timing[i];
      const label = `${KERNEL_LABELS[row.name] ?? row.name}:`.padEnd(18);
      if (!t) {
        lines.push(`${branch} ${label} not measured`);
        return;
      }
      const time = fmtMs(t.medianMs).padEnd(9);
      const extra = row.name === 'auto' && row.resolvedTo?.[i] ? ` → ${row.resolvedTo[i]}` : '';
      if (row.name === 'baseline') lines.push(`${branch} ${label} ${time} (min ${fmtMs(t.minMs)})${extra}`);
      else {
        const s = row.speedupMedian[i];
        lines.push(
          `${branch} ${label} ${time} (${speedupWords(s)}) ${speedupMark(s)}  min ${fmtMs(t.minMs)}${extra}`,
        );
      }
    });
    lines.push('');
  });
  lines.pop();
  lines.push('```');
  lines.push(
    '',
    `Median (and min) of ${r.config.trials} timed forward passes after ${r.config.warmup} warm-up (more at the first L, see Method), interleaved across kernels, ` +
      `one synthetic session of exactly L events, 2-layer TGAT (4 heads × 11), kernel selected by name. ⭐⭐ ≥ 2×, ⭐ ≥ 1.05×, ❌ otherwise.`,
    '',
    '#### Kernel Parity (max-abs difference of the final embeddings from `reference`, float64)',
    '',
    table(
      ['Kernel', ...L.map((l) => `L=${l}`), 'Worst', 'Gated'],
      rows
        .filter((x) => x.name !== 'reference')
        .map((row) => {
          const p = r.parity.byKernel.find((k) => k.kernel === row.name);
          return [
            KERNEL_LABELS[row.name] ?? row.name,
            ...row.parity.map((x) => fmtSci(x)),
            fmtSci(p?.maxAbs),
            p?.gated ? 'yes' : 'no (not selected by the flags)',
          ];
        }),
    ),
    '',
  );
  return lines;
}

const DAG_LABELS: Record<string, string> = {
  baseline: 'Baseline Construction',
  topo: 'Topological Generations',
  vectorized: 'Vectorized Edges',
  sparse: 'Sparse Adjacency',
};

function dagSection(r: CanaryResult): string[] {
  const L = r.dag.L;
  const rows = r.dag.rows.map((row) => {
    let best = '-';
    if (row.name !== 'baseline') {
      const avg = meanOf(row.speedupMedian);
      const valid = row.speedupMedian.map((s, i) => ({ s, l: L[i] })).filter((x) => x.s !== null);
      const bestAt = valid.length
        ? valid.reduce((a, b) => ((b.s as number) > (a.s as number) ? b : a))
        : null;
      best = `**${fmtX(avg)} avg**${bestAt ? ` (best ${fmtX(bestAt.s)} at L=${bestAt.l})` : ''}`;
    }
    return [DAG_LABELS[row.name] ?? row.label, ...perLCells(row, L), best];
  });
  return [
    '### DAG Builder Performance',
    '',
    table(['Operation', ...L.map((l) => `L=${l}`), 'Best Optimization'], rows),
    '',
    `Median time per DAG build (k=4, gap window [1, 120] min). "avg" = mean over L of the median-time speedup vs Baseline. ` +
      `All builders produced identical edge arrays in this run: ${r.dag.identical ? 'yes' : 'NO'}.`,
    '',
  ];
}

function parquetSection(r: CanaryResult): string[] {
  const L = r.parquet.L;
  const base = r.parquet.rows.find((x) => x.name === 'none');
  const rows = r.parquet.rows.map((row) => {
    let imp = '-';
    if (row !== base) {
      const avg = meanOf(row.speedupMedian);
      imp = avg === null ? 'n/m' : avg >= 1 ? `**${fmtX(avg)} faster**` : `**${fmtX(1 / avg)} slower**`;
    }
    return [row.label, ...perLCells(row, L), imp];
  });
  const sizeRows = r.parquet.rows.map((row) => [row.label, ...row.bytes.map((b) => fmtBytes(b))]);
  const writeRows = r.parquet.rows.map((row) => [
    row.label,
    ...row.writeTiming.map((t) => fmtMs(t?.medianMs)),
  ]);
  const readRows = r.parquet.rows.map((row) => [row.label, ...row.readTiming.map((t) => fmtMs(t?.medianMs))]);
  return [
    '### Parquet I/O Performance',
    '',
    table(['Configuration', ...L.map((l) => `L=${l}`), 'Improvement'], rows),
    '',
    `Median time to encode ${r.parquet.table} to Parquet in memory. Improvement = mean over L of the median-time ratio vs Baseline.`,
    '',
    table(['File size', ...L.map((l) => `L=${l}`)], sizeRows),
    '',
    table(['Write to disk (median)', ...L.map((l) => `L=${l}`)], writeRows),
    '',
    table(['Read back (median)', ...L.map((l) => `L=${l}`)], readRows),
    '',
    r.parquet.method,
    '',
  ];
}

function memorySection(r: CanaryResult): string[] {
  const m = r.memory;
  const limit = r.thresholds.maxMemoryShare * m.ramBytes;
  const lines = [
    '## Memory Efficiency Analysis',
    '',
    '### Peak Memory Usage by Scale',
    '```',
    'Memory Consumption Profile:',
  ];
  m.byL.forEach((x, i) => {
    const branch = i === m.byL.length - 1 ? '└──' : '├──';
    lines.push(
      `${branch} L=${String(x.L).padEnd(5)} ${fmtBytes(x.peakLiveBytes).padStart(9)} peak live (${fmtPct(x.peakLiveBytes / m.ramBytes, 4)} of ${fmtBytes(m.ramBytes)} system)`,
    );
  });
  const gate = r.gates.find((g) => g.id === 'memory');
  lines.push(
    '',
    `Process peak RSS: ${fmtBytes(m.processPeakRssBytes)} (${fmtPct(m.shareOfRam, 3)} of RAM)`,
    `Gate Status: ${gate ? STATUS_ICON[gate.status] : 'n/m'} (${fmtPct(r.thresholds.maxMemoryShare, 0)} limit = ${fmtBytes(limit)}, actual max = ${fmtBytes(m.processPeakRssBytes)})`,
    `Efficiency: ${fmtPct(1 - m.processPeakRssBytes / limit, 2)} under memory limit`,
    '```',
    '',
    m.method,
    '',
    '### Memory Optimization Effectiveness',
    '',
  );
  const iL = r.parquet.L.length - 1;
  const Lmax = r.parquet.L[iL];
  const pq = (name: string) => r.parquet.rows.find((x) => x.name === name);
  const kr = (name: string) => r.kernels.rows.find((x) => x.name === name);
  const spread = (row: PerLRow | undefined) => {
    const t = row?.timing[iL];
    return t
      ? `trial spread ${fmtPct(t.medianMs > 0 ? (t.medianMs - t.minMs) / t.medianMs : 0, 1)} (median vs min at L=${Lmax})`
      : 'n/m';
  };
  const reduction = (now: number | null | undefined, base: number | null | undefined) =>
    now != null && base != null && base > 0 ? 1 - now / base : null;
  const rowsM: string[][] = [];
  const none = pq('none');
  for (const [label, name] of [
    ['ZSTD Compression', 'zstd'],
    ['Row Group Tuning', 'zstd-rowgroups'],
  ] as const) {
    const row = pq(name);
    const red = reduction(row?.bytes[iL], none?.bytes[iL]);
    rowsM.push([
      label,
      red === null ? 'n/m' : `${fmtPct(red, 1)} (file bytes at L=${Lmax})`,
      spread(row),
      red !== null && red > 0 ? '✅ Enable' : '❌ No gain',
    ]);
  }
  const kb = kr('baseline');
  for (const [label, name] of [
    ['Block Sparse Masks', 'block-sparse'],
    ['Time Bias Caching', 'time-bias-cache'],
  ] as const) {
    const row = kr(name);
    const red = reduction(row?.workspaceBytes[iL], kb?.workspaceBytes[iL]);
    rowsM.push([
      label,
      red === null
        ? 'n/m (workspace not declared)'
        : `${fmtPct(red, 1)} (declared kernel workspace at L=${Lmax})`,
      spread(row),
      red !== null && red > 0 ? '✅ Enable' : '❌ No gain',
    ]);
  }
  lines.push(table(['Optimization', 'Memory Reduction', 'Stability', 'Recommendation'], rowsM), '');
  lines.push(
    'Parquet reductions are measured file sizes vs the uncompressed file; kernel reductions compare the workspace each kernel declares ' +
      "(`workspaceBytes`, what its `prepare` allocates) with the baseline kernel's — declared by the kernel, not sampled. " +
      'Stability is the relative gap between the median and the fastest trial.',
    '',
  );
  return lines;
}

function criticalIssues(r: CanaryResult): string[] {
  const lines = ['## Critical Issue Analysis', ''];
  const bad = r.gates.filter((g) => g.status === 'fail' || g.status === 'error');
  if (bad.length === 0) lines.push('No gate failed in this run.', '');
  for (const g of bad) {
    lines.push(`### ❌ Failed Gate: ${g.name}`, '');
    if (g.status === 'error') {
      lines.push(
        `**Issue**: the figure could not be measured: ${g.note ?? 'unknown reason'}  `,
        '**Risk Level**: HIGH (a gate without a figure cannot pass)',
        '',
      );
      continue;
    }
    const over =
      g.comparator === '≥'
        ? overLimit(g.threshold, g.measured as number)
        : overLimit(g.measured as number, g.threshold);
    lines.push(
      `**Issue**: ${g.name} = ${gateValue(g)}, limit ${gateThreshold(g)}  `,
      `**Impact**: ${fmtPct(over, 0)} ${g.comparator === '≥' ? 'short of' : 'over'} the acceptable limit  `,
      `**Risk Level**: ${over <= 0.25 ? 'MEDIUM' : 'HIGH'} (rule: ≤ 25% past the limit MEDIUM, else HIGH)  `,
      '',
      '#### Measured details',
      ...issueDetails(r, g),
      '',
    );
  }
  lines.push(...insights(r));
  return lines;
}

/** The Amdahl ceilings of the regimes against the regime gate, and the CV floor (see regime.ts). */
function regimeFloorLines(r: CanaryResult): string[] {
  const f = r.regime.floor;
  const min = r.thresholds.minRegimeSpeedup;
  const capped = f.categories.filter((c) => c.ceiling < min);
  return [
    `- Ceilings (${f.ceilingDefinition}): ${f.categories.map((c) => `${c.id} ${fmtX(c.ceiling)} (fixed ${fmtMs(c.fixedMs)})`).join(', ')}.`,
    capped.length
      ? `- Ceiling below the ${fmtX(min, 1)} gate: ${capped.map((c) => c.id).join(', ')} — no DAG or TGAT change can lift ${capped.length > 1 ? 'these regimes' : 'this regime'} past the gate; only faster fixed stages (features, Parquet encode) can.`
      : `- Every regime's ceiling is above the ${fmtX(min, 1)} gate: DAG/TGAT work alone could pass it.`,
    `- For information: the lowest CV reachable without slowing any regime is ${fmtPct(f.floorCv)}.`,
  ];
}

function issueDetails(r: CanaryResult, g: GateResult): string[] {
  switch (g.id) {
    case 'speedup':
    case 'regime':
      return r.pipeline.categories
        .map((c) => {
          const st = (s: Record<string, number>) =>
            `features ${fmtMs(s.features)}, DAG ${fmtMs(s.dag)}, TGAT ${fmtMs(s.tgat)}, Parquet ${fmtMs(s.parquet)}`;
          return `- ${c.label}: ${fmtX(c.speedup)}; baseline ${st(c.baselineStageMs)}; enabled ${st(c.enabledStageMs)}`;
        })
        .concat(g.id === 'regime' ? regimeFloorLines(r) : []);
    case 'parity':
      return r.parity.byKernel
        .filter((k) => k.gated)
        .map((k) => `- ${k.kernel}: ${fmtSci(k.maxAbs)} (worst at L=${k.worstL})`);
    case 'memory':
      return [
        `- process peak RSS ${fmtBytes(r.memory.processPeakRssBytes)} of ${fmtBytes(r.memory.ramBytes)}`,
      ];
    case 'motif-promote':
    case 'motif-rank': {
      if (!r.motifs || !('acrossSeeds' in r.motifs)) return ['- not measured'];
      const m = r.motifs;
      const agree = (name: string, a: MotifAgreement | null) =>
        a === null
          ? `- ${name}: no kernel besides reference is gated`
          : `- ${name} (${a.runs.join(', ')}; PROMOTE ${a.promoted.join(' / ')}): PROMOTE-set Jaccard ${a.promoteJaccard === null ? 'not applicable (no PROMOTE)' : fmtNum(a.promoteJaccard, 3)}${a.worstJaccardPair ? ` (worst ${a.worstJaccardPair.join(' vs ')})` : ''}; ` +
            `top-${a.topK} overlap by z ${a.topOverlap === null ? 'not applicable' : fmtNum(a.topOverlap, 3)}${a.worstOverlapPair ? ` (worst ${a.worstOverlapPair.join(' vs ')})` : ''}`;
      const worst = (rows: { id: string; lifts: number[]; deltaLift: number }[]) =>
        rows.reduce<{ id: string; lifts: number[]; deltaLift: number } | null>(
          (a, b) => (!a || b.deltaLift > a.deltaLift ? b : a),
          null,
        );
      const wk = worst(m.acrossKernels.rows);
      const ws = worst(m.acrossSeeds.rows);
      return [
        agree(`across ${m.seeds.length} null seeds`, m.agreement.acrossSeeds),
        agree('across gated kernels', m.agreement.acrossKernels),
        `- reported, not gated — across kernels (${m.kernels.join(', ')}): max |Δlift| ${fmtNum(m.acrossKernels.maxDeltaLift, 4)} (kernels the enabled configuration can use: ${fmtNum(m.acrossKernels.gatedMaxDeltaLift, 4)})${wk ? `, worst motif ${wk.id} (lifts ${wk.lifts.map((x) => fmtNum(x, 3)).join(' / ')})` : ''}`,
        `- across ${m.seeds.length} null seeds: max |Δlift| ${fmtNum(m.acrossSeeds.maxDeltaLift, 4)}${ws ? `, worst motif ${ws.id} (lifts ${ws.lifts.map((x) => fmtNum(x, 3)).join(' / ')})` : ''}`,
        `- ${m.nulls} nulls per run; the null-mean estimate's sampling error shrinks as 1/√nulls (--strict uses more)`,
      ];
    }
  }
}

function insights(r: CanaryResult): string[] {
  const L = r.kernels.L;
  const green: string[] = [];
  const yellow: string[] = [];
  const red: string[] = [];
  const describe = (label: string, row: PerLRow) => {
    const s = row.speedupMedian;
    const valid = s
      .map((x, i) => ({ x, l: L[i] }))
      .filter((v): v is { x: number; l: number } => v.x !== null);
    if (valid.length === 0) return;
    const lo = Math.min(...valid.map((v) => v.x));
    const hi = Math.max(...valid.map((v) => v.x));
    const range = `${fmtX(lo)}–${fmtX(hi)}`;
    const faster = valid.filter((v) => v.x >= 1.05).map((v) => v.l);
    if (faster.length === valid.length) green.push(`- **${label}**: ${range} speedup at every L`);
    else if (faster.length > 0)
      yellow.push(`- **${label}**: faster at L=${faster.join('/')} only (${range})`);
    else red.push(`- **${label}**: no gain at any L (${range})`);
  };
  for (const row of r.kernels.rows)
    if (row.name !== 'baseline' && row.name !== 'reference')
      describe(`${KERNEL_LABELS[row.name] ?? row.name} attention`, row);
  for (const row of r.dag.rows) if (row.name !== 'baseline') describe(DAG_LABELS[row.name] ?? row.label, row);
  for (const row of r.parquet.rows) if (row.name !== 'none') describe(`Parquet ${row.label}`, row);
  const cats = r.pipeline.categories.filter((c) => c.id !== 'real');
  const catLine = `- **Pipeline by size**: ${cats.map((c) => `${c.range} events ${fmtX(c.speedup)}`).join(', ')}`;
  (cats.every((c) => c.speedup >= r.thresholds.minSpeedup) ? green : yellow).push(catLine);
  return [
    '### Performance Scaling Insights',
    '',
    '#### 🟢 Excellent Performance Zones',
    ...(green.length ? green : ['- none']),
    '',
    '#### 🟡 Mixed Performance Zones',
    ...(yellow.length ? yellow : ['- none']),
    '',
    '#### 🔴 Performance Degradation Areas',
    ...(red.length ? red : ['- none']),
    '',
    'Zones: faster (≥ 1.05× by median time) at every L, at some L, or at none.',
    '',
  ];
}

function readiness(r: CanaryResult): string[] {
  const pct = (a: ComponentAssessment) =>
    `${Math.round(a.confidence * 100)}% (${a.fasterAt.length}/${r.kernels.L.length} L)`;
  const ready = r.readiness.filter((a) => a.readiness === 'ready');
  const cond = r.readiness.filter((a) => a.readiness === 'conditional');
  const no = r.readiness.filter((a) => a.readiness === 'not-ready');
  const motifGates = r.gates.filter((g) => g.id === 'motif-promote' || g.id === 'motif-rank');
  const condRows = cond.map((a) => [a.component, a.issue, a.recommendation]);
  if (motifGates.some((g) => g.status !== 'pass'))
    condRows.push([
      'Motif Discovery',
      `stability gates: ${motifGates.map((g) => `${g.name} ${g.status} (${gateValue(g)})`).join('; ')}`,
      'Monitor closely post-deployment',
    ]);
  return [
    '## Canary Deployment Readiness',
    '',
    '### ✅ Production Ready Components',
    ready.length
      ? table(
          ['Component', 'Confidence', 'Deployment Recommendation'],
          ready.map((a) => [a.component, pct(a), '✅ Deploy immediately']),
        )
      : 'None in this run.',
    '',
    '### ⚠️ Conditional Components',
    condRows.length ? table(['Component', 'Issue', 'Recommendation'], condRows) : 'None in this run.',
    '',
    '### ❌ Not Ready for Production',
    no.length
      ? table(
          ['Component', 'Reason', 'Required Action'],
          no.map((a) => [a.component, a.issue, a.recommendation]),
        )
      : 'None in this run.',
    '',
    'Confidence = share of the measured L values where the component beat the baseline on both median and min time. ' +
      'Ready: faster at every L (kernels also within the parity gate); conditional: faster at some L; not ready: faster at none or parity over the gate.',
    '',
  ];
}

function regression(r: CanaryResult): string[] {
  const lines = ['## Performance Regression Testing', '', '### Baseline Comparison (Previous Release)', ''];
  if (!r.regression) {
    lines.push(
      'No previous canary.json was given (`--baseline <file>`); nothing to compare. Current figures:',
      '',
    );
    lines.push(
      table(
        ['Metric', 'Previous', 'Current', 'Change', 'Status'],
        [
          ['Avg Session Time', '—', fmtMs(r.pipeline.avgSessionMs.enabled), '—', 'n/a'],
          ['Memory Peak', '—', fmtBytes(r.memory.processPeakRssBytes), '—', 'n/a'],
          ['Parity Precision', '—', fmtSci(r.parity.gatedMax), '—', 'n/a'],
          [
            'Throughput',
            '—',
            `${fmtNum(r.pipeline.throughput.enabledSessionsPerSecond, 1)} sess/sec`,
            '—',
            'n/a',
          ],
        ],
      ),
      '',
    );
    return lines;
  }
  const fmt = (metric: string, v: number | null) =>
    v === null
      ? '—'
      : metric === 'Memory Peak'
        ? fmtBytes(v)
        : metric === 'Parity Precision'
          ? fmtSci(v)
          : metric === 'Throughput'
            ? `${fmtNum(v, 1)} sess/sec`
            : metric.includes('Time')
              ? fmtMs(v)
              : metric.includes('speedup')
                ? fmtX(v)
                : fmtNum(v, 4);
  const icon = { better: '✅ Better', same: '➖ Same', worse: '⚠️ Worse', 'n/a': 'n/a' } as const;
  lines.push(
    `Previous: \`${r.regression.baselineFile}\` (${r.regression.baselineCreatedAt ?? 'date unknown'}).`,
    '',
  );
  const pv = r.regression.provenance;
  for (const [what, xs] of [
    ['from another canary.json version', pv?.schema ?? []],
    ['from another ironforge version', pv?.version ?? []],
    ['from another machine', pv?.machine ?? []],
    ['gated differently (an older canary)', pv?.gates ?? []],
  ] as const)
    if (xs.length) lines.push(`⚠️ The previous run is ${what}: ${xs.join('; ')}.  `);
  if (r.regression.configDiffers.length)
    lines.push(`⚠️ It was configured differently: ${r.regression.configDiffers.join('; ')}.  `);
  if (lines.at(-1)?.endsWith('  ')) lines.push('');
  lines.push(
    table(
      ['Metric', 'Previous', 'Current', 'Change', 'Status'],
      r.regression.rows.map((x) => {
        let change = '—';
        if (x.change !== null && x.previous !== null && x.current !== null) {
          if (x.metric === 'Parity Precision' && x.current > 0 && x.previous > 0)
            change =
              x.current <= x.previous
                ? `**${fmtX(x.previous / x.current, 1)} better**`
                : `**${fmtX(x.current / x.previous, 1)} worse**`;
          else {
            const good = x.lowerIsBetter ? x.change < 0 : x.change > 0;
            const word = x.lowerIsBetter
              ? x.change < 0
                ? 'less'
                : 'more'
              : x.change > 0
                ? 'higher'
                : 'lower';
            change = `**${fmtPct(Math.abs(x.change), 0)} ${x.metric.includes('Time') ? (good ? 'faster' : 'slower') : word}**`;
          }
        }
        return [
          x.metric,
          fmt(x.metric, x.previous),
          fmt(x.metric, x.current),
          change,
          icon[x.status] + (x.note ? ` (${x.note})` : ''),
        ];
      }),
    ),
    '',
    'Status: a change within ±5% counts as the same (timing noise).',
    '',
  );
  return lines;
}

function recommendations(r: CanaryResult): string[] {
  // One line per variable: a variable shared by several components (IRONFORGE_DAG_BUILDER) goes to the
  // best-assessed one (ready before conditional, then the larger mean speedup).
  const rank = { ready: 0, conditional: 1, 'not-ready': 2 } as const;
  const ordered = [...r.readiness].sort(
    (a, b) => rank[a.readiness] - rank[b.readiness] || (meanOf(b.speedups) ?? 0) - (meanOf(a.speedups) ?? 0),
  );
  const taken = new Set<string>();
  const lines: Record<ComponentAssessment['readiness'], string[]> = {
    ready: [],
    conditional: [],
    'not-ready': [],
  };
  for (const a of ordered) {
    if (!a.setting) continue;
    const name = a.setting.split('=')[0];
    if (taken.has(name)) continue;
    taken.add(name);
    lines[a.readiness].push(a.setting);
  }
  const ready = lines.ready;
  const cond = lines.conditional;
  const hold = lines['not-ready'];
  cond.push(
    `${FLAG_ENV.monitorMotifStability}=true`,
    `${FLAG_ENV.motifVarianceAlertThreshold}=${r.config.flags.motifVarianceAlertThreshold}`,
  );
  if (hold.some((s) => s.startsWith(FLAG_ENV.amp))) hold.push(`${FLAG_ENV.fp16}=false`);
  const block = (comment: string, xs: string[]) => [
    '```bash',
    `# ${comment}`,
    ...(xs.length ? xs.map((x) => `export ${x}`) : ['# (none in this run)']),
    '```',
  ];
  return [
    '## Recommendations',
    '',
    '### 🚀 Immediate Deployment (Low Risk)',
    ...block('Faster than baseline at every measured L', ready),
    '',
    '### ⚠️ Conditional Deployment (Medium Risk)',
    ...block('Faster at some L only; enable with monitoring', cond),
    '',
    '### ❌ Hold for Next Release (High Risk)',
    ...block(
      'No speed gain at any L (size gains are in the readiness tables), or parity over the gate',
      hold,
    ),
    '',
    'Configuration of this run:',
    '```bash',
    ...flagsAsExports(r.config.flags),
    '```',
    '',
  ];
}

function strategy(r: CanaryResult): string[] {
  const ready = r.readiness.filter((a) => a.readiness === 'ready').map((a) => a.component);
  const cond = r.readiness.filter((a) => a.readiness === 'conditional').map((a) => a.component);
  const no = r.readiness.filter((a) => a.readiness === 'not-ready').map((a) => a.component);
  return [
    '## Deployment Strategy',
    '',
    '### Phase 1: Core Optimizations',
    `- Deploy: ${ready.join(', ') || 'none'}`,
    '- Monitor performance metrics and motif stability',
    `- **Measured impact (this run, enabled configuration)**: ${fmtX(r.pipeline.overall.speedup)} overall pipeline speedup; process peak RSS ${fmtBytes(r.memory.processPeakRssBytes)}`,
    '',
    '### Phase 2: Conditional Features',
    `- Enable where they win: ${cond.join(', ') || 'none'}`,
    "- **Impact**: not measured separately in this run (each component's per-L speedup is in the tables above)",
    '',
    '### Phase 3: Full Validation',
    `- Re-run \`ironforge canary --strict\` (${r.config.mode === 'strict' ? 'this run' : '10 seeds, 10,000 nulls, parity ≤ 5e-7'})`,
    `- Rework: ${no.join(', ') || 'nothing'}`,
    '',
  ];
}

function conclusion(r: CanaryResult): string[] {
  const passed = r.gates.filter((g) => g.status === 'pass').length;
  const counted = r.gates.filter((g) => g.status !== 'skipped' && g.status !== 'n/a').length;
  const bad = r.gates.filter((g) => g.status === 'fail' || g.status === 'error');
  return [
    '## Conclusion',
    '',
    `The canary measured a **${fmtX(r.pipeline.overall.speedup)} overall speedup** of the enabled configuration over baseline ` +
      `(${fmtNum(r.pipeline.throughput.enabledSessionsPerSecond, 1)} vs ${fmtNum(r.pipeline.throughput.baselineSessionsPerSecond, 1)} sessions/s, single thread) ` +
      `with a process peak of ${fmtBytes(r.memory.processPeakRssBytes)}. **${passed}/${counted} release gates passed**` +
      (bad.length ? `; failing: ${bad.map((g) => g.name).join(', ')}.` : '.'),
    '',
    `**Release Captain Recommendation**: **${r.verdict}**`,
    '',
  ];
}

function method(r: CanaryResult): string[] {
  const c = r.config;
  const m = r.motifs;
  const lines = [
    '## Method',
    '',
    `- **Corpus**: ${c.sessions} synthetic sessions in the seed's scale mix (${r.pipeline.categories
      .filter((x) => x.id !== 'real')
      .map((x) => `${x.count} of ${x.range}`)
      .join(', ')} events), seed ${c.seed}, plus the ${c.realSessions} real sessions of \`${c.sampleDir}\`.`,
    `- **Generator calibration** (on the real sample: ${r.calibration.sampleSessions} sessions, ${r.calibration.sampleEvents} events; ` +
      `non-zero gaps log-normal fit μ=${fmtNum(r.calibration.gapLogNormal.mu, 2)}, σ=${fmtNum(r.calibration.gapLogNormal.sigma, 2)} (reported, not sampled from)). ` +
      `Check of the generated corpus against the sample: ${r.calibration.ok ? 'all within tolerance' : 'SOME OUT OF TOLERANCE'}.`,
    '',
    table(
      ['Statistic', 'Measured', 'Tolerance', 'OK'],
      r.calibration.check.map((x) => [
        x.measure,
        fmtNum(x.value, 4),
        fmtNum(x.tolerance, 3),
        x.ok ? '✅' : '❌',
      ]),
    ),
    '',
    `- **Pipeline** (speedup, throughput, regime variance): ${r.pipeline.definition}`,
    `- **Enabled configuration**: kernel ${Object.entries(c.enabled.kernelByL)
      .map(([l, k]) => `${k} for L≤${l}`)
      .join(
        ', ',
      )} (${c.enabled.kernelRule}); DAG builder ${c.enabled.dagBuilder}; Parquet ${c.enabled.compression}. ` +
      `**Baseline configuration**: kernel ${c.baseline.kernel}, DAG builder ${c.baseline.dagBuilder}, Parquet ${c.baseline.compression}.`,
    `- **Timing**: per-L tables: ${c.warmup} warm-up rounds (${c.warmup + JIT_WARMUP_ROUNDS} at the first L, for JIT compilation) + ${c.trials} timed calls, the configurations of a table interleaved trial by trial, median and min; pipeline: ${c.pipelineTrials} timed runs per session and configuration after one warm-up pass. ` +
      'Single thread, `performance.now()`.',
    `- **Parity**: ${r.kernels.parityMethod}`,
    `- **Memory**: ${r.memory.method}`,
    `- **Regimes**: ${r.regime.definition} Speedups: ${r.regime.categories.map((c) => `${c.id} ${fmtX(c.speedup)}`).join(', ')}. CV over the four size categories: ${fmtPct(r.regime.cv)}; with the real sample as a fifth: ${fmtPct(r.regime.cvWithReal)} (information). Reachable CV floor: ${fmtPct(r.regime.floor.floorCv)}, ${r.regime.floor.floorDefinition}; a regime's ceiling is ${r.regime.floor.ceilingDefinition}.`,
  ];
  if ('definition' in m) {
    lines.push(
      `- **Motif stability**: ${m.definition} ${m.sessions} sessions, motif sizes ${m.sizes.join('/')}, ${m.nulls} nulls (${m.nullModel}), seeds ${m.seeds.join(', ')}, kernels ${m.kernels.join(', ')}; took ${m.seconds.toFixed(1)} s. ` +
        `Gate figures: PROMOTE-set Jaccard ${m.promoteJaccard === null ? 'not applicable (no PROMOTE motif in any run)' : fmtNum(m.promoteJaccard, 3)}, top-${m.topK} overlap by z ${m.topOverlap === null ? 'not applicable' : fmtNum(m.topOverlap, 3)}. ` +
        `|Δlift| (not gated): across kernels ${fmtNum(m.acrossKernels.maxDeltaLift, 4)} (gated kernels ${fmtNum(m.acrossKernels.gatedMaxDeltaLift, 4)}), across seeds ${fmtNum(m.acrossSeeds.maxDeltaLift, 4)}. ` +
        `For information, the top-${m.topK} ranked by lift instead: across kernels ${fmtNum(m.byLiftRank.acrossKernels, 4)}, across seeds ${fmtNum(m.byLiftRank.acrossSeeds, 4)}.`,
    );
  } else lines.push(`- **Motif stability**: not measured: ${m.notMeasured}`);
  lines.push(
    '',
    '### Run phases',
    '',
    table(
      ['Phase', 'Seconds'],
      r.phases.map((p) => [p.name, p.seconds.toFixed(1)]),
    ),
    '',
    `Versions: ${Object.entries(r.versions)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    '',
  );
  if (r.notes.length) lines.push('### Notes', '', ...r.notes.map((n) => `- ${n}`), '');
  return lines;
}

/** The whole canary.md. */
export function renderMarkdown(r: CanaryResult): string {
  return [
    ...header(r),
    ...executiveSummary(r),
    ...scaleTable(r),
    ...kernelSection(r),
    ...dagSection(r),
    ...parquetSection(r),
    ...memorySection(r),
    ...criticalIssues(r),
    ...readiness(r),
    ...regression(r),
    ...recommendations(r),
    ...strategy(r),
    ...conclusion(r),
    ...method(r),
    '---',
    '',
    `*Canary validation completed on ${r.createdAt} by \`ironforge canary\`. Every figure above was measured in this run; none is extrapolated.*`,
    '',
  ].join('\n');
}
