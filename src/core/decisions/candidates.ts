/**
 * Candidate runs for --suggest: the data's own architectures × sample counts up to a compute cap (configurations not
 * yet trained), or a user's list (a CSV of arch,samples or params,samples or compute).
 */
import type { Run } from '../dataset';
import { InputError, UsageError } from '../errors';
import { formatNumber } from '../format';
import { numberAt } from '../ingest/numeric';
import { textAt } from '../ingest/cellText';
import type { Table } from '../ingest/table';
import { columnIndex } from '../ingest/table';
import type { ComputePerSample } from '../optimal';
import type { ArchitectureTable } from '../schema/architectures';

export interface Candidate {
  arch?: string;
  params?: number;
  samples?: number;
  compute: number;
}

interface ArchOption {
  name: string;
  params?: number;
  computePerSample: number;
}

/** Architectures of a group's runs, with compute per sample as the runs used it. */
function runArchitectures(runs: Run[]): ArchOption[] {
  const byName = new Map<string, ArchOption>();
  for (const run of runs) {
    if (!run.samples) continue;
    const name = run.arch ?? (run.params ? `N=${formatNumber(run.params)}` : undefined);
    if (name && !byName.has(name))
      byName.set(name, { name, params: run.params, computePerSample: run.compute / run.samples });
  }
  return [...byName.values()];
}

/** Sample counts within this factor are one nominal count (OpenCLIP's "34B" runs saw 3.20e10 to 3.47e10 samples). */
const SAME_SAMPLES = 1.2;

/** Sample counts of the runs, nominal counts merged (the smallest of each stands for it). */
function sampleCounts(runs: Run[]): number[] {
  const values = [...new Set(runs.filter((r) => r.samples).map((r) => r.samples!))].sort((a, b) => a - b);
  const merged: number[] = [];
  for (const v of values) if (merged.length === 0 || v / merged[merged.length - 1] > SAME_SAMPLES) merged.push(v);
  return merged;
}

/**
 * Architectures × sample counts of the group's runs with compute ≤ cap, leaving out configurations already trained
 * (same architecture, the same nominal sample count). Without architectures: 12 computes evenly spaced in log between the
 * cheapest run and the cap.
 */
export function generatedCandidates(runs: Run[], cap: number): Candidate[] {
  const archs = runArchitectures(runs);
  const counts = sampleCounts(runs);
  if (archs.length === 0 || counts.length === 0) {
    const lo = Math.log(Math.min(...runs.map((r) => r.compute)));
    const hi = Math.log(cap);
    return Array.from({ length: 12 }, (_, k) => ({ compute: Math.exp(lo + ((hi - lo) * k) / 11) }));
  }
  const trained = (arch: ArchOption, samples: number) =>
    runs.some(
      (r) =>
        (r.arch ?? `N=${formatNumber(r.params ?? NaN)}`) === arch.name &&
        r.samples &&
        Math.abs(Math.log(r.samples / samples)) <= Math.log(SAME_SAMPLES),
    );
  const candidates: Candidate[] = [];
  for (const arch of archs) {
    for (const samples of counts) {
      const compute = arch.computePerSample * samples;
      if (compute <= cap * (1 + 1e-9) && !trained(arch, samples))
        candidates.push({ arch: arch.name, params: arch.params, samples, compute });
    }
  }
  return candidates;
}

/** A user's candidate list: each row gives compute, or arch + samples, or params + samples. */
export function listedCandidates(
  table: Table,
  runs: Run[],
  architectures: ArchitectureTable | undefined,
  k: ComputePerSample | undefined,
): Candidate[] {
  const col = (name: string) => columnIndex(table, name);
  const [computeCol, archCol, paramsCol, samplesCol] = [col('compute'), col('arch'), col('params'), col('samples')];
  if (computeCol < 0 && samplesCol < 0)
    throw new UsageError(
      `--candidates ${table.file}: expected a column compute, or arch and samples, or params and samples (columns: ${table.columns.join(', ')})`,
    );
  const archs = new Map(runArchitectures(runs).map((a) => [a.name, a]));
  const candidates: Candidate[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const at = { file: table.file, line: table.lines[row], column: 1 };
    const samples = samplesCol >= 0 ? numberAt(table, row, samplesCol, 'samples') : null;
    const params = paramsCol >= 0 ? numberAt(table, row, paramsCol, 'parameters') : null;
    const arch = archCol >= 0 ? textAt(table, row, archCol) : '';
    let compute = computeCol >= 0 ? numberAt(table, row, computeCol, 'compute') : null;
    let candidateParams = params ?? undefined;
    if (compute === null && samples !== null && arch) {
      const known = architectures?.get(arch) ?? archs.get(arch);
      if (!known)
        throw new InputError(
          at,
          `architecture "${arch}" is neither in the architecture table nor among the runs (${[...archs.keys()].slice(0, 8).join(', ')})`,
        );
      compute = known.computePerSample * samples;
      candidateParams ??= known.params;
    } else if (compute === null && samples !== null && params !== null) {
      if (!k)
        throw new InputError(
          at,
          'params and samples need a compute-per-sample model (an architecture table or 6·N): give compute instead',
        );
      compute = k.coefficient * Math.pow(params, k.exponent) * samples;
    }
    if (compute === null || !(compute > 0))
      throw new InputError(at, 'expected a positive compute, or arch and samples, or params and samples on this row');
    candidates.push({
      ...(arch ? { arch } : {}),
      ...(candidateParams ? { params: candidateParams } : {}),
      ...(samples !== null ? { samples } : {}),
      compute,
    });
  }
  return candidates;
}
