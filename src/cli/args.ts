/** Parses `scaling-lens fit` flags (node's util.parseArgs) into analysis options; every bad flag is a UsageError. */
import { parseArgs } from 'node:util';
import type { AnalysisOptions, PredictionRequest } from '../core/analysis';
import { UsageError } from '../core/errors';
import { ExpressionError } from '../core/expr/origin';
import { parseFilter as parseFilterText, type Filter } from '../core/expr/filter';
import { ExpressionSyntaxError } from '../core/expr/syntax';
import { parseFrontier } from '../core/frontier';
import { parseObjective } from '../core/fit/objective';
import { checkBootstrap, checkLaw, checkName, checkPositive, MAX_BUDGETS, type Checked } from '../core/settings';
import type { DecisionRequest } from '../core/decisions/request';
import { DECISION_FLAGS, parseDecisionArgs } from './decisionArgs';
import { parseHoldoutFilter, type HoldoutRule } from '../core/holdout';

export interface FitCommand {
  file: string;
  json: boolean;
  /** Exit 2 without a fit when any row had a bad value (default: report them and fit the other rows). */
  strict: boolean;
  options: AnalysisOptions;
  decisions: DecisionRequest;
}

export function parseFitArgs(argv: string[]): FitCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        metric: { type: 'string' },
        task: { type: 'string' },
        filter: { type: 'string', multiple: true },
        group: { type: 'string' },
        compute: { type: 'string' },
        params: { type: 'string' },
        samples: { type: 'string' },
        law: { type: 'string' },
        frontier: { type: 'string' },
        objective: { type: 'string' },
        bootstrap: { type: 'string' },
        seed: { type: 'string' },
        holdout: { type: 'string' },
        'holdout-filter': { type: 'string' },
        direction: { type: 'string' },
        predict: { type: 'string', multiple: true },
        optimal: { type: 'string', multiple: true },
        fix: { type: 'string', multiple: true },
        tie: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        ...DECISION_FLAGS,
        strict: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1)
    throw new UsageError(
      `fit takes one results file (got ${positionals.length === 0 ? 'none' : positionals.join(' ')})`,
    );
  const name = (flag: string, text: string | undefined) =>
    text === undefined ? undefined : checked(flag, text, checkName(text));
  if ((values.optimal ?? []).length > MAX_BUDGETS) throw new UsageError(`--optimal: at most ${MAX_BUDGETS} budgets`);
  const options: AnalysisOptions = {
    metric: name('--metric', values.metric),
    task: name('--task', values.task),
    filters: (values.filter ?? []).map(parseFilter),
    group: values.group === undefined ? undefined : values.group === 'none' ? null : name('--group', values.group),
    compute: name('--compute', values.compute),
    params: name('--params', values.params),
    samples: name('--samples', values.samples),
    law: values.law === undefined ? undefined : checked('--law', values.law, checkLaw(values.law)),
    frontier: values.frontier ? parseFrontier(values.frontier) : undefined,
    objective: values.objective ? parseObjective(values.objective) : undefined,
    bootstrap:
      values.bootstrap === undefined
        ? 1000
        : checked(
            '--bootstrap',
            values.bootstrap,
            checkBootstrap(values.bootstrap.trim() === '' ? NaN : Number(values.bootstrap)),
          ),
    seed: values.seed === undefined ? 0 : integer('--seed', values.seed, 0),
    holdout: holdoutRule(values.holdout, values['holdout-filter']),
    direction: values.direction === undefined ? undefined : direction(values.direction),
    predict: (values.predict ?? []).map(parsePrediction),
    optimal: (values.optimal ?? []).map((text) => positive('--optimal', text)),
    ...(values.fix ? { fix: Object.fromEntries(values.fix.map(parseFix)) } : {}),
    ...(values.tie ? { tie: values.tie.map(parseTie) } : {}),
  };
  return {
    file: positionals[0],
    json: values.json ?? false,
    strict: values.strict ?? false,
    options,
    decisions: parseDecisionArgs(values),
  };
}

function holdoutRule(fractionText: string | undefined, filterText: string | undefined): HoldoutRule | undefined {
  if (fractionText !== undefined && filterText !== undefined)
    throw new UsageError('--holdout and --holdout-filter: give one rule for the held-out runs, not both');
  if (fractionText !== undefined) return { kind: 'fraction', fraction: fraction('--holdout', fractionText) };
  return filterText === undefined ? undefined : parseHoldoutFilter(filterText);
}

function direction(text: string): 'higher' | 'lower' {
  if (text !== 'higher' && text !== 'lower')
    throw new UsageError(`--direction ${text}: expected higher (a score such as accuracy) or lower (a loss or error)`);
  return text;
}

function parseFilter(text: string): Filter {
  try {
    return parseFilterText(text);
  } catch (error) {
    if (error instanceof ExpressionSyntaxError)
      throw new ExpressionError({ label: '--filter' }, text, error.column, error.detail);
    throw error;
  }
}

/** `--fix alpha=-0.1`: a law parameter held at a value. */
function parseFix(text: string): [string, number] {
  const match = /^([A-Za-z_][\w]*)=(.+)$/.exec(text);
  const value = match ? Number(match[2]) : NaN;
  if (!match || !Number.isFinite(value))
    throw new UsageError(`--fix ${text}: expected PARAM=VALUE with a number (e.g. --fix alpha=-0.1)`);
  return [match[1], value];
}

/** `--tie alpha=beta`: two law parameters constrained equal. */
function parseTie(text: string): [string, string] {
  const match = /^([A-Za-z_][\w]*)=([A-Za-z_][\w]*)$/.exec(text);
  if (!match) throw new UsageError(`--tie ${text}: expected PARAM=PARAM (e.g. --tie alpha=beta)`);
  return [match[1], match[2]];
}

function parsePrediction(text: string): PredictionRequest {
  const request: PredictionRequest = {};
  for (const part of text.split(',')) {
    const [key, value] = part.split('=');
    if (value === undefined)
      throw new UsageError(
        `--predict ${text}: expected key=value pairs (compute=C, or params=N,samples=D, or arch=NAME,samples=D)`,
      );
    if (key === 'arch') request.arch = value;
    else if (key === 'compute' || key === 'params' || key === 'samples')
      request[key] = positive(`--predict ${key}`, value);
    else throw new UsageError(`--predict ${text}: unknown key "${key}" (compute, params, samples, arch)`);
  }
  return request;
}

/** A flag's value from its shared validator, or a UsageError naming the flag. */
function checked<T>(flag: string, text: string, result: Checked<T>): T {
  if (!result.ok)
    throw new UsageError(`${flag} ${text.length > 80 ? `${text.slice(0, 80)}…` : text}: expected ${result.expected}`);
  return result.value;
}

function positive(flag: string, text: string): number {
  return checked(flag, text, checkPositive(text.trim() === '' ? NaN : Number(text)));
}

function integer(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new UsageError(`${flag} ${text}: expected a whole number ≥ ${min}`);
  return value;
}

function fraction(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new UsageError(`${flag} ${text}: expected a fraction between 0 and 1`);
  return value;
}
