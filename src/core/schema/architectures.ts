/** Architecture table: compute per sample and parameters per model name, from the data's own arch table. */
import { InputError } from '../errors';
import { numberAt } from '../ingest/numeric';
import { textAt } from '../ingest/cellText';
import { columnIndex, type Table } from '../ingest/table';

export interface Architecture {
  name: string;
  /** Forward compute per training sample, in the unit of the results file's compute column (GMACs for OpenCLIP). */
  computePerSample: number;
  params: number;
}

export type ArchitectureTable = Map<string, Architecture>;

export interface ArchitectureColumns {
  name: string;
  computePerSample: string;
  params: string;
  paramsScale: number;
  /** Multiplies the compute column (0.5 turns GFLOPs into GMACs). */
  computeScale?: number;
}

/** The OpenCLIP tables: `arch_info.csv` of Cherti et al. (model, gmacs, mparams) or `docs/model_profile.csv` (gflops). */
export const OPENCLIP_COLUMNS: ArchitectureColumns = {
  name: 'model',
  computePerSample: 'gmacs',
  params: 'mparams',
  paramsScale: 1e6,
};

/**
 * Reads an architecture table. With the OpenCLIP columns, a table with `gflops` instead of `gmacs` (OpenCLIP's
 * model_profile.csv) is read too: 1 MAC = 2 FLOPs, so compute stays in GMACs, the paper's unit.
 */
export function readArchitectureTable(
  table: Table,
  columns: ArchitectureColumns = OPENCLIP_COLUMNS,
): { architectures: ArchitectureTable; note: string } {
  let chosen = columns;
  if (columns === OPENCLIP_COLUMNS && columnIndex(table, 'gmacs') < 0 && columnIndex(table, 'gflops') >= 0)
    chosen = { ...columns, computePerSample: 'gflops', computeScale: 0.5 };
  const nameCol = columnIndex(table, chosen.name);
  const computeCol = columnIndex(table, chosen.computePerSample);
  const paramsCol = columnIndex(table, chosen.params);
  for (const [col, name] of [
    [nameCol, chosen.name],
    [computeCol, columns === OPENCLIP_COLUMNS ? 'gmacs (or gflops)' : chosen.computePerSample],
    [paramsCol, chosen.params],
  ] as const) {
    if (col < 0)
      throw new InputError(
        { file: table.file, line: 1, column: 1 },
        `architecture table has no column "${name}" (columns: ${table.columns.join(', ')})`,
      );
  }
  const architectures: ArchitectureTable = new Map();
  for (let row = 0; row < table.rowCount; row++) {
    const name = textAt(table, row, nameCol);
    const computePerSample = numberAt(table, row, computeCol, 'compute per sample');
    const params = numberAt(table, row, paramsCol, 'parameter count');
    if (name && computePerSample !== null && params !== null)
      architectures.set(name, {
        name,
        computePerSample: computePerSample * (chosen.computeScale ?? 1),
        params: params * chosen.paramsScale,
      });
  }
  const note =
    chosen.computeScale === 0.5
      ? `compute per sample from ${table.file}: gflops ÷ 2 = GMACs (1 MAC = 2 FLOPs; the paper's unit), parameters mparams × 1e6`
      : `compute per sample (${chosen.computePerSample}) and parameters (${chosen.params}${chosen.paramsScale !== 1 ? ` × ${chosen.paramsScale}` : ''}) from ${table.file}`;
  return { architectures, note };
}

/**
 * An architecture by name, or by the name of the architecture it is a variant of: `ViT-B-32-quickgelu` is ViT-B-32
 * with QuickGELU activations (same compute and parameters); `hf-hub:org/NAME` is NAME. Undefined when unknown.
 */
export function findArchitecture(table: ArchitectureTable, name: string): Architecture | undefined {
  const exact = table.get(name);
  if (exact) return exact;
  const base = baseArchitectureName(name);
  return table.get(base) ?? [...table.values()].find((a) => a.name.toLowerCase() === base.toLowerCase());
}

export function baseArchitectureName(name: string): string {
  return name.replace(/^hf-hub:[^/]+\//, '').replace(/-quickgelu$/i, '');
}
