/**
 * Many short strings as one UTF-8 buffer and end offsets. VS Code passes typed arrays to a webview as binary but
 * JSON-encodes strings at each hop, which made 10k run names cost more than the rest of a plot model together.
 */
export interface PackedStrings {
  bytes: Uint8Array;
  /** ends[i]: offset just past string i in `bytes`. */
  ends: Uint32Array;
}

export function packStrings(strings: readonly string[]): PackedStrings {
  const encoder = new TextEncoder();
  let capacity = 0;
  for (const s of strings) capacity += s.length * 3; // UTF-8 needs at most 3 bytes per UTF-16 unit
  const buffer = new Uint8Array(capacity);
  const ends = new Uint32Array(strings.length);
  let written = 0;
  strings.forEach((s, i) => (ends[i] = written += encoder.encodeInto(s, buffer.subarray(written)).written));
  return { bytes: buffer.slice(0, written), ends };
}

export function unpackString(packed: PackedStrings, index: number): string | undefined {
  if (index < 0 || index >= packed.ends.length) return undefined;
  const start = index === 0 ? 0 : packed.ends[index - 1];
  return new TextDecoder().decode(packed.bytes.subarray(start, packed.ends[index]));
}

export function isPackedStrings(value: unknown): value is PackedStrings {
  if (typeof value !== 'object' || value === null) return false;
  const { bytes, ends } = value as Record<string, unknown>;
  return (
    bytes instanceof Uint8Array &&
    ends instanceof Uint32Array &&
    (ends.length === 0 || ends[ends.length - 1] === bytes.length) &&
    ends.every((end, i) => i === 0 || end >= ends[i - 1])
  );
}
