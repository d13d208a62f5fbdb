/**
 * The public CLIP result tables, read as they are published: CLIP_benchmark's records (its benchmark.csv, a JSON
 * array, or a folder of its one-file-per-model×dataset outputs) and OpenCLIP's docs/openclip_results.csv. Samples
 * seen come from the pretrained tag, compute per sample from the architecture (or the table's own FLOPs column).
 */
import { addColumn, columnData, columnIndex, type Table } from '../ingest/table';
import { cellMatches, textAt } from '../ingest/cellText';
import { quoteName } from '../expr/syntax';
import { formatNumber } from '../format';
import { baseArchitectureName, findArchitecture, readArchitectureTable, type ArchitectureTable } from './architectures';
import { openclipArchitectures } from './openclipArchitectures';
import { readPretrainedTag, unknownTagReason } from './pretrainedTags';
import type { DatasetSpec, Filter } from './spec';

/** Reads a file that sits beside the results file; undefined when it does not exist. */
export type SiblingReader = (name: string) => Table | undefined;

const has = (table: Table, ...names: string[]) => names.every((n) => table.columns.includes(n));

export function isClipBenchmark(table: Table): boolean {
  return has(table, 'dataset', 'model', 'pretrained') && table.columns.some((c) => /acc1|recall@/.test(c));
}

export function isOpenclipResultsTable(table: Table): boolean {
  return has(table, 'name', 'pretrained', 'params (M)', 'FLOPs (B)');
}

/** The paper's metric per task: 1 − acc1 for classification, 1 − image R@5 for retrieval, 1 − mAP for VOC multilabel. */
export function openclipTaskMetric(table: Table, filters: Filter[], taskColumn: string, fallback: string): string {
  const taskCol = columnIndex(table, 'task');
  const dataset = filters.find((f) => f.column === taskColumn)?.value;
  if (dataset === 'voc2007_multilabel' && table.columns.includes('mean_average_precision'))
    return 'mean_average_precision';
  const plain = filters.filter((f) => (f.op ?? '=') === '=' && columnIndex(table, f.column) >= 0);
  if (taskCol >= 0) {
    let row = -1;
    for (let r = 0; r < table.rowCount && row < 0; r++)
      if (plain.every((f) => cellMatches(table, r, columnIndex(table, f.column), f.value))) row = r;
    if (
      row >= 0 &&
      textAt(table, row, taskCol) === 'zeroshot_retrieval' &&
      table.columns.includes('image_retrieval_recall@5')
    )
      return 'image_retrieval_recall@5';
  }
  return table.columns.includes('acc1') ? 'acc1' : fallback;
}

export function clipBenchmark(
  table: Table,
  sibling: SiblingReader,
  tagSamples: Record<string, number> = {},
): DatasetSpec {
  const metric = table.columns.includes('acc1')
    ? 'acc1'
    : (table.columns.find((c) => /image_retrieval_recall@5/.test(c)) ?? 'acc1');
  const notes: string[] = ['CLIP_benchmark results: compute = GMACs per sample of the model × samples seen'];
  const tags = samplesFromTags(table, notes, tagSamples);
  const { architectures, note } = architectureTable(sibling);
  notes.push(note);
  notes.push(...variantNotes(table, 'model', architectures));
  return {
    profile: 'clip-benchmark',
    taskMetric: openclipTaskMetric,
    metric,
    compute: ['arch:computePerSample', 'samples_seen'],
    params: 'arch:params',
    samples: 'samples_seen',
    group: {
      column: 'pretrained',
      pools: [
        { name: 'LAION', pattern: '^laion' },
        { name: 'CLIP-WIT', pattern: '^openai$' },
      ],
    },
    filters:
      table.columns.includes('dataset') && hasValue(table, 'dataset', 'imagenet1k')
        ? [{ column: 'dataset', value: 'imagenet1k' }]
        : [],
    joins: [],
    arch: 'model',
    label: 'pretrained',
    taskColumn: 'dataset',
    architectures,
    defaultFrontier: { kind: 'pareto' },
    smallGroupAllPoints: 5,
    computeModel: 'architectures',
    missingReasons: tags,
    notes,
  };
}

/**
 * OpenCLIP's table of its pretrained models: one row per model × pretrained tag, `params (M)`, `FLOPs (B)` per
 * sample and one score column per dataset. E = 1 − the chosen dataset's score (ImageNet 1k first); compute in GMACs
 * (FLOPs ÷ 2, the paper's unit) × samples seen from the tag; groups by training data.
 */
