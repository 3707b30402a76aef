import fs from 'node:fs/promises';
import { sha256 } from '@vrm-lora/manifest/hash';
import {
  type DatasetEntry,
  DatasetError,
  type DatasetOptions,
  type FileSource,
  type PlannedFile,
} from './dataset-types.js';

/** Reads the bytes of planned files; a contact sheet to draw is drawn once, on its first read. */
export interface SourceReader {
  /**
   * The placeholder planned as `contactSheet` when the sheet is drawn by the writer (`makeContactSheet` given, no
   * `contactSheet`, some entries), else `null`.
   */
  pendingSheet: Buffer | null;
  /** The bytes of a planned file: its buffer, its source file read, or the drawn contact sheet. */
  read(file: PlannedFile): Promise<Buffer>;
  /**
   * The SHA-256 (hex) of a planned file's bytes when known without reading them (bytes, or a source with a known
   * hash), else `undefined` (always for the pending sheet).
   */
  knownSha256(file: PlannedFile): string | undefined;
}

async function readSource(source: FileSource, purpose: string): Promise<Buffer> {
  if (Buffer.isBuffer(source)) return source;
  try {
    return await fs.readFile(source.path);
  } catch (error) {
    throw new DatasetError(`Cannot read ${source.path} for ${purpose}: ${(error as Error).message}`);
  }
}

/**
 * The reader of a dataset's sources. A contact sheet to draw is planned with a placeholder and drawn only when
 * first read (the writer reads it last): bad entries fail before the (slow) sheet is drawn, and the images land
 * first (`vrm-lora watch` shows them).
 */
export function createSourceReader(
  entries: readonly DatasetEntry[],
  options: Pick<DatasetOptions, 'contactSheet' | 'makeContactSheet'>,
): SourceReader {
  const makeSheet = options.makeContactSheet;
  const pendingSheet = !options.contactSheet && makeSheet && entries.length > 0 ? Buffer.alloc(0) : null;
  let sheet: Promise<Buffer> | null = null;
  const read = (file: PlannedFile): Promise<Buffer> => {
    if (!pendingSheet || !makeSheet || file.source !== pendingSheet)
      return readSource(file.source, file.path);
    sheet ??= makeSheet(
      [...entries]
        .sort((a, b) => a.number - b.number)
        .map((entry) => ({
          image: Buffer.isBuffer(entry.image) ? entry.image : entry.image.path,
          label: `#${entry.number} ${entry.caption.split('\n')[0]}`,
        })),
    );
    return sheet;
  };
  const knownSha256 = (file: PlannedFile): string | undefined => {
    if (file.source === pendingSheet) return undefined;
    return Buffer.isBuffer(file.source) ? sha256(file.source) : file.source.sha256;
  };
  return { pendingSheet, read, knownSha256 };
}
