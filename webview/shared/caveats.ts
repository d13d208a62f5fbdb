/** Which notes of a fit qualify what is drawn (a group not fitted, rows left out): shown as caveats, not in the Notes list. */
export function isCaveatNote(note: string): boolean {
  return /not fitted/.test(note) || (/\brows?\b|row\(s\)/.test(note) && /left out|skipped/.test(note));
}
