/**
 * The plot's legend as HTML: one toggle button per entry (groups with their law, then the key to the marks), each
 * with a swatch drawn like the marks themselves. Clicking an entry shows or hides what it stands for.
 */
import { el } from './dom';
import type { LegendEntry, Swatch } from './plotData';
import { drawSwatch, SWATCH_HEIGHT, SWATCH_WIDTH } from './swatch';

/** `compact` (the side view): the groups' laws without their details. */
export function renderLegend(
  container: HTMLElement,
  entries: LegendEntry[],
  onToggle: (key: string) => void,
  { compact = false } = {},
): void {
  const button = (entry: LegendEntry) => {
    const canvas = swatchCanvas(entry.swatch);
    const label = el('span', { class: entry.section === 'groups' ? 'formula' : 'legend-label' }, entry.label);
    const children: (Node | string)[] = [canvas, label];
    if (entry.detail && !compact && entry.section === 'groups')
      children.push(el('span', { class: 'legend-detail' }, entry.detail));
    const item = el(
      'button',
      {
        type: 'button',
        class: `legend-entry ${entry.section}`,
        'aria-pressed': String(!entry.hidden),
        title: `${entry.hidden ? 'Show' : 'Hide'} ${entry.label}${entry.detail ? ` (${entry.detail})` : ''}`,
        'data-key': entry.key,
      },
      ...children,
    );
    item.addEventListener('click', () => onToggle(entry.key));
    return item;
  };
  const groups = entries.filter((e) => e.section === 'groups');
  const key = entries.filter((e) => e.section === 'key');
  const keep = container.contains(document.activeElement)
    ? (document.activeElement as HTMLElement).dataset.key
    : undefined;
  container.replaceChildren(
    el('div', { class: 'legend-groups' }, ...groups.map(button)),
    el('div', { class: 'legend-key' }, ...key.map(button)),
  );
  // Toggling rebuilds the legend: the keyboard focus stays on the entry just toggled.
  if (keep) container.querySelector<HTMLElement>(`[data-key="${CSS.escape(keep)}"]`)?.focus();
}

/** A legend entry's swatch as a small canvas at the screen's pixel ratio, drawn like the marks it explains. */
export function swatchCanvas(swatch: Swatch): HTMLCanvasElement {
  const canvas = el('canvas', { class: 'swatch', 'aria-hidden': 'true' });
  const ratio = window.devicePixelRatio || 1;
  canvas.width = SWATCH_WIDTH * ratio;
  canvas.height = SWATCH_HEIGHT * ratio;
  const context = canvas.getContext('2d');
  if (context) {
    context.scale(ratio, ratio);
    drawSwatch(context, swatch, 0, 0);
  }
  return canvas;
}
