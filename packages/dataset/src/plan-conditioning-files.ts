import type { DatasetEntry, DatasetLayout, PlannedFile } from './dataset-types.js';
import { makeCocoKeypoints } from './make-coco-keypoints.js';
import { makeControlNetToml } from './make-controlnet-toml.js';

/** Folder of the conditioning images: `conditioning/<kind>/<image stem>.png`. */
export const CONDITIONING_DIR = 'conditioning';
/** The dataset's keypoints in COCO format. */
export const KEYPOINTS_FILE = 'keypoints.json';

/** An entry as the layout placed it: the file stem and the image's path (relative to the output folder). */
export interface PlacedEntry {
  entry: DatasetEntry;
  stem: string;
  imagePath: string;
}

/** What {@link planConditioningFiles} needs of the dataset's settings. */
export interface ConditioningPlanInput {
  layout: DatasetLayout;
  imageDir: string;
  placed: readonly PlacedEntry[];
  captionExtension: string;
  repeats: number;
  keepTokens: number;
  /** A path as the trainer configs write it (relative to the output folder by default). */
  tomlPath: (relative: string) => string;
}

/**
 * The conditioning files of a dataset, beside its layout's own:
 *
 * - every layout: `conditioning/<kind>/<stem>.png`, the stem of its image (sd-scripts pairs them by stem), and
 *   `keypoints.json` (COCO keypoints) when entries have keypoints;
 * - `kohya`: `controlnet-<kind>.toml`, sd-scripts' ControlNet dataset config (`conditioning_data_dir`);
 * - `jsonl`: `controlnet/<kind>/metadata.jsonl`, one line per image with `image`, `conditioning_image` and
 *   `text` (diffusers' ControlNet columns; paths relative to the output folder).
 *
 * A config or jsonl is written for a kind only when every image has that kind (a trainer needs every image paired).
 */
export function planConditioningFiles(input: ConditioningPlanInput): PlannedFile[] {
  const files: PlannedFile[] = [];
  const kinds = [
    ...new Set(input.placed.flatMap(({ entry }) => Object.keys(entry.conditioning?.images ?? {}))),
  ].sort();
  for (const kind of kinds) {
    const paired = input.placed.filter(({ entry }) => entry.conditioning?.images[kind]);
    for (const { entry, stem } of paired) {
      files.push({
        path: `${CONDITIONING_DIR}/${kind}/${stem}.png`,
        kind: 'conditioning',
        entryNumber: entry.number,
        source: entry.conditioning!.images[kind]!,
      });
    }
    if (paired.length !== input.placed.length || paired.length === 0) continue;
    if (input.layout === 'kohya') {
      const toml = makeControlNetToml({
        imageDir: input.tomlPath(input.imageDir),
        conditioningDir: input.tomlPath(`${CONDITIONING_DIR}/${kind}`),
        captionExtension: `.${input.captionExtension}`,
        repeats: input.repeats,
        keepTokens: input.keepTokens,
        sizes: paired.map(({ entry }) => [entry.width, entry.height] as const),
        kind,
      });
      files.push({ path: `controlnet-${kind}.toml`, kind: 'config', source: Buffer.from(toml, 'utf8') });
    } else if (input.layout === 'jsonl') {
      const lines = paired.map(({ entry, stem, imagePath }) =>
        JSON.stringify({
          image: imagePath,
          conditioning_image: `${CONDITIONING_DIR}/${kind}/${stem}.png`,
          text: entry.caption,
        }),
      );
      files.push({
        path: `controlnet/${kind}/metadata.jsonl`,
        kind: 'config',
        source: Buffer.from(`${lines.join('\n')}\n`),
      });
    }
  }
  const withKeypoints = input.placed.filter(({ entry }) => entry.conditioning?.keypoints);
  if (withKeypoints.length > 0) {
    const json = makeCocoKeypoints(
      withKeypoints.map(({ entry, imagePath }) => {
        const k = entry.conditioning!.keypoints!;
        return {
          fileName: imagePath,
          width: entry.width,
          height: entry.height,
          body: k.body,
          leftHand: k.leftHand,
          rightHand: k.rightHand,
          ...(k.face ? { face: k.face } : {}),
          bounds: k.bounds,
        };
      }),
    );
    files.push({ path: KEYPOINTS_FILE, kind: 'keypoints', source: Buffer.from(json, 'utf8') });
  }
  return files;
}
