/**
 * `scaling-lens.json`: tells Scaling Lens which columns mean what for files it does not recognise.
 * Validated by hand against the documented schema (schema/scaling-lens.schema.json) so every problem names its place.
 *
 * { "datasets": [ { "file": "runs/*.csv", "metric": "eval_loss", "compute": "flops_per_token*tokens",
 *   "params": "n_params", "samples": "tokens", "group": "family", "filters": { "split": "val" },
 *   "joins": [ { "column": "arch", "file": "arch_info.csv", "key": "model", "as": "arch_info" } ],
 *   "frontier": "pareto", "computeModel": "six-n", "fix": { "alpha": -0.1 }, "tie": [["alpha", "beta"]] } ] }
 */
import { InputError, type SourceLocation } from '../errors';
import { parseFrontier } from '../frontier';
import { firstJsonError } from '../ingest/jsonError';
import { positionOf, type Table } from '../ingest/table';
import { readArchitectureTable } from './architectures';
import type { DatasetSpec } from './spec';

export interface ConfigEntry {
  file: string;
  metric: string;
  compute: string;
  params?: string;
  paramsScale?: number;
  samples?: string;
  unique?: string;
  group?: string;
  filters?: Record<string, string>;
  joins?: { column: string; file: string; key: string; as: string }[];
  arch?: string;
  label?: string;
  frontier?: string;
  computeModel?: 'six-n' | 'architectures';
  architectures?: { file: string; name: string; computePerSample: string; params: string; paramsScale?: number };
  /** Law parameters held at a value, and pairs of parameters constrained equal. */
  fix?: Record<string, number>;
  tie?: [string, string][];
  /** Where `fix` / `tie` are written, for errors found once the law is known. */
  constraintsAt?: SourceLocation;
  /** Offset of this entry in the config text, for errors found later. */
  offset: number;
}

export interface Config {
  file: string;
  text: string;
  datasets: ConfigEntry[];
}

const STRING_KEYS = ['file', 'metric', 'compute', 'params', 'samples', 'unique', 'group', 'arch', 'label', 'frontier', 'computeModel'] as const;
const KNOWN_KEYS = new Set<string>([...STRING_KEYS, 'paramsScale', 'filters', 'joins', 'architectures', 'fix', 'tie']);

export function parseConfig(file: string, text: string): Config {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const located = firstJsonError(text);
    throw new InputError({ file, ...positionOf(text, located?.offset ?? 0) }, `invalid JSON: ${located?.message ?? (error as Error).message}`);
  }
  const at = (key: string, from = 0) => {
    const offset = text.indexOf(JSON.stringify(key), from);
    return offset < 0 ? { line: 1, column: 1 } : positionOf(text, offset);
  };
  const fail = (message: string, key?: string, from = 0): never => {
    throw new InputError({ file, ...(key ? at(key, from) : { line: 1, column: 1 }) }, message);
  };
  if (!isObject(value)) fail('expected an object with a "datasets" array');
  const root = value as Record<string, unknown>;
  if (!Array.isArray(root.datasets)) fail('"datasets" must be an array of dataset descriptions', 'datasets');
  let cursor = text.indexOf('"datasets"');
  const datasets = (root.datasets as unknown[]).map((item, index) => {
    const offset = text.indexOf('{', cursor + 1);
    cursor = offset;
    const where = `datasets[${index}]`;
    if (!isObject(item)) return fail(`${where} must be an object`, 'datasets');
    const entry = item as Record<string, unknown>;
    for (const key of Object.keys(entry)) if (!KNOWN_KEYS.has(key)) fail(`${where}: unknown key "${key}" (expected one of ${[...KNOWN_KEYS].join(', ')})`, key, offset);
    for (const key of STRING_KEYS) if (entry[key] !== undefined && typeof entry[key] !== 'string') fail(`${where}.${key} must be a string`, key, offset);
    for (const key of ['file', 'metric', 'compute'] as const) if (entry[key] === undefined) fail(`${where} needs "${key}"`, 'datasets');
    if (entry.paramsScale !== undefined && !(typeof entry.paramsScale === 'number' && entry.paramsScale > 0)) fail(`${where}.paramsScale must be a positive number`, 'paramsScale', offset);
    if (entry.frontier !== undefined) {
      try {
        parseFrontier(entry.frontier as string);
      } catch {
        fail(`${where}.frontier "${entry.frontier}": expected all, pareto or binned:K`, 'frontier', offset);
      }
    }
    if (entry.computeModel !== undefined && entry.computeModel !== 'six-n' && entry.computeModel !== 'architectures') fail(`${where}.computeModel must be "six-n" or "architectures"`, 'computeModel', offset);
    if (entry.filters !== undefined && (!isObject(entry.filters) || Object.values(entry.filters as object).some((v) => typeof v !== 'string' && typeof v !== 'number'))) fail(`${where}.filters must map column names to values`, 'filters', offset);
    if (entry.joins !== undefined) {
      if (!Array.isArray(entry.joins)) fail(`${where}.joins must be an array`, 'joins', offset);
      (entry.joins as unknown[]).forEach((join, j) => {
        if (!isObject(join) || !['column', 'file', 'key', 'as'].every((k) => typeof (join as Record<string, unknown>)[k] === 'string')) fail(`${where}.joins[${j}] needs string "column", "file", "key" and "as"`, 'joins', offset);
      });
    }
    if (entry.architectures !== undefined) {
      const a = entry.architectures as Record<string, unknown>;
      if (!isObject(a) || !['file', 'name', 'computePerSample', 'params'].every((k) => typeof a[k] === 'string')) fail(`${where}.architectures needs string "file", "name", "computePerSample" and "params"`, 'architectures', offset);
    }
    if (entry.fix !== undefined && (!isObject(entry.fix) || Object.values(entry.fix as object).some((v) => typeof v !== 'number' || !Number.isFinite(v)))) fail(`${where}.fix must map law parameters to numbers, e.g. { "alpha": -0.1 }`, 'fix', offset);
    if (entry.tie !== undefined && (!Array.isArray(entry.tie) || (entry.tie as unknown[]).some((pair) => !Array.isArray(pair) || pair.length !== 2 || pair.some((name) => typeof name !== 'string')))) fail(`${where}.tie must be a list of parameter pairs, e.g. [["alpha", "beta"]]`, 'tie', offset);
    const filters = entry.filters ? Object.fromEntries(Object.entries(entry.filters as object).map(([k, v]) => [k, String(v)])) : undefined;
    const constraintsAt = entry.fix !== undefined || entry.tie !== undefined ? { file, ...at(entry.fix !== undefined ? 'fix' : 'tie', offset) } : undefined;
    return { ...(entry as unknown as ConfigEntry), filters, constraintsAt, offset };
  });
  return { file, text, datasets };
}

