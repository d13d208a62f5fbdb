/** Architecture table: compute per sample and parameters per model name, from the data's own arch table. */
import { InputError } from '../errors';
import { numberAt, textAt } from '../ingest/numeric';
import { columnIndex, type Table } from '../ingest/table';

export interface Architecture {
  name: string;
  /** Forward compute per training sample, in the unit of the results file's compute column. */
  computePerSample: number;
  params: number;
}

export type ArchitectureTable = Map<string, Architecture>;

/** Reads an OpenCLIP-style `arch_info.csv` (model, gmacs, mparams) or any table with name / per-sample compute / params columns. */
export function readArchitectureTable(table: Table, columns = { name: 'model', computePerSample: 'gmacs', params: 'mparams', paramsScale: 1e6 }): ArchitectureTable {
  const nameCol = columnIndex(table, columns.name);
  const computeCol = columnIndex(table, columns.computePerSample);
  const paramsCol = columnIndex(table, columns.params);
  for (const [col, name] of [[nameCol, columns.name], [computeCol, columns.computePerSample], [paramsCol, columns.params]] as const) {
    if (col < 0) throw new InputError({ file: table.file, line: 1, column: 1 }, `architecture table has no column "${name}" (columns: ${table.columns.join(', ')})`);
  }
  const result: ArchitectureTable = new Map();
  for (let row = 0; row < table.rowCount; row++) {
    const name = textAt(table, row, nameCol);
    const computePerSample = numberAt(table, row, computeCol, 'compute per sample');
    const params = numberAt(table, row, paramsCol, 'parameter count');
    if (name && computePerSample !== null && params !== null) result.set(name, { name, computePerSample, params: params * columns.paramsScale });
  }
  return result;
}
