/**
 * Legend swatches, drawn with the same canvas calls (and chart.js's own point shapes) as the marks they explain, on
 * any 2D context: the HTML legend's small canvases and the exported image's legend.
 */
import { drawPoint } from 'chart.js/helpers';
import { withAlpha } from './palette';
import type { Swatch } from './plotData';

export const SWATCH_WIDTH = 36;
export const SWATCH_HEIGHT = 14;

/** Draws `swatch` in the box (x, y, SWATCH_WIDTH × SWATCH_HEIGHT) of `context`. */
export function drawSwatch(context: CanvasRenderingContext2D, swatch: Swatch, x: number, y: number): void {
  const w = SWATCH_WIDTH;
  const h = SWATCH_HEIGHT;
  const mid = y + h / 2;
  context.save();
  context.lineCap = 'butt';
  switch (swatch.kind) {
    case 'group': {
      // Band behind, solid fit on the left, dashed extrapolation on the right, a fitted point where they meet.
      context.fillStyle = withAlpha(swatch.color, swatch.bandAlpha);
      context.fillRect(x, y + 1, w, h - 2);
      context.strokeStyle = swatch.color;
      context.lineWidth = swatch.highContrast ? 2.5 : 2;
      line(context, x, mid, x + w * 0.55, mid, []);
      line(context, x + w * 0.55, mid, x + w, mid, [4, 3]);
      context.fillStyle = swatch.color;
      context.beginPath();
      context.arc(x + w * 0.55, mid, 3.5, 0, Math.PI * 2);
      context.fill();
      break;
    }
    case 'marker':
      context.strokeStyle = swatch.ring ? swatch.color : swatch.outline;
      context.fillStyle = swatch.filled ? swatch.color : 'rgba(0, 0, 0, 0)';
      context.lineWidth = swatch.ring ? 2 : swatch.filled ? 1.5 : 1.2;
      drawPoint(
        context,
        {
          pointStyle: swatch.shape,
          radius: swatch.ring ? 6 : swatch.filled ? 5 : 4,
          borderWidth: context.lineWidth,
          rotation: 0,
        },
        x + w / 2,
        mid,
      );
      break;
    case 'line':
      context.strokeStyle = swatch.color;
      context.lineWidth = 2;
      line(context, x + 2, mid, x + w - 2, mid, swatch.dashed ? [6, 4] : []);
      break;
    case 'band':
      context.fillStyle = withAlpha(swatch.color, swatch.alpha);
      context.fillRect(x + 2, y + 1, w - 4, h - 2);
      break;
    case 'forecast': {
      // The interval bar with its caps, and the hollow circle on it.
      const cx = x + w / 2;
      context.strokeStyle = swatch.color;
      context.lineWidth = 1.5;
      line(context, cx, y + 0.5, cx, y + h - 0.5, []);
      line(context, cx - 4, y + 0.5, cx + 4, y + 0.5, []);
      line(context, cx - 4, y + h - 0.5, cx + 4, y + h - 0.5, []);
      context.lineWidth = 2;
      context.fillStyle = swatch.fill;
      context.beginPath();
      context.arc(cx, mid, 4.5, 0, Math.PI * 2);
      context.fill();
      context.stroke();
      break;
    }
  }
  context.restore();
}

function line(context: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, dash: number[]): void {
  context.setLineDash(dash);
  context.beginPath();
  context.moveTo(x1, y1);
  context.lineTo(x2, y2);
  context.stroke();
  context.setLineDash([]);
}
