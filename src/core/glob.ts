/**
 * The `file` patterns of scaling-lens.json (and the scalingLens.resultFiles setting): `*` and `?` within a folder
 * name, `**` across folders. Bounded in length and depth, and matched segment by segment in time linear in
 * pattern × path (a regular expression of 40 × `**\/` backtracked for 24 s on one path).
 */
export const MAX_GLOB_LENGTH = 256;
export const MAX_GLOB_SEGMENTS = 32;
export const MAX_GLOBSTARS = 4;

/** Why a pattern is refused, or undefined when it is fine. `relative`: it must stay inside its folder. */
export function globProblem(glob: string, relative = true): string | undefined {
  if (glob.length === 0) return 'an empty pattern';
  if (glob.length > MAX_GLOB_LENGTH) return `a pattern of ${glob.length} characters: at most ${MAX_GLOB_LENGTH}`;
  if (/[\u0000-\u001f]/.test(glob)) return 'a pattern with control characters';
  const segments = glob.replace(/\\/g, '/').split('/');
  const globstars = segments.filter((s) => s === '**').length;
  if (globstars > MAX_GLOBSTARS) return `a pattern with ${globstars} "**": at most ${MAX_GLOBSTARS}`;
  if (segments.length > MAX_GLOB_SEGMENTS)
    return `a pattern ${segments.length} folders deep: at most ${MAX_GLOB_SEGMENTS}`;
  if (relative && (/^([\\/]|[A-Za-z]:)/.test(glob) || segments.includes('..')))
    return 'a pattern leading outside its folder (an absolute path or "..")';
  return undefined;
}

/** The pattern's folder names; `./` at the start and repeated `**` (which match the same paths) dropped. */
function splitGlob(glob: string): string[] {
  const segments = glob.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  return segments.filter(
    (segment, i) =>
      !(segment === '**' && segments[i - 1] === '**') && !(segment === '' && i > 0 && i < segments.length - 1),
  );
}

/** The pattern with repeated `**` collapsed, as handed to VS Code's own glob engine. */
export function normalizeGlob(glob: string): string {
  return splitGlob(glob).join('/');
}

/** Whether a '/'-separated relative path matches the pattern. */
export function matchGlob(glob: string, path: string): boolean {
  const pattern = splitGlob(glob);
  // A trailing `**` after a folder (`runs/**`) needs at least one name, as in minimatch: read it as `*/**`.
  if (pattern.length > 1 && pattern[pattern.length - 1] === '**') pattern.splice(pattern.length - 1, 0, '*');
  const names = path.replace(/\\/g, '/').replace(/^\.\//, '').split('/');
  const P = pattern.length;
  const S = names.length;
  // reachable[p * (S + 1) + s]: pattern segments from p match names from s. Filled from the end.
  const reachable = new Uint8Array((P + 1) * (S + 1));
  reachable[P * (S + 1) + S] = 1;
  for (let p = P - 1; p >= 0; p--) {
    for (let s = S; s >= 0; s--) {
      let ok: boolean;
      if (pattern[p] === '**')
        ok = reachable[(p + 1) * (S + 1) + s] === 1 || (s < S && reachable[p * (S + 1) + s + 1] === 1);
      else ok = s < S && reachable[(p + 1) * (S + 1) + s + 1] === 1 && matchName(pattern[p], names[s]);
      reachable[p * (S + 1) + s] = ok ? 1 : 0;
    }
  }
  return reachable[0] === 1;
}

/** `*` and `?` within one name, in O(pattern × name) (the classic last-star backtrack, never exponential). */
function matchName(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
