/**
 * The rings of the house (ARCHITECTURE.md), checked two ways: the ESLint boundary rule fails on forbidden
 * imports (lint fixtures below), and a plain scan of src/ finds no I/O inside the pure stages.
 */
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ESLint } from 'eslint';

const ROOT = join(import.meta.dirname, '..', '..');
const SRC = join(ROOT, 'src');
// The stage list is the ESLint config's own (one list for the rule and this test).
const { STAGES } = (await import(pathToFileURL(join(ROOT, 'eslint.config.js')).href)) as { STAGES: string[] };

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture: ESLint enforces the rings', () => {
  const eslint = new ESLint({ cwd: ROOT });
  async function problems(file: string, code: string): Promise<string[]> {
    const [r] = await eslint.lintText(code, { filePath: join(ROOT, file) });
    return r.messages.map((m) => `${m.ruleId}: ${m.message}`);
  }
  const cases: [string, string, string, RegExp][] = [
    [
      'stage → store/',
      'src/motifs/x.ts',
      "import { readSessions } from '../store/index.js';",
      /may import only/,
    ],
    ['stage → cli/', 'src/graph/x.ts', "import { say } from '../cli/output.js';", /no-restricted-imports/],
    [
      'stage → app/',
      'src/tgat/kernels/x.ts',
      "import { runPipeline } from '../../app/index.js';",
      /may import only/,
    ],
    [
      'stage → node:fs',
      'src/session/x.ts',
      "import { readFile } from 'node:fs/promises';",
      /stages are pure/,
    ],
    [
      'stage → child_process',
      'src/stats/x.ts',
      "import { spawn } from 'node:child_process';",
      /stages are pure/,
    ],
    [
      'stage → another stage internals',
      'src/motifs/x.ts',
      "import { buildDag } from '../graph/dag.js';",
      /door/,
    ],
    ['io → store', 'src/io/x.ts', "import { readSessions } from '../store/index.js';", /may import only/],
    ['store → app', 'src/store/x.ts', "import { runPipeline } from '../app/index.js';", /may import only/],
    ['app → cli', 'src/app/x.ts', "import { say } from '../cli/index.js';", /may import only/],
    ['process.env in a stage', 'src/detect/x.ts', 'export const v = process.env.HOME;', /stages are pure/],
    ['clock in a stage', 'src/patterns/x.ts', 'export const t = performance.now();', /stages are pure/],
    ['new Date() in a stage', 'src/features/x.ts', 'export const d = new Date();', /stages are pure/],
  ];
  for (const [name, file, code, expected] of cases)
    test(`rejects ${name}`, async () => {
      const msgs = await problems(file, code);
      assert.ok(
        msgs.some((m) => expected.test(m)),
        `expected ${expected} for ${file}: ${code}\ngot: ${msgs.join('\n') || '(nothing)'}`,
      );
    });

  test('accepts the allowed directions', async () => {
    const ok: [string, string][] = [
      ['src/motifs/x.ts', "export { buildDag } from '../graph/index.js';"],
      ['src/tgat/kernels/x.ts', "export { Rng } from '../../stats/index.js';"],
      ['src/tgat/kernels/x.ts', "export { allowedPairs } from '../mask.js';"],
      ['src/store/x.ts', "export { parseEnhancedRecord } from '../session/index.js';"],
      ['src/app/x.ts', "export { readSessions } from '../store/index.js';"],
      ['src/cli/commands/x.ts', "export { runPipeline } from '../../app/index.js';"],
      ['src/features/x.ts', 'export const d = new Date(0).toISOString();'],
    ];
    for (const [file, code] of ok) assert.deepEqual(await problems(file, code), [], `${file}: ${code}`);
  });

  test('the real tree passes the boundary rule', async () => {
    const results = await eslint.lintFiles(['src']);
    const ring = results.flatMap((r) =>
      r.messages
        .filter((m) => /no-restricted/.test(m.ruleId ?? ''))
        .map((m) => `${relative(ROOT, r.filePath)}:${m.line} ${m.message}`),
    );
    assert.deepEqual(ring, []);
  });
});

describe('architecture: the stages are pure (plain scan of the source)', () => {
  const forbidden: [RegExp, string][] = [
    [/from\s+'node:(fs|fs\/promises|child_process|os|net|worker_threads)'/, 'imports a node I/O module'],
    [
      /from\s+'(\.\.\/)+(store|cli|app|io|scale|canary)\//,
      'imports store/, cli/, app/, io/, scale/ or canary/',
    ],
    [/\bprocess\.(env|argv|stdout|stderr|exit)\b/, 'reads the process environment or streams'],
    [/\b(performance\.now|Date\.now)\(/, 'reads the clock'],
  ];
  for (const stage of STAGES)
    test(`src/${stage}`, () => {
      const bad: string[] = [];
      for (const file of tsFiles(join(SRC, stage))) {
        // A vendored browser bundle carried as one string constant (report/vendor/*.generated.ts) is page code, not
        // stage code: ESLint's rules above still see it as a string; report-chart.test.ts checks it against its package.
        if (/[\\/]vendor[\\/][^\\/]+\.generated\.ts$/.test(file)) {
          for (const line of readFileSync(file, 'utf8').split('\n'))
            if (line && !line.startsWith('//') && !/^export const [A-Z0-9_]+ = ".*";$/.test(line))
              bad.push(`${relative(ROOT, file)} has more than string constants`);
          continue;
        }
        const code = readFileSync(file, 'utf8')
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '');
        for (const [re, what] of forbidden) if (re.test(code)) bad.push(`${relative(ROOT, file)} ${what}`);
      }
      assert.deepEqual(bad, []);
    });
});

describe('architecture: every folder has one door and a README', () => {
  const folders = readdirSync(SRC).filter((n) => statSync(join(SRC, n)).isDirectory());
  for (const f of folders)
    test(`src/${f}`, () => {
      assert.ok(existsSync(join(SRC, f, 'index.ts')), `src/${f}/index.ts`);
      const readme = join(SRC, f, 'README.md');
      assert.ok(existsSync(readme), `src/${f}/README.md`);
      const text = readFileSync(readme, 'utf8');
      for (const heading of ['Owns', 'May import', 'Never imports'])
        assert.match(
          text,
          new RegExp(`^## ${heading}`, 'm'),
          `src/${f}/README.md has a "## ${heading}" section`,
        );
    });
});
