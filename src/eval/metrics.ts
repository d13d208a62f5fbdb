/** Zero-shot classification and retrieval metrics on L2-normalised embeddings (pure, no onnxruntime). */

/** L2-normalises each row of a row-major matrix in place. */
export function normalizeRows(matrix: Float32Array, dim: number): Float32Array {
  for (let offset = 0; offset < matrix.length; offset += dim) {
    let norm = 0;
    for (let k = 0; k < dim; k++) norm += matrix[offset + k] * matrix[offset + k];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let k = 0; k < dim; k++) matrix[offset + k] *= scale;
  }
  return matrix;
}

/**
 * Class embeddings by prompt ensembling, as OpenCLIP's zero-shot classifier: normalise each template's embedding,
 * average over templates, normalise again. `templateEmbeddings` is [classes × templates × dim].
 */
export function classEmbeddings(
  templateEmbeddings: Float32Array,
  classes: number,
  templates: number,
  dim: number,
): Float32Array {
  const normalized = normalizeRows(templateEmbeddings.slice(), dim);
  const out = new Float32Array(classes * dim);
  for (let c = 0; c < classes; c++) {
    for (let t = 0; t < templates; t++) {
      const base = (c * templates + t) * dim;
      for (let k = 0; k < dim; k++) out[c * dim + k] += normalized[base + k] / templates;
    }
  }
  return normalizeRows(out, dim);
}

/** Similarity matrix a · bᵀ of normalised rows: [rowsA × rowsB]. */
export function similarities(a: Float32Array, b: Float32Array, dim: number): Float32Array {
  const rowsA = a.length / dim;
  const rowsB = b.length / dim;
  const out = new Float32Array(rowsA * rowsB);
  for (let i = 0; i < rowsA; i++) {
    for (let j = 0; j < rowsB; j++) {
      let dot = 0;
      for (let k = 0; k < dim; k++) dot += a[i * dim + k] * b[j * dim + k];
      out[i * rowsB + j] = dot;
    }
  }
  return out;
}

/** Indices of the k largest values of row `row` (ties: lower index first). */
export function topK(matrix: Float32Array, columns: number, row: number, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < columns; j++) {
    const value = matrix[row * columns + j];
    let position = best.length;
    while (position > 0 && matrix[row * columns + best[position - 1]] < value) position--;
    if (position < k) {
      best.splice(position, 0, j);
      if (best.length > k) best.pop();
    }
  }
  return best;
}

export interface ZeroShotMetrics {
  top1: number;
  top5: number;
  meanPerClassRecall: number;
}

export function zeroShot(
  imageEmbeddings: Float32Array,
  classEmbeddingsMatrix: Float32Array,
  labels: readonly number[],
  dim: number,
): ZeroShotMetrics {
  const classes = classEmbeddingsMatrix.length / dim;
  const logits = similarities(imageEmbeddings, classEmbeddingsMatrix, dim);
  let top1 = 0;
  let top5 = 0;
  const perClass = new Map<number, { hits: number; count: number }>();
  labels.forEach((label, i) => {
    const ranked = topK(logits, classes, i, Math.min(5, classes));
    const hit1 = ranked[0] === label;
    if (hit1) top1++;
    if (ranked.includes(label)) top5++;
    const entry = perClass.get(label) ?? { hits: 0, count: 0 };
    entry.count++;
    if (hit1) entry.hits++;
    perClass.set(label, entry);
  });
  const recalls = [...perClass.values()].map((e) => e.hits / e.count);
  return {
    top1: top1 / labels.length,
    top5: top5 / labels.length,
    meanPerClassRecall: recalls.reduce((s, r) => s + r, 0) / recalls.length,
  };
}

export interface RetrievalMetrics {
  imageToTextR1: number;
  imageToTextR5: number;
  textToImageR5: number;
}

/**
 * Retrieval over the distinct captions: image→text is a hit when a retrieved caption is the image's own caption
 * text; text→image is a hit when one of the k nearest images carries that caption.
 */
export function retrieval(
  imageEmbeddings: Float32Array,
  captionEmbeddings: Float32Array,
  imageCaption: readonly number[],
  dim: number,
): RetrievalMetrics {
  const captions = captionEmbeddings.length / dim;
  const images = imageCaption.length;
  const sims = similarities(imageEmbeddings, captionEmbeddings, dim);
  let r1 = 0;
  let r5 = 0;
  for (let i = 0; i < images; i++) {
    const ranked = topK(sims, captions, i, Math.min(5, captions));
    if (ranked[0] === imageCaption[i]) r1++;
    if (ranked.includes(imageCaption[i])) r5++;
  }
  const transposed = similarities(captionEmbeddings, imageEmbeddings, dim);
  const present = new Set(imageCaption);
  let t2i = 0;
  for (const caption of present) {
    const ranked = topK(transposed, images, caption, Math.min(5, images));
    if (ranked.some((image) => imageCaption[image] === caption)) t2i++;
  }
  return { imageToTextR1: r1 / images, imageToTextR5: r5 / images, textToImageR5: t2i / present.size };
}
