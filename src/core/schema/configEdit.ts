/**
 * Edits to scaling-lens.json made for the user (the extension's Quick Fix for a left-out row): the smallest change
 * to the text, through jsonc-parser, so the file's layout and other entries stay as written.
 */
import { applyEdits, modify, type FormattingOptions } from 'jsonc-parser';
import { findConfigEntry, parseConfig } from './config';

const FORMATTING: FormattingOptions = { insertSpaces: true, tabSize: 2, eol: '\n' };
const UNITS: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9, g: 1e9, t: 1e12 };

/** A count of samples as people write it: `4.8e8`, `480M`, `12.8B`, `34b`, `1,280,000`; null when it is not one. */
export function parseSampleCount(text: string): number | null {
  const match = /^\s*(\d[\d,_]*(?:\.\d+)?(?:e[+-]?\d+)?)\s*([kmbgt])?\s*$/i.exec(text);
  if (!match) return null;
  const value = Number(match[1].replace(/[,_]/g, '')) * (match[2] ? UNITS[match[2].toLowerCase()] : 1);
  return Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * scaling-lens.json's text with `samplesSeen[tag] = samples` in the entry for `resultsFile` (an entry is added when
 * none names it; a config is started when there is none). `configFile` is where the config is or will be; it must
 * be in a folder above `resultsFile`. An existing config that does not parse is refused with its own located error.
 */
export function withTagSamples(
  configFile: string,
  configText: string | undefined,
  resultsFile: string,
  tag: string,
  samples: number,
): string {
  const base = configFile.slice(0, Math.max(configFile.lastIndexOf('/'), configFile.lastIndexOf('\\')) + 1);
  if (!resultsFile.startsWith(base)) throw new Error(`${resultsFile} is not inside the folder of ${configFile}`);
  const relative = resultsFile.slice(base.length).replace(/\\/g, '/');
  if (configText === undefined || configText.trim() === '') {
    return `${JSON.stringify({ datasets: [{ file: relative, samplesSeen: { [tag]: samples } }] }, null, 2)}\n`;
  }
  const config = parseConfig(configFile, configText);
  const entry = findConfigEntry(config, configFile, resultsFile);
  const edits = entry
    ? modify(configText, ['datasets', config.datasets.indexOf(entry), 'samplesSeen', tag], samples, {
        formattingOptions: FORMATTING,
      })
    : modify(
        configText,
        ['datasets', -1],
        { file: relative, samplesSeen: { [tag]: samples } },
        { formattingOptions: FORMATTING, isArrayInsertion: true },
      );
  return applyEdits(configText, edits);
}
