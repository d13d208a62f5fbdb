/**
 * `scaling-lens.json`: tells Scaling Lens which columns mean what, for any file. What an entry names replaces what
 * the file's layout (if it has a known one) supplies by default; the rest stays. Validated by hand against the
 * documented schema (schema/scaling-lens.schema.json) so every problem names its place.
 *
 * { "datasets": [ { "file": "runs/*.csv", "metric": "eval_loss", "compute": "flops_per_token*tokens",
 *   "params": "n_params", "samples": "tokens", "group": "family", "filters": ["split=val", "n_params<=8e10"],
 *   "derived": { "tokens": "`Training FLOP` / (6 * `Model Size`)" },
 *   "joins": [ { "column": "arch", "file": "arch_info.csv", "key": "model", "as": "arch_info" } ],
 *   "frontier": "pareto", "computeModel": "six-n", "direction": "lower", "fix": { "alpha": -0.1 }, "tie": [["alpha", "beta"]] } ] }
 */
import { findNodeAtLocation, parseTree, type JSONPath } from 'jsonc-parser';
import { InputError, type SourceLocation } from '../errors';
import { parseFilter, type Filter } from '../expr/filter';
import type { ExpressionOrigin } from '../expr/origin';
import { ExpressionSyntaxError } from '../expr/syntax';
import { parseFrontier } from '../frontier';
import { globProblem, matchGlob } from '../glob';
import { firstJsonError } from '../ingest/jsonError';
import { relativePathProblem } from '../paths';
import type { Direction } from './metric';
import { checkFrontier, checkName, checkPositive } from '../settings';
import { positionOf, type Table } from '../ingest/table';
import { readArchitectureTable } from './architectures';
import type { DatasetSpec, QuantityName } from './spec';

export interface ConfigEntry {
  file: string;
  metric?: string;
  compute?: string;
  params?: string;
  paramsScale?: number;
  samples?: string;
  unique?: string;
  group?: string;
  filters?: Filter[];
  derived?: Record<string, string>;
  joins?: { column: string; file: string; key: string; as: string }[];
  arch?: string;
  label?: string;
  frontier?: string;
  /** Whether higher or lower metric values are better (needed when the metric's name does not say). */
  direction?: Direction;
  computeModel?: 'six-n' | 'architectures';
  architectures?: { file: string; name: string; computePerSample: string; params: string; paramsScale?: number };
  /** Law parameters held at a value, and pairs of parameters constrained equal. */
  fix?: Record<string, number>;
  tie?: [string, string][];
  /** Samples seen for pretrained tags that do not say it (`"yfcc15m": 4.8e8`), for the public CLIP result tables. */
  samplesSeen?: Record<string, number>;
  /** Where `fix` / `tie` are written, for errors found once the law is known. */
  constraintsAt?: SourceLocation;
  /** Offset of this entry in the config text, for errors found later. */
  offset: number;
  /** Where each expression-valued string starts in the config, for problems at its characters. */
  origins: NonNullable<DatasetSpec['origins']>;
}

export interface Config {
  file: string;
  text: string;
  datasets: ConfigEntry[];
}

const QUANTITIES = ['metric', 'compute', 'params', 'samples', 'unique'] as const satisfies readonly QuantityName[];
const STRING_KEYS = ['file', ...QUANTITIES, 'group', 'arch', 'label', 'frontier', 'computeModel', 'direction'] as const;
const KNOWN_KEYS = new Set<string>([
  ...STRING_KEYS,
  'paramsScale',
  'filters',
  'derived',
  'joins',
  'architectures',
  'fix',
  'tie',
  'samplesSeen',
]);

