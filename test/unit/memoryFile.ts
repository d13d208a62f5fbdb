/** Test helper: a results file held in memory, loaded and fitted as the CLI would. */
import { analyze, resolveSpec, type AnalysisOptions } from '../../src/core/analysis';
import { loadDataset } from '../../src/core/ingest/load';

export const MEMORY_FILE = '/memory/results.csv';

export function loadText(text: string) {
  return loadDataset(MEMORY_FILE, (path) => (path === MEMORY_FILE ? text : undefined));
}

export function fitText(text: string, options: AnalysisOptions = {}) {
  const { table, spec } = loadText(text);
  return analyze(table, resolveSpec(table, spec, options), options);
}

/** CSV text from a header and rows. */
export function csv(header: string[], rows: (string | number)[][]): string {
  return [header.join(','), ...rows.map((r) => r.join(','))].join('\n') + '\n';
}
