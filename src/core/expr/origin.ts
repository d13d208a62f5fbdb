/** Where an expression or filter was written, so a problem in it is shown at its character. */
import { InputError, UsageError } from '../errors';

export interface ExpressionOrigin {
  /** How the user wrote it: `--compute`, `scaling-lens.json "samples"`, `--filter`. */
  label: string;
  /** Where its text starts in a file (a string in scaling-lens.json), when it came from one. */
  at?: { file: string; line: number; column: number };
}

/** A problem at a character of an expression given on the command line: `--samples EXPR:24: …` and a caret under it. */
export class ExpressionError extends UsageError {
  constructor(
    readonly origin: ExpressionOrigin,
    readonly text: string,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${origin.label} ${text}:${column}: ${detail}\n  ${text}\n  ${' '.repeat(Math.max(0, column - 1))}^`);
    this.name = 'ExpressionError';
  }
}

/** The error for a problem at 1-based `column` of `text`: in its file when it came from one, else on its flag. */
export function expressionError(origin: ExpressionOrigin, text: string, column: number, detail: string): Error {
  if (origin.at)
    return new InputError(
      { file: origin.at.file, line: origin.at.line, column: origin.at.column + column - 1 },
      `${origin.label} ${text}: ${detail}`,
    );
  return new ExpressionError(origin, text, column, detail);
}
