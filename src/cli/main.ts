/** `scaling-lens` command line: `fit` (scaling-law analysis), `eval` (ONNX CLIP evaluation), `append` (one result row). Exit 2 on bad input. */
import fs from 'node:fs';
import { version } from '../../package.json';
import { analyze, resolveSpec } from '../core/analysis';
import { decide } from '../core/decisions/index';
import { formatLocation, InputError, SettingError, UsageError, type Problem } from '../core/errors';
import { settingErrorForCli } from './settingErrors';
import { ExpressionError } from '../core/expr/origin';
import { dirname, joinPath, loadDataset } from '../core/ingest/load';
import { toJson, toText } from '../core/report';
import { terminalSafe } from '../core/terminalText';
import { EvalError } from '../eval/errors';
import { createFitPool } from '../node/fitPool';
import { listFolder, readDecodedFile, readTextFile, realPath } from '../node/files';
import { runAppendCommand } from './appendCommand';
import { parseFitArgs } from './args';
import { runEvalCommand } from './evalCommand';
import { EVAL_HELP, FIT_HELP, USAGE } from './help';

export interface CommandOutput {
  output: string;
  code: number;
  /** Lines for stderr: rows left out for bad values, located. */
  problems?: string[];
}

export function runFit(argv: string[]): CommandOutput {
  const command = parseFitArgs(argv);
  if (!fs.existsSync(command.file)) throw new UsageError(`${command.file}: no such file`);
  const { table, spec } = loadDataset(command.file, readDecodedFile, { listFolder, realpath: realPath });
  const resolved = resolveSpec(table, spec, command.options);
  // Multi-start fits and bootstrap resamples on every core; the threads start only for a large enough job.
  const pool = createFitPool();
  try {
    const options = { ...command.options, runner: pool };
    const result = analyze(table, resolved, options);
    const problems = problemLines(result.problems, result.problems_total);
    if (command.strict && result.problems_total > 0)
      return {
        output: '',
        code: 2,
        problems: [...problems, `--strict: ${result.problems_total} row(s) with bad values; nothing fitted`],
      };
    const siblingDir = listFolder(command.file) ? command.file : dirname(command.file);
    const decisions = decide(
      {
        table,
        spec: resolved,
        result,
        options,
        readSibling: (name) => readTextFile(joinPath(siblingDir, name)),
        readFile: readTextFile,
      },
      command.decisions,
    );
    const output = command.json
      ? JSON.stringify({ ...(toJson(result) as object), ...decisions.json }, null, 2)
      : [toText(result), ...decisions.text].join('\n');
    return { output, code: 0, problems };
  } finally {
    pool.close();
  }
}

/** One line per problem, `file:line:column: message`, and how many more there were beyond those listed. */
function problemLines(problems: Problem[], total: number): string[] {
  const lines = problems.map((p) => `${formatLocation(p)}: ${p.message}`);
  if (total > problems.length)
    lines.push(`… and ${total - problems.length} more row(s) with bad values (${total} in all)`);
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  const [subcommand, ...rest] = argv;
  // Text that came from a results file may hold control characters: escaped at every write to the terminal.
  const say = (stream: NodeJS.WriteStream, lines: string[]) =>
    stream.write(lines.map((line) => terminalSafe(`scaling-lens: ${line}`) + '\n').join(''));
  try {
    if (subcommand === 'fit' || subcommand === 'eval' || subcommand === 'append') {
      if (subcommand !== 'append' && (rest.includes('--help') || rest.includes('-h'))) {
        process.stdout.write((subcommand === 'fit' ? FIT_HELP : EVAL_HELP) + '\n');
        return 0;
      }
      const { output, code, problems }: CommandOutput =
        subcommand === 'fit'
          ? runFit(rest)
          : subcommand === 'eval'
            ? await runEvalCommand(rest)
            : await runAppendCommand(rest);
      if (problems?.length) say(process.stderr, problems);
      if (output) (code >= 128 ? process.stderr : process.stdout).write(terminalSafe(output) + '\n');
      return code;
    }
    if (subcommand === '--version' || subcommand === '-v') {
      process.stdout.write(`scaling-lens ${version}\n`);
      return 0;
    }
    if (subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    throw new UsageError(subcommand ? `unknown command "${subcommand}"` : 'no command given');
  } catch (error) {
    if (error instanceof InputError) {
      say(process.stderr, [...problemLines(error.related ?? [], error.related?.length ?? 0), error.message]);
      return 2;
    }
    if (error instanceof EvalError) {
      process.stderr.write(terminalSafe(`scaling-lens ${subcommand}: ${error.message}`) + '\n');
      return 2;
    }
    if (error instanceof ExpressionError) {
      say(process.stderr, [error.message]);
      return 2;
    }
    if (error instanceof UsageError) {
      const message = error instanceof SettingError ? settingErrorForCli(error) : error.message;
      process.stderr.write(`${terminalSafe(`scaling-lens: ${message}`)}\n${USAGE}\n`);
      return 2;
    }
    // A bug, not bad input: a one-line message (the stack only on request), never a trace on a user's terminal.
    if (process.env.SCALING_LENS_DEBUG) throw error;
    process.stderr.write(
      terminalSafe(
        `scaling-lens: internal error: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} (please report it; SCALING_LENS_DEBUG=1 shows where)`,
      ) + '\n',
    );
    return 1;
  }
}
