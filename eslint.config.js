// ESLint flat config: typescript-eslint recommended rules over src/, test/ and bench/, plus the rings of the
// house (ARCHITECTURE.md): which folder of src/ may import which, always through the other folder's index.ts
// door, and the pure stages touch no file system, environment, process streams, clock or child processes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The pure stages: typed values in, typed values out. */
export const STAGES = [
  'session',
  'stats',
  'detect',
  'features',
  'graph',
  'tgat',
  'discover',
  'motifs',
  'patterns',
  'confluence',
  'validation',
  'report',
  'synthetic',
  'evaluate',
];

/** Folder → the folders of src/ it may import (besides itself). Everything not listed is forbidden. */
export const RINGS = {
  core: [],
  ...Object.fromEntries(STAGES.map((s) => [s, ['core', ...STAGES.filter((t) => t !== s)]])),
  io: ['core'],
  store: ['core', 'io', ...STAGES],
  scale: ['core', 'io', 'store', ...STAGES],
  app: ['core', 'io', 'store', 'scale', ...STAGES],
  canary: ['core', 'io', 'store', 'scale', 'app', ...STAGES],
  cli: ['core', 'io', 'store', 'app', 'scale', 'canary', ...STAGES],
};

const FOLDERS = Object.keys(RINGS);

/** Node modules a pure stage (or core) may not import: file system, processes, network, OS, threads. */
const IMPURE_NODE = [
  'fs',
  'fs/promises',
  'child_process',
  'os',
  'net',
  'http',
  'https',
  'worker_threads',
  'process',
  'readline',
].flatMap((m) => [m, `node:${m}`]);

const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The rule options for a file `depth` folders below src/<folder>/ (0 = directly in it). */
function importRule(folder, depth) {
  const up = `^${esc('../'.repeat(depth + 1))}`;
  const forbidden = FOLDERS.filter((f) => f !== folder && !RINGS[folder].includes(f));
  const patterns = [
    {
      regex: `${up}[^./][^/]*/(?!index\\.js$).+`,
      message: "import another folder through its door ('../<folder>/index.js'), not its internal files",
    },
  ];
  if (forbidden.length)
    patterns.push({
      regex: `${up}(${forbidden.join('|')})/`,
      message: `src/${folder} may import only ${RINGS[folder].join(', ') || 'nothing outside itself'} (ARCHITECTURE.md)`,
    });
  const pure = folder === 'core' || STAGES.includes(folder);
  return [
    'error',
    {
      patterns,
      paths: pure
        ? IMPURE_NODE.map((name) => ({
            name,
            message: 'stages are pure: file system, processes and the OS belong to io/, store/ and app/',
          }))
        : [],
    },
  ];
}

const PURE_MESSAGE =
  'stages are pure: the environment, process streams and the clock belong to app/ and cli/';
const pureRules = {
  'no-restricted-properties': [
    'error',
    ...['env', 'argv', 'stdout', 'stderr', 'stdin', 'exit', 'cwd', 'pid', 'hrtime'].map((property) => ({
      object: 'process',
      property,
      message: PURE_MESSAGE,
    })),
    { object: 'Date', property: 'now', message: PURE_MESSAGE },
    { object: 'performance', property: 'now', message: PURE_MESSAGE },
  ],
  'no-restricted-syntax': [
    'error',
    {
      selector: "NewExpression[callee.name='Date'][arguments.length=0]",
      message: PURE_MESSAGE,
    },
    { selector: "MemberExpression[object.name='console']", message: PURE_MESSAGE },
  ],
};

const ringBlocks = FOLDERS.flatMap((folder) =>
  [0, 1, 2].map((depth) => ({
    files: [`src/${folder}/${'*/'.repeat(depth)}*.ts`],
    rules: {
      'no-restricted-imports': importRule(folder, depth),
      ...(folder === 'core' || STAGES.includes(folder) ? pureRules : {}),
    },
  })),
);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'runs/**', 'test-output/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  ...ringBlocks,
);
