/** The dark theme's plot colours, for tests of the webview's pure plot modules. */
import type { PlotColors } from '../../../webview/shared/plotData';

export const DARK_PLOT_COLORS: PlotColors = {
  kind: 'dark',
  foreground: '#cccccc',
  muted: '#9d9d9d',
  grid: 'rgba(204, 204, 204, 0.12)',
  background: '#1f1f1f',
  warning: '#cca700',
};