export function parseConfig(file: string, text: string): Config {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const located = firstJsonError(text);
    throw new InputError(
      { file, ...positionOf(text, located?.offset ?? 0) },
      `invalid JSON: ${located?.message ?? (error as Error).message}`,
    );
  }
  /** Offset of `"key":` (not of the same text used as a value) at or after `from`. */
  const keyOffset = (key: string, from: number) => {
    const pattern = new RegExp(`${JSON.stringify(key).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*:`, 'g');
    pattern.lastIndex = Math.max(0, from);
    return pattern.exec(text)?.index ?? -1;
  };
  const at = (key: string, from = 0) => {
    const offset = keyOffset(key, from);
    return offset < 0 ? { line: 1, column: 1 } : positionOf(text, offset);
  };
  /** The first character inside the string value of `key` (or of the string `literal` after it). */
  const valueAt = (key: string, from: number, literal?: string): { line: number; column: number } => {
    const keyAt = keyOffset(key, from);
    if (keyAt < 0) return { line: 1, column: 1 };
    const quote =
      literal === undefined
        ? text.indexOf('"', text.indexOf(':', keyAt + key.length + 2))
        : text.indexOf(JSON.stringify(literal), keyAt + key.length + 2);
    return positionOf(text, quote < 0 ? keyAt : quote + 1);
  };
  const fail = (message: string, key?: string, from = 0): never => {
    throw new InputError({ file, ...(key ? at(key, from) : { line: 1, column: 1 }) }, message);
  };
  if (!isObject(value)) fail('expected an object with a "datasets" array');
  const root = value as Record<string, unknown>;
  if (!Array.isArray(root.datasets)) fail('"datasets" must be an array of dataset descriptions', 'datasets');
  let cursor = text.indexOf('"datasets"');
  const datasets = (root.datasets as unknown[]).map((item, index): ConfigEntry => {
    const offset = text.indexOf('{', cursor + 1);
    cursor = offset;
    const where = `datasets[${index}]`;
    if (!isObject(item)) return fail(`${where} must be an object`, 'datasets');
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry))
      if (!KNOWN_KEYS.has(key))
        fail(`${where}: unknown key "${key}" (expected one of ${[...KNOWN_KEYS].join(', ')})`, key, offset);
    for (const key of STRING_KEYS)
      if (entry[key] !== undefined && typeof entry[key] !== 'string')
        fail(`${where}.${key} must be a string`, key, offset);
    if (entry.file === undefined) fail(`${where} needs "file"`, 'datasets');
    if (entry.paramsScale !== undefined && !checkPositive(entry.paramsScale).ok)
      fail(`${where}.paramsScale must be a positive number`, 'paramsScale', offset);
    // The shared validators (src/core/settings.ts): the same bounds as the CLI's flags and the panel's settings.
    const failAt = (path: JSONPath, message: string): never => {
      throw new InputError({ file, ...configPosition(text, ['datasets', index, ...path]) }, message);
    };
    const glob = globProblem(entry.file as string);
    if (glob) failAt(['file'], `${where}.file "${clip(entry.file as string)}": ${glob}`);
    for (const key of ['metric', 'compute', 'params', 'samples', 'unique', 'group', 'arch', 'label'] as const) {
      const checked = entry[key] === undefined ? undefined : checkName(entry[key]);
      if (checked && !checked.ok) failAt([key], `${where}.${key}: expected ${checked.expected}`);
    }
    if (entry.frontier !== undefined) {
      const checked = checkFrontier(entry.frontier);
      if (!checked.ok)
        failAt(['frontier'], `${where}.frontier "${clip(entry.frontier as string)}": expected ${checked.expected}`);
    }
    if (entry.direction !== undefined && entry.direction !== 'higher' && entry.direction !== 'lower')
      fail(
        `${where}.direction must be "higher" (accuracy-like: E = 1 − metric) or "lower" (a loss or error: E = metric)`,
        'direction',
        offset,
      );
    if (entry.computeModel !== undefined && entry.computeModel !== 'six-n' && entry.computeModel !== 'architectures')
      fail(`${where}.computeModel must be "six-n" or "architectures"`, 'computeModel', offset);
    const origin = (key: string, label: string, literal?: string, from = offset): ExpressionOrigin => ({
      label: `scaling-lens.json ${label}`,
      at: { file, ...valueAt(key, from, literal) },
    });
    const origins: ConfigEntry['origins'] = {};
    for (const key of [...QUANTITIES, 'group'] as const)
      if (entry[key] !== undefined) origins[key] = origin(key, `"${key}"`);
    const filters = readFilters(
      entry.filters,
      where,
      (message) => fail(message, 'filters', offset),
      (literal) => origin('filters', '"filters"', literal),
    );
    let derived: Record<string, string> | undefined;
    if (entry.derived !== undefined) {
      if (!isObject(entry.derived) || Object.values(entry.derived).some((v) => typeof v !== 'string'))
        fail(`${where}.derived must map new column names to expressions (strings)`, 'derived', offset);
      derived = Object.fromEntries(Object.entries(entry.derived as Record<string, string>));
      const derivedAt = keyOffset('derived', offset);
      origins.derived = Object.fromEntries(
        Object.keys(derived).map((name) => [name, origin(name, `derived "${name}"`, undefined, derivedAt)]),
      );
    }
    if (entry.joins !== undefined) {
      if (!Array.isArray(entry.joins)) fail(`${where}.joins must be an array`, 'joins', offset);
      (entry.joins as unknown[]).forEach((join, j) => {
        if (
          !isObject(join) ||
          !['column', 'file', 'key', 'as'].every((k) => typeof (join as Record<string, unknown>)[k] === 'string')
        )
          fail(`${where}.joins[${j}] needs string "column", "file", "key" and "as"`, 'joins', offset);
        const outside = relativePathProblem((join as Record<string, string>).file);
        if (outside)
          failAt(
            ['joins', j, 'file'],
            `${where}.joins[${j}].file "${clip((join as Record<string, string>).file)}": ${outside}`,
          );
      });
    }
    if (entry.architectures !== undefined) {
      const a = entry.architectures as Record<string, unknown>;
      if (!isObject(a) || !['file', 'name', 'computePerSample', 'params'].every((k) => typeof a[k] === 'string'))
        fail(
          `${where}.architectures needs string "file", "name", "computePerSample" and "params"`,
          'architectures',
          offset,
        );
      const outside = relativePathProblem(a.file as string);
      if (outside)
        failAt(['architectures', 'file'], `${where}.architectures.file "${clip(a.file as string)}": ${outside}`);
    }
    if (
      entry.fix !== undefined &&
      (!isObject(entry.fix) ||
        Object.values(entry.fix as object).some((v) => typeof v !== 'number' || !Number.isFinite(v)))
    )
      fail(`${where}.fix must map law parameters to numbers, e.g. { "alpha": -0.1 }`, 'fix', offset);
    if (
      entry.tie !== undefined &&
      (!Array.isArray(entry.tie) ||
        (entry.tie as unknown[]).some(
          (pair) => !Array.isArray(pair) || pair.length !== 2 || pair.some((name) => typeof name !== 'string'),
        ))
    )
      fail(`${where}.tie must be a list of parameter pairs, e.g. [["alpha", "beta"]]`, 'tie', offset);
    if (entry.samplesSeen !== undefined) {
      if (!isObject(entry.samplesSeen))
        fail(
          `${where}.samplesSeen must map pretrained tags to samples seen, e.g. { "yfcc15m": 4.8e8 }`,
          'samplesSeen',
          offset,
        );
      for (const [tag, value] of Object.entries(entry.samplesSeen as Record<string, unknown>)) {
        if (!checkPositive(value).ok)
          failAt(
            ['samplesSeen', tag],
            `${where}.samplesSeen "${clip(tag)}": expected a positive number of samples seen, e.g. 1.28e10`,
          );
      }
    }
    const constraintsAt =
      entry.fix !== undefined || entry.tie !== undefined
        ? { file, ...at(entry.fix !== undefined ? 'fix' : 'tie', offset) }
        : undefined;
    return { ...(entry as unknown as ConfigEntry), filters, derived, constraintsAt, offset, origins };
  });
  return { file, text, datasets };
}

