/**
 * Image decoding (pngjs, jpeg-js) and OpenCLIP preprocessing: resize the shortest side to `size` with bicubic
 * interpolation (antialiased when shrinking, as PIL), centre crop, /255, normalise by mean/std, CHW float32.
 */
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { EvalError } from './errors';
import { BadImage, checkPngComplete, isJpeg, isPng, jpegSize, pngHeader, type ImageSize } from './imageHeader';
import { readRegularFile } from './regularFile';

export interface RgbImage {
  width: number;
  height: number;
  /** RGB bytes, row-major, 3 per pixel. */
  data: Uint8Array;
}

/** The default pixel limit (`--max-pixels`): 64 megapixels, 8000 × 8000. */
export const DEFAULT_MAX_PIXELS = 64_000_000;
/** No evaluation image needs more bytes than this: a bigger file is refused unread. */
const MAX_IMAGE_BYTES = 256 << 20;

/**
 * Decodes a PNG or JPEG after checking the size its header claims against `maxPixels` (a 69-byte PNG can claim
 * 20000 × 20000) and, for PNG, that its data holds every row; a truncated image is refused, not padded.
 */
export function decodeImage(file: string, maxPixels = DEFAULT_MAX_PIXELS): RgbImage {
  const bytes = readRegularFile(file, 'the image', MAX_IMAGE_BYTES);
  let rgba: { width: number; height: number; data: Uint8Array };
  try {
    if (isPng(bytes)) {
      const header = pngHeader(bytes);
      checkPixels(file, header, maxPixels);
      checkPngComplete(bytes, header);
      rgba = PNG.sync.read(bytes);
    } else if (isJpeg(bytes)) {
      checkPixels(file, jpegSize(bytes), maxPixels);
      rgba = jpeg.decode(bytes, {
        useTArray: true,
        formatAsRGBA: true,
        tolerantDecoding: false,
        maxResolutionInMP: maxPixels / 1e6,
        maxMemoryUsageInMB: Math.max(512, Math.ceil((maxPixels * 8) / (1 << 20))),
      });
    } else throw new BadImage('not a PNG or JPEG file');
  } catch (error) {
    if (error instanceof EvalError) throw error;
    throw new EvalError(file, `cannot decode the image: ${(error as Error).message}`);
  }
  if (rgba.data.length !== rgba.width * rgba.height * 4)
    throw new EvalError(
      file,
      `cannot decode the image: ${rgba.data.length} bytes of pixels for ${rgba.width}×${rgba.height}`,
    );
  const rgb = new Uint8Array(rgba.width * rgba.height * 3);
  for (let p = 0, q = 0; p < rgba.data.length; p += 4, q += 3) {
    // Alpha is dropped, as PIL's convert('RGB') does.
    rgb[q] = rgba.data[p];
    rgb[q + 1] = rgba.data[p + 1];
    rgb[q + 2] = rgba.data[p + 2];
  }
  return { width: rgba.width, height: rgba.height, data: rgb };
}

function checkPixels(file: string, size: ImageSize, maxPixels: number): void {
  if (size.width === 0 || size.height === 0)
    throw new EvalError(file, `the image header claims ${size.width}×${size.height} pixels: an empty image`);
  const pixels = size.width * size.height;
  if (pixels > maxPixels) {
    throw new EvalError(
      file,
      `the image header claims ${size.width}×${size.height} = ${(pixels / 1e6).toFixed(1)} megapixels, more than the limit of ${maxPixels / 1e6} megapixels (--max-pixels); refused before decoding`,
    );
  }
}

/** Bicubic kernel with a = −0.5 (PIL). */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
  return 0;
}

/** Resamples one axis of an RGB image (PIL's separable convolution, rounding to bytes after each pass). */
function resampleAxis(image: RgbImage, outSize: number, horizontal: boolean): RgbImage {
  const inSize = horizontal ? image.width : image.height;
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = 2 * filterScale;
  const width = horizontal ? outSize : image.width;
  const height = horizontal ? image.height : outSize;
  const out = new Uint8Array(width * height * 3);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support + 0.5));
    const hi = Math.min(inSize, Math.floor(centre + support + 0.5));
    const weights: number[] = [];
    let total = 0;
    for (let i = lo; i < hi; i++) {
      const w = cubic((i - centre + 0.5) / filterScale);
      weights.push(w);
      total += w;
    }
    const lines = horizontal ? image.height : image.width;
    for (let line = 0; line < lines; line++) {
      for (let channel = 0; channel < 3; channel++) {
        let sum = 0;
        for (let i = lo; i < hi; i++) {
          const index = horizontal ? (line * image.width + i) * 3 + channel : (i * image.width + line) * 3 + channel;
          sum += image.data[index] * weights[i - lo];
        }
        const value = Math.min(255, Math.max(0, Math.round(sum / total)));
        const target = horizontal ? (line * width + o) * 3 + channel : (o * width + line) * 3 + channel;
        out[target] = value;
      }
    }
  }
  return { width, height, data: out };
}

export function resizeShortestSide(image: RgbImage, size: number): RgbImage {
  const short = Math.min(image.width, image.height);
  if (short === size) return image;
  const width = image.width <= image.height ? size : Math.floor((size * image.width) / image.height);
  const height = image.height < image.width ? size : Math.floor((size * image.height) / image.width);
  let result = image;
  if (width !== image.width) result = resampleAxis(result, width, true);
  if (height !== image.height) result = resampleAxis(result, height, false);
  return result;
}

/** Resize, centre crop and normalise into `out` at `offset` (CHW float32). */
export function preprocess(
  image: RgbImage,
  size: number,
  mean: readonly number[],
  std: readonly number[],
  out: Float32Array,
  offset: number,
): void {
  const resized = resizeShortestSide(image, size);
  const top = Math.round((resized.height - size) / 2);
  const left = Math.round((resized.width - size) / 2);
  const plane = size * size;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const source = ((y + top) * resized.width + (x + left)) * 3;
      for (let c = 0; c < 3; c++)
        out[offset + c * plane + y * size + x] = (resized.data[source + c] / 255 - mean[c]) / std[c];
    }
  }
}
