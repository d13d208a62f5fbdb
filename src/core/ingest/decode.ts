/** Bytes of a results file to text: UTF-8 (with or without BOM), UTF-16 LE/BE by their BOM, else Windows-1252. */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedText {
  text: string;
  encoding: TextEncodingName;
  /** Said in the fit's notes when the encoding was a guess (not UTF-8, not announced by a BOM). */
  note?: string;
}

/**
 * UTF-16 is recognised by its byte-order mark (Excel's "Unicode text" and PowerShell write one). Bytes that are not
 * valid UTF-8 are read as Windows-1252, which every byte decodes in (Excel's "CSV" on Western Windows): `Café` stays
 * `Café` instead of becoming `Caf�`. A UTF-8 character cut in half at the very end (a writer mid-row) is still UTF-8.
 */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const complete = bytes.length - incompleteUtf8Tail(bytes);
  try {
    const head = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, complete));
    return { text: complete === bytes.length ? head : head + new TextDecoder('utf-8').decode(bytes.subarray(complete)), encoding: 'utf-8' };
  } catch {
    return {
      text: new TextDecoder('windows-1252').decode(bytes),
      encoding: 'windows-1252',
      note: 'the file is not valid UTF-8: read as Windows-1252 (save it as UTF-8 if names look wrong)',
    };
  }
}

/** Bytes at the end that begin a UTF-8 character without finishing it (0 when the text ends on a whole character). */
function incompleteUtf8Tail(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= Math.min(3, n); back++) {
    const byte = bytes[n - back];
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return length > back ? back : 0;
  }
  return 0;
}
