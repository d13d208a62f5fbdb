/**
 * Expressions wherever a quantity is named: each feature of the language evaluates as plain arithmetic does; errors
 * are located at the character; unknown columns list the columns; nothing is ever evaluated as JavaScript.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { extractRuns } from '../../src/core/dataset';
import { resolveSpec } from '../../src/core/analysis';
import { InputError } from '../../src/core/errors';
import { ExpressionError } from '../../src/core/expr/origin';
import { loadDataset } from '../../src/core/ingest/load';
import { runCli } from './cliHelper';
import { fitFiles, powerLawByHand, readerOf, thrown } from './fitHelper';
import { withTempDir } from './helpers/tempDir';

// Two rows; a column named with spaces and parentheses, as Epoch's and many papers' tables have.
const ROWS = [
  { n: 2e8, size: 3e8, flops: 1.5, loss: 2.5 },
  { n: 4e8, size: 5e8, flops: 6, loss: 2.2 },
];
const CSV =
  ['n,Model Size,FLOPs (1E21),loss', ...ROWS.map((r) => `${r.n},${r.size},${r.flops},${r.loss}`)].join('\n') + '\n';

/** The compute each row gets from `--compute EXPR`. */
function computeOf(expression: string): number[] {
  const { table, spec } = loadDataset('/t.csv', readerOf({ '/t.csv': CSV }));
  return extractRuns(table, resolveSpec(table, spec, { compute: expression })).runs.map((r) => r.compute);
}

const cases: [feature: string, expression: string, expected: (r: (typeof ROWS)[number]) => number][] = [
  ['a number in exponent notation', '`FLOPs (1E21)` * 1e21', (r) => r.flops * 1e21],
  ['a plain column', 'n', (r) => r.n],
  ['a column named in full, spaces and parentheses included', 'FLOPs (1E21)', (r) => r.flops],
  ['+', 'n + `Model Size`', (r) => r.n + r.size],
  ['- (and the typographic −)', '`Model Size` − n', (r) => r.size - r.n],
  ['*', '6 * n', (r) => 6 * r.n],
  ['/ and parentheses', '`FLOPs (1E21)` * 1e21 / (6 * `Model Size`)', (r) => (r.flops * 1e21) / (6 * r.size)],
  ['operator precedence', '1 + 2 * n', (r) => 1 + 2 * r.n],
  ['unary minus', '-(-n)', (r) => r.n],
  ['** (right-associative)', '2 ** 3 ** 2 * n', (r) => 512 * r.n],
  ['log (natural)', 'log(n)', (r) => Math.log(r.n)],
  ['log10', 'log10(n)', (r) => Math.log10(r.n)],
  ['exp', 'exp(log(n))', (r) => Math.exp(Math.log(r.n))],
  ['sqrt', 'sqrt(n)', (r) => Math.sqrt(r.n)],
  ['min', 'min(n, `Model Size`, 3.5e8)', (r) => Math.min(r.n, r.size, 3.5e8)],
  ['max', 'max(n, 3e8)', (r) => Math.max(r.n, 3e8)],
  ['× and · as multiplication', '6 × n · 2', (r) => 12 * r.n],
];
for (const [feature, expression, expected] of cases) {
  test(`expression feature: ${feature} (${expression})`, () => {
    const got = computeOf(expression);
    ROWS.forEach((row, i) =>
      assert.ok(
        Math.abs(got[i] - expected(row)) <= 1e-12 * Math.abs(expected(row)),
        `row ${i}: ${got[i]} vs ${expected(row)}`,
      ),
    );
  });
}

test('an unknown column: located at its character, listing the columns, with the close match', () => {
  const error = thrown(() => computeOf('6 * `Model Siz` * n'));
  assert.ok(error instanceof ExpressionError, String(error));
  assert.equal(error.column, 5);
  assert.match(
    error.message,
    /^--compute 6 \* `Model Siz` \* n:5: no column "Model Siz" \(did you mean "Model Size"\?\): the columns are "n", "Model Size", "FLOPs \(1E21\)", "loss"/,
  );
  assert.match(error.message, /\n {2}6 \* `Model Siz` \* n\n {6}\^$/, 'a caret under the character');
});

