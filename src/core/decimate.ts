/**
 * Which runs a plot draws. Up to a limit, all of them. Beyond it (100k-run files), one run per cell of a grid over
 * the log-log extent: the default 500 × 320 cells are one to two pixels of the panel's plot, less than a run
 * marker's 4-pixel dot, so the picture keeps every occupied spot while the webview draws (and receives) far fewer
 * points (100k runs along a law: about 10k points).
 */
const DRAW_ALL_UP_TO = 20_000;

export function decimateLogLog(x: ArrayLike<number>, y: ArrayLike<number>, limit = DRAW_ALL_UP_TO, columns = 500, rows = 320): Int32Array | undefined {
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
    const cell = Math.round((Math.log10(y[i]) - minY) * scaleY) * columns + Math.round((Math.log10(x[i]) - minX) * scaleX);
    if (taken[cell]) continue;
    taken[cell] = 1;
    kept.push(i);
  }
  return Int32Array.from(kept);
}
