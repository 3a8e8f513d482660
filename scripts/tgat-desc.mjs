// The argument descriptors of the TGAT WebAssembly kernels: the ONE place their fields are declared.
//
// Each kernel export (assembly/tgat/kernels.ts) takes a single pointer to a struct in wasm memory instead of
// 10–24 positional numbers. The struct's fields (name, type, order) are declared here only;
// scripts/build-tgat-wasm.mjs turns this table into
//   assembly/tgat/desc.generated.ts — typed AssemblyScript readers, e.g. `AttnRowsDesc.gamma(desc): f64`
//                                     (a `load<f64>(desc, offset)` with the offset as an immediate), and
//   src/tgat/wasm/desc.generated.ts  — the byte layout and one TS interface per kernel for `writeDesc`
//                                     (src/tgat/wasm/runtime.ts), so a missing or misspelled field is a tsc error,
// and compiles the kernels in the same run. Why a generator rather than one .ts file imported by both sides:
// AssemblyScript and TypeScript share no syntax for "a field with a type" (AS has no object literals or
// mapped types, TS has no i32/f64), so a shared file could only carry bare offsets and each side would
// restate the types by hand — the drift this replaces. Both outputs also carry DESC_LAYOUT_ID (a hash of
// this table); the runtime refuses a wasm module built from another table.
//
// Types: 'i32' (count/flag), 'ptr' (byte offset into wasm memory, usize), 'f64'. Fields are laid out in the
// order given, each at its natural alignment (4 or 8 bytes). Field names are the kernels' parameter names.

/** @type {Record<string, { doc: string, fields: [string, 'i32' | 'ptr' | 'f64'][] }>} */
/** The leading fields every attention-row kernel shares: sizes, and the Q / transposed K / transposed V blocks. */
const HEAD_FIELDS = [
  ['n', 'i32'],
  ['dh', 'i32'],
  ['ld', 'i32'],
  ['q', 'ptr'],
  ['kt', 'ptr'],
  ['vt', 'ptr'],
];

/** The time-bias tables and the output block, in this order in both row kernels that use the bias cache. */
const BIAS_OUT_FIELDS = [
  ['d2', 'i32'],
  ['gamma', 'f64'],
  ['rowTab', 'ptr'],
  ['colT', 'ptr'],
  ['cache', 'ptr'],
  ['rowOff', 'ptr'],
  ['out', 'ptr'],
  ['width', 'i32'],
];

export const DESCRIPTORS = {
  convertQKV: {
    doc: 'q, k, v float32 [heads][n][dh] → q64 float64 [heads][n][dh], kt float64 / vt float32 [heads][dh][ld]',
    fields: [
      ['n', 'i32'],
      ['heads', 'i32'],
      ['dh', 'i32'],
      ['ld', 'i32'],
      ['q32', 'ptr'],
      ['k32', 'ptr'],
      ['v32', 'ptr'],
      ['q64', 'ptr'],
      ['kt', 'ptr'],
      ['vt', 'ptr'],
    ],
  },
  attnRows: {
    doc: 'row kernel for causal/window masks, one head (flash and block-sparse/time-bias-cache traversals)',
    fields: [
      ...HEAD_FIELDS,
      ['lo', 'ptr'],
      ['self', 'i32'],
      ['flash', 'i32'],
      ['stamp', 'ptr'],
      ['predPtr', 'ptr'],
      ['pred', 'ptr'],
      ...BIAS_OUT_FIELDS,
      ['segS', 'ptr'],
      ['segP', 'ptr'],
      ['acc', 'ptr'],
      ['rb', 'ptr'],
    ],
  },
  attnDag: {
    doc: 'row kernel for DAG masks, one head (predecessor lists, scalar float64)',
    fields: [
      ...HEAD_FIELDS,
      ['predPtr', 'ptr'],
      ['pred', 'ptr'],
      ['self', 'i32'],
      ...BIAS_OUT_FIELDS,
      ['seg', 'ptr'],
      ['cols', 'ptr'],
      ['accS', 'ptr'],
    ],
  },
  attnBaseline: {
    doc: 'baseline, one head: full n×n float32 score matrix, mask after scoring',
    fields: [
      ...HEAD_FIELDS,
      ['lo', 'ptr'],
      ['predPtr', 'ptr'],
      ['pred', 'ptr'],
      ['self', 'i32'],
      ['stamp', 'ptr'],
      ['d2', 'i32'],
      ['gamma', 'f64'],
      ['rowTab', 'ptr'],
      ['colT', 'ptr'],
      ['out', 'ptr'],
      ['width', 'i32'],
      ['S', 'ptr'],
      ['rb', 'ptr'],
      ['acc', 'ptr'],
      ['segS', 'ptr'],
    ],
  },
  buildBiasCache: {
    doc: 'time bias (no γ) of every allowed pair, packed row after row',
    fields: [
      ['n', 'i32'],
      ['ld', 'i32'],
      ['lo', 'ptr'],
      ['predPtr', 'ptr'],
      ['pred', 'ptr'],
      ['self', 'i32'],
      ['d2', 'i32'],
      ['rowTab', 'ptr'],
      ['colT', 'ptr'],
      ['rowOff', 'ptr'],
      ['cache', 'ptr'],
      ['rb', 'ptr'],
    ],
  },
};