test('syntax errors are located at the character', () => {
  const at = (expression: string) => (thrown(() => computeOf(expression)) as ExpressionError).column;
  assert.equal(at('(n + 1'), 7, 'unclosed parenthesis: at the end');
  assert.equal(at('n b'), 3, 'two values without an operator: at the second');
  assert.equal(at('n < 3'), 3, 'a comparison is not an expression');
  assert.equal(at('foo(n)'), 1, 'unknown function');
  assert.equal(at('`Model Size'), 1, 'unclosed backtick');
  assert.match(thrown(() => computeOf('n < 3')).message, /comparisons belong in --filter/);
  assert.match(thrown(() => computeOf('log(n, 2)')).message, /log takes one argument \(got 2\)/);
  assert.match(thrown(() => computeOf('"n" * 2')).message, /is text, not a number or a column/);
});

test('nothing is evaluated as JavaScript: globals and members are unknown names or refused', () => {
  for (const expression of [
    'process.exit(1)',
    'constructor',
    'this',
    'globalThis',
    'n.constructor',
    'n["x"]',
    'n ? 1 : 2',
  ]) {
    const error = thrown(() => computeOf(expression));
    assert.ok(error instanceof ExpressionError, `${expression}: ${String(error)}`);
  }
});

test('arithmetic that fails on a row is a located problem; the row is left out and the others fitted', () => {
  const csv = 'n,d,loss\n1e8,2,2.5\n2e8,0,2.3\n4e8,4,2.1\n8e8,8,2.0\n';
  const result = fitFiles({ '/t.csv': csv }, '/t.csv', { compute: 'n / d' });
  assert.equal(result.runs.length, 3);
  assert.equal(result.problems.length, 1);
  assert.equal(result.problems[0].line, 3);
  assert.match(result.problems[0].message, /division by zero/);
  const log = fitFiles({ '/t.csv': 'n,loss\n1e8,2.5\n-2,2.3\n4e8,2.1\n8e8,2.0\n' }, '/t.csv', { compute: 'log(n)' });
  assert.match(log.problems[0].message, /log of −2 \(needs a positive number\)/);
});

test('--metric "1 - MMLU": E is one minus the accuracy, fitted as a power law (checked against a refit by hand)', () => {
  const rows = [
    [1e20, 0.3],
    [3e20, 0.41],
    [1e21, 0.52],
    [3e21, 0.6],
    [1e22, 0.68],
  ];
  const csv = ['flops,MMLU', ...rows.map(([c, a]) => `${c},${a}`)].join('\n') + '\n';
  const result = fitFiles({ '/mmlu.csv': csv }, '/mmlu.csv', { metric: '1 - MMLU' });
  const fit = result.fits[0];
  assert.equal(fit.n_points, 5);
  const byHand = powerLawByHand(rows.map(([compute, accuracy]) => ({ compute, error: 1 - accuracy })));
  assert.ok(Math.abs(fit.params.alpha - byHand.alpha) < 1e-9, `${fit.params.alpha} vs ${byHand.alpha}`);
  assert.ok(Math.abs(fit.params.beta / byHand.beta - 1) < 1e-9);
});

