/** Number formatting shared by the canary's Markdown report and text output. */

/** Milliseconds with three significant digits in the seed's style: 0.23ms, 15.6ms, 156ms. */
export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return 'n/m';
  if (ms >= 100) return `${ms.toFixed(0)}ms`;
  if (ms >= 10) return `${ms.toFixed(1)}ms`;
  if (ms >= 0.01) return `${ms.toFixed(2)}ms`;
  return `${(ms * 1000).toFixed(1)}µs`;
}

/** Bytes as B / KB / MB / GB (powers of 1024). */
export function fmtBytes(b: number | null | undefined): string {
  if (b === null || b === undefined || !Number.isFinite(b)) return 'n/m';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = b;
  let u = 0;
  while (Math.abs(v) >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v.toFixed(0)}B` : `${v.toFixed(2)}${units[u]}`;
}

/** A ratio as 1.84×. */
export function fmtX(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/m';
  return `${x.toFixed(digits)}×`;
}

/** A fraction as a percentage: 0.0312 → 3.12%. */
export function fmtPct(f: number | null | undefined, digits = 2): string {
  if (f === null || f === undefined || !Number.isFinite(f)) return 'n/m';
  return `${(f * 100).toFixed(digits)}%`;
}

/** Scientific notation for tiny differences: 5.96e-7; exactly 0 stays 0. */
export function fmtSci(x: number | null | undefined, digits = 2): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/m';
  if (x === 0) return '0';
  if (!Number.isFinite(x)) return '∞';
  return x.toExponential(digits).replace('e+', 'e');
}

/** Plain number with fixed digits, n/m when missing. */
export function fmtNum(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || Number.isNaN(x)) return 'n/m';
  if (!Number.isFinite(x)) return '∞';
  return x.toFixed(digits);
}

/** Speedup with the seed's wording: "1.87× speedup", "0.37× slower", "0.95× baseline". */
export function speedupWords(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/m';
  if (x >= 1.05) return `${fmtX(x)} speedup`;
  if (x >= 0.95) return `${fmtX(x)} baseline`;
  return `${fmtX(x)} slower`;
}

/** The seed's markers: ⭐⭐ ≥ 2×, ⭐ ≥ 1.05×, ❌ otherwise. */
export function speedupMark(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  return x >= 2 ? '⭐⭐' : x >= 1.05 ? '⭐' : '❌';
}
