/**
 * Export of the frontier plot as a figure: title, the plot with its axis titles, and the legend (groups with their
 * laws, then the key to the marks), on a chosen background — light by default, as papers need — at 2× resolution
 * as PNG, or as SVG (chart.js drawing into svgcanvas's SVG-building 2D context).
 */
import { Chart } from 'chart.js';
import { Context as SvgContext } from 'svgcanvas';
import type { ExportBackground, PlotModel } from '../../src/shared/protocol';
import { drawFrontier, exportPlotColors, themePlotColors } from './chart';
import { buildPlot, type LegendEntry, type PlotColors, type PlotView } from './plotData';
import { drawSwatch, SWATCH_HEIGHT, SWATCH_WIDTH } from './swatch';

const PAD = 16;
const TITLE_HEIGHT = 30;
const ROW_HEIGHT = 20;
// Fonts every SVG viewer has (the webview's system-ui means nothing to Inkscape).
const FONT = '12px Helvetica, Arial, sans-serif';
const TITLE_FONT = 'bold 15px Helvetica, Arial, sans-serif';

interface Figure {
  colors: PlotColors;
  width: number;
  plotHeight: number;
  legend: { entry: LegendEntry; x: number; y: number; text: string }[];
  height: number;
}

function layout(model: PlotModel, entries: LegendEntry[], colors: PlotColors, cssWidth: number): Figure {
  const width = Math.round(Math.min(1400, Math.max(640, cssWidth)));
  const plotHeight = Math.round(width * 0.75);
  const measure = document.createElement('canvas').getContext('2d')!;
  measure.font = FONT;
  const legend: Figure['legend'] = [];
  let x = PAD;
  let y = TITLE_HEIGHT + plotHeight + 8;
  const visible = entries.filter((e) => !e.hidden);
  for (const section of ['groups', 'key'] as const) {
    for (const entry of visible.filter((e) => e.section === section)) {
      const text = section === 'groups' && entry.detail ? `${entry.label}  (${entry.detail})` : entry.label;
      const itemWidth = SWATCH_WIDTH + 6 + measure.measureText(text).width + 18;
      // Groups each get their own row (their law text is long); the key wraps along rows.
      if (x > PAD && (section === 'groups' || x + itemWidth > width - PAD)) {
        x = PAD;
        y += ROW_HEIGHT;
      }
      legend.push({ entry, x, y, text });
      x += itemWidth;
    }
    if (x > PAD) {
      x = PAD;
      y += ROW_HEIGHT;
    }
  }
  return { colors, width, plotHeight, legend, height: y + PAD - 4 };
}

function drawDecorations(context: CanvasRenderingContext2D, model: PlotModel, figure: Figure): void {
  context.save();
  context.textBaseline = 'middle';
  context.fillStyle = figure.colors.foreground;
  context.font = TITLE_FONT;
  context.fillText(model.title, PAD, TITLE_HEIGHT / 2 + 2);
  context.font = FONT;
  for (const item of figure.legend) {
    drawSwatch(context, item.entry.swatch, item.x, item.y + (ROW_HEIGHT - SWATCH_HEIGHT) / 2);
    context.fillStyle = item.entry.section === 'groups' ? figure.colors.foreground : figure.colors.muted;
    context.fillText(item.text, item.x + SWATCH_WIDTH + 6, item.y + ROW_HEIGHT / 2);
  }
  context.restore();
}

/** A chart.js frontier chart drawn off screen at the figure's size, in the export's colours. */
function offscreenChart(
  model: PlotModel,
  view: PlotView,
  figure: Figure,
  ratio: number,
): { chart: Chart<'scatter'>; dispose: () => void } {
  const host = document.createElement('div');
  host.style.cssText = `position: fixed; left: -20000px; top: 0; width: ${figure.width}px; height: ${figure.plotHeight}px;`;
  const canvas = document.createElement('canvas');
  canvas.width = figure.width;
  canvas.height = figure.plotHeight;
  host.append(canvas);
  document.body.append(host);
  const drawn = drawFrontier(canvas, model, {
    compact: false,
    view,
    colors: figure.colors,
    responsive: false,
    devicePixelRatio: ratio,
  });
  return { chart: drawn.chart, dispose: () => (drawn.chart.destroy(), host.remove()) };
}

function colorsFor(background: ExportBackground): PlotColors {
  return background === 'theme' ? themePlotColors() : exportPlotColors(background);
}

