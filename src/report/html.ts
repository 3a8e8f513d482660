/**
 * HTML text helpers: escaping (every caller-supplied string goes through `esc`) and number formatting that is
 * independent of the process locale, so the same data always gives the same bytes.
 */

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escape text for HTML content and double- or single-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/**
 * JSON for an inline `<script type="application/json">` block: `<`, `>`, `&` and the JS line separators are
 * written as \u escapes so no data can close the script element.
 */
export function inlineJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Fixed-point with `digits` decimals; "—" for null/NaN. */
export function fmtFixed(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return v.toFixed(digits);
}

/** Integer with thin-space thousands separators (locale-free). */
export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const s = Math.round(Math.abs(v)).toString();
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return v < 0 ? `−${grouped}` : grouped;
}

/** A p/q-value: 4 significant digits, scientific below 1e-3. */
export function fmtP(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  if (v < 1e-3) return v.toExponential(2);
  return v.toPrecision(3);
}

/**
 * A general figure: 4 significant digits below 1000; from 1000 up, grouped with at most 2 decimals (prices keep
 * their ticks); scientific for very small or very large magnitudes.
 */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e9) return v.toExponential(2);
  if (a >= 1000) {
    const fixed = a.toFixed(2).replace(/\.?0+$/, '');
    const [int, frac] = fixed.split('.');
    const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ',') + (frac ? `.${frac}` : '');
    return v < 0 ? `−${grouped}` : grouped;
  }
  return Number(v.toPrecision(4)).toString();
}

/** Milliseconds as "812 ms", "3.41 s" or "2 min 05 s". */
export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${fmtNum(Number(ms.toPrecision(3)))} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** Percent with one decimal from a 0..1 share. */
export function fmtPct(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return `${(v * 100).toFixed(1)}%`;
}

/** A slug safe for element ids and class names (letters, digits, '-'); used only for ids we generate. */
export function slug(text: string): string {
  return text.replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'x';
}
