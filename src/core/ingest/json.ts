/**
 * JSON (an array of result objects, or one object) and JSON lines into a Table. Keys are read as own properties only
 * (a key named `constructor` is a column like any other); nesting is flattened without recursion and limited in depth.
 */
import { InputError, type Problem } from '../errors';
import { firstJsonError } from './jsonError';
import { addProblem, columnsFromRows, MAX_COLUMNS, positionOf, type Cell, type Table } from './table';

/** Deeper objects are not result records: a located error instead of a stack overflow. */
export const MAX_JSON_DEPTH = 32;

type Flat = Map<string, Cell>;

/** JSON lines; `lineOffset` numbers the lines of a fragment that starts after that many lines of its file. */
export function parseJsonLines(file: string, text: string, lineOffset = 0): Table {
  const table = readJsonLines(file, text, lineOffset);
  if (table.rowCount === 0) throw nothingRead(file, table, 'no JSON objects in this JSON-lines file');
  return table;
}

/** JSON lines, possibly none usable (rows appended to a file: the rows before them may be). */
export function readJsonLines(file: string, text: string, lineOffset = 0): Table {
  const table: Table = { file, format: 'jsonl', columns: [], data: [], rowCount: 0, lines: [], text };
  const objects: Flat[] = [];
  const columns = new Set<string>();
  const rawLines = text.replace(/^\uFEFF/, '').split('\n');
  rawLines.forEach((raw, index) => {
    const line = lineOffset + index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('//')) return;
    const fail = (column: number, message: string) =>
      addProblem(table, { file, line, column, message, severity: 'error' });
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      const located = firstJsonError(trimmed);
      const indent = raw.length - raw.trimStart().length;
      return fail(
        located ? located.offset + 1 + indent : 1,
        `invalid JSON on this line: ${located?.message ?? jsonErrorText(error)}; left out`,
      );
    }
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      return fail(1, 'expected a JSON object on each line; left out');
    const flat = flatten(value as Record<string, unknown>);
    if (flat === 'too deep') return fail(deepestOffset(raw) + 1, tooDeepMessage);
    for (const key of flat.keys()) columns.add(key);
    if (columns.size > MAX_COLUMNS) throw tooWide(file, line);
    objects.push(flat);
    table.lines.push(line);
  });
  table.columns = [...columns];
  table.data = columnsFromRows(
    objects.map((flat) => table.columns.map((c) => flat.get(c) ?? null)),
    table.columns.length,
  );
  table.rowCount = objects.length;
  return table;
}

export function parseJson(file: string, text: string): Table {
  const body = text.replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (error) {
    // Some tools write JSON lines into a .json file: accept that when the first line is a whole object.
    if (looksLikeJsonLines(body)) return { ...parseJsonLines(file, text), format: 'json' };
    const located = firstJsonError(body);
    throw new InputError(
      { file, ...(located ? positionOf(body, located.offset) : { line: 1, column: 1 }) },
      `invalid JSON: ${located?.message ?? jsonErrorText(error)}`,
    );
  }
  const items = Array.isArray(value) ? value : [value];
  if (items.length === 0)
    throw new InputError({ file, line: 1, column: 1 }, 'the JSON array is empty: expected result objects');
  const starts = Array.isArray(value) ? elementStarts(body) : [body.search(/\S/)];
  const table: Table = { file, format: 'json', columns: [], data: [], rowCount: 0, lines: [], text };
  const columns = new Set<string>();
  const flats: Flat[] = [];
  items.forEach((item, i) => {
    const start = starts[i] ?? 0;
    const at = positionOf(body, start);
    const fail = (offset: number, message: string) =>
      addProblem(table, { file, ...positionOf(body, offset), message, severity: 'error' });
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      return fail(
        start - at.column + 1,
        `element ${i + 1} is not an object: expected an array of result objects or one result object; left out`,
      );
    const flat = flatten(item as Record<string, unknown>);
    if (flat === 'too deep') return fail(start + deepestOffset(body.slice(start)), tooDeepMessage);
    for (const key of flat.keys()) columns.add(key);
    if (columns.size > MAX_COLUMNS) throw tooWide(file, at.line);
    flats.push(flat);
    table.lines.push(at.line);
  });
  if (flats.length === 0) throw nothingRead(file, table, 'no result objects in this JSON file');
  table.columns = [...columns];
  table.data = columnsFromRows(
    flats.map((flat) => table.columns.map((c) => flat.get(c) ?? null)),
    table.columns.length,
  );
  table.rowCount = flats.length;
  return table;
}

