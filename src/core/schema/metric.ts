/**
 * How a metric column turns into an error to fit. The direction (higher or lower is better) is stated or read from
 * a name that says it, never guessed silently; percent vs fraction is decided from the whole column by one rule.
 */
import { InputError, UsageError, type SourceLocation } from '../errors';
import { formatNumber } from '../format';
import { median } from '../stats';

export type MetricDirection = 'higher-is-better' | 'lower-is-better';
/** The direction as a user states it (`--direction`, `"direction"` in scaling-lens.json, the extension's pick). */
export const DIRECTIONS = ['higher', 'lower'] as const;
export type Direction = (typeof DIRECTIONS)[number];
/**
 * accuracy: a bounded score, E = 1 − value (pp); error: a bounded error rate, E = value (pp);
 * loss: anything else lower-is-better (cross-entropy, perplexity…), E = value in its own units.
 */
export const METRIC_KINDS = ['accuracy', 'error', 'loss'] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

export interface MetricScale {
  percent: boolean;
  direction: MetricDirection;
  kind: MetricKind;
  /** Where the direction came from: a flag or config, the column's name, or a guess (the extension asks about it). */
  directionSource: 'stated' | 'name' | 'guessed';
}

// Names are matched as words: `val_loss`, `eval/acc@1`, `zs_top1`, `pass@1`, `rougeL`, `mAP` (camelCase split too).
const HIGHER_WORDS =
  /(?:^|[^a-z])(acc\d*|accuracy|top-?[15]|recall|precision|f1|map|ap|auc|score|scores|pass@?\d*|pass_at_\d+|exact_match|em|bleu\d*|rouge[a-z0-9]*|win_rate|winrate|r@\d+)(?=$|[^a-z])/;
const LOSS_WORDS = /(?:^|[^a-z])(loss|perplexity|ppl|nll|bpb|bpc|bits)(?=$|[^a-z])/;
const ERROR_WORDS = /(?:^|[^a-z])(error|errors|err|wer|cer|error_rate)(?=$|[^a-z])/;

function nameForms(column: string): string[] {
  const lower = column.toLowerCase();
  const camel = column.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
  return camel === lower ? [lower] : [lower, camel];
}

/** `1 - MMLU`, ``1 - `ImageNet 1k` ``, `100 - acc`: a metric written as one minus a score is an error rate. */
const COMPLEMENT = /^\s*(?:1|100)(?:\.0*)?\s*[-−]\s*[^-+*/()]+$/;

/** The direction a column's name states (lower-is-better words win: `top1_error` is an error), or undefined. */
export function directionFromName(column: string): Direction | undefined {
  if (COMPLEMENT.test(column)) return 'lower';
  const forms = nameForms(column);
  if (forms.some((f) => LOSS_WORDS.test(f) || ERROR_WORDS.test(f))) return 'lower';
  if (forms.some((f) => HIGHER_WORDS.test(f))) return 'higher';
  return undefined;
}

/**
 * The extension's first suggestion for a column whose name says nothing (MMLU, `ImageNet 1k`, HumanEval): values
 * that all fit a score's range suggest a score; anything beyond 100 suggests a loss. Only ever offered, never used unasked.
 */
export function guessDirection(values: readonly number[]): Direction {
  return values.length > 0 && values.every((v) => v >= 0 && v <= 100) ? 'higher' : 'lower';
}

export function metricKind(column: string, direction: Direction): MetricKind {
  if (direction === 'higher') return 'accuracy';
  if (COMPLEMENT.test(column)) return 'error';
  return nameForms(column).some((f) => ERROR_WORDS.test(f)) && !nameForms(column).some((f) => LOSS_WORDS.test(f))
    ? 'error'
    : 'loss';
}

export interface ScaleOptions {
  file: string;
  /** Stated by the user; overrides the name. */
  direction?: Direction;
  /** When the name says nothing and none is stated: guess (the extension, which then asks) instead of failing (the CLI). */
  guessDirection?: boolean;
  /** Per value: the cell was written with a `%` suffix (`85.1%`). */
  percentCell?: (index: number) => boolean;
  /** Source position of a value, for errors and notes. */
  locate: (index: number) => Omit<SourceLocation, 'file'>;
}

export interface ScaleDecision {
  scale: MetricScale;
  /** How the column was read, worth saying (a `%` suffix, a guessed direction, percent cells that look like fractions). */
  notes: { message: string; line?: number }[];
}

/** Share of values ≤ 1 above which a column with a few values in (1, 100] is taken for fractions with typos. */
const MIXED_SHARE = 0.9;

/**
 * The rule (README, "Metric direction and scale"): a bounded metric (accuracy-like or an error rate) is
 *  - percent when any cell has a `%` suffix (all cells are then read as percent);
 *  - a fraction when every value is in [0, 1];
 *  - percent when every value is in [0, 100] and fewer than 90 % of them are ≤ 1;
 *  - an error when ≥ 90 % of values are ≤ 1 and the rest in (1, 100] (fractions with typos, e.g. `1.61`): the odd
 *    cells are named;
 *  - an error for any value outside [0, 100].
 * A loss is read as given (a `%` suffix still means percent).
 */
