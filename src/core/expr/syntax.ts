/**
 * The expression language of quantities (compute, metric, params, samples, derived columns, filter left sides):
 * numbers, column names, + − * / **, parentheses, log, log10, exp, sqrt, min, max. Parsed by jsep, restricted to
 * these operators; a column name that is not a plain name goes in backticks, as in pandas' DataFrame.eval:
 * `` `Training FLOP` / (6 * `Model Size`) ``. Names may hold `.`, `:` and `@` (`metrics.acc1`, `arch:params`,
 * `image_retrieval_recall@5`). Errors carry the 1-based column of the character at fault.
 */
import jsep from 'jsep';

export const FUNCTIONS = {
  log: Math.log,
  log10: Math.log10,
  exp: Math.exp,
  sqrt: Math.sqrt,
  min: Math.min,
  max: Math.max,
} as const;
export type FunctionName = keyof typeof FUNCTIONS;
const ONE_ARGUMENT = new Set<FunctionName>(['log', 'log10', 'exp', 'sqrt']);

export type BinaryOperator = '+' | '-' | '*' | '/' | '**';

/** A parsed expression; names and calls keep their place in the text (0-based offsets) for messages. */
export type Expr =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string; start: number; end: number }
  | { kind: 'negate'; argument: Expr }
  | { kind: 'binary'; operator: BinaryOperator; left: Expr; right: Expr }
  | { kind: 'call'; fn: FunctionName; args: Expr[]; start: number };

/** A problem in an expression's text, at a 1-based column of it. */
export class ExpressionSyntaxError extends Error {
  constructor(
    readonly column: number,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ExpressionSyntaxError';
  }
}

const BACKTICK = 96;
let configured = false;

/** jsep is one shared parser: restrict its grammar once, and read names (plain or in backticks) with their places. */
function configure(): void {
  if (configured) return;
  configured = true;
  jsep.removeAllBinaryOps();
  jsep.addBinaryOp('+', 9);
  jsep.addBinaryOp('-', 9);
  jsep.addBinaryOp('*', 10);
  jsep.addBinaryOp('/', 10);
  jsep.addBinaryOp('**', 11, true);
  jsep.removeAllUnaryOps();
  jsep.addUnaryOp('-');
  jsep.addUnaryOp('+');
  jsep.removeAllLiterals();
  jsep.hooks.add('gobble-token', function (this: jsep.HookScope, env: { node?: jsep.Expression }) {
    const start = this.index;
    const code = this.code;
    if (code === BACKTICK) {
      const close = this.expr.indexOf('`', start + 1);
      if (close < 0) this.throwError('a column name in backticks is never closed: expected a closing `');
      const name = this.expr.slice(start + 1, close);
      if (name.trim() === '') this.throwError('empty column name in backticks');
      this.index = close + 1;
      env.node = this.gobbleTokenProperty({ type: 'Identifier', name, start, end: close + 1 });
    } else if (isNameStart(code)) {
      let end = start + 1;
      while (end < this.expr.length && isNamePart(this.expr.charCodeAt(end))) end++;
      this.index = end;
      env.node = this.gobbleTokenProperty({ type: 'Identifier', name: this.expr.slice(start, end), start, end });
    }
  });
}

function isNameStart(code: number): boolean {
  return (
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 /* _ */ ||
    code === 36 /* $ */ ||
    (code >= 128 && code !== 0x2212 && code !== 0xb7 && code !== 0xd7)
  );
}

function isNamePart(code: number): boolean {
  return (
    isNameStart(code) || (code >= 48 && code <= 57) || code === 46 /* . */ || code === 58 /* : */ || code === 64
  ); /* @ */
}

/** Typographic operators as people paste them (−, ·, ×) become ASCII outside backticks; same length, same columns. */
function asciiOperators(text: string): string {
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === '`') quoted = !quoted;
    out += quoted ? ch : ch === '\u2212' ? '-' : ch === '\u00b7' || ch === '\u00d7' ? '*' : ch;
  }
  return out;
}

export function parseExpression(text: string): Expr {
  configure();
  const source = asciiOperators(text);
  if (source.trim() === '')
    throw new ExpressionSyntaxError(1, 'empty expression: expected a column name, a number or a formula');
  let tree: jsep.Expression;
  try {
    tree = jsep(source);
  } catch (error) {
    const e = error as Error & { index?: number; description?: string };
    throw new ExpressionSyntaxError(
      (e.index ?? 0) + 1,
      describeJsepError(e.description ?? e.message, source, e.index ?? 0),
    );
  }
  return convert(tree, source);
}

