/**
 * An evaluation set: labels.csv (file, label and/or classname, optional caption) with classnames.txt and
 * templates.txt, or an ImageFolder layout (a sub-folder per class; class names from folder names).
 */
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../core/errors';
import { textAt } from '../core/ingest/cellText';
import { parseTable } from '../core/ingest/parse';
import { columnIndex } from '../core/ingest/table';
import { EvalError } from './errors';
import { readRegularText, realPathInside } from './regularFile';

export interface EvalItem {
  file: string;
  label: number;
  caption?: string;
}

export interface EvalSet {
  name: string;
  dir: string;
  classnames: string[];
  templates: string[];
  items: EvalItem[];
  hasCaptions: boolean;
}

/** A short default prompt set (from OpenCLIP's ImageNet templates) for ImageFolder sets without templates.txt. */
export const DEFAULT_TEMPLATES = [
  'a photo of a {c}.',
  'a bad photo of a {c}.',
  'a photo of the large {c}.',
  'a photo of the small {c}.',
  'a rendering of a {c}.',
  'itap of a {c}.',
];

const IMAGE = /\.(png|jpe?g)$/i;

const MAX_TEXT_BYTES = 64 << 20;

/** Every file of the set, symlinks resolved, lies inside the data folder; text files must be regular files. */
export function readEvalSet(dir: string, limit?: number): EvalSet {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new EvalError(dir, 'no such data folder');
  const labelsFile = path.join(dir, 'labels.csv');
  const set = present(labelsFile) ? fromLabels(dir, labelsFile) : fromImageFolder(dir);
  if (set.items.length === 0)
    throw new EvalError(
      dir,
      'no images to evaluate (expected labels.csv or a sub-folder of PNG/JPEG images per class)',
    );
  if (limit !== undefined) set.items = set.items.slice(0, limit);
  return set;
}

/** Present, even as a dangling symlink (which is then reported, not silently skipped). */
function present(file: string): boolean {
  try {
    fs.lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

function readText(dir: string, file: string, what: string): string {
  return readRegularText(realPathInside(dir, file, file, what), what, MAX_TEXT_BYTES);
}

function readLines(dir: string, file: string, what: string): string[] {
  if (!present(file)) throw new EvalError(file, `missing: ${what}`);
  const lines = readText(dir, file, what)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) throw new EvalError(file, `empty: ${what}`);
  return lines;
}

function fromLabels(dir: string, labelsFile: string): EvalSet {
  const classnames = readLines(dir, path.join(dir, 'classnames.txt'), 'one class name per line');
  const templatesFile = path.join(dir, 'templates.txt');
  const templates = present(templatesFile)
    ? readLines(dir, templatesFile, 'one prompt template per line with {c}')
    : DEFAULT_TEMPLATES;
  templates.forEach((t, i) => {
    if (!t.includes('{c}'))
      throw new EvalError(`${templatesFile}:${i + 1}`, `template "${t}" has no {c} placeholder for the class name`);
  });
  let table;
  try {
    table = parseTable(labelsFile, readText(dir, labelsFile, 'labels.csv'));
  } catch (error) {
    if (error instanceof InputError)
      throw new EvalError(`${labelsFile}:${error.location.line}:${error.location.column}`, error.detail);
    throw error;
  }
  const fileCol = columnIndex(table, 'file');
  const labelCol = columnIndex(table, 'label');
  const classCol = columnIndex(table, 'classname');
  const captionCol = columnIndex(table, 'caption');
  if (fileCol < 0) throw new EvalError(`${labelsFile}:1`, 'needs a "file" column');
  if (labelCol < 0 && classCol < 0)
    throw new EvalError(`${labelsFile}:1`, 'needs a "label" (class index) or "classname" column');
  const byName = new Map(classnames.map((name, index) => [name, index]));
  const items: EvalItem[] = [];
  for (let row = 0; row < table.rowCount; row++) {
    const where = `${labelsFile}:${table.lines[row]}`;
    const cell = textAt(table, row, fileCol).trim();
    if (cell === '')
      throw new EvalError(where, 'empty "file" cell: expected the path of an image inside the data folder');
    const file = realPathInside(dir, path.resolve(dir, cell), where, `image path "${cell}"`);
    let label: number;
    if (labelCol >= 0) {
      label = Number(textAt(table, row, labelCol));
      if (!Number.isInteger(label) || label < 0 || label >= classnames.length)
        throw new EvalError(
          where,
          `label "${textAt(table, row, labelCol)}" is not a class index of classnames.txt (0..${classnames.length - 1})`,
        );
      if (classCol >= 0 && textAt(table, row, classCol) !== classnames[label])
        throw new EvalError(
          where,
          `classname "${textAt(table, row, classCol)}" does not match label ${label} ("${classnames[label]}" in classnames.txt)`,
        );
    } else {
      const name = textAt(table, row, classCol);
      const index = byName.get(name);
      if (index === undefined) throw new EvalError(where, `class "${name}" is not in classnames.txt`);
      label = index;
    }
    const caption = captionCol >= 0 ? textAt(table, row, captionCol) || undefined : undefined;
    items.push({ file, label, caption });
  }
  return { name: path.basename(dir), dir, classnames, templates, items, hasCaptions: items.some((i) => i.caption) };
}

function fromImageFolder(dir: string): EvalSet {
  // A class folder may be a symlink, but only to a folder inside the data folder.
  const classes = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter(
      (e) =>
        e.isDirectory() ||
        (e.isSymbolicLink() &&
          isFolder(realPathInside(dir, path.join(dir, e.name), path.join(dir, e.name), `class folder "${e.name}"`))),
    )
    .map((e) => e.name)
    .sort();
  const items: EvalItem[] = [];
  classes.forEach((name, label) => {
    for (const file of fs.readdirSync(path.join(dir, name)).sort()) {
      if (!IMAGE.test(file)) continue;
      const where = path.join(dir, name, file);
      items.push({ file: realPathInside(dir, where, where, 'the image'), label });
    }
  });
  const templatesFile = path.join(dir, 'templates.txt');
  const templates = present(templatesFile)
    ? readLines(dir, templatesFile, 'one prompt template per line with {c}')
    : DEFAULT_TEMPLATES;
  return {
    name: path.basename(dir),
    dir,
    classnames: classes.map((c) => c.replace(/_/g, ' ')),
    templates,
    items,
    hasCaptions: false,
  };
}

function isFolder(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}