/** The legend entries in the export's colours (swatch colours follow the background's palette). */
function entriesFor(model: PlotModel, view: PlotView, colors: PlotColors): LegendEntry[] {
  return buildPlot(model, colors, view).legend;
}

/**
 * Points every context chart.js keeps (the chart's, each scale's, each dataset controller's, copied from the chart's
 * when they were made) at `context`; returns the undo.
 */
function pointAt(chart: Chart<'scatter'>, context: CanvasRenderingContext2D): () => void {
  const holders: { object: Record<string, unknown>; key: string }[] = [
    { object: chart as unknown as Record<string, unknown>, key: 'ctx' },
    ...Object.values(chart.scales).map((scale) => ({
      object: scale as unknown as Record<string, unknown>,
      key: 'ctx',
    })),
    ...chart.data.datasets.map((_, i) => ({
      object: chart.getDatasetMeta(i).controller as unknown as Record<string, unknown>,
      key: '_ctx',
    })),
  ];
  const saved = holders.map(({ object, key }) => object[key]);
  for (const { object, key } of holders) object[key] = context;
  return () => holders.forEach(({ object, key }, i) => (object[key] = saved[i]));
}

/**
 * svgcanvas reads a text's font by setting it as a span's style attribute, which the webview's CSP (no inline styles)
 * refuses: a console error per text, and every text in the viewer's default font. While it writes a text, that
 * span's style is set through the CSS object model instead (which the CSP allows); the underline it never sets
 * (an attribute "undefined") is dropped.
 */
function keepFonts(svg: SvgContext): void {
  const target = svg as unknown as Record<string, unknown> & { __currentElement?: Element };
  const applyText = target.__applyText as (...args: unknown[]) => void;
  target.__applyText = function (this: typeof target, ...args: unknown[]) {
    const create = document.createElement;
    document.createElement = ((tag: string, options?: ElementCreationOptions) => {
      const element = create.call(document, tag, options);
      if (tag === 'span')
        element.setAttribute = (name: string, value: string) =>
          name === 'style'
            ? void (element.style.cssText = value)
            : Element.prototype.setAttribute.call(element, name, value);
      return element;
    }) as typeof document.createElement;
    try {
      applyText.apply(this, args);
    } finally {
      document.createElement = create;
    }
    const text = this.__currentElement;
    if (text?.nodeName === 'text') text.removeAttribute('text-decoration');
  };
}

/** The figure as a PNG data URL at 2× resolution. */
export function exportPng(model: PlotModel, view: PlotView, background: ExportBackground, cssWidth: number): string {
  const colors = colorsFor(background);
  const figure = layout(model, entriesFor(model, view, colors), colors, cssWidth);
  const scale = 2;
  const chart = offscreenChart(model, view, figure, scale);
  const out = document.createElement('canvas');
  out.width = figure.width * scale;
  out.height = figure.height * scale;
  const context = out.getContext('2d')!;
  context.scale(scale, scale);
  context.fillStyle = colors.background;
  context.fillRect(0, 0, figure.width, figure.height);
  context.drawImage(chart.chart.canvas, 0, TITLE_HEIGHT, figure.width, figure.plotHeight);
  drawDecorations(context, model, figure);
  chart.dispose();
  return out.toDataURL('image/png');
}

/**
 * The figure as SVG text: chart.js draws through its own 2D context object, which is pointed for one draw at an
 * svgcanvas context, so every mark becomes an SVG element (vector, editable in Inkscape or Illustrator).
 */
export function exportSvg(model: PlotModel, view: PlotView, background: ExportBackground, cssWidth: number): string {
  const colors = colorsFor(background);
  const figure = layout(model, entriesFor(model, view, colors), colors, cssWidth);
  const svg = new SvgContext({ width: figure.width, height: figure.height });
  const context = svg as unknown as CanvasRenderingContext2D;
  keepFonts(svg);
  context.fillStyle = colors.background;
  context.fillRect(0, 0, figure.width, figure.height);
  // svgcanvas "clears" with a white rectangle, which chart.js asks for before drawing: paint the background instead.
  context.clearRect = (x, y, w, h) => {
    context.save();
    context.fillStyle = colors.background;
    context.fillRect(x, y, w, h);
    context.restore();
  };
  const chart = offscreenChart(model, view, figure, 1);
  context.save();
  context.translate(0, TITLE_HEIGHT);
  const restore = pointAt(chart.chart, context);
  try {
    chart.chart.draw();
  } finally {
    restore();
    context.restore();
  }
  drawDecorations(context, model, figure);
  chart.dispose();
  return svg.getSerializedSvg(true);
}