/** `filters`: `{ "split": "val" }` (equality per column) or `["split=val", "n_params<=8e10"]` (any operator). */
function readFilters(
  value: unknown,
  where: string,
  fail: (message: string) => never,
  origin: (literal: string) => ExpressionOrigin,
): Filter[] | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) {
    return value.map((item, i) => {
      if (typeof item !== 'string')
        return fail(`${where}.filters[${i}] must be a string such as "split=val" or "n_params<=8e10"`);
      const at = origin(item).at!;
      try {
        return { ...parseFilter(item), origin: origin(item) };
      } catch (error) {
        if (!(error instanceof ExpressionSyntaxError)) throw error;
        throw new InputError(
          { file: at.file, line: at.line, column: at.column + error.column - 1 },
          `filter "${item}": ${error.detail}`,
        );
      }
    });
  }
  if (!isObject(value) || Object.values(value).some((v) => typeof v !== 'string' && typeof v !== 'number'))
    return fail(`${where}.filters must map column names to values, or be a list of filters such as "split=val"`);
  return Object.entries(value).map(([column, v]) => ({ column, value: String(v) }));
}

/** The first entry whose `file` (a path relative to the config, `*` matching within a path segment) names `file`. */
export function findConfigEntry(config: Config, configPath: string, file: string): ConfigEntry | undefined {
  const base = configPath.slice(0, Math.max(configPath.lastIndexOf('/'), configPath.lastIndexOf('\\')) + 1);
  // A folder of results (CLIP_benchmark outputs) may be named with a trailing '/'.
  const relative = (file.startsWith(base) ? file.slice(base.length) : file).replace(/\\/g, '/').replace(/\/$/, '');
  return config.datasets.find((entry) => matchGlob(entry.file.replace(/\/$/, ''), relative));
}

