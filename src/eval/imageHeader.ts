/**
 * What an image file claims before it is decoded: its size from the PNG IHDR or JPEG frame header (so a tiny file
 * claiming gigapixels is refused before any allocation), and for PNG whether its compressed data holds every row
 * (a short stream would otherwise decode as an image padded with black).
 */
import zlib from 'node:zlib';

export interface ImageSize {
  width: number;
  height: number;
}

/** Thrown with a short reason; the caller adds the file. */
export class BadImage extends Error {}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
}

export function isJpeg(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

interface PngHeader extends ImageSize {
  bitDepth: number;
  colorType: number;
  interlaced: boolean;
}

export function pngHeader(bytes: Buffer): PngHeader {
  if (bytes.length < 33 || bytes.toString('latin1', 12, 16) !== 'IHDR')
    throw new BadImage('truncated or corrupt PNG: no IHDR header');
  return {
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
    bitDepth: bytes[24],
    colorType: bytes[25],
    interlaced: bytes[28] === 1,
  };
}

/** The size in a JPEG's start-of-frame marker (baseline, progressive or lossless). */
export function jpegSize(bytes: Buffer): ImageSize {
  let i = 2;
  while (i + 4 <= bytes.length) {
    if (bytes[i] !== 0xff) throw new BadImage(`corrupt JPEG: expected a marker at byte ${i}`);
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++;
      continue;
    }
    if ((marker >= 0xd0 && marker <= 0xd8) || marker === 0x01) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) break;
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) {
      if (i + 9 > bytes.length) break;
      return { height: bytes.readUInt16BE(i + 5), width: bytes.readUInt16BE(i + 7) };
    }
    i += 2 + bytes.readUInt16BE(i + 2);
  }
  throw new BadImage('truncated or corrupt JPEG: no frame header before the image data');
}

const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

/** Refuses a PNG whose chunks end early or whose IDAT data inflates to fewer bytes than its rows need. */
export function checkPngComplete(bytes: Buffer, header: PngHeader): void {
  const idat: Buffer[] = [];
  let offset = 8;
  let ended = false;
  while (offset + 8 <= bytes.length) {
    const length = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (offset + 12 + length > bytes.length)
      throw new BadImage(`truncated PNG: the file ends inside its ${type} chunk`);
    if (type === 'IDAT') idat.push(bytes.subarray(offset + 8, offset + 8 + length));
    offset += 12 + length;
    if (type === 'IEND') {
      ended = true;
      break;
    }
  }
  if (!ended) throw new BadImage('truncated PNG: no IEND chunk');
  const channels = CHANNELS[header.colorType];
  if (channels === undefined) throw new BadImage(`corrupt PNG: colour type ${header.colorType}`);
  const bitsPerPixel = channels * header.bitDepth;
  const rowBytes = (width: number) => 1 + Math.ceil((width * bitsPerPixel) / 8);
  let expected = 0;
  if (!header.interlaced) expected = header.height * rowBytes(header.width);
  else {
    for (const [x0, y0, dx, dy] of ADAM7) {
      const w = header.width > x0 ? Math.ceil((header.width - x0) / dx) : 0;
      const h = header.height > y0 ? Math.ceil((header.height - y0) / dy) : 0;
      if (w > 0 && h > 0) expected += h * rowBytes(w);
    }
  }
  let inflated: number;
  try {
    // A cut stream inflates as far as it goes (sync flush); never past what the pixels need.
    inflated = zlib.inflateSync(idat.length === 1 ? idat[0] : Buffer.concat(idat), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
      maxOutputLength: expected,
    }).length;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      // pngjs caps a non-interlaced image's inflation at its size, but inflates an interlaced one whole.
      if (!header.interlaced) return;
      throw new BadImage(
        `corrupt PNG: its compressed data inflates to more than the ${expected} bytes its ${header.width}×${header.height} pixels need`,
      );
    }
    throw new BadImage(`corrupt PNG image data (${(error as Error).message})`);
  }
  if (inflated < expected)
    throw new BadImage(
      `truncated PNG image data: ${inflated} of the ${expected} bytes its ${header.width}×${header.height} pixels need`,
    );
}