/** A table this wide is not a results file (a 5-million-key record took seconds and hundreds of MB): refused at once. */
function tooWide(file: string, line: number): InputError {
  return new InputError(
    { file, line, column: 1 },
    `the records have more than ${MAX_COLUMNS.toLocaleString('en')} distinct keys: Scaling Lens reads up to ${MAX_COLUMNS.toLocaleString('en')} columns`,
  );
}

const tooDeepMessage = `nested more than ${MAX_JSON_DEPTH} levels deep: expected result records (e.g. {"model": …, "metrics": {"acc1": …}}); left out`;

/** Every row was bad: the last problem is the error, the ones before it come with it (shown first). */
function nothingRead(file: string, table: Table, fallback: string): InputError {
  const problems = table.problems ?? [];
  const last = problems[problems.length - 1];
  if (!last) return new InputError({ file, line: 1, column: 1 }, fallback);
  const error = new InputError(
    { file: last.file, line: last.line, column: last.column },
    last.message.replace(/; left out$/, ''),
  );
  return withRelated(error, problems.slice(0, -1));
}

function withRelated(error: InputError, related: Problem[]): InputError {
  if (related.length > 0) error.related = related;
  return error;
}

/**
 * Nested objects become dotted columns; a nested key also stands under its own name when that does not clash, so
 * CLIP_benchmark's `metrics.acc1` is found as `acc1`. Arrays are kept as their JSON text. Iterative: a file nested
 * 100,000 deep is refused, not a stack overflow.
 */
function flatten(object: Record<string, unknown>): Flat | 'too deep' {
  const out: Flat = new Map();
  const leaves = new Map<string, number>();
  const stack: { object: Record<string, unknown>; keys: string[]; next: number; prefix: string }[] = [
    { object, keys: Object.keys(object), next: 0, prefix: '' },
  ];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === frame.keys.length) {
      stack.pop();
      continue;
    }
    const key = frame.keys[frame.next++];
    const value = frame.object[key];
    const name = frame.prefix ? `${frame.prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      if (stack.length >= MAX_JSON_DEPTH) return 'too deep';
      stack.push({ object: value as Record<string, unknown>, keys: Object.keys(value), next: 0, prefix: name });
      continue;
    }
    if (Array.isArray(value) && depthOf(value, MAX_JSON_DEPTH - stack.length) > MAX_JSON_DEPTH - stack.length)
      return 'too deep';
    const cell: Cell =
      value === null || value === undefined
        ? null
        : typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean'
          ? value
          : JSON.stringify(value);
    out.set(name, cell);
    if (frame.prefix) leaves.set(key, (leaves.get(key) ?? 0) + 1);
  }
  for (const [name, value] of [...out]) {
    const leaf = name.slice(name.lastIndexOf('.') + 1);
    if (name.includes('.') && leaves.get(leaf) === 1 && !out.has(leaf)) out.set(leaf, value);
  }
  return out;
}

/** Nesting depth of a JSON value, counted without recursion and no further than `limit` + 1. */
function depthOf(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 1 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    deepest = Math.max(deepest, depth);
    if (deepest > limit) return deepest;
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return deepest;
}

/** Offset of the bracket that opens the first level deeper than the limit (relative to the element's text). */
function deepestOffset(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') inString = true;
    else if (ch === '{' || ch === '[') {
      if (++depth > MAX_JSON_DEPTH) return i;
    } else if (ch === '}' || ch === ']') depth--;
  }
  return 0;
}

function looksLikeJsonLines(body: string): boolean {
  const first = body.trimStart().split('\n', 1)[0].trim();
  if (!first.startsWith('{')) return false;
  try {
    JSON.parse(first);
    return true;
  } catch {
    return false;
  }
}

/** Offset of the first character of each top-level element of a JSON array. */
function elementStarts(text: string): number[] {
  const starts: number[] = [];
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue;
    if (depth === 1 && expectingElement && ch !== ']') {
      starts.push(i);
      expectingElement = false;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (ch === ']' || ch === '}') depth--;
    else if (ch === ',' && depth === 1) expectingElement = true;
  }
  return starts;
}

function jsonErrorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error))
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ \(line \d+ column \d+\)$/, '');
}
