/** `scaling-lens` command line: `fit` (scaling-law analysis) and `eval` (ONNX CLIP evaluation). Exit 2 on bad input. */
import fs from 'node:fs';
import { analyze, resolveSpec } from '../core/analysis';
import { InputError, UsageError } from '../core/errors';
import { loadDataset } from '../core/ingest/load';
import { createFitPool } from '../node/fitPool';
import { readTextFile } from '../node/files';
import { parseFitArgs } from './args';
import { runEvalCommand } from './evalCommand';
import { EvalError } from '../eval/errors';
import { toJson, toText } from '../core/report';

const USAGE = `usage: scaling-lens fit FILE [--metric COL] [--task NAME] [--filter COL=VALUE]... [--group COL|none]
         [--compute EXPR] [--params COL --samples COL] [--law power|saturating|joint|broken|broken2]
         [--fix PARAM=VALUE]... [--tie PARAM=PARAM]...
         [--frontier all|pareto|binned:K] [--objective ls|huber:DELTA] [--bootstrap N] [--seed S]
         [--holdout FRACTION] [--predict compute=X | --predict params=N,samples=D | --predict arch=NAME,samples=D]...
         [--optimal COMPUTE]... [--json]
       scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N] [--json]`;

export function runFit(argv: string[]): { output: string; code: number } {
  const command = parseFitArgs(argv);
  if (!fs.existsSync(command.file)) throw new UsageError(`${command.file}: no such file`);
  if (!fs.statSync(command.file).isFile()) throw new UsageError(`${command.file} is not a file: give a results file (CSV, TSV, JSONL or JSON)`);
  const { table, spec } = loadDataset(command.file, readTextFile);
  // Multi-start fits and bootstrap resamples on every core; the threads start only for a large enough job.
  const pool = createFitPool();
  try {
    const result = analyze(table, resolveSpec(table, spec, command.options), { ...command.options, runner: pool });
    return { output: command.json ? JSON.stringify(toJson(result), null, 2) : toText(result), code: 0 };
  } finally {
    pool.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    if (subcommand === 'fit' || subcommand === 'eval') {
      const { output, code } = subcommand === 'fit' ? runFit(rest) : await runEvalCommand(rest);
      (code === 130 ? process.stderr : process.stdout).write(output + '\n');
      return code;
    }
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    throw new UsageError(subcommand ? `unknown command "${subcommand}"` : 'no command given');
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(`scaling-lens: ${error.message}\n`);
      return 2;
    }
    if (error instanceof EvalError) {
      process.stderr.write(`scaling-lens eval: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`scaling-lens: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}