/** The first entry whose `file` (a path relative to the config, `*` matching within a path segment) names `file`. */
export function findConfigEntry(config: Config, configPath: string, file: string): ConfigEntry | undefined {
  const base = configPath.slice(0, Math.max(configPath.lastIndexOf('/'), configPath.lastIndexOf('\\')) + 1);
  const relative = file.startsWith(base) ? file.slice(base.length) : file;
  return config.datasets.find((entry) => globToRegExp(entry.file).test(relative.replace(/\\/g, '/')));
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/^\.\//, '').replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*\/?/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '(?:.*/)?');
  return new RegExp(`^${escaped}$`);
}

export function applyConfig(table: Table, entry: ConfigEntry, readTable: (name: string) => Table | undefined): DatasetSpec {
  const joins = (entry.joins ?? []).map((join) => {
    const joined = readTable(join.file);
    if (!joined) throw new InputError({ file: table.file, line: 1, column: 1 }, `scaling-lens.json joins "${join.file}", which does not exist`);
    return { column: join.column, table: joined, key: join.key, as: join.as };
  });
  let architectures;
  if (entry.architectures) {
    const archTable = readTable(entry.architectures.file);
    if (!archTable) throw new InputError({ file: table.file, line: 1, column: 1 }, `scaling-lens.json names architecture table "${entry.architectures.file}", which does not exist`);
    architectures = readArchitectureTable(archTable, { name: entry.architectures.name, computePerSample: entry.architectures.computePerSample, params: entry.architectures.params, paramsScale: entry.architectures.paramsScale ?? 1 });
  }
  return {
    profile: 'configured',
    metric: entry.metric,
    compute: entry.compute.split('*').map((s) => s.trim()),
    params: entry.params,
    paramsScale: entry.paramsScale,
    samples: entry.samples,
    unique: entry.unique,
    group: entry.group ? { column: entry.group } : undefined,
    filters: Object.entries(entry.filters ?? {}).map(([column, value]) => ({ column, value })),
    joins,
    arch: entry.arch,
    label: entry.label,
    architectures,
    defaultFrontier: entry.frontier ? parseFrontier(entry.frontier) : { kind: 'pareto' },
    computeModel: entry.computeModel,
    fix: entry.fix,
    tie: entry.tie,
    constraintsAt: entry.constraintsAt,
    notes: ['columns from scaling-lens.json'],
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
