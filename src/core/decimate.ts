/**
 * Which points of a log-log scatter to draw. Up to a limit, all of them. Beyond it, one point per cell of a
 * `columns` × `rows` grid over the log-log extent (the first point met in each cell), so the picture keeps every
 * occupied spot with far fewer points. The caller sizes the grid to its plot (cells of a pixel or two).
 */
export interface DecimationGrid {
  /** At most this many points: all drawn (undefined returned). */
  limit: number;
  columns: number;
  rows: number;
}

/** The indices of the points kept, in order; undefined when all are. */
export function decimateLogLog(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  grid: DecimationGrid,
): Int32Array | undefined {
  const { limit, columns, rows } = grid;
  const n = x.length;
  if (n <= limit) return undefined;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < n; i++) {
    const lx = Math.log10(x[i]);
    const ly = Math.log10(y[i]);
    if (lx < minX) minX = lx;
    if (lx > maxX) maxX = lx;
    if (ly < minY) minY = ly;
    if (ly > maxY) maxY = ly;
  }
  const scaleX = (columns - 1) / (maxX - minX || 1);
  const scaleY = (rows - 1) / (maxY - minY || 1);
  const taken = new Uint8Array(columns * rows);
  const kept: number[] = [];
  for (let i = 0; i < n; i++) {
    const cell =
      Math.round((Math.log10(y[i]) - minY) * scaleY) * columns + Math.round((Math.log10(x[i]) - minX) * scaleX);
    if (taken[cell]) continue;
    taken[cell] = 1;
    kept.push(i);
  }
  return Int32Array.from(kept);
}