export function decideScale(column: string, values: readonly number[], options: ScaleOptions): ScaleDecision {
  const notes: ScaleDecision['notes'] = [];
  const named = directionFromName(column);
  let direction = options.direction ?? named;
  let directionSource: MetricScale['directionSource'] = options.direction ? 'stated' : 'name';
  if (!direction) {
    if (!options.guessDirection) {
      throw new UsageError(
        `the metric "${column}" does not say whether higher or lower is better: add --direction higher (a score such as accuracy: E = 1 − ${column}) or --direction lower (a loss or error: E = ${column}), or "direction" in scaling-lens.json`,
      );
    }
    direction = guessDirection(values);
    directionSource = 'guessed';
    notes.push({
      message: `the name "${column}" does not say whether higher or lower is better: read as ${direction === 'higher' ? `a score (E = 1 − ${column})` : `a loss (E = ${column})`}, a guess from its values; choose the direction to confirm`,
    });
  } else if (options.direction && named && named !== options.direction) {
    notes.push({
      message: `"${column}" reads as ${named === 'higher' ? 'higher' : 'lower'}-is-better by its name, but the stated direction (${options.direction}) is used`,
    });
  }
  const kind = metricKind(column, direction);
  const scale = (percent: boolean): MetricScale => ({
    percent,
    direction: direction === 'higher' ? 'higher-is-better' : 'lower-is-better',
    kind,
    directionSource,
  });
  const at = (i: number) => ({ file: options.file, ...options.locate(i) });
  const where = (i: number) => {
    const l = options.locate(i);
    return `line ${l.line}${l.column ? `:${l.column}` : ''}`;
  };

  const percentCells: number[] = [];
  if (options.percentCell) for (let i = 0; i < values.length; i++) if (options.percentCell(i)) percentCells.push(i);
  const suffixNote = () =>
    notes.push({
      message: `${percentCells.length === values.length ? `every ${column} cell is` : `${percentCells.length} of ${values.length} ${column} cells ${percentCells.length === 1 ? 'is' : 'are'}`} written with a % suffix (first at ${where(percentCells[0])}): the column is read as percent${percentCells.length < values.length ? ', cells without % too' : ''} (85.1% = 0.851)`,
    });

  if (kind === 'loss') {
    if (percentCells.length > 0) suffixNote();
    return { scale: scale(percentCells.length > 0), notes };
  }
  const what = kind === 'accuracy' ? `${column} (a score)` : `${column} (an error rate)`;
  const outside = values.findIndex((v) => !(v >= 0 && v <= 100));
  if (outside >= 0)
    throw new InputError(
      at(outside),
      `${column} = ${values[outside]} is outside [0, 100]: ${what} is a fraction in [0, 1] or a percent in [0, 100]${direction === 'higher' && options.direction === undefined ? '; if higher is not better, say --direction lower' : ''}`,
    );
  if (percentCells.length > 0) {
    suffixNote();
    return { scale: scale(true), notes };
  }
  const aboveOne: number[] = [];
  for (let i = 0; i < values.length; i++) if (values[i] > 1) aboveOne.push(i);
  if (aboveOne.length === 0) return { scale: scale(false), notes };
  const shareFractions = 1 - aboveOne.length / values.length;
  if (shareFractions >= MIXED_SHARE) {
    const listed = aboveOne
      .slice(0, 5)
      .map((i) => `${formatNumber(values[i], 4)} at ${where(i)}`)
      .join(', ');
    throw new InputError(
      at(aboveOne[0]),
      `${column} mixes fractions and percents: ${values.length - aboveOne.length} of ${values.length} values are in [0, 1] but ${aboveOne.length} ${aboveOne.length === 1 ? 'is' : 'are'} above 1 (${listed}${aboveOne.length > 5 ? ', …' : ''}): fix the cell${aboveOne.length === 1 ? '' : 's'}, leave ${aboveOne.length === 1 ? 'it' : 'them'} out with a filter, or write percents with a % suffix`,
    );
  }
  // Percent. Values ≤ 1 among much larger ones may be fractions written into a percent column: say where.
  const small = values.map((v, i) => ({ v, i })).filter((x) => x.v <= 1);
  if (small.length > 0 && median(values) > 10) {
    notes.push({
      message: `${column} is read as percent, and ${small.length} value${small.length === 1 ? '' : 's'} ≤ 1 (${small
        .slice(0, 3)
        .map((x) => `${formatNumber(x.v, 4)} at ${where(x.i)}`)
        .join(
          ', ',
        )}${small.length > 3 ? ', …' : ''}) ${small.length === 1 ? 'is' : 'are'} read as under 1 %: check ${small.length === 1 ? 'it is' : 'they are'} not a fraction`,
      line: options.locate(small[0].i).line,
    });
  }
  return { scale: scale(true), notes };
}

type Reading = Pick<MetricScale, 'percent' | 'direction'>;

export function toError(value: number, scale: Reading): number {
  const fraction = scale.percent ? value / 100 : value;
  return scale.direction === 'higher-is-better' ? 1 - fraction : fraction;
}

export function fromError(error: number, scale: Reading): number {
  const fraction = scale.direction === 'higher-is-better' ? 1 - error : error;
  return scale.percent ? fraction * 100 : fraction;
}

/** The error definition as the outputs state it, by kind: accuracy, error, loss. */
export function describeScale(column: string, scale: MetricScale): string {
  const unit = scale.percent ? 'percent (divided by 100)' : 'a fraction';
  switch (scale.kind) {
    case 'accuracy':
      return `E = 1 − ${column}; ${column} read as ${unit}`;
    case 'error':
      return `E = ${column} (error, read as ${unit})`;
    case 'loss':
      return `E = ${column} (loss, as given${scale.percent ? ', percent divided by 100' : ''})`;
  }
}

/** Differences of a bounded metric are shown in percentage points; a loss's in its own units. */
export function differenceUnits(scale: MetricScale): 'pp' | 'loss units' {
  return scale.kind === 'loss' ? 'loss units' : 'pp';
}

/** A difference of errors (predicted − measured) in the units differenceUnits names. */
export function errorDifference(difference: number, scale: MetricScale): number {
  if (scale.kind !== 'loss') return difference * 100;
  return scale.percent ? difference * 100 : difference;
}
