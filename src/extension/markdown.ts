/** Text from a results file or a fit shown in a Markdown hover or tooltip: its markup characters escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+!|<>]/g, '\\$&');
}