const SIZE = { i32: 4, ptr: 4, f64: 8 };

/** Byte layout: per kernel, its fields with offsets, and its size (a multiple of 8). */
export function layout() {
  const out = {};
  for (const [kernel, { doc, fields }] of Object.entries(DESCRIPTORS)) {
    const seen = new Set();
    let off = 0;
    const placed = [];
    for (const [name, type] of fields) {
      if (!(type in SIZE)) throw new Error(`${kernel}.${name}: unknown type '${type}'`);
      if (seen.has(name)) throw new Error(`${kernel}.${name}: declared twice`);
      seen.add(name);
      const size = SIZE[type];
      off = Math.ceil(off / size) * size;
      placed.push({ name, type, offset: off });
      off += size;
    }
    out[kernel] = { doc, fields: placed, bytes: Math.ceil(off / 8) * 8 };
  }
  return out;
}

/** A 28-bit id of the layout (FNV-1a over its JSON), stamped into both generated files. */
export function layoutId(lay = layout()) {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(lay)) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h & 0x0fffffff;
}

const pascal = (s) => s[0].toUpperCase() + s.slice(1);
const hex = (n) => `0x${n.toString(16)}`;
const HEADER = '// GENERATED by scripts/build-tgat-wasm.mjs from scripts/tgat-desc.mjs — do not edit.';

/**
 * assembly/tgat/desc.generated.ts: one namespace of typed readers per kernel. (No `@inline`: prettier rejects
 * decorators on functions, and binaryen -O3 inlines these one-load functions anyway.)
 */
export function assemblyScriptSource() {
  const lay = layout();
  const lines = [
    '/* eslint-disable */',
    HEADER,
    '// Typed readers of the kernel argument descriptors (AssemblyScript; not part of the tsc build).',
    '',
    `export const DESC_LAYOUT_ID: i32 = ${hex(layoutId(lay))};`,
  ];
  for (const [kernel, { doc, fields, bytes }] of Object.entries(lay)) {
    lines.push('', `/** ${kernel}: ${doc}. ${bytes} bytes. */`, `export namespace ${pascal(kernel)}Desc {`);
    for (const { name, type, offset } of fields) {
      const t = type === 'ptr' ? 'usize' : type;
      lines.push(
        `  export function ${name}(d: usize): ${t} {`,
        `    return load<${t}>(d, ${offset});`,
        '  }',
      );
    }
    lines.push('}');
  }
  return lines.join('\n') + '\n';
}

/** src/tgat/wasm/desc.generated.ts: the byte layout and one interface per kernel. */
export function typeScriptSource() {
  const lay = layout();
  const lines = [
    HEADER,
    "// Byte layout of the wasm kernels' argument descriptors; written by `writeDesc` in ./runtime.ts.",
    '',
    `export const DESC_LAYOUT_ID = ${hex(layoutId(lay))};`,
    '',
    "export type DescFieldType = 'i32' | 'ptr' | 'f64';",
    '',
    '/** Per kernel: its descriptor size in bytes and its fields as [name, byte offset, type]. */',
    'export const DESC_LAYOUT = {',
  ];
  for (const [kernel, { fields, bytes }] of Object.entries(lay)) {
    lines.push(`  ${kernel}: {`, `    bytes: ${bytes},`, '    fields: [');
    for (const { name, type, offset } of fields) lines.push(`      ['${name}', ${offset}, '${type}'],`);
    lines.push('    ],', '  },');
  }
  lines.push('} as const;', '');
  const max = Math.max(...Object.values(lay).map((k) => k.bytes));
  lines.push('/** The largest descriptor (bytes). */', `export const DESC_MAX_BYTES = ${max};`);
  for (const [kernel, { doc, fields }] of Object.entries(lay)) {
    lines.push('', `/** ${kernel}: ${doc}. */`, `export interface ${pascal(kernel)}Desc {`);
    for (const { name, type } of fields) {
      const note = type === 'ptr' ? ' // byte offset in wasm memory' : '';
      lines.push(`  ${name}: number;${note}`);
    }
    lines.push('}');
  }
  lines.push('', '/** Descriptor fields by kernel export name. */', 'export interface DescFields {');
  for (const kernel of Object.keys(lay)) lines.push(`  ${kernel}: ${pascal(kernel)}Desc;`);
  lines.push('}', '', 'export type DescKernel = keyof DescFields;');
  return lines.join('\n') + '\n';
}
