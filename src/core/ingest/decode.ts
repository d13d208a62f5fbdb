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
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  const complete = bytes.length - incompleteUtf8Tail(bytes);
  try {
    const head = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, complete));
    return {
      text: complete === bytes.length ? head : head + new TextDecoder('utf-8').decode(bytes.subarray(complete)),
      encoding: 'utf-8',
    };
  } catch {
    return {
      text: decodeWindows1252(bytes),
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

/** 0x80–0x9F of Windows-1252 (the rest is Latin-1). Written out: Node's TextDecoder reads them as Latin-1 controls. */
const HIGH_1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  const CHUNK = 8192;
  const parts: string[] = [];
  const codes = new Uint16Array(Math.min(CHUNK, bytes.length));
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(bytes.length, start + CHUNK);
    for (let i = start; i < end; i++) {
      const byte = bytes[i];
      codes[i - start] = byte >= 0x80 && byte <= 0x9f ? HIGH_1252[byte - 0x80] : byte;
    }
    parts.push(String.fromCharCode(...codes.subarray(0, end - start)));
  }
  return parts.join('');
}
