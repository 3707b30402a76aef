import { type DatasetEntry, DatasetError } from './dataset-types.js';

/** Names an entry in messages: `dataCollection[3] (entry 4)`, or `entry 4`. */
export function describeEntry(entry: DatasetEntry): string {
  return entry.jsonPath ? `${entry.jsonPath} (entry ${entry.number})` : `entry ${entry.number}`;
}

/**
 * Throws a {@link DatasetError} naming the entry for a number that is not a unique whole number from 1, a caption
 * with an empty line or `\r`, or a missing image size.
 */
export function checkEntries(entries: readonly DatasetEntry[]): void {
  const seen = new Set<number>();
  for (const entry of entries) {
    if (!Number.isInteger(entry.number) || entry.number < 1) {
      throw new DatasetError(
        `Entry number ${entry.number} of ${describeEntry(entry)} must be a whole number from 1.`,
      );
    }
    if (seen.has(entry.number))
      throw new DatasetError(`Entry number ${entry.number} appears twice; numbers must be unique.`);
    seen.add(entry.number);
    if (/\r/.test(entry.caption) || entry.caption.split('\n').some((line) => line.trim() === '')) {
      throw new DatasetError(
        `The caption of ${describeEntry(entry)} must be one or more non-empty lines separated by \\n (no empty line, no \\r).`,
      );
    }
    if (!(entry.width > 0 && entry.height > 0)) {
      throw new DatasetError(
        `The image size of ${describeEntry(entry)} is missing (${entry.width}×${entry.height}).`,
      );
    }
  }
}
