/**
 * Samples seen in training, read from an OpenCLIP pretrained tag as CLIP_benchmark and OpenCLIP's result tables
 * name checkpoints: `laion2b_s34b_b79k` (34e9 samples), `datacomp_xl_s13b_b90k`, `commonpool_m_s128m_b4k` (128e6),
 * epoch tags `laion400m_e32` (32 epochs × 407M pairs), `laion2b_e16` (16 × 2.32B), and `openai` (12.8e9, the value
 * Cherti et al. use for OpenAI's CLIP: 32 epochs of 400M pairs). Tags that say nothing about it (`yfcc15m`,
 * `metaclip_400m`, `dfn5b`, `webli`) give undefined: those rows are left out with a note naming the tag.
 */

/** Pairs per epoch of the datasets named in epoch tags (LAION-400M as released has 407M). */
const EPOCH_SIZES: Record<string, number> = { laion400m: 407e6, laion2b: 2.32e9, laion5b: 5.85e9, laion80m: 80e6 };
const UNITS: Record<string, number> = { k: 1e3, m: 1e6, b: 1e9 };

export interface TagSamples {
  samples: number;
  /** How the tag was read, for notes: `s34b = 34e9`. */
  rule: string;
}

export function readPretrainedTag(tag: string): TagSamples | undefined {
  const trimmed = tag.trim();
  if (trimmed.toLowerCase() === 'openai') return { samples: 12.8e9, rule: 'openai = 12.8e9 (32 epochs × 400M)' };
  const tokens = trimmed.toLowerCase().split('_');
  for (const token of tokens) {
    const seen = /^s(\d+(?:\.\d+)?)([kmb])$/.exec(token);
    if (seen)
      return {
        samples: Number(seen[1]) * UNITS[seen[2]],
        rule: `s${seen[1]}${seen[2]} = ${seen[1]}${exponent(UNITS[seen[2]])}`,
      };
  }
  const epochs = /^e(\d+)$/.exec(tokens[tokens.length - 1] ?? '');
  if (epochs && tokens.length >= 2) {
    const dataset = tokens.slice(0, -1).find((t) => t in EPOCH_SIZES);
    if (dataset)
      return {
        samples: Number(epochs[1]) * EPOCH_SIZES[dataset],
        rule: `${dataset}_e${epochs[1]} = ${epochs[1]} epochs × ${pairs(EPOCH_SIZES[dataset])}`,
      };
  }
  return undefined;
}

/** Samples seen from a tag, NaN when the tag does not say. */
export function samplesFromPretrainedTag(tag: string): number {
  return readPretrainedTag(tag)?.samples ?? NaN;
}

function pairs(size: number): string {
  return size >= 1e9 ? `${size / 1e9}B` : `${size / 1e6}M`;
}

function exponent(unit: number): string {
  return `e${Math.round(Math.log10(unit))}`;
}

/** The reason rows whose tag says nothing about samples seen are left out. */
export function unknownTagReason(tag: string): string {
  return tag === '' ? 'no pretrained tag' : `pretrained tag "${tag}" does not say how many samples were seen`;
}
