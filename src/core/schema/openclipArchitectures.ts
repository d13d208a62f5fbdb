/**
 * OpenCLIP architectures: forward GMACs per sample (image + text towers) and parameters, from the arch_info.csv
 * of Cherti et al. (github.com/LAION-AI/scaling-laws-openclip). Lets CLIP_benchmark results, which name only the
 * model, be placed on the compute axis. Generated from examples/openclip/arch_info.csv.
 */
import type { ArchitectureTable } from './architectures';

const TABLE: [name: string, gmacsPerSample: number, millionParams: number][] = [
  ['ViT-S-32-alt', 1.78, 43.22],
  ['ViT-S-32', 2.84, 63.09],
  ['ViT-M-32-alt', 3.69, 80.07],
  ['ViT-M-32', 4.98, 103.12],
  ['ViT-B-32', 7.4, 151.28],
  ['ViT-S-16-alt', 5.25, 42.4],
  ['ViT-S-16', 6.3, 62.26],
  ['RN50', 9.12, 102.01],
  ['ViT-M-16-alt', 9.7, 78.98],
  ['ViT-M-16', 10.99, 102.02],
  ['RN101', 12.79, 119.69],
  ['ViT-B-16', 20.57, 149.62],
  ['ViT-B-16-plus', 28.41, 208.35],
  ['ViT-B-16-plus-240', 32.05, 208.38],
  ['RN50x4', 25.99, 178.3],
  ['ViT-L-16', 68.26, 427.74],
  ['ViT-L-14', 87.73, 427.62],
  ['RN50x16', 81.55, 290.98],
  ['ViT-H-16', 150.96, 986.26],
  ['ViT-H-14', 190.97, 986.11],
  ['ViT-g-14', 290.74, 1366.68],
  ['ViT-L-14-336', 197.76, 427.94],
  ['ViT-G-14', 532.92, 2539.57],
  ['ViT-H-14-336', 414.53, 986.52],
  ['ViT-e-14', 1046.02, 4581.09],
  ['ViT-g-14-336', 644.21, 1367.13],
  ['ViT-G-14-336', 1165.0, 2540.1],
  ['ViT-e-14-336', 2316.93, 4581.66],
];

export function openclipArchitectures(): ArchitectureTable {
  return new Map(
    TABLE.map(([name, gmacs, mparams]) => [name, { name, computePerSample: gmacs, params: mparams * 1e6 }]),
  );
}
