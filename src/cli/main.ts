/** `scaling-lens` command line: `fit` (scaling-law analysis) and `eval` (ONNX CLIP evaluation). Exit 2 on bad input. */
import fs from 'node:fs';
import { version } from '../../package.json';
import { analyze, resolveSpec } from '../core/analysis';
import { formatLocation, InputError, UsageError, type Problem } from '../core/errors';
import { ExpressionError } from '../core/expr/origin';
import { loadDataset } from '../core/ingest/load';
import { listFolder, readDecodedFile } from '../node/files';
import { parseFitArgs } from './args';
import { runEvalCommand } from './evalCommand';
import { EVAL_HELP, FIT_HELP, USAGE } from './help';
import { EvalError } from '../eval/errors';
import { toJson, toText } from '../core/report';

export interface CommandOutput {
  output: string;
  code: number;
  /** Lines for stderr: rows left out for bad values, located. */
  problems?: string[];
}

export function runFit(argv: string[]): CommandOutput {
  const command = parseFitArgs(argv);
  if (!fs.existsSync(command.file)) throw new UsageError(`${command.file}: no such file`);
  const { table, spec } = loadDataset(command.file, readDecodedFile, { listFolder });
  const result = analyze(table, resolveSpec(table, spec, command.options), command.options);
  const problems = problemLines(result.problems, result.problems_total);
  if (command.strict && result.problems_total > 0) return { output: '', code: 2, problems: [...problems, `--strict: ${result.problems_total} row(s) with bad values; nothing fitted`] };
  return { output: command.json ? JSON.stringify(toJson(result), null, 2) : toText(result), code: 0, problems };
}

/** One line per problem, `file:line:column: message`, and how many more there were beyond those listed. */
function problemLines(problems: Problem[], total: number): string[] {
  const lines = problems.map((p) => `${formatLocation(p)}: ${p.message}`);
  if (total > problems.length) lines.push(`… and ${total - problems.length} more row(s) with bad values (${total} in all)`);
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  const say = (stream: NodeJS.WriteStream, lines: string[]) => stream.write(lines.map((line) => `scaling-lens: ${line}\n`).join(''));
  try {
    if (subcommand === 'fit' || subcommand === 'eval') {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write((subcommand === 'fit' ? FIT_HELP : EVAL_HELP) + '\n');
        return 0;
      }
      const { output, code, problems }: CommandOutput = subcommand === 'fit' ? runFit(rest) : await runEvalCommand(rest);
      if (problems?.length) say(process.stderr, problems);
      if (output) (code === 130 ? process.stderr : process.stdout).write(output + '\n');
      return code;
    }
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (subcommand === '--version' || subcommand === '-v') {
      process.stdout.write(`scaling-lens ${version}\n`);
      return 0;
    }
    throw new UsageError(subcommand ? `unknown command "${subcommand}"` : 'no command given');
  } catch (error) {
    if (error instanceof InputError) {
      say(process.stderr, [...problemLines(error.related ?? [], error.related?.length ?? 0), error.message]);
      return 2;
    }
    if (error instanceof EvalError) {
      process.stderr.write(`scaling-lens eval: ${error.message}\n`);
      return 2;
    }
    if (error instanceof ExpressionError) {
      say(process.stderr, [error.message]);
      return 2;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`scaling-lens: ${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}
