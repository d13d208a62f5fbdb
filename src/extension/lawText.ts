/** A law's plain formula (`E = 5.86·C^−0.111`) as LaTeX or Markdown. */
export function lawAsLatex(formula: string): string {
  return `$${formula
    .replace(/−/g, '-')
    .replace(/·/g, ' \\cdot ')
    .replace(/\^\(([^)]*)\)/g, '^{$1}')
    .replace(/\^([-\d.e]+)/g, '^{$1}')
    .replace(/E∞/g, 'E_\\infty')}$`;
}

export function lawAsMarkdown(group: string, formula: string): string {
  return `- **${group}**: \`${formula}\``;
}