function describeJsepError(description: string, source: string, index: number): string {
  const ch = source[index];
  if (/^Unclosed \($/.test(description) || /Expected \)/.test(description))
    return 'a "(" is never closed: expected ")"';
  if (ch !== undefined && /[<>=!&|^%?~]/.test(ch))
    return `"${ch}" is not an operator here: expressions use + − * / ** and parentheses${/[<>=!]/.test(ch) ? ' (comparisons belong in --filter)' : ''}`;
  if (ch === ',' || ch === ')') return `unexpected "${ch}"`;
  const digitName = /^Variable names cannot start with a number \((.*)\)$/.exec(description);
  if (digitName) return `a column name cannot start with a digit ("${digitName[1]}"): put it in backticks`;
  if (/Expected expression after/.test(description))
    return `${description.replace(/^Expected expression after/, 'expected a value after')}`;
  return description.replace(/^Unexpected "(.*)"$/, 'unexpected "$1"');
}

function convert(node: jsep.Expression, source: string): Expr {
  switch (node.type) {
    case 'Literal': {
      const literal = node as jsep.Literal;
      if (typeof literal.value === 'number') return { kind: 'number', value: literal.value };
      throw new ExpressionSyntaxError(
        offsetOf(source, literal.raw) + 1,
        `${literal.raw} is text, not a number or a column: write a column name with spaces in backticks, e.g. \`Model Size\``,
      );
    }
    case 'Identifier': {
      const id = node as jsep.Identifier & { start: number; end: number };
      return { kind: 'name', name: id.name, start: id.start, end: id.end };
    }
    case 'UnaryExpression': {
      const unary = node as jsep.UnaryExpression;
      const argument = convert(unary.argument, source);
      return unary.operator === '-' ? { kind: 'negate', argument } : argument;
    }
    case 'BinaryExpression': {
      const binary = node as jsep.BinaryExpression;
      return {
        kind: 'binary',
        operator: binary.operator as BinaryOperator,
        left: convert(binary.left, source),
        right: convert(binary.right, source),
      };
    }
    case 'CallExpression': {
      const call = node as jsep.CallExpression;
      const callee = call.callee as jsep.Identifier & { start?: number };
      const at = (callee.start ?? 0) + 1;
      if (callee.type !== 'Identifier')
        throw new ExpressionSyntaxError(at, 'only log, log10, exp, sqrt, min and max can be called');
      const fn = callee.name as FunctionName;
      if (!Object.hasOwn(FUNCTIONS, fn))
        throw new ExpressionSyntaxError(
          at,
          `unknown function "${callee.name}": expected one of ${Object.keys(FUNCTIONS).join(', ')}`,
        );
      const args = call.arguments.map((arg) => convert(arg, source));
      if (ONE_ARGUMENT.has(fn) ? args.length !== 1 : args.length === 0)
        throw new ExpressionSyntaxError(
          at,
          `${fn} takes ${ONE_ARGUMENT.has(fn) ? 'one argument' : 'one or more arguments'} (got ${args.length})`,
        );
      return { kind: 'call', fn, args, start: callee.start ?? 0 };
    }
    case 'Compound':
      throw new ExpressionSyntaxError(
        secondPartColumn(node as jsep.Compound),
        'two values with no operator between them: expected + − * or /; a column name with spaces goes in backticks',
      );
    default:
      throw new ExpressionSyntaxError(
        1,
        `${describeNode(node.type)} is not supported: expressions use numbers, columns, + − * / **, parentheses and log, log10, exp, sqrt, min, max`,
      );
  }
}

function describeNode(type: string): string {
  return (
    {
      MemberExpression: 'indexing with [ ]',
      ConditionalExpression: 'a ? b : c',
      ArrayExpression: 'a list [ ]',
      SequenceExpression: 'a list of values (a, b)',
      ThisExpression: 'this',
    }[type] ?? type
  );
}

function secondPartColumn(compound: jsep.Compound): number {
  const second = compound.body[1] as (jsep.Expression & { start?: number }) | undefined;
  return (second?.start ?? 0) + 1;
}

function offsetOf(source: string, raw: string): number {
  const offset = source.indexOf(raw);
  return offset < 0 ? 0 : offset;
}

/** The column names an expression refers to, in order of appearance. */
export function namesIn(expr: Expr): { name: string; start: number; end: number }[] {
  switch (expr.kind) {
    case 'number':
      return [];
    case 'name':
      return [expr];
    case 'negate':
      return namesIn(expr.argument);
    case 'binary':
      return [...namesIn(expr.left), ...namesIn(expr.right)];
    case 'call':
      return expr.args.flatMap(namesIn);
  }
}

/** A column name as an expression would write it: plain when it can be, else in backticks. */
export function quoteName(name: string): string {
  if (name.length > 0 && isNameStart(name.charCodeAt(0)) && [...name].every((_, i) => isNamePart(name.charCodeAt(i))))
    return name;
  return `\`${name}\``;
}
