import type { DatasetEntry } from '../../src/index.js';

/**
 * A dataset entry whose image (and mask, when given in `extra`) are a few bytes naming it: `image <number>`. The
 * defaults are a 1024 × 1024 PNG with the caption `anata <description> plain black background`.
 */
export function makeTestEntry(
  number: number,
  description: string,
  extra: Partial<DatasetEntry> = {},
): DatasetEntry {
  return {
    number,
    jsonPath: `dataCollection[${number - 1}]`,
    description,
    image: Buffer.from(`image ${number}`),
    imageExtension: 'png',
    width: 1024,
    height: 1024,
    caption: `anata ${description} plain black background`,
    ...extra,
  };
}