/** Line and column of the value at `path` in the config's JSON (of the nearest enclosing value when it is absent). */
export function configPosition(text: string, path: JSONPath): { line: number; column: number } {
  const tree = parseTree(text);
  for (let depth = path.length; tree && depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) return positionOf(text, node.offset);
  }
  return { line: 1, column: 1 };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}

/**
 * The detected spec with what the entry names put over it: its quantities, group, filters (replacing the layout's
 * filters on the same columns), joins, derived columns, frontier and architecture table.
 */
export function applyConfig(
  table: Table,
  entry: ConfigEntry,
  readTable: (name: string) => Table | undefined,
  detected: DatasetSpec,
): DatasetSpec {
  const joins = (entry.joins ?? []).map((join) => {
    const joined = readTable(join.file);
    if (!joined)
      throw new InputError(
        { file: table.file, line: 1, column: 1 },
        `scaling-lens.json joins "${join.file}", which does not exist`,
      );
    return { column: join.column, table: joined, key: join.key, as: join.as };
  });
  let architectures = detected.architectures;
  if (entry.architectures) {
    const archTable = readTable(entry.architectures.file);
    if (!archTable)
      throw new InputError(
        { file: table.file, line: 1, column: 1 },
        `scaling-lens.json names architecture table "${entry.architectures.file}", which does not exist`,
      );
    architectures = readArchitectureTable(archTable, {
      name: entry.architectures.name,
      computePerSample: entry.architectures.computePerSample,
      params: entry.architectures.params,
      paramsScale: entry.architectures.paramsScale ?? 1,
    }).architectures;
  }
  const configFilters = entry.filters ?? [];
  const spec: DatasetSpec = {
    ...detected,
    // "configured" when the entry describes the quantities; an entry that only adds to a layout (samples seen for
    // some tags, a filter) keeps the layout and its rules (task columns, training-log forecasts).
    profile: entry.metric !== undefined || entry.compute !== undefined ? 'configured' : detected.profile,
    filters: [...detected.filters.filter((f) => !configFilters.some((c) => c.column === f.column)), ...configFilters],
    joins: [...detected.joins, ...joins],
    derived: { ...detected.derived, ...entry.derived },
    origins: { ...detected.origins, ...entry.origins },
    architectures,
    notes: ['columns from scaling-lens.json', ...detected.notes],
    unresolved: { ...detected.unresolved },
    fix: entry.fix,
    tie: entry.tie,
    constraintsAt: entry.constraintsAt,
  };
  if (entry.metric !== undefined) {
    spec.metric = entry.metric;
    spec.scoreColumn = undefined;
    delete spec.unresolved!.metric;
  }
  if (entry.compute !== undefined) {
    spec.compute = [entry.compute];
    spec.notes = spec.notes.filter((note) => !note.startsWith('no compute column'));
    delete spec.unresolved!.compute;
  }
  if (entry.params !== undefined) {
    spec.params = entry.params;
    spec.paramsScale = entry.paramsScale;
  }
  if (entry.samples !== undefined) spec.samples = entry.samples;
  if (entry.unique !== undefined) spec.unique = entry.unique;
  if (entry.group !== undefined) spec.group = { column: entry.group };
  if (entry.arch !== undefined) spec.arch = entry.arch;
  if (entry.label !== undefined) spec.label = entry.label;
  if (entry.frontier !== undefined) {
    spec.defaultFrontier = parseFrontier(entry.frontier);
    spec.frontierStated = true;
  }
  if (entry.direction !== undefined) spec.direction = entry.direction;
  if (entry.compute !== undefined && detected.profile === 'generic') spec.computeModel = undefined; // 6·N was the guess for a file without compute
  if (entry.computeModel !== undefined) spec.computeModel = entry.computeModel;
  return spec;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