test('the Chinchilla-style table fits with --samples "`Training FLOP` / (6 * `Model Size`)" and no edited copy', () => {
  // Losses from the Chinchilla law of Hoffmann et al. (2022): E 1.69, A 406.4, B 410.7, α 0.34, β 0.28.
  const file = path.join(__dirname, '..', 'fixtures', 'chinchilla_style.csv');
  const { code, stdout, stderr } = runCli([
    'fit',
    file,
    '--samples',
    '`Training FLOP` / (6 * `Model Size`)',
    '--law',
    'joint',
    '--objective',
    'huber:1e-3',
    '--bootstrap',
    '0',
    '--json',
  ]);
  assert.equal(code, 0, stderr);
  const fit = JSON.parse(stdout).fits[0];
  const truth = { E: 1.69, A: 406.4, B: 410.7, alpha: 0.34, beta: 0.28 };
  for (const [name, value] of Object.entries(truth))
    assert.ok(Math.abs(fit.params[name] / value - 1) < 0.01, `${name}: ${fit.params[name]} vs ${value}`);
  // The default power law on the same file, with no flag at all: compute from "Training FLOP", loss as the metric.
  const plain = runCli(['fit', file, '--bootstrap', '0', '--json']);
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(JSON.parse(plain.stdout).compute, 'Training FLOP');
});

test('scaling-lens.json: derived columns by name, expressions in quantities, problems located in the file', () =>
  withTempDir('scaling-lens-derived', (dir) => {
    fs.copyFileSync(path.join(__dirname, '..', 'fixtures', 'chinchilla_style.csv'), path.join(dir, 'chinchilla.csv'));
    const config = (entry: object) =>
      fs.writeFileSync(
        path.join(dir, 'scaling-lens.json'),
        JSON.stringify({ datasets: [{ file: 'chinchilla.csv', ...entry }] }, null, 2) + '\n',
      );
    config({ derived: { tokens: '`Training FLOP` / (6 * `Model Size`)' }, samples: 'tokens', params: 'Model Size' });
    const good = runCli([
      'fit',
      path.join(dir, 'chinchilla.csv'),
      '--law',
      'joint',
      '--objective',
      'huber:1e-3',
      '--bootstrap',
      '0',
      '--json',
    ]);
    assert.equal(good.code, 0, good.stderr);
    const fit = JSON.parse(good.stdout).fits[0];
    assert.ok(
      Math.abs(fit.params.alpha / 0.34 - 1) < 0.01 && Math.abs(fit.params.beta / 0.28 - 1) < 0.01,
      JSON.stringify(fit.params),
    );
    // A typo inside a derived expression: reported at its line and the column of the character in scaling-lens.json.
    config({ derived: { tokens: '`Training FLOP` / (6 * `Model Siz`)' }, samples: 'tokens' });
    const bad = runCli(['fit', path.join(dir, 'chinchilla.csv'), '--bootstrap', '0']);
    assert.equal(bad.code, 2);
    const text = fs.readFileSync(path.join(dir, 'scaling-lens.json'), 'utf8');
    const lineIndex = text.split('\n').findIndex((l) => l.includes('Model Siz`'));
    const column = text.split('\n')[lineIndex].indexOf('`Model Siz`') + 1;
    assert.ok(
      bad.stderr.includes(
        `scaling-lens.json:${lineIndex + 1}:${column}: scaling-lens.json derived "tokens" \`Training FLOP\` / (6 * \`Model Siz\`): no column "Model Siz"`,
      ),
      bad.stderr,
    );
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
    // A derived column that refers to itself.
    config({ derived: { tokens: 'tokens * 2' }, samples: 'tokens' });
    const cyclic = runCli(['fit', path.join(dir, 'chinchilla.csv'), '--bootstrap', '0']);
    assert.equal(cyclic.code, 2);
    assert.match(cyclic.stderr, /derived column "tokens" refers to itself/);
  }));

test('a column of text named as a number is refused at once, not as a problem on every row', () => {
  const error = thrown(() =>
    fitFiles({ '/t.csv': 'model,flops,loss\na,1e18,2.5\nb,1e19,2.1\n' }, '/t.csv', { compute: 'model' }),
  );
  assert.match(error.message, /column "model" holds text \(e\.g\. "a" on line 2\), not numbers/);
  assert.ok(!(error instanceof InputError));
});
