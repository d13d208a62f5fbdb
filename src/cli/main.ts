/** `scaling-lens` command line: `fit` (scaling-law analysis), `eval` (ONNX CLIP evaluation), `append` (one result row). Exit 2 on bad input. */
import fs from 'node:fs';
import { analyze, resolveSpec } from '../core/analysis';
import { InputError, UsageError } from '../core/errors';
import { loadDataset } from '../core/ingest/load';
import { readTextFile } from '../node/files';
import { parseFitArgs } from './args';
import { runAppendCommand } from './appendCommand';
import { runEvalCommand } from './evalCommand';
import { EvalError } from '../eval/errors';
import { toJson, toText } from '../core/report';

const USAGE = `usage: scaling-lens fit FILE [--metric COL] [--task NAME] [--filter COL=VALUE]... [--group COL|none]
         [--compute EXPR] [--params COL --samples COL] [--law power|saturating|joint|broken]
         [--frontier all|pareto|binned:K] [--objective ls|huber:DELTA] [--bootstrap N] [--seed S]
         [--holdout FRACTION] [--predict compute=X | --predict params=N,samples=D | --predict arch=NAME,samples=D]...
         [--optimal COMPUTE]... [--json]
       scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.tsv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N]
         [--max-pixels 64000000] [--wait 120] [--json]
       scaling-lens append FILE.csv|FILE.tsv|FILE.jsonl KEY=VALUE... | --json '{"KEY": VALUE, ...}' [--wait 120]`;

export function runFit(argv: string[]): { output: string; code: number } {
  const command = parseFitArgs(argv);
  if (!fs.existsSync(command.file)) throw new UsageError(`${command.file}: no such file`);
  if (!fs.statSync(command.file).isFile()) throw new UsageError(`${command.file} is not a file: give a results file (CSV, TSV, JSONL or JSON)`);
  const { table, spec } = loadDataset(command.file, readTextFile);
  const result = analyze(table, resolveSpec(table, spec, command.options), command.options);
  return { output: command.json ? JSON.stringify(toJson(result), null, 2) : toText(result), code: 0 };
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    if (subcommand === 'fit' || subcommand === 'eval' || subcommand === 'append') {
      const { output, code } = subcommand === 'fit' ? runFit(rest) : subcommand === 'eval' ? await runEvalCommand(rest) : await runAppendCommand(rest);
      (code >= 128 ? process.stderr : process.stdout).write(output + '\n');
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
      process.stderr.write(`scaling-lens ${subcommand}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`scaling-lens: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}


