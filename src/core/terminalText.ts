/**
 * Text bound for a terminal: control characters that came from results files (ANSI escapes in a group name, a
 * carriage return, C1 controls, bidirectional overrides) are written as visible \uXXXX escapes, never interpreted.
 * Tabs and newlines stay. Inside JSON strings the escapes are JSON's own, so --json output keeps its meaning.
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
