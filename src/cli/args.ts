/** Parses `scaling-lens fit` flags (node's util.parseArgs) into analysis options; every bad flag is a UsageError. */
import { parseArgs } from 'node:util';
import type { AnalysisOptions, PredictionRequest } from '../core/analysis';
import { UsageError } from '../core/errors';
import { parseFrontier } from '../core/frontier';
import { parseObjective } from '../core/fit/objective';
import { lawByName } from '../core/laws/index';

export interface FitCommand {
  file: string;
  json: boolean;
  options: AnalysisOptions;
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
        predict: { type: 'string', multiple: true },
        optimal: { type: 'string', multiple: true },
        fix: { type: 'string', multiple: true },
        tie: { type: 'string', multiple: true },
        json: { type: 'boolean' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`fit takes one results file (got ${positionals.length === 0 ? 'none' : positionals.join(' ')})`);
  const options: AnalysisOptions = {
    metric: values.metric,
    task: values.task,
    filters: (values.filter ?? []).map(parseFilter),
    group: values.group === undefined ? undefined : values.group === 'none' ? null : values.group,
    compute: values.compute,
    params: values.params,
    samples: values.samples,
    law: values.law ? lawByName(values.law).name : undefined,
    frontier: values.frontier ? parseFrontier(values.frontier) : undefined,
    objective: values.objective ? parseObjective(values.objective) : undefined,
    bootstrap: values.bootstrap === undefined ? 1000 : integer('--bootstrap', values.bootstrap, 0),
    seed: values.seed === undefined ? 0 : integer('--seed', values.seed, 0),
    holdout: values.holdout === undefined ? undefined : fraction('--holdout', values.holdout),
    predict: (values.predict ?? []).map(parsePrediction),
    optimal: (values.optimal ?? []).map((text) => positive('--optimal', text)),
    ...(values.fix ? { fix: Object.fromEntries(values.fix.map(parseFix)) } : {}),
    ...(values.tie ? { tie: values.tie.map(parseTie) } : {}),
  };
  if ((values.params === undefined) !== (values.samples === undefined)) throw new UsageError('--params and --samples go together');
  return { file: positionals[0], json: values.json ?? false, options };
}

function parseFilter(text: string) {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--filter ${text}: expected COL=VALUE`);
  return { column: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** `--fix alpha=-0.1`: a law parameter held at a value. */
function parseFix(text: string): [string, number] {
  const match = /^([A-Za-z_][\w]*)=(.+)$/.exec(text);
  const value = match ? Number(match[2]) : NaN;
  if (!match || !Number.isFinite(value)) throw new UsageError(`--fix ${text}: expected PARAM=VALUE with a number (e.g. --fix alpha=-0.1)`);
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
    if (value === undefined) throw new UsageError(`--predict ${text}: expected key=value pairs (compute=C, or params=N,samples=D, or arch=NAME,samples=D)`);
    if (key === 'arch') request.arch = value;
    else if (key === 'compute' || key === 'params' || key === 'samples') request[key] = positive(`--predict ${key}`, value);
    else throw new UsageError(`--predict ${text}: unknown key "${key}" (compute, params, samples, arch)`);
  }
  return request;
}

function positive(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0) || !Number.isFinite(value)) throw new UsageError(`${flag} ${text}: expected a positive number`);
  return value;
}

function integer(flag: string, text: string, min: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new UsageError(`${flag} ${text}: expected a whole number ≥ ${min}`);
  return value;
}

function fraction(flag: string, text: string): number {
  const value = Number(text);
  if (!(value > 0 && value < 1)) throw new UsageError(`${flag} ${text}: expected a fraction between 0 and 1`);
  return value;
}
