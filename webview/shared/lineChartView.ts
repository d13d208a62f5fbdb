/**
 * A small line chart of the panel that owns its canvas (and its key below it, if any): made once, drawn once, then
 * updated in place (`chart.update('none')`) when its section is filled again, instead of a new Chart per update.
 */
import { Chart } from 'chart.js';
import { el } from './dom';
import type { KeyEntry, LineChartContent, XY } from './lineCharts';
import { swatchCanvas } from './legend';

export class LineChartView {
  /** The plot's box (`.plot.small`) holding the canvas; put it in the section, then call `show`. */
  readonly element: HTMLElement;
  readonly canvas: HTMLCanvasElement;
  /** The key below the plot (chart.js's own legend is not loaded: the frontier plot has its own legend). */
  readonly key: HTMLElement | undefined;
  private chart: Chart<'line', XY[]> | undefined;

  constructor(id: string, ariaLabel: string, options: { key: boolean }) {
    this.canvas = el('canvas', { id, role: 'img', 'aria-label': ariaLabel });
    this.element = el('div', { class: 'plot small' }, this.canvas);
    this.key = options.key ? el('div', { class: 'mini-legend', id: `${id.replace(/-plot$/, '')}-legend` }) : undefined;
  }

  /** The plot's box and its key, as a section places them. */
  nodes(): HTMLElement[] {
    return this.key ? [this.element, this.key] : [this.element];
  }

  /** Draws `content` (the first time) or updates the chart to it in place; nothing to show discards the chart. */
  show(content: LineChartContent | undefined): void {
    if (!content) return this.clear();
    if (this.key) drawKey(this.key, content.key ?? []);
    if (!this.chart) {
      this.chart = new Chart(this.canvas, {
        type: 'line',
        data: { datasets: content.datasets },
        options: content.options,
      });
      return;
    }
    this.chart.data.datasets = content.datasets;
    this.chart.options = content.options;
    this.chart.update('none');
  }

  clear(): void {
    this.chart?.destroy();
    this.chart = undefined;
    this.key?.replaceChildren();
  }
}

/** The key as HTML, each entry with a swatch drawn like its marks. */
function drawKey(container: HTMLElement, entries: KeyEntry[]): void {
  container.replaceChildren(
    ...entries.map(({ label, swatch }) =>
      el('span', { class: 'mini-legend-entry' }, swatchCanvas(swatch), el('span', {}, label)),
    ),
  );
}
