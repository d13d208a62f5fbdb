/** Loads a results file and the files it refers to (arch table, runs.csv, scaling-lens.json) through an injected reader. */
import { parseTable, type ParseOptions } from './parse';
import type { Table } from './table';
import { detectSpec } from '../schema/detect';
import { InputError } from '../errors';
import { isInside } from '../paths';
import { applyConfig, configPosition, findConfigEntry, parseConfig, type Config, type ConfigEntry } from '../schema/config';
import type { DatasetSpec } from '../schema/spec';
import type { JSONPath } from 'jsonc-parser';

/** Reads a text file; undefined when it does not exist. Paths are joined with '/'. */
export type ReadText = (path: string) => string | undefined;

/** How the results file itself is parsed (the worker passes one that re-parses only appended rows). */
export type ParseText = (file: string, text: string, options: ParseOptions) => Table;

export interface LoadedDataset {
  table: Table;
  spec: DatasetSpec;
}

export function dirname(path: string): string {
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return slash < 0 ? '.' : path.slice(0, slash) || '/';
}

export function joinPath(dir: string, name: string): string {
  return name.startsWith('/') ? name : `${dir.replace(/[\\/]$/, '')}/${name}`;
}

/** Resolves symbolic links (fs.realpathSync); undefined when the path does not exist. */
export type RealPath = (path: string) => string | undefined;

export interface LoadOptions extends ParseOptions {
  configFile?: string;
  parse?: ParseText;
  /**
   * The folder every path named in scaling-lens.json must stay inside (the workspace folder), and above which no
   * scaling-lens.json is looked for. Without it: the folder holding the scaling-lens.json (the CLI).
   */
  root?: string;
  /** Checks those paths again after symbolic links; without it only their text is checked. */
  realpath?: RealPath;
}

export function loadDataset(file: string, readText: ReadText, options: LoadOptions = {}): LoadedDataset {
  const text = readText(file);
  if (text === undefined) throw new Error(`${file}: no such file`);
  const table = (options.parse ?? parseTable)(file, text, options);
  const dir = dirname(file);
  const sibling = (name: string) => {
    const path = joinPath(dir, name);
    const siblingText = readText(path);
    return siblingText === undefined ? undefined : parseTable(path, siblingText);
  };
  const configPath = options.configFile ?? findUp(dir, 'scaling-lens.json', readText, options.root);
  if (configPath) {
    const config = parseConfig(configPath, readText(configPath)!);
    const entry = findConfigEntry(config, configPath, file);
    if (entry) {
      const tables = configTables(config, entry, readText, options);
      return { table, spec: applyConfig(table, entry, (name) => tables.get(name)) };
    }
  }
  return { table, spec: detectSpec(table, sibling, (name) => readText(joinPath(dir, name))) };
}

function readTableAt(path: string, readText: ReadText): Table | undefined {
  const text = readText(path);
  return text === undefined ? undefined : parseTable(path, text);
}

/**
 * The tables a config entry names (joins, architectures), each read only once its path, after symbolic links, is
 * found inside the root; one leading outside is refused at its line and column in the config.
 */
function configTables(config: Config, entry: ConfigEntry, readText: ReadText, options: LoadOptions): Map<string, Table> {
  const configDir = dirname(config.file);
  const index = config.datasets.indexOf(entry);
  const named: [string, JSONPath][] = [
    ...(entry.joins ?? []).map((join, j): [string, JSONPath] => [join.file, ['datasets', index, 'joins', j, 'file']]),
    ...(entry.architectures ? [[entry.architectures.file, ['datasets', index, 'architectures', 'file']] as [string, JSONPath]] : []),
  ];
  const tables = new Map<string, Table>();
  for (const [name, at] of named) {
    const path = joinPath(configDir, name);
    const root = options.root ?? configDir;
    const outside = (where: string) => new InputError({ file: config.file, ...configPosition(config.text, at) }, `"${name}" ${where}, outside ${root}: scaling-lens.json may only name files inside it`);
    if (!isInside(root, path)) throw outside('lies');
    const real = options.realpath?.(path);
    const realRoot = options.realpath?.(root);
    if (real !== undefined && realRoot !== undefined && !isInside(realRoot, real)) throw outside(`is a link to ${real}`);
    const table = readTableAt(path, readText);
    if (table) tables.set(name, table);
  }
  return tables;
}

/** The nearest scaling-lens.json up from `dir`: at most 8 folders up, and never above `root`. */
function findUp(dir: string, name: string, readText: ReadText, root?: string): string | undefined {
  let current = dir;
  for (let depth = 0; depth < 8; depth++) {
    if (root !== undefined && !isInside(root, current)) return undefined;
    const candidate = joinPath(current, name);
    if (readText(candidate) !== undefined) return candidate;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}
