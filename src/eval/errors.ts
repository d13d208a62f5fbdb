/** Evaluation problems name the file and what is wrong; the CLI exits 2 and never touches the results file. */
export class EvalError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'EvalError';
  }
}
