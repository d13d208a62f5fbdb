/** Loads a results file and the files it refers to (arch table, runs.csv, scaling-lens.json) through an injected reader. */
import { parseTable, type ParseOptions } from './parse';
import type { Table } from './table';
import { detectSpec } from '../schema/detect';
import { applyConfig, findConfigEntry, parseConfig } from '../schema/config';
import type { DatasetSpec } from '../schema/spec';

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

export function loadDataset(file: string, readText: ReadText, options: ParseOptions & { configFile?: string; parse?: ParseText } = {}): LoadedDataset {
  const text = readText(file);
  if (text === undefined) throw new Error(`${file}: no such file`);
  const table = (options.parse ?? parseTable)(file, text, options);
  const dir = dirname(file);
  const sibling = (name: string) => {
    const path = joinPath(dir, name);
    const siblingText = readText(path);
    return siblingText === undefined ? undefined : parseTable(path, siblingText);
  };
  const configPath = options.configFile ?? findUp(dir, 'scaling-lens.json', readText);
  if (configPath) {
    const config = parseConfig(configPath, readText(configPath)!);
    const entry = findConfigEntry(config, configPath, file);
    if (entry) return { table, spec: applyConfig(table, entry, (name) => readTableAt(joinPath(dirname(configPath), name), readText)) };
  }
  return { table, spec: detectSpec(table, sibling, (name) => readText(joinPath(dir, name))) };
}

function readTableAt(path: string, readText: ReadText): Table | undefined {
  const text = readText(path);
  return text === undefined ? undefined : parseTable(path, text);
}

function findUp(dir: string, name: string, readText: ReadText): string | undefined {
  let current = dir;
  for (let depth = 0; depth < 8; depth++) {
    const candidate = joinPath(current, name);
    if (readText(candidate) !== undefined) return candidate;
    const parent = dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
  return undefined;
}
