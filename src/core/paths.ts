/**
 * Paths named in scaling-lens.json stay inside their folder: refused in the text (absolute, `..`) when the config is
 * read, and again after symbolic links are resolved when the file is opened (src/core/ingest/load.ts).
 */
import { checkPathText } from './settings';

/** Why a path written in a config is refused, or undefined when it names a file inside the config's folder. */
export function relativePathProblem(path: string): string | undefined {
  const text = checkPathText(path);
  if (!text.ok) return `expected ${text.expected}`;
  if (/^([\\/]|[A-Za-z]:)/.test(path))
    return 'an absolute path: name a file inside the workspace, relative to scaling-lens.json';
  if (path.split(/[\\/]/).includes('..'))
    return '".." leads outside: name a file inside the workspace, relative to scaling-lens.json';
  return undefined;
}

/** `target` is `root` or lies below it (both absolute, already resolved; '/' or '\' separated). */
export function isInside(root: string, target: string): boolean {
  const normal = (p: string) => p.replace(/\\/g, '/').replace(/\/+$/, '');
  const r = normal(root);
  const t = normal(target);
  return t === r || t.startsWith(r === '' ? '/' : `${r}/`);
}

/** `items` with those whose path lies inside `folder` first; each part keeps its order. */
export function insideFirst<T>(items: T[], pathOf: (item: T) => string, folder: string | undefined): T[] {
  if (folder === undefined) return [...items];
  const inside = items.filter((item) => isInside(folder, pathOf(item)));
  return [...inside, ...items.filter((item) => !inside.includes(item))];
}
