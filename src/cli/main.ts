/** `scaling-lens` command line: `fit` (scaling-law analysis), `eval` (ONNX CLIP evaluation), `append` (one result row). Exit 2 on bad input. */
import fs from 'node:fs';
import { analyze, resolveSpec } from '../core/analysis';
import { InputError, UsageError } from '../core/errors';
import { loadDataset } from '../core/ingest/load';
import { readTextFile, realPath } from '../node/files';
import { parseFitArgs } from './args';
import { runAppendCommand } from './appendCommand';
import { runEvalCommand } from './evalCommand';
import { EvalError } from '../eval/errors';
import { toJson, toText } from '../core/report';
import { terminalSafe } from '../core/terminalText';
import { decide } from '../core/decisions/index';
import { dirname, joinPath } from '../core/ingest/load';

const USAGE = `usage: scaling-lens fit FILE [--metric COL] [--direction higher|lower] [--task NAME] [--filter COL=VALUE]...
         [--group COL|none] [--compute EXPR] [--params COL --samples COL] [--law power|saturating|joint|broken]
         [--frontier all|pareto|binned:K] [--objective ls|huber:DELTA] [--bootstrap N] [--seed S]
         [--holdout FRACTION | --holdout-filter COL<OP>VALUE]
         [--predict compute=X | --predict params=N,samples=D | --predict arch=NAME,samples=D]... [--optimal COMPUTE]... [--json]
         [--compare] [--approaches [--isoflop-tolerance LOG10] [--budget COL]] [--forecast [--cut FRACTION] [--planned SAMPLES]]
         [--suggest COMPUTE [--compute-cap C] [--candidates FILE]] [--all-tasks]
           default frontier: power, saturating, broken: the layout's (binned:5 on the paper's results, all for
           training logs, else pareto); joint: all runs. --direction is needed when the metric's name does not say
           (acc, score, pass@k… higher; loss, error, ppl… lower). --holdout 0.2 holds out the top 20 % of runs by
           compute (rounded down, at least 1); OP is one of = != < <= > >=.
       scaling-lens eval --model DIR --data DIR [--out FILE.csv|FILE.tsv|FILE.jsonl] [--batch 64] [--threads 1] [--limit N]
         [--max-pixels 64000000] [--wait 120] [--json]
       scaling-lens append FILE.csv|FILE.tsv|FILE.jsonl KEY=VALUE... | --json '{"KEY": VALUE, ...}' [--wait 120]`;

export function runFit(argv: string[]): { output: string; code: number } {
  const command = parseFitArgs(argv);
  if (!fs.existsSync(command.file)) throw new UsageError(`${command.file}: no such file`);
  if (!fs.statSync(command.file).isFile()) throw new UsageError(`${command.file} is not a file: give a results file (CSV, TSV, JSONL or JSON)`);
  const { table, spec } = loadDataset(command.file, readTextFile, { realpath: realPath });
  const resolved = resolveSpec(table, spec, command.options);
  const result = analyze(table, resolved, command.options);
  const decisions = decide({ table, spec: resolved, result, options: command.options, readSibling: (name) => readTextFile(joinPath(dirname(command.file), name)), readFile: readTextFile }, command.decisions);
  return { output: command.json ? JSON.stringify({ ...(toJson(result) as object), ...decisions.json }, null, 2) : [toText(result), ...decisions.text].join('\n'), code: 0 };
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  try {
    if (subcommand === 'fit' || subcommand === 'eval' || subcommand === 'append') {
      const { output, code } = subcommand === 'fit' ? runFit(rest) : subcommand === 'eval' ? await runEvalCommand(rest) : await runAppendCommand(rest);
      (code >= 128 ? process.stderr : process.stdout).write(terminalSafe(output) + '\n');
      return code;
    }
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    throw new UsageError(subcommand ? `unknown command "${subcommand}"` : 'no command given');
  } catch (error) {
    if (error instanceof InputError) {
      process.stderr.write(terminalSafe(`scaling-lens: ${error.message}`) + '\n');
      return 2;
    }
    if (error instanceof EvalError) {
      process.stderr.write(terminalSafe(`scaling-lens ${subcommand}: ${error.message}`) + '\n');
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${terminalSafe(`scaling-lens: ${error.message}`)}\n${USAGE}\n`);
      return 2;
    }
    // A bug, not bad input: a one-line message (the stack only on request), never a trace on a user's terminal.
    if (process.env.SCALING_LENS_DEBUG) throw error;
    process.stderr.write(terminalSafe(`scaling-lens: internal error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} (please report it; SCALING_LENS_DEBUG=1 shows where)`) + '\n');
    return 1;
  }
}


