/** Fits in-memory files through the same path as the CLI (load → detect → config → flags → analyze), no bootstrap. */
import { analyze, resolveSpec, type AnalysisOptions, type AnalysisResult } from '../../src/core/analysis';
import { decodeBytes } from '../../src/core/ingest/decode';
import { loadDataset } from '../../src/core/ingest/load';

export type Files = Record<string, string | Uint8Array>;

export function readerOf(files: Files) {
  return (path: string) => {
    const content = files[path];
    return content === undefined ? undefined : typeof content === 'string' ? content : decodeBytes(content);
  };
}

export function fitFiles(files: Files, file: string, options: AnalysisOptions = {}): AnalysisResult {
  const { table, spec } = loadDataset(file, readerOf(files));
  return analyze(table, resolveSpec(table, spec, options), { bootstrap: 0, ...options });
}

/** Message of what `run` throws (fails when it does not throw). */
export function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

/** log-log least squares of error on compute, from scratch: the power law E = β·C^α through the given points. */
export function powerLawByHand(points: { compute: number; error: number }[]): { beta: number; alpha: number } {
  const xs = points.map((p) => Math.log(p.compute));
  const ys = points.map((p) => Math.log(p.error));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
  });
  const alpha = sxy / sxx;
  return { alpha, beta: Math.exp(my - alpha * mx) };
}