export function openclipResultsTable(
  table: Table,
  sibling: SiblingReader,
  tagSamples: Record<string, number> = {},
): DatasetSpec {
  const flopsCol = columnIndex(table, 'FLOPs (B)');
  const scoreColumns = table.columns.filter(
    (name, col) => col > flopsCol && columnData(table, col) instanceof Float64Array,
  );
  const scoreColumn =
    ['ImageNet 1k', 'MSCOCO image retr. R@5'].find((c) => scoreColumns.includes(c)) ?? scoreColumns[0] ?? 'ImageNet 1k';
  const notes: string[] = [
    "OpenCLIP results table: compute = FLOPs (B) ÷ 2 = GMACs per sample (1 MAC = 2 FLOPs; the paper's unit) × samples seen",
  ];
  const tags = samplesFromTags(table, notes, tagSamples);
  const { architectures, note } = architectureTable(sibling);
  notes.push(`${note} (for compute-optimal allocation and --predict arch=)`);
  return {
    profile: 'openclip-results-table',
    metric: scoreMetric(scoreColumn),
    scoreColumns,
    scoreColumn,
    compute: [`${quoteName('FLOPs (B)')} / 2`, 'samples_seen'],
    params: `${quoteName('params (M)')} * 1e6`,
    samples: 'samples_seen',
    group: {
      column: 'pretrained',
      pools: [
        { name: 'LAION', pattern: '^(frozen_)?laion' },
        { name: 'CLIP-WIT', pattern: '^openai$' },
        { name: 'DataComp', pattern: '^datacomp' },
        { name: 'CommonPool', pattern: '^commonpool' },
        { name: 'Merged-2B', pattern: '^merged2b' },
      ],
    },
    filters: [],
    joins: [],
    arch: 'name',
    label: 'pretrained',
    architectures,
    defaultFrontier: { kind: 'pareto' },
    smallGroupAllPoints: 5,
    computeModel: 'architectures',
    missingReasons: tags,
    notes,
  };
}

/** The metric for a score column: its error, 1 − score. */
export function scoreMetric(column: string): string {
  return `1 - ${quoteName(column)}`;
}

/**
 * A `samples_seen` column from the pretrained tags (unless the table has one), with the rules used in a note and,
 * for tags that say nothing, the reason the rows are left out. Samples given for a tag in scaling-lens.json
 * (`samplesSeen`) come first.
 */
function samplesFromTags(
  table: Table,
  notes: string[],
  tagSamples: Record<string, number>,
): Record<string, (row: number) => string> {
  const tagCol = columnIndex(table, 'pretrained');
  if (table.columns.includes('samples_seen') || tagCol < 0) return {};
  const rules = new Set<string>();
  const given = new Set<string>();
  const samples = Float64Array.from({ length: table.rowCount }, (_, row) => {
    const tag = textAt(table, row, tagCol);
    if (Object.hasOwn(tagSamples, tag)) {
      given.add(tag);
      return tagSamples[tag];
    }
    const read = readPretrainedTag(tag);
    if (read) rules.add(read.rule.replace(/^\w+?_(?=s\d)/, ''));
    return read?.samples ?? NaN;
  });
  addColumn(table, 'samples_seen', samples);
  const shown = [...rules].slice(0, 6);
  notes.push(`samples seen from the pretrained tags: ${shown.join('; ')}${rules.size > shown.length ? '; …' : ''}`);
  if (given.size > 0)
    notes.push(
      `samples seen from scaling-lens.json for ${[...given].map((tag) => `"${tag}" (${formatNumber(tagSamples[tag])})`).join(', ')}`,
    );
  if (samples.some(Number.isNaN))
    notes.push(
      'rows whose pretrained tag does not say how many samples were seen are left out: "samplesSeen": { "TAG": N } in scaling-lens.json or a samples_seen column in the file brings them in',
    );
  return { samples_seen: (row) => unknownTagReason(textAt(table, row, tagCol)) };
}

/** arch_info.csv or OpenCLIP's model_profile.csv beside the file, else the paper's table (built in). */
function architectureTable(sibling: SiblingReader): { architectures: ArchitectureTable; note: string } {
  for (const name of ['arch_info.csv', 'model_profile.csv']) {
    const table = sibling(name);
    if (table) return readArchitectureTable(table);
  }
  return {
    architectures: openclipArchitectures(),
    note: 'GMACs and parameters per sample from the OpenCLIP architecture table of Cherti et al. (built in)',
  };
}

/** Says which model names were read as another architecture (`ViT-B-32-quickgelu` → ViT-B-32). */
function variantNotes(table: Table, column: string, architectures: ArchitectureTable): string[] {
  const col = columnIndex(table, column);
  if (col < 0) return [];
  const mapped = new Set<string>();
  for (let row = 0; row < table.rowCount; row++) {
    const name = textAt(table, row, col);
    if (!architectures.has(name) && findArchitecture(architectures, name))
      mapped.add(`${name} → ${baseArchitectureName(name)}`);
  }
  return mapped.size
    ? [`read as their base architecture (QuickGELU changes no compute): ${[...mapped].join(', ')}`]
    : [];
}

function hasValue(table: Table, column: string, value: string): boolean {
  const col = columnIndex(table, column);
  for (let row = 0; row < table.rowCount; row++) if (textAt(table, row, col) === value) return true;
  return false;
}
