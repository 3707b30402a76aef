import type { DatasetEntry, DatasetPlan } from './dataset-types.js';

/** Where one entry's files went, relative to the output folder. */
export interface DatasetEntryOutput {
  number: number;
  id?: string;
  image: string;
  /** The caption file, or `train/metadata.jsonl` for the jsonl layout. */
  caption: string;
  mask?: string;
}

/** Each entry's image, caption and mask paths in the plan, in plan order (entry-number order). */
export function collectEntryOutputs(
  plan: DatasetPlan,
  entries: readonly DatasetEntry[],
): DatasetEntryOutput[] {
  const ids = new Map(entries.map((entry) => [entry.number, entry.id]));
  const outputs = new Map<number, DatasetEntryOutput>();
  for (const file of plan.files) {
    if (file.entryNumber === undefined) continue;
    let output = outputs.get(file.entryNumber);
    if (!output) {
      const id = ids.get(file.entryNumber);
      output = { number: file.entryNumber, ...(id === undefined ? {} : { id }), image: '', caption: '' };
      outputs.set(file.entryNumber, output);
    }
    if (file.kind === 'image') output.image = file.path;
    else if (file.kind === 'caption') output.caption = file.path;
    else if (file.kind === 'mask') output.mask = file.path;
  }
  // The jsonl layout's captions live in its metadata.jsonl (the kohya and flat layouts write one for diffusers too).
  const metadata = plan.layout === 'jsonl' ? plan.files.find((file) => file.kind === 'metadata') : undefined;
  if (metadata) for (const output of outputs.values()) output.caption = metadata.path;
  return [...outputs.values()];
}
