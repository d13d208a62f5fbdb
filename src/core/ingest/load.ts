/**
 * Loads a results file (or a folder of one-result JSON files) and the files it refers to (arch table, runs.csv,
 * scaling-lens.json) through injected readers. The layout is detected first; scaling-lens.json then names what it
 * names over the layout's defaults (flags come last, in analysis.resolveSpec).
 */
import { InputError } from '../errors';
import type { DecodedText } from './decode';
import { parseTable, type ParseOptions } from './parse';
import { addProblem, cellAt, columnsFromRows, type Cell, type Table } from './table';
import { detectSpec } from '../schema/detect';
import { isInside } from '../paths';
import {
  applyConfig,
  configPosition,
  findConfigEntry,
  parseConfig,
  type Config,
  type ConfigEntry,
} from '../schema/config';
import type { DatasetSpec } from '../schema/spec';
import type { JSONPath } from 'jsonc-parser';

/** Reads a text file; undefined when it does not exist. Paths are joined with '/'. */
export type ReadText = (path: string) => string | DecodedText | undefined;

/** Names in a folder; undefined when the path is not a folder. */
export type ListFolder = (path: string) => string[] | undefined;

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
  /** Lists a folder given as the results "file" (a folder of CLIP_benchmark outputs); without it, files only. */
  listFolder?: ListFolder;
  /**
   * The folder every path named in scaling-lens.json must stay inside (the workspace folder), and above which no
   * scaling-lens.json is looked for. Without it: the folder holding the scaling-lens.json (the CLI).
   */
  root?: string;
  /** Checks those paths again after symbolic links; without it only their text is checked. */
  realpath?: RealPath;
}

function decoded(read: string | DecodedText | undefined): DecodedText | undefined {
  return typeof read === 'string' ? { text: read, encoding: 'utf-8' } : read;
}

export function loadDataset(file: string, readText: ReadText, options: LoadOptions = {}): LoadedDataset {
  const folder = options.listFolder?.(file);
  let table: Table;
  let dir: string;
  if (folder) {
    table = readFolder(file, folder, readText);
    dir = file;
  } else {
    const source = decoded(readText(file));
    if (source === undefined) throw new InputError({ file }, 'no such file');
    table = (options.parse ?? parseTable)(file, source.text, options);
    if (source.note) table.encodingNote = source.note;
    dir = dirname(file);
  }
  const readTableAt = (path: string) => {
    const text = decoded(readText(path))?.text;
    return text === undefined ? undefined : parseTable(path, text);
  };
  const sibling = (name: string) => readTableAt(joinPath(dir, name));
  const configPath = options.configFile ?? findUp(dir, 'scaling-lens.json', readText, options.root);
  const config = configPath ? parseConfig(configPath, decoded(readText(configPath))!.text) : undefined;
  const entry = config && configPath ? findConfigEntry(config, configPath, file) : undefined;
  // The layout is read with what the entry adds to it (samples seen for tags that say nothing), then overridden.
  const detected = detectSpec(table, sibling, (name) => decoded(readText(joinPath(dir, name)))?.text, {
    tagSamples: entry?.samplesSeen,
  });
  if (!config || !entry) return { table, spec: detected };
  const tables = configTables(config, entry, readTableAt, options);
  return { table, spec: applyConfig(table, entry, (name) => tables.get(name), detected) };
}

/**
 * A folder of result files (CLIP_benchmark writes one JSON per model × dataset) as one table: a row per record,
 * each row remembering its file. A file that cannot be read is a problem of its own; the others are read.
 */
function readFolder(dir: string, names: string[], readText: ReadText): Table {
  const files = names.filter((name) => /\.jsonl?$/i.test(name)).map((name) => joinPath(dir, name));
  if (files.length === 0)
    throw new InputError(
      { file: dir },
      'this folder holds no .json or .jsonl result files: give a results file, or a folder of CLIP_benchmark outputs',
    );
  const merged: Table = { file: dir, format: 'json', columns: [], data: [], rowCount: 0, lines: [], rowFiles: [] };
  const rows: Cell[][] = [];
  const columns = new Map<string, number>();
  for (const path of files) {
    let table: Table;
    try {
      const source = decoded(readText(path));
      if (source === undefined) continue;
      table = parseTable(path, source.text);
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      addProblem(merged, { ...error.toProblem(), message: `${error.detail}; this file is left out` });
      continue;
    }
    for (const problem of table.problems ?? []) addProblem(merged, problem);
    const at = table.columns.map((name) => {
      if (!columns.has(name)) columns.set(name, columns.size);
      return columns.get(name)!;
    });
    for (let row = 0; row < table.rowCount; row++) {
      const cells: Cell[] = [];
      at.forEach((target, col) => (cells[target] = cellAt(table, row, col)));
      rows.push(cells);
      merged.lines.push(table.lines[row]);
      merged.rowFiles!.push(path);
    }
  }
  if (rows.length === 0) {
    const problems = merged.problems ?? [];
    const last = problems[problems.length - 1];
    const error = last
      ? new InputError(last, last.message)
      : new InputError({ file: dir }, 'no result records in the files of this folder');
    if (problems.length > 1) error.related = problems.slice(0, -1);
    throw error;
  }
  merged.columns = [...columns.keys()];
  merged.data = columnsFromRows(rows, merged.columns.length);
  merged.rowCount = rows.length;
  return merged;
}

/**
 * The tables a config entry names (joins, architectures), each read only once its path, after symbolic links, is
 * found inside the root; one leading outside is refused at its line and column in the config.
 */
function configTables(
  config: Config,
  entry: ConfigEntry,
  readTableAt: (path: string) => Table | undefined,
  options: LoadOptions,
): Map<string, Table> {
  const configDir = dirname(config.file);
  const index = config.datasets.indexOf(entry);
  const named: [string, JSONPath][] = [
    ...(entry.joins ?? []).map((join, j): [string, JSONPath] => [join.file, ['datasets', index, 'joins', j, 'file']]),
    ...(entry.architectures
      ? [[entry.architectures.file, ['datasets', index, 'architectures', 'file']] as [string, JSONPath]]
      : []),
  ];
  const tables = new Map<string, Table>();
  for (const [name, at] of named) {
    const path = joinPath(configDir, name);
    const root = options.root ?? configDir;
    const outside = (where: string) =>
      new InputError(
        { file: config.file, ...configPosition(config.text, at) },
        `"${name}" ${where}, outside ${root}: scaling-lens.json may only name files inside it`,
      );
    if (!isInside(root, path)) throw outside('lies');
    const real = options.realpath?.(path);
    const realRoot = options.realpath?.(root);
    if (real !== undefined && realRoot !== undefined && !isInside(realRoot, real))
      throw outside(`is a link to ${real}`);
    const table = readTableAt(path);
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
